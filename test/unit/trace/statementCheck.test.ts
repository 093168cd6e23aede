// The statement against its own text, on traced graphs of a learner-style engine (./userEngine.ts)
// whose operators record a graph that is not the statement's: the graph check rebuilds what was
// recorded and agrees with it, so only the statement's own text can tell. Each case builds the
// graph the buggy operator builds (`1 - x*2` recorded as `x*2 + 1`), runs the lenses without an
// interpreter, and needs the warning, the operator named, and no "agrees"; the cases that must
// stay quiet (a right engine, plain numbers, the target read on the right, a helper function of
// the program, names that depend on each other) need no warning at all.
import * as assert from 'assert';
import type { Lens } from '../../../src/core/types';
import type { TraceResult, TracedGraph, TracedLens, TracedValue } from '../../../src/trace/protocol';
import { prepare } from '../../../src/trace/sites';
import { toLenses } from '../../../src/trace/toLenses';
import { Engine, traced } from './userEngine';

type Traced = TracedValue & { graph: TracedGraph };

/** The lens of the file's one `@grad` line, traced as `last`. */
async function lensOf(text: string, last: Traced, language: 'python' | 'javascript' = 'python'): Promise<TracedLens> {
  const file = language === 'python' ? '/w/p.py' : '/w/p.js';
  const prepared = prepare({ file, language, text, cwd: '/w', tracerDir: '/t' });
  assert.strictEqual(prepared.sites.length, 1);
  const result: TraceResult = {
    version: 1,
    finished: true,
    stopped: null,
    interpreter: 'test',
    torch: null,
    error: null,
    sites: [{ id: 0, executions: 1, history: [last.value], historyStride: 1, last }],
  };
  const [lens] = await toLenses(prepared, result, { at: 1 });
  return lens;
}

function warnings(lens: Lens): string[] {
  return lens.problems.filter((p) => p.code === 'engine-check').map((p) => p.message);
}

