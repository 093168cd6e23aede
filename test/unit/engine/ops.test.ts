// Each op's forward value and local derivative, against the seed's summary table and against
// central differences at several points.
import * as assert from 'assert';
import {
  add,
  div,
  DomainError,
  exp,
  log,
  mul,
  neg,
  opSymbol,
  pow,
  relu,
  sub,
  tanh,
  Value,
  type OpName,
} from '../../../engine';
import { assertClose, centralDifference } from './helpers';

interface UnaryCase {
  name: string;
  build: (a: Value) => Value;
  forward: (a: number) => number;
  /** ∂c/∂a from the seed's table, with c the forward value. */
  derivative: (a: number, c: number) => number;
  points: number[];
}

const unary: UnaryCase[] = [
  { name: 'neg', build: (a) => a.neg(), forward: (a) => -a, derivative: () => -1, points: [-2, -0.5, 0.3, 4] },
  { name: 'exp', build: (a) => a.exp(), forward: Math.exp, derivative: (_a, c) => c, points: [-3, -0.1, 0, 1.5, 5] },
  { name: 'log', build: (a) => a.log(), forward: Math.log, derivative: (a) => 1 / a, points: [0.05, 0.5, 1, 3, 100] },
  {
    name: 'relu',
    build: (a) => a.relu(),
    forward: (a) => Math.max(0, a),
    derivative: (a) => (a > 0 ? 1 : 0),
    points: [-2, -0.01, 0.01, 3],
  },
  {
    name: 'tanh',
    build: (a) => a.tanh(),
    forward: Math.tanh,
    derivative: (_a, c) => 1 - c * c,
    points: [-3, -0.4, 0, 0.7, 2],
  },
  {
    name: 'pow 2',
    build: (a) => a.pow(2),
    forward: (a) => a ** 2,
    derivative: (a) => 2 * a,
    points: [-3, -0.5, 0, 1.2],
  },
  {
    name: 'pow 3',
    build: (a) => a.pow(3),
    forward: (a) => a ** 3,
    derivative: (a) => 3 * a ** 2,
    points: [-2, 0.5, 2],
  },
  {
    name: 'pow -1',
    build: (a) => a.pow(-1),
    forward: (a) => 1 / a,
    derivative: (a) => -1 / a ** 2,
    points: [-2, 0.5, 3],
  },
  {
    name: 'pow 0.5',
    build: (a) => a.pow(0.5),
    forward: Math.sqrt,
    derivative: (a) => 0.5 / Math.sqrt(a),
    points: [0.1, 1, 4],
  },
  { name: 'pow 0', build: (a) => a.pow(0), forward: () => 1, derivative: () => 0, points: [-1, 0, 2] },
];

interface BinaryCase {
  name: string;
  build: (a: Value, b: Value) => Value;
  forward: (a: number, b: number) => number;
  da: (a: number, b: number) => number;
  db: (a: number, b: number) => number;
}

const binary: BinaryCase[] = [
  { name: 'add', build: (a, b) => a.add(b), forward: (a, b) => a + b, da: () => 1, db: () => 1 },
  { name: 'sub', build: (a, b) => a.sub(b), forward: (a, b) => a - b, da: () => 1, db: () => -1 },
  { name: 'mul', build: (a, b) => a.mul(b), forward: (a, b) => a * b, da: (_a, b) => b, db: (a) => a },
  {
    name: 'div',
    build: (a, b) => a.div(b),
    forward: (a, b) => a / b,
    da: (_a, b) => 1 / b,
    db: (a, b) => -a / (b * b),
  },
];

const pairs: [number, number][] = [
  [2, 3],
  [-1.5, 0.25],
  [0.7, -4],
  [6, 3],
  [0, 2],
];

