// The hover's code spans and blocks (src/text/hoverMarkdown.ts) for text with very many backtick
// runs: the fence is found by a loop, not by spreading every run into Math.max's arguments.
import * as assert from 'assert';
import { codeBlock, inlineCode } from '../../../src/text/hoverMarkdown';

describe('Hover Markdown: fences for many backtick runs', () => {
  const many = 'a`'.repeat(300_000) + 'b```c';

  it('inlineCode: a fence one longer than the longest run, for 300k runs', () => {
    const code = inlineCode(many);
    assert.ok(code.startsWith('````a`'), code.slice(0, 10));
    assert.ok(code.endsWith('b```c````'), code.slice(-10));
  });

  it('codeBlock: the same for a fenced block', () => {
    const block = codeBlock([many, 'x']);
    assert.ok(block.startsWith('````text\n'), block.slice(0, 10));
    assert.ok(block.endsWith('\nx\n````'), block.slice(-10));
  });

  it('short text keeps the usual fences', () => {
    assert.strictEqual(inlineCode('x'), '`x`');
    assert.strictEqual(inlineCode('a``b'), '```a``b```');
    assert.strictEqual(inlineCode('`a'), '`` `a ``');
    assert.strictEqual(codeBlock(['x']), '```text\nx\n```');
  });
});
