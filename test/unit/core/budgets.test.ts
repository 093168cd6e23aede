// Bounded cost: hostile inputs that were once quadratic or unbounded finish (mocha's 20 s timeout
// is the hang detector; the bench measures their time and memory), and every budget that bites
// says so at the statement, with its numbers, instead of a value.
import * as assert from 'assert';
import { analyzeText } from '../../../src/core';
import { BUDGETS } from '../../../src/core/budgets';
import { annotatedChain, longSum, nulBytes, statementsOnOneLine, tagMentions } from '../../bench/hostileInputs';
import { ok, textAt } from './helpers';

function analyse(input: { text: string; comments?: 'hash' | 'slash' }) {
  return analyzeText(input.text, { comments: input.comments });
}

describe('core: budgets and hostile input', () => {
  it('a comment that mentions the tag thousands of times is scanned in linear time and marks nothing', () => {
    // 960 KB took 51 s when each mention rescanned the rest of the line.
    assert.deepStrictEqual(analyse(tagMentions(960)), []);
  });

  it('the tag still counts at the start of a comment, and before bindings after prose', () => {
    assert.strictEqual(ok('y = x * 3  # @grad x=2').value, 6);
    assert.strictEqual(ok('y = x * 3  # output @grad x=2').value, 6);
    assert.strictEqual(ok('y = x * 3  # not the @grad tag, but @grad x=2').value, 6);
    assert.strictEqual(ok('/** @grad */\nconst y = 2 * 3;', { comments: 'slash' }).value, 6);
  });

  it('many annotated statements on one line each get their own lens, in linear time', () => {
    const lenses = analyse(statementsOnOneLine(30_000));
    assert.strictEqual(lenses.length, 30_000);
    assert.strictEqual(lenses[0].value, 2);
    assert.strictEqual(lenses[0].target, 'y');
    assert.strictEqual(lenses[BUDGETS.documentLenses - 1].value, 2);
  });

  it('a trailing annotation after several statements marks the last that assigns', () => {
    const lenses = analyzeText('a = 2.0; b = a * 3; print(b)  # @grad');
    assert.strictEqual(lenses.length, 1);
    assert.strictEqual(lenses[0].target, 'b');
    assert.strictEqual(lenses[0].value, 6);
  });

  it('a statement past the token budget is refused with its size, at the statement, and keeps no tokens', () => {
    const input = longSum(800_000);
    const [lens] = analyse(input);
    assert.strictEqual(lens.value, null);
    assert.strictEqual(lens.problems[0].code, 'too-large');
    assert.match(
      lens.problems[0].message,
      /too large to analyse: this statement has 1,600,001 tokens \(limit 50,000\)/,
    );
    assert.ok(textAt(input.text, lens.problems[0].range).startsWith('y = x + x'));
  });

  it('a lens using an oversized assignment says so instead of using an older value', () => {
    const text = `x = 1.0\nx = ${Array<string>(BUDGETS.statementTokens).fill('x').join(' + ')}\ny = x * 2  # @grad\n`;
    const [lens] = analyzeText(text);
    assert.strictEqual(lens.value, null, 'the older x = 1.0 must not be used');
    assert.strictEqual(lens.problems[0].code, 'too-large');
    assert.match(lens.problems[0].message, /too large to analyse.*in the assignment to `x`/);
  });

  it('megabytes of NUL bytes cost no tokens past the budget and give no lens', () => {
    assert.deepStrictEqual(analyse(nulBytes(10)), []);
  });

  it('a lens too large on its own fails alone: a small lens below it still works', () => {
    const lines = ['x0 = 1.0'];
    const perLine = 11; // `xN = xM * 1.0 + 1.0 * 1.0 + 0.5` is 11 tokens
    for (let i = 1; i <= BUDGETS.lensNodes / perLine + 100; i++)
      lines.push(`x${i} = x${i - 1} * 1.0 + 1.0 * 1.0 + 0.5`);
    lines[lines.length - 1] += '  # @grad';
    lines.push('w = 3.0', 'z = w * w  # @grad');
    const [big, small] = analyzeText(lines.join('\n'));
    assert.strictEqual(big.value, null);
    assert.strictEqual(big.problems[0].code, 'too-large');
    assert.match(big.problems[0].message, /over 200,000 graph nodes \(the limit of one lens\)/);
    assert.strictEqual(small.value, 9);
    assert.strictEqual(small.variables.find((v) => v.name === 'w')?.grad, 6);
  });

  it("a lens's own expression counts against the budgets: large annotated statements stop at the document's", () => {
    const sum = Array<string>(24_000).fill('x').join(' + ');
    const lines = Array.from({ length: 20 }, (_, k) => `y${k} = ${sum}  # @grad x=0.5`);
    const lenses = analyzeText(lines.join('\n'));
    assert.strictEqual(lenses.length, 20);
    assert.strictEqual(lenses[0].value, 12_000);
    const refused = lenses.filter((lens) => lens.value === null);
    assert.ok(refused.length >= 10, `${refused.length} lenses refused`);
    for (const lens of refused) assert.match(lens.problems[0].message, /together build more than 400,000 graph nodes/);
  });

  it('past the document budgets, lenses say why they were not analysed', () => {
    const lenses = analyse(annotatedChain(20_000));
    assert.strictEqual(lenses.length, 19_999);
    assert.strictEqual(lenses[0].value, 1.5 * 0.999 + 0.001);
    const together = lenses.find(
      (lens) => lens.value === null && /together build more than 400,000 graph nodes/.test(lens.problems[0].message),
    );
    assert.ok(together, 'the document node budget is reported');
    const last = lenses[lenses.length - 1];
    assert.strictEqual(last.problems[0].code, 'too-large');
    assert.match(
      last.problems[0].message,
      /this document has 19,999 `@grad` annotations, and only the first 2,000 are analysed/,
    );
  });
});