describe('engine ops: forward values and local derivatives', () => {
  for (const op of unary) {
    for (const x of op.points) {
      it(`${op.name} at ${x}: forward, the table's derivative, and a central difference`, () => {
        const a = new Value(x, 'a');
        const c = op.build(a);
        c.backward();
        assertClose(c.data, op.forward(x), `${op.name}(${x})`, 1e-15, 0);
        assertClose(a.grad, op.derivative(x, c.data), `d ${op.name}/da at ${x}`, 1e-12, 1e-15);
        assertClose(a.grad, centralDifference(op.forward, x), `central difference of ${op.name} at ${x}`, 1e-5, 1e-7);
      });
    }
  }
  for (const op of binary) {
    for (const [x, y] of pairs) {
      it(`${op.name} at (${x}, ${y}): forward, the table's derivatives, and central differences`, () => {
        const a = new Value(x, 'a');
        const b = new Value(y, 'b');
        const c = op.build(a, b);
        c.backward();
        assert.strictEqual(c.data, op.forward(x, y));
        assertClose(a.grad, op.da(x, y), `∂${op.name}/∂a`, 1e-12, 1e-15);
        assertClose(b.grad, op.db(x, y), `∂${op.name}/∂b`, 1e-12, 1e-15);
        assertClose(
          a.grad,
          centralDifference((t) => op.forward(t, y), x),
          `central ∂${op.name}/∂a`,
          1e-5,
          1e-7,
        );
        assertClose(
          b.grad,
          centralDifference((t) => op.forward(x, t), y),
          `central ∂${op.name}/∂b`,
          1e-5,
          1e-7,
        );
      });
    }
  }

  it('records op symbols, op names and operands in operand order', () => {
    const a = new Value(2, 'a');
    const b = new Value(3, 'b');
    const cases: [Value, string, string, number][] = [
      [a.add(b), '+', 'add', 2],
      [a.sub(b), '-', 'sub', 2],
      [a.mul(b), '*', 'mul', 2],
      [a.div(b), '/', 'div', 2],
      [a.pow(2), '**2', 'pow', 1],
      [a.pow(-0.5), '**-0.5', 'pow', 1],
      [a.neg(), 'neg', 'neg', 1],
      [a.exp(), 'exp', 'exp', 1],
      [a.log(), 'log', 'log', 1],
      [a.relu(), 'relu', 'relu', 1],
      [a.tanh(), 'tanh', 'tanh', 1],
    ];
    for (const [v, symbol, name, arity] of cases) {
      assert.strictEqual(v.op, symbol);
      assert.strictEqual(v.opName, name);
      assert.strictEqual(opSymbol(name as OpName, v.exponent), symbol, 'opSymbol names an op as its node shows it');
      assert.strictEqual(v.children.length, arity);
      assert.strictEqual(v.children[0], a);
      if (arity === 2) assert.strictEqual(v.children[1], b);
    }
    assert.strictEqual(a.op, '');
    assert.strictEqual(a.opName, '');
    assert.deepStrictEqual(a.children, []);
    assert.strictEqual(a.pow(3).exponent, 3);
    assert.strictEqual(a.exp().exponent, undefined);
  });

  it('takes plain numbers in either position (number-first forms)', () => {
    const a = new Value(4, 'a');
    const cases: [Value, number, number][] = [
      // [result, expected value, expected ∂/∂a]
      [sub(2, a), -2, -1],
      [div(1, a), 0.25, -1 / 16],
      [add(3, a), 7, 1],
      [mul(5, a), 20, 5],
      [a.sub(1), 3, 1],
      [a.div(2), 2, 0.5],
      [pow(a, 2), 16, 8],
      [neg(a), -4, -1],
      [exp(a), Math.exp(4), Math.exp(4)],
      [log(a), Math.log(4), 0.25],
      [relu(a), 4, 1],
      [tanh(a), Math.tanh(4), 1 - Math.tanh(4) ** 2],
    ];
    for (const [c, value, grad] of cases) {
      c.backward();
      assertClose(c.data, value, `${c.op} value`, 1e-15, 0);
      assertClose(a.grad, grad, `${c.op} gradient`, 1e-12, 1e-15);
    }
    const constant = sub(2, a).children[0];
    assert.strictEqual(constant.data, 2);
    assert.strictEqual(constant.label, undefined);
    assert.strictEqual(add(1, 2).data, 3);
  });

  it('prints and serialises as its own numbers, not its storage or subgraph', () => {
    const a = new Value(2, 'a');
    const c = a.mul(3);
    c.label = 'c';
    c.backward();
    assert.strictEqual(String(a), 'Value(a: data=2, grad=3)');
    assert.strictEqual(String(c), 'Value(c: data=6, grad=1, op=*)');
    assert.deepStrictEqual(JSON.parse(JSON.stringify(c)), { label: 'c', op: '*', data: 6, grad: 1 });
    assert.deepStrictEqual(JSON.parse(JSON.stringify(new Value(1))), { label: null, op: '', data: 1, grad: 0 });
    const inspect = (c as unknown as Record<symbol, () => string>)[Symbol.for('nodejs.util.inspect.custom')];
    assert.strictEqual(inspect.call(c), 'Value(c: data=6, grad=1, op=*)');
  });

  it("ReLU'(0) is 0 (the seed's convention, as PyTorch)", () => {
    const a = new Value(0.0);
    const c = a.relu();
    assert.strictEqual(c.data, 0);
    c.backward();
    assert.strictEqual(a.grad, 0);
  });

  it('tanh is one native node whose derivative is 1 - c²', () => {
    const a = new Value(0.5);
    const c = a.tanh();
    assert.deepStrictEqual(c.children, [a]);
    c.backward();
    assertClose(a.grad, 1 - c.data * c.data, 'tanh at 0.5', 1e-15, 0);
  });

  it('the tanh gradient keeps its digits far from 0 (sech² from the input, not 1 − c²)', () => {
    // 1 − c² is 2.2e-16 at 19 (77% off: c has rounded to 1 − 2⁻⁵³) and exactly 0 beyond 19.06.
    for (const x of [15, 19, -19, 25, 100, 300]) {
      const a = new Value(x);
      a.tanh().backward();
      assertClose(a.grad, 1 / Math.cosh(x) ** 2, `d tanh/dx at ${x}`, 1e-14, 0);
    }
    const far = new Value(400);
    far.tanh().backward();
    assert.strictEqual(far.grad, 0, 'sech²(400) ≈ 1e-347 is below the smallest double');
  });

  it('pow with a Value exponent is a TypeError', () => {
    const a = new Value(2);
    assert.throws(
      () => a.pow(new Value(3) as unknown as number),
      (err: unknown) => err instanceof TypeError && /constant number/.test(err.message),
    );
    assert.throws(() => pow(a, new Value(3) as unknown as number), TypeError);
  });

  it('rejects an operand that is neither a Value nor a number', () => {
    const a = new Value(2);
    assert.throws(
      () => a.add('3' as unknown as number),
      (err: unknown) => err instanceof TypeError && /add expects a Value or a number, got string/.test(err.message),
    );
    assert.throws(() => mul(null as unknown as number, a), /mul expects a Value or a number, got null/);
  });

  it('DomainError is a RangeError carrying the op and operands', () => {
    try {
      log(-2);
      assert.fail('log(-2) did not throw');
    } catch (err) {
      assert.ok(err instanceof DomainError);
      assert.ok(err instanceof RangeError);
      assert.strictEqual(err.name, 'DomainError');
      assert.strictEqual(err.op, 'log');
      assert.deepStrictEqual(err.operands, [-2]);
    }
  });
});
