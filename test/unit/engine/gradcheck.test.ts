// gradcheck: agrees where the engine is right, catches a wrong gradient, and reports (never hides)
// a kink or a domain edge within eps.
import * as assert from 'assert';
import { gradcheck, Value } from '../../../engine';

describe('engine gradcheck', () => {
  it('confirms a smooth function of several inputs and reports per-input entries', () => {
    const result = gradcheck(([x, y, z]) => x.mul(y).tanh().add(x.log()).sub(z.pow(3).div(y)), [0.5, 2, -1.2], {
      labels: ['x', 'y', undefined],
    });
    assert.strictEqual(result.ok, true);
    assert.strictEqual(result.entries.length, 3);
    assert.deepStrictEqual(
      result.entries.map((e) => [e.index, e.label]),
      [
        [0, 'x'],
        [1, 'y'],
        [2, null],
      ],
    );
    for (const e of result.entries) {
      assert.ok(e.ok);
      assert.ok(e.numeric !== null && Math.abs(e.numeric - e.analytic) < 1e-6);
      assert.ok(e.relError < 1e-6);
      assert.strictEqual(e.note, undefined);
    }
    assert.strictEqual(result.maxRelError, Math.max(...result.entries.map((e) => e.relError)));
  });

  it('catches a wrong analytic gradient (a value smuggled in as a constant)', () => {
    // x * x.data treats the second factor as a constant: analytic x, true derivative 2x.
    const result = gradcheck(([x]) => x.mul(x.data), [3]);
    assert.strictEqual(result.ok, false);
    const [e] = result.entries;
    assert.strictEqual(e.analytic, 3);
    assert.ok(e.numeric !== null && Math.abs(e.numeric - 6) < 1e-6);
    assert.ok(Math.abs(e.relError - 0.5) < 1e-6);
    assert.strictEqual(e.ok, false);
  });

  it('reports relu at 0 as a kink: not ok, with both one-sided derivatives in the note', () => {
    const result = gradcheck(([x]) => x.relu(), [0]);
    assert.strictEqual(result.ok, false);
    const [e] = result.entries;
    assert.strictEqual(e.analytic, 0);
    assert.strictEqual(e.ok, false);
    assert.match(e.note ?? '', /not differentiable.*left derivative 0, right derivative 1/);
  });

  it('flags a kink even where the central difference happens to agree: |x| at 0', () => {
    const result = gradcheck(([x]) => x.relu().add(x.neg().relu()), [0]);
    const [e] = result.entries;
    assert.strictEqual(e.numeric, 0);
    assert.strictEqual(e.analytic, 0);
    assert.strictEqual(e.ok, false);
    assert.match(e.note ?? '', /left derivative -1, right derivative 1/);
  });

  it('does not mistake strong curvature for a kink', () => {
    const result = gradcheck(([x]) => x.mul(30).exp(), [0.2], { eps: 1e-4 });
    assert.strictEqual(result.entries[0].note, undefined);
    assert.strictEqual(result.ok, true);
  });

  it('reports a domain edge within eps: one-sided estimate, not ok, with the DomainError in the note', () => {
    const result = gradcheck(([x]) => x.log(), [1e-7]);
    const [e] = result.entries;
    assert.strictEqual(result.ok, false);
    assert.strictEqual(e.ok, false);
    assert.ok(e.numeric !== null);
    assert.match(e.note ?? '', /x - eps leaves the domain \(log of a non-positive number: log\(-9e-7\)\)/);
  });

  it('propagates a DomainError at the unperturbed point', () => {
    assert.throws(() => gradcheck(([x]) => x.log(), [0]), /log of a non-positive number: log\(0\)/);
  });

  it('null numeric when neither side of the step is in the domain', () => {
    // With eps = 1, x ± eps are exactly the two poles of 1 / ((x - 2)·x).
    const result = gradcheck(([x]) => div1(x.sub(2).mul(x)), [1], { eps: 1 });
    const [e] = result.entries;
    assert.strictEqual(e.numeric, null);
    assert.strictEqual(e.relError, Infinity);
    assert.strictEqual(e.ok, false);
    assert.match(e.note ?? '', /both x \+ eps and x - eps leave the domain \(division by zero/);
    assert.strictEqual(result.maxRelError, 0);
  });

  it('scales the step with the input: 3·x at x = 1e8 is confirmed (numeric 3, not 2.98)', () => {
    // A fixed step of 1e-6 is below the spacing of doubles near 1e8 (1.5e-8 · 1e8 ≈ 1.5e-8 per ulp
    // times the value): x ± 1e-6 rounds, and the difference came out 2.98.
    for (const x of [1e8, -1e8, 1e12, 3e15]) {
      const result = gradcheck(([v]) => v.mul(3), [x]);
      const [e] = result.entries;
      assert.strictEqual(e.analytic, 3);
      assert.ok(e.numeric !== null && Math.abs(e.numeric - 3) < 1e-6, `x = ${x}: numeric ${e.numeric}`);
      assert.strictEqual(result.ok, true, `x = ${x}`);
      assert.strictEqual(e.note, undefined);
    }
    const square = gradcheck(([v]) => v.mul(v), [1e8]);
    assert.strictEqual(square.ok, true, JSON.stringify(square));
    const tanh = gradcheck(([v]) => v.mul(1e-8).tanh(), [1e8]);
    assert.strictEqual(tanh.ok, true, JSON.stringify(tanh));
  });

  it('keeps a kink and a domain edge honest with the scaled step', () => {
    // |x - 1e8| at 1e8: a kink at a large x.
    const kink = gradcheck(([v]) => v.sub(1e8).relu().add(v.sub(1e8).neg().relu()), [1e8]);
    assert.strictEqual(kink.ok, false);
    assert.match(kink.entries[0].note ?? '', /left derivative -1, right derivative 1/);
    // log(x - 1e8 + 1e-3) at 1e8: x - h leaves the domain once h grows with x.
    const edge = gradcheck(([v]) => v.sub(1e8).add(1e-3).log(), [1e8]);
    assert.strictEqual(edge.ok, false);
    assert.match(edge.entries[0].note ?? '', /x - eps leaves the domain/);
  });

  it('never counts a non-finite numeric estimate as agreeing, and maxRelError stays finite', () => {
    // g(x) = 1e303·tanh(1e9·(x + 1e-7)) + 1e303·tanh(1e9·(x − 1e-7)) at 0: both tanh are saturated
    // (sech²(100) is 0 or about 1e-87), so the analytic gradient is finite, while within the step
    // g climbs from −2e303 to 2e303: every difference quotient overflows to Infinity. It counted
    // as agreeing (|a − ∞| ≤ atol + rtol·∞) with a relError of ∞/∞ = NaN.
    const step = (v: Value, c: number) => v.add(c).mul(1e9).tanh().mul(1e303);
    const result = gradcheck(([x]) => step(x, 1e-7).add(step(x, -1e-7)), [0]);
    const [e] = result.entries;
    assert.ok(Number.isFinite(e.analytic));
    assert.strictEqual(e.ok, false, JSON.stringify(e));
    assert.strictEqual(result.ok, false);
    assert.ok(e.numeric === null || Number.isFinite(e.numeric), `numeric ${e.numeric}`);
    assert.match(e.note ?? '', /not finite/);
    assert.ok(Number.isFinite(result.maxRelError), `maxRelError ${result.maxRelError}`);
    for (const entry of result.entries) assert.ok(!Number.isNaN(entry.relError), 'no NaN relError');
  });

  it('validates its options and inputs', () => {
    assert.throws(() => gradcheck(([x]) => x, [1], { eps: 0 }), /eps must be a positive number/);
    assert.throws(() => gradcheck(([x]) => x, [NaN]), /input 0 must be a finite number/);
    assert.throws(() => gradcheck(() => 3 as unknown as Value, [1]), TypeError);
  });
});

function div1(v: Value): Value {
  return new Value(1).div(v);
}
