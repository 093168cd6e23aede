// Property-based: random expression trees built from every op, kept inside each op's domain,
// whose analytic gradients must match central differences. The finite differences here are the
// spec's own (engine-helpers), not the engine's gradcheck.
import * as assert from 'assert';
import fc from 'fast-check';
import { add, div, DomainError, exp, log, mul, neg, pow, relu, sub, tanh, topoSort, Value } from '../../../engine';
import type { OpName } from '../../../engine';

type Expr =
  | { kind: 'var'; index: number }
  | { kind: 'const'; value: number }
  | { kind: 'unary'; op: 'neg' | 'exp' | 'log' | 'relu' | 'tanh'; arg: Expr }
  | { kind: 'binary'; op: 'add' | 'sub' | 'mul' | 'div'; left: Expr; right: Expr }
  | { kind: 'pow'; exponent: number; arg: Expr };

const VARIABLES = 3;

/** Thrown by the builder when a value lands too close to an op's domain edge or kink. */
class TooClose extends Error {}

const { expr } = fc.letrec<{ expr: Expr; leaf: Expr; node: Expr }>((tie) => ({
  leaf: fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: VARIABLES - 1 }).map((index): Expr => ({ kind: 'var', index })) },
    {
      weight: 1,
      arbitrary: fc.double({ min: -3, max: 3, noNaN: true }).map((value): Expr => ({ kind: 'const', value })),
    },
  ),
  node: fc.oneof(
    fc.record({
      kind: fc.constant('unary' as const),
      op: fc.constantFrom('neg' as const, 'exp' as const, 'log' as const, 'relu' as const, 'tanh' as const),
      arg: tie('expr'),
    }),
    fc.record({
      kind: fc.constant('binary' as const),
      op: fc.constantFrom('add' as const, 'sub' as const, 'mul' as const, 'div' as const),
      left: tie('expr'),
      right: tie('expr'),
    }),
    fc.record({
      kind: fc.constant('pow' as const),
      exponent: fc.constantFrom(2, 3, -1, -2, 0.5, 1.5, 0),
      arg: tie('expr'),
    }),
  ),
  expr: fc.oneof({ depthSize: 'small', maxDepth: 5 }, tie('leaf'), tie('node')),
}));

/**
 * Builds the expression with the engine. Operands that are constants go in as plain numbers,
 * through the free functions, so number-first forms are exercised too. Margins keep every op
 * well inside its domain, and away from relu's kink, for the whole finite-difference step.
 */
function build(e: Expr, vars: readonly Value[]): Value | number {
  switch (e.kind) {
    case 'var':
      return vars[e.index];
    case 'const':
      return e.value;
    case 'unary':
      return unaryOp(e.op, build(e.arg, vars));
    case 'binary':
      return binaryOp(e.op, build(e.left, vars), build(e.right, vars));
    case 'pow': {
      const base = build(e.arg, vars);
      const x = typeof base === 'number' ? base : base.data;
      const integer = Number.isInteger(e.exponent);
      if (integer && e.exponent < 0 && Math.abs(x) < 0.2) throw new TooClose();
      if (!integer && x < 0.2) throw new TooClose();
      return pow(base, e.exponent);
    }
  }
}

function dataOf(v: Value | number): number {
  return typeof v === 'number' ? v : v.data;
}

function unaryOp(op: 'neg' | 'exp' | 'log' | 'relu' | 'tanh', a: Value | number): Value {
  const x = dataOf(a);
  if (op === 'log' && x < 0.2) throw new TooClose();
  if (op === 'relu' && Math.abs(x) < 1e-3) throw new TooClose();
  if (op === 'exp' && x > 30) throw new TooClose();
  return { neg, exp, log, relu, tanh }[op](a);
}

function binaryOp(op: 'add' | 'sub' | 'mul' | 'div', a: Value | number, b: Value | number): Value {
  if (op === 'div' && Math.abs(dataOf(b)) < 0.2) throw new TooClose();
  return { add, sub, mul, div }[op](a, b);
}

/** The expression as a function of the inputs, or null where it is too close to an edge. */
function evaluate(e: Expr, inputs: readonly number[]): Value | null {
  try {
    const out = build(
      e,
      inputs.map((x, i) => new Value(x, `x${i}`)),
    );
    return typeof out === 'number' ? null : out;
  } catch (err) {
    if (err instanceof TooClose) return null;
    if (err instanceof DomainError) return null; // an overflow deep in a random tree
    throw err;
  }
}

const inputs = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: VARIABLES, maxLength: VARIABLES });
const seen = new Set<OpName | ''>();

describe('engine property: random expression trees vs central differences', () => {
  it('the analytic gradient matches central differences for every input', () => {
    fc.assert(
      fc.property(expr, inputs, (tree, xs) => {
        const out = evaluate(tree, xs);
        fc.pre(out !== null && Math.abs(out.data) < 1e6);
        const root = out as Value;
        for (const v of topoSort(root)) seen.add(v.opName);
        const leaves = topoSort(root).filter((v) => v.label !== undefined && v.op === '');
        root.backward();
        const grads = xs.map((_, i) => leaves.find((v) => v.label === `x${i}`)?.grad ?? 0);
        xs.forEach((x, i) => {
          const h = 1e-6 * Math.max(1, Math.abs(x));
          const plus = evaluate(
            tree,
            xs.map((v, j) => (j === i ? x + h : v)),
          );
          const minus = evaluate(
            tree,
            xs.map((v, j) => (j === i ? x - h : v)),
          );
          fc.pre(plus !== null && minus !== null);
          const numeric = ((plus as Value).data - (minus as Value).data) / (2 * h);
          const tolerance = 1e-4 * Math.max(1, Math.abs(numeric), Math.abs(root.data));
          assert.ok(Number.isFinite(grads[i]), `gradient ${i} is ${grads[i]}`);
          assert.ok(
            Math.abs(grads[i] - numeric) <= tolerance,
            `∂/∂x${i}: analytic ${grads[i]}, numeric ${numeric} (value ${root.data})`,
          );
        });
      }),
      { numRuns: 600, seed: 20240601 },
    );
  });

  it('covered every op of the engine in those trees', () => {
    for (const op of ['add', 'sub', 'mul', 'div', 'pow', 'neg', 'exp', 'log', 'relu', 'tanh'] as const) {
      assert.ok(seen.has(op), `no generated tree used ${op}`);
    }
  });

  it('backward() twice gives identical gradients on random trees', () => {
    fc.assert(
      fc.property(expr, inputs, (tree, xs) => {
        const out = evaluate(tree, xs);
        fc.pre(out !== null);
        const root = out as Value;
        root.backward();
        const first = topoSort(root).map((v) => v.grad);
        root.backward();
        assert.deepStrictEqual(
          topoSort(root).map((v) => v.grad),
          first,
        );
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
