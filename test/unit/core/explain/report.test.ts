// Issue 11, the CLI's JSON report: per variable `formula`, `paths` (summing to the gradient) and
// `why`, and the health notes among `problems` with their codes.
import * as assert from 'assert';
import { analyzeText } from '../../../../src/core';
import { engineSum } from '../../../../src/core/explain';
import { jsonReport } from '../../../../src/core/report';

describe('explain: the JSON report', () => {
  const text = 'x = 2.0\nw = -0.25\nn = x * w\no = n.relu() + x * x  # @grad\n';
  const report = jsonReport('f.py', analyzeText(text, { comments: 'hash' }));
  const [lens] = report.lenses;

  it('carries each variable’s formula, paths and why', () => {
    const x = lens.variables.find((v) => v.name === 'x')!;
    assert.strictEqual(x.formula, 'x + x + w · [n > 0]');
    assert.deepStrictEqual(
      x.paths.map((p) => p.via),
      ['first x in x * x', 'second x in x * x', 'third x in n'],
    );
    assert.strictEqual(engineSum(x.paths.map((p) => p.contribution)), x.grad);
    assert.strictEqual(x.why, null);
    const w = lens.variables.find((v) => v.name === 'w')!;
    assert.strictEqual(w.grad, 0);
    assert.strictEqual(w.why, '∂o/∂w is 0: relu(n) gets n = −0.5000 ≤ 0, so it passes no gradient');
  });

  it('lists the health notes among the problems, with their codes', () => {
    const dead = lens.problems.find((p) => p.code === 'dead-relu');
    assert.ok(dead);
    assert.strictEqual(dead.severity, 'info');
    assert.deepStrictEqual([dead.line, dead.column], [4, 7]);
  });

  it('survives JSON: every field is plain data', () => {
    assert.deepStrictEqual(JSON.parse(JSON.stringify(report)), report);
  });
});

describe('explain: a lens of thousands of variables', () => {
  it('builds the formulas of the first 1,000 only; every variable keeps its paths', () => {
    const lines = ['x0 = 0.5'];
    for (let k = 1; k < 1500; k++) lines.push(`x${k} = x${k - 1} * 0.9999 + 0.0001`);
    lines[lines.length - 1] += '  # @grad';
    const [lens] = jsonReport('chain.py', analyzeText(lines.join('\n') + '\n', { comments: 'hash' })).lenses;
    assert.strictEqual(lens.variables.length, 1499);
    assert.strictEqual(lens.variables.filter((v) => v.formula !== null).length, 1000);
    for (const v of lens.variables) assert.strictEqual(engineSum(v.paths.map((p) => p.contribution)), v.grad);
  });
});
