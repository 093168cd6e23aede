// Issue 11, item 2: on random programs, each variable's per-use contributions, summed the way the
// engine sums them, are its gradient exactly (not approximately); and where every use's product
// is written out, the products are the contributions up to rounding.
import * as assert from 'assert';
import fc from 'fast-check';
import { analyzeText } from '../../../../src/core';
import { engineSum } from '../../../../src/core/explain';

/** One statement: an op over earlier names (indices into the names so far). */
const statementArb = fc.record({
  op: fc.constantFrom('+', '-', '*', '/', 'tanh', 'relu', 'exp', 'sq', 'neg', 'sigmoid', 'abs', 'max'),
  left: fc.nat(),
  right: fc.nat(),
});

const programArb = fc.record({
  leaves: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 4 }),
  statements: fc.array(statementArb, { minLength: 1, maxLength: 10 }),
  reuse: fc.nat(),
});

function program({
  leaves,
  statements,
  reuse,
}: {
  leaves: number[];
  statements: { op: string; left: number; right: number }[];
  reuse: number;
}): string {
  const names = leaves.map((_, k) => `x${k}`);
  const lines = leaves.map((x, k) => `x${k} = ${x.toFixed(3)}`);
  statements.forEach((s, k) => {
    const a = names[s.left % names.length];
    const b = names[s.right % names.length];
    const expr =
      s.op === '/'
        ? `${a} / (1 + ${b} * ${b})`
        : s.op === 'exp'
          ? `(${a} * 0.1).exp()`
          : s.op === 'sq'
            ? `${a} ** 2`
            : s.op === 'neg'
              ? `-${a}`
              : s.op === 'sigmoid' || s.op === 'abs'
                ? `${s.op}(${a})`
                : s.op === 'max'
                  ? `max(${a}, ${b})`
                  : s.op === 'tanh' || s.op === 'relu'
                    ? `${a}.${s.op}()`
                    : `${a} ${s.op} ${b}`;
    lines.push(`h${k} = ${expr}`);
    names.push(`h${k}`);
  });
  // The output uses the last value and one more, so names get several uses.
  lines.push(`o = ${names[names.length - 1]} * ${names[reuse % names.length]} + ${names[0]}  # @grad`);
  return lines.join('\n') + '\n';
}

describe('explain: per-use contributions sum to the gradient (property)', () => {
  it('exactly as the engine sums them, on random programs', () => {
    fc.assert(
      fc.property(programArb, (p) => {
        const text = program(p);
        const lens = analyzeText(text, { comments: 'hash', gradcheck: { enabled: false } })[0];
        if (lens.value === null) return; // a domain error (e.g. an overflow): nothing to explain
        for (const v of lens.variables) {
          const paths = v.explanation!.paths;
          const sum = engineSum(paths.map((each) => each.contribution));
          assert.ok(Object.is(sum, v.grad), `${text}\n∂o/∂${v.name}: uses sum to ${sum}, the engine says ${v.grad}`);
          const terms = v.explanation!.terms;
          if (terms.length !== paths.length) continue;
          terms.forEach((term, k) => {
            const product = term.factors.reduce((acc, f) => acc * f.value, term.negated ? -1 : 1);
            const expected = paths[k].contribution;
            assert.ok(
              Math.abs(product - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
              `${text}\n∂o/∂${v.name}, use ${k}: product ${product}, contribution ${expected}`,
            );
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});
