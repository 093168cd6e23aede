// Problem messages quote user text through one helper (src/core/quote.ts), at most QUOTE_LIMIT
// characters: a 10 MB binding gives a short message, not a 10 MB one.
import * as assert from 'assert';
import { analyzeText, parseBindings } from '../../../src/core';
import { clip, quote, QUOTE_LIMIT } from '../../../src/core/quote';

const TEN_MB = 10 * 1024 * 1024;
/** Room for the message's own words around one or two quotations. */
const SHORT = 4 * QUOTE_LIMIT + 200;

function errorOf(text: string): string {
  const parsed = parseBindings(text);
  assert.ok('error' in parsed, 'expected an error');
  return parsed.error;
}

describe('core: quoted user text in messages', () => {
  it('clip and quote: short text unchanged, long text cut at the limit with …, never half a surrogate pair', () => {
    assert.strictEqual(quote('x1'), '`x1`');
    assert.strictEqual(clip('a'.repeat(QUOTE_LIMIT)), 'a'.repeat(QUOTE_LIMIT));
    assert.strictEqual(clip('a'.repeat(QUOTE_LIMIT + 1)), `${'a'.repeat(QUOTE_LIMIT)}…`);
    assert.strictEqual(quote('b'.repeat(1000)), `\`${'b'.repeat(QUOTE_LIMIT)}…\``);
    const emoji = `${'a'.repeat(QUOTE_LIMIT - 1)}😀tail`;
    assert.strictEqual(clip(emoji), `${'a'.repeat(QUOTE_LIMIT - 1)}…`);
  });

  it('a 10 MB binding that does not parse gives a short message', () => {
    const message = errorOf(`x=1 ${'y'.repeat(TEN_MB)}`);
    assert.ok(message.length < SHORT, `${message.length} characters`);
    assert.match(message, /^expected name=number, got `y{80}…` \(write bindings like x=2, w=-3\)$/);
  });

  it('a long name bound twice, and a long number that is not finite, give short messages', () => {
    const name = 'n'.repeat(100_000);
    assert.match(errorOf(`${name}=1 ${name}=2`), /^`n{80}…` is bound twice$/);
    assert.match(errorOf(`z=1${'0'.repeat(100_000)}`), /^z=10{77}… is not a finite number$/);
  });

  it("in a file: the annotation's bad binding is quoted short", () => {
    const lens = analyzeText(`y = 2.0 * 3  # @grad x=1 ${'?'.repeat(TEN_MB)}\n`, { comments: 'hash' })[0];
    const messages = lens.problems.map((p) => p.message);
    assert.ok(messages.length > 0);
    for (const message of messages)
      assert.ok(message.length < SHORT, `${message.length} characters: ${message.slice(0, 200)}`);
  });

  it('a gradcheck warning names a long target and a long leaf short', () => {
    const leaf = 'l'.repeat(5000);
    const target = `${leaf}.relu() * 2 + ${'0 * 1 + '.repeat(2000)}0`;
    const lens = analyzeText(`${leaf} = 0.0\n${target}  # @grad\n`, { comments: 'hash' })[0];
    const warning = lens.problems.find((p) => p.code === 'gradcheck');
    assert.ok(warning, JSON.stringify(lens.problems.map((p) => p.message.slice(0, 100))));
    assert.ok(warning.message.length < SHORT, `${warning.message.length} characters`);
    assert.ok(
      warning.message.includes(`∂${clip(lens.target)}/∂${clip(leaf)}: analytic`),
      warning.message.slice(0, 300),
    );
  });
});