describe('trace: the statement against its own text', () => {
  it('a `__rsub__` that adds: the wrong value, the operator named, the check and the gradcheck fail', async () => {
    const e = new Engine();
    const x = e.leaf(0.5, 'x');
    // `1 - x * 2` calls (x * 2).__rsub__(1), which returned `self + other`.
    const lens = await lensOf('x = Value(0.5)\nr = 1 - x * 2  # @grad\n', traced(x.mul(2).add(1), { x }));
    const check = lens.trace.engineCheck!;
    assert.strictEqual(check.status, 'disagrees');
    assert.strictEqual(check.statement?.expected, 0);
    assert.strictEqual(check.statement?.operator?.method, '__rsub__');
    assert.deepStrictEqual(
      check.statement?.gradients.map((g) => [g.name, g.user, g.expected, g.ok]),
      [['x', 2, -2, false]],
    );
    const [message] = warnings(lens);
    assert.match(message, /your engine computed `1 - x \* 2` = 2\.0000, but with x = 0\.5000 it is 0\.0000/);
    assert.match(message, /reverse subtraction \(`__rsub__`\)/);
    assert.strictEqual(lens.gradcheck?.ok, false);
  });

  it('a `__rtruediv__` the wrong way round', async () => {
    const e = new Engine();
    const x = e.leaf(4, 'x');
    // `2 / x` computed as x / 2.
    const lens = await lensOf('x = Value(4.0)\nq = 2 / x  # @grad\n', traced(x.mul(0.5), { x }));
    assert.strictEqual(lens.trace.engineCheck?.status, 'disagrees');
    assert.strictEqual(lens.trace.engineCheck?.statement?.operator?.method, '__rtruediv__');
    assert.match(
      warnings(lens)[0],
      /= 2\.0000, but with x = 4\.0000 it is 0\.5000: check the engine's reverse division/,
    );
  });

  it("a JavaScript `sub` that returns other − this: named by the user's own method", async () => {
    const e = new Engine();
    const a = e.leaf(3, 'a');
    const b = e.leaf(1, 'b');
    const text = 'const a = new Value(3);\nconst b = new Value(1);\nconst d = a.sub(b); // @grad\n';
    const lens = await lensOf(text, traced(b.add(a.neg()), { a, b }), 'javascript');
    const statement = lens.trace.engineCheck?.statement;
    assert.strictEqual(lens.trace.engineCheck?.status, 'disagrees');
    assert.deepStrictEqual(statement?.operator, {
      method: 'sub',
      what: 'subtraction',
      mistake: 'it subtracts the other way round (other − self)',
    });
  });

  it('a `__neg__` that returns self', async () => {
    const e = new Engine();
    const x = e.leaf(1.5, 'x');
    const lens = await lensOf('x = Value(1.5)\nn = -x * 3  # @grad\n', traced(x.mul(3), { x }));
    assert.strictEqual(lens.trace.engineCheck?.statement?.operator?.method, '__neg__');
  });

  it('a wrong `__rmul__` beside a right `__mul__`: the reflected one is named', async () => {
    const e = new Engine();
    const x = e.leaf(2.5, 'x');
    // `3 * x` added instead of multiplying; `x * 2` right.
    const lens = await lensOf('x = Value(2.5)\nm = 3 * x + x * 2  # @grad\n', traced(x.add(3).add(x.mul(2)), { x }));
    assert.strictEqual(lens.trace.engineCheck?.statement?.operator?.method, '__rmul__');
  });

  it('an op recorded as `+` that multiplies: `__add__` named beside the graph check', async () => {
    const graph: TracedGraph = {
      root: 0,
      nodes: [
        { id: 0, data: 6, grad: 1, op: '+', label: '', children: [1, 2], exponent: null },
        { id: 1, data: 2, grad: 1, op: '', label: 'a', children: [], exponent: null },
        { id: 2, data: 3, grad: 1, op: '', label: 'b', children: [], exponent: null },
      ],
    };
    const last: Traced = {
      kind: 'value',
      value: 6,
      note: null,
      variables: [
        { name: 'a', node: 1, leaf: true },
        { name: 'b', node: 2, leaf: true },
      ],
      graph,
    };
    const lens = await lensOf('a = Value(2.0)\nb = Value(3.0)\ns = a + b  # @grad\n', last);
    assert.strictEqual(lens.trace.engineCheck?.statement?.operator?.method, '__add__');
    assert.match(warnings(lens)[0], /it multiplies instead of adding/);
  });

  it('no single operator explains the value: the warning says so and names none', async () => {
    const e = new Engine();
    const x = e.leaf(0.5, 'x');
    const lens = await lensOf('x = Value(0.5)\nr = x * 2 + 1  # @grad\n', traced(x.mul(9), { x }));
    assert.strictEqual(lens.trace.engineCheck?.status, 'disagrees');
    assert.strictEqual(lens.trace.engineCheck?.statement?.operator, null);
    assert.match(warnings(lens)[0], /no single operator's known mistake gives your number/);
  });

  describe('stays quiet', () => {
    it('a right engine: the statement agrees, and so does the check', async () => {
      const e = new Engine();
      const x = e.leaf(0.5, 'x');
      const lens = await lensOf('x = Value(0.5)\nr = 1 - x * 2  # @grad\n', traced(x.mul(2).neg().add(1), { x }));
      assert.strictEqual(lens.trace.engineCheck?.status, 'agrees');
      assert.strictEqual(lens.trace.engineCheck?.statement?.status, 'agrees');
      assert.deepStrictEqual(warnings(lens), []);
    });

    it('plain numbers written out agree; a name holding a plain number (no traced node) skips the check', async () => {
      const e = new Engine();
      const x = e.leaf(0.5, 'x');
      const literal = await lensOf(
        'x = Value(0.5)\nz = x * 3 + 2 ** 2 - 1.5 / 3  # @grad\n',
        traced(x.mul(3).add(4).add(-0.5), { x }),
      );
      assert.strictEqual(literal.trace.engineCheck?.statement?.status, 'agrees');
      assert.deepStrictEqual(warnings(literal), []);
      const named = await lensOf('x = Value(0.5)\nh = 0.001\ny = x * h  # @grad\n', traced(x.mul(0.001), { x }));
      assert.strictEqual(named.trace.engineCheck?.statement, undefined);
      assert.deepStrictEqual(warnings(named), []);
    });

    it('the target read on the right (an accumulation in a loop) is the value before the statement: skipped', async () => {
      const e = new Engine();
      const s0 = e.leaf(1, 's');
      const x = e.leaf(2, 'x');
      const s = s0.add(x);
      // The tracer sees `s` bound to the new node, which the statement's `s` on the right is not.
      const lens = await lensOf('s = Value(1.0)\nx = Value(2.0)\ns = s + x  # @grad\n', traced(s, { x }));
      assert.strictEqual(lens.trace.engineCheck?.statement, undefined);
      assert.deepStrictEqual(warnings(lens), []);
    });

    it("a helper function of the program (`sigmoid(x)` imported) may have another formula than the core's: skipped", async () => {
      const e = new Engine();
      const x = e.leaf(-0.5, 'x');
      // A "steeper logistic": 1 / (1 + exp(-2x)).
      const steep = x.mul(-2).exp().add(1).pow(-1);
      const text = 'from myops import sigmoid\nx = Value(-0.5)\ni = sigmoid(x)  # @grad\n';
      const lens = await lensOf(text, traced(steep, { x }));
      assert.strictEqual(lens.trace.engineCheck?.statement, undefined);
      assert.deepStrictEqual(warnings(lens), []);
    });

    it("a JavaScript method given more operands than it takes (`x.add(2, x)`) is the engine's business: skipped", async () => {
      const e = new Engine();
      const x = e.leaf(1.5, 'x');
      const lens = await lensOf(
        'const x = new Value(1.5);\nconst y = x.add(2, x); // @grad\n',
        traced(x.add(2), { x }),
        'javascript',
      );
      assert.strictEqual(lens.trace.engineCheck?.statement, undefined);
    });

    it('a name that depends on another: only the independent one is compared, and it agrees', async () => {
      const e = new Engine();
      const u = e.leaf(1.2, 'u');
      const w = e.leaf(-0.4, 'w');
      const h = u.mul(w);
      const text = 'u = Value(1.2)\nw = Value(-0.4)\nh = u * w\ny = (h + u) * (h + w)  # @grad\n';
      const lens = await lensOf(text, traced(h.add(u).mul(h.add(w)), { u, w, h }));
      const statement = lens.trace.engineCheck?.statement;
      assert.strictEqual(statement?.status, 'agrees');
      assert.deepStrictEqual(
        statement?.gradients.map((g) => g.name),
        ['h'],
      );
      assert.deepStrictEqual(warnings(lens), []);
    });
  });
});
