// backward(): micrograd's README example, node reuse, a 100k-deep chain, repeated calls,
// zeroGrad, and the domain policy (DomainError instead of any NaN or Infinity).
import * as assert from 'assert';
import { add, div, DomainError, exp, log, mul, pow, relu, Value } from '../../../engine';
import { assertClose } from './helpers';

/** micrograd's README example, written with the engine's methods and number-first forms. */
function microgradReadme(): { a: Value; b: Value; g: Value } {
  const a = new Value(-4.0, 'a');
  const b = new Value(2.0, 'b');
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c.add(1));
  c = c.add(add(1, c)).add(a.neg()); // c += 1 + c + (-a)
  d = d.add(d.mul(2).add(relu(b.add(a)))); // d += d * 2 + (b + a).relu()
  d = d.add(mul(3, d).add(relu(b.sub(a)))); // d += 3 * d + (b - a).relu()
  const e = c.sub(d);
  const f = e.pow(2);
  let g = f.div(2.0);
  g = g.add(div(10.0, f)); // g += 10.0 / f
  return { a, b, g };
}

function expectDomainError(fn: () => unknown, op: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DomainError, `expected a DomainError, got ${String(err)}`);
    assert.strictEqual(err.op, op);
    assert.match(err.message, message);
    return true;
  });
}

describe('engine backward', () => {
  it("reproduces micrograd's README example: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773", () => {
    const { a, b, g } = microgradReadme();
    g.backward();
    assert.strictEqual(g.data.toFixed(4), '24.7041');
    assert.strictEqual(a.grad.toFixed(4), '138.8338');
    assert.strictEqual(b.grad.toFixed(4), '645.5773');
  });

  it('accumulates both contributions of a node used twice: x * x gives 2x', () => {
    const x = new Value(3, 'x');
    const y = x.mul(x);
    y.backward();
    assert.strictEqual(x.grad, 6);
    const z = new Value(-1.5, 'z');
    const w = z.add(z).add(z.mul(z)); // 2z + z², derivative 2 + 2z
    w.backward();
    assert.strictEqual(z.grad, 2 + 2 * -1.5);
  });

  it('handles a diamond: shared intermediate reached through two paths', () => {
    const x = new Value(0.5, 'x');
    const h = x.tanh();
    const out = h.mul(2).add(h.pow(2));
    out.backward();
    const t = Math.tanh(0.5);
    assertClose(x.grad, (2 + 2 * t) * (1 - t * t), 'diamond gradient', 1e-14);
    assertClose(h.grad, 2 + 2 * t, 'gradient at the shared node', 1e-14);
  });

  it('backpropagates through a 100,000-node chain without overflowing the stack', () => {
    const x = new Value(0.3, 'x');
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.add(1e-5);
    y.backward();
    assert.strictEqual(x.grad, 1);
    assertClose(y.data, 0.3 + 1, 'chain value', 1e-9);
    let t = x;
    for (let i = 0; i < 100_000; i++) t = t.mul(1);
    t.backward();
    assert.strictEqual(x.grad, 1);
    t.zeroGrad();
    assert.strictEqual(x.grad, 0);
  });

  it('gives the same grads when backward() is called twice (no silent accumulation)', () => {
    const { a, b, g } = microgradReadme();
    g.backward();
    const first = [a.grad, b.grad, g.grad];
    g.backward();
    assert.deepStrictEqual([a.grad, b.grad, g.grad], first);
  });

  it('resets grads left by another graph sharing the same leaf', () => {
    const x = new Value(2, 'x');
    x.mul(10).backward();
    assert.strictEqual(x.grad, 10);
    const y = x.pow(2);
    y.backward();
    assert.strictEqual(x.grad, 4);
  });

  it('leaves the grads of nodes outside the graph alone, even when created in between', () => {
    const x = new Value(2, 'x');
    const other = x.mul(5); // another graph on the same leaf, created before this one's nodes
    other.backward();
    const y = x.mul(x).add(1);
    y.backward();
    assert.strictEqual(x.grad, 4);
    assert.strictEqual(other.grad, 1); // untouched by y.backward()
  });

  it('follows operands across thousands of nodes and back to much older leaves', () => {
    // More nodes than a storage chunk holds, with operands far older than their consumers
    // and interleaved with nodes of an unrelated graph: backward walks creation order, so this
    // checks that order, not just a short local chain.
    const w = new Value(1.5, 'w');
    const early = new Value(0.25, 'early');
    const unrelated: Value[] = [];
    let sum = early.mul(4);
    for (let i = 0; i < 5000; i++) {
      unrelated.push(new Value(i).mul(2));
      sum = sum.add(w.mul(i % 7));
    }
    const out = sum.mul(early);
    unrelated.forEach((u) => (u.grad = -1));
    out.backward();
    let weights = 0;
    for (let i = 0; i < 5000; i++) weights += i % 7;
    assertClose(w.grad, weights * 0.25, 'd out / d w');
    assertClose(early.grad, sum.data + 4 * 0.25, 'd out / d early'); // sum = 4·early + …
    assert.ok(unrelated.every((u) => u.grad === -1));
  });

  it('zeroGrad() zeroes every node of the graph', () => {
    const { a, b, g } = microgradReadme();
    g.backward();
    g.zeroGrad();
    assert.strictEqual(a.grad, 0);
    assert.strictEqual(b.grad, 0);
    assert.strictEqual(g.grad, 0);
  });

  it('seeds only the output: intermediate grads are ∂output/∂node', () => {
    const a = new Value(2, 'a');
    const b = a.mul(3);
    const c = b.add(1);
    c.backward();
    assert.deepStrictEqual([c.grad, b.grad, a.grad], [1, 1, 3]);
  });

  describe('domain policy: a DomainError, never a NaN or an Infinity', () => {
    it('division by zero', () => {
      expectDomainError(() => div(1, 0), 'div', /^division by zero: 1 \/ 0$/);
      expectDomainError(() => new Value(-2).div(new Value(0)), 'div', /division by zero: \(-2\) \/ 0/);
    });

    it('log of zero and of a negative number', () => {
      expectDomainError(() => log(0), 'log', /^log of a non-positive number: log\(0\)$/);
      expectDomainError(() => new Value(-1).log(), 'log', /log\(-1\)/);
    });

    it('pow that gives NaN or ±Infinity', () => {
      expectDomainError(() => pow(-8, 1 / 3), 'pow', /pow gives NaN: \(-8\) \*\* 0\.333/);
      expectDomainError(() => pow(0, -1), 'pow', /pow gives Infinity: 0 \*\* \(-1\)/);
      expectDomainError(() => pow(1e200, 2), 'pow', /pow gives Infinity/);
      expectDomainError(() => pow(2, Infinity), 'pow', /finite exponent/);
    });

    it('exp overflow, and add/sub/mul overflow', () => {
      expectDomainError(() => exp(1000), 'exp', /exp overflows: exp\(1000\)/);
      expectDomainError(() => mul(1e200, 1e200), 'mul', /mul overflows: 1e\+200 \* 1e\+200 = Infinity/);
      expectDomainError(() => add(1.7e308, 1.7e308), 'add', /add overflows/);
      expectDomainError(() => new Value(-1.7e308).sub(1.7e308), 'sub', /sub overflows/);
    });

    it('a non-finite leaf', () => {
      expectDomainError(() => new Value(NaN), 'value', /finite number, got NaN/);
      expectDomainError(() => new Value(Infinity), 'value', /got Infinity/);
      expectDomainError(() => add(1, -Infinity), 'value', /got -Infinity/);
    });

    it('setting data to a non-finite number (a diverging training step)', () => {
      const w = new Value(1, 'w');
      expectDomainError(() => (w.data = NaN), 'value', /finite number, got NaN/);
      assert.strictEqual(w.data, 1);
      w.data = -2.5;
      assert.strictEqual(w.data, -2.5);
    });

    it('a non-finite local derivative during backward names its op: pow(0, 0.5)', () => {
      const x = new Value(0, 'x');
      const y = x.pow(0.5);
      assert.strictEqual(y.data, 0);
      expectDomainError(() => y.backward(), 'pow', /gradient of pow is not finite at 0 \*\* 0\.5: d\/da = Infinity/);
    });

    it('a gradient that overflows in the chain rule although every value is finite', () => {
      const x = new Value(1e-300, 'x');
      const z = x.mul(1e300).mul(1e300); // values 1 and 1e300; ∂z/∂x = 1e600
      assert.ok(Number.isFinite(z.data));
      expectDomainError(() => z.backward(), 'value', /gradient reaching 'x' is not finite \(Infinity\)/);
    });

    it('after a failed backward the graph still backpropagates correctly', () => {
      const x = new Value(0, 'x');
      const y = x.pow(0.5);
      assert.throws(() => y.backward(), DomainError);
      x.data = 4;
      const z = x.mul(x);
      z.backward();
      assert.strictEqual(x.grad, 8);
    });
  });
});
