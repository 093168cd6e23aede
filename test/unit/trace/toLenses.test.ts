// A trace's result as lenses: the graph in the core's shape (children first, the engine's op
// symbols, operands micrograd's sets hid recovered), values that cannot be shown said so, and
// sites never reached marked for the editor's fallback.
import * as assert from 'assert';
import type { TraceResult, TracedSite } from '../../../src/trace/protocol';
import { prepare } from '../../../src/trace/sites';
import { toLenses } from '../../../src/trace/toLenses';
import { Engine, traced } from './userEngine';

const TEXT = ['a = Value(3.0)', 'b = Value(-2.0)', 'd = a * a + b  # @grad', 'n = 2.5  # @grad', ''].join('\n');
const prepared = prepare({ file: '/w/p.py', language: 'python', text: TEXT, cwd: '/w', tracerDir: '/t' });

function result(sites: TracedSite[]): TraceResult {
  return { version: 1, finished: true, stopped: null, interpreter: 'Python', torch: null, error: null, sites };
}

/** d = a * a + b as micrograd stores it: `_prev` a set, so `a * a` keeps `a` once; ReLU-style op names. */
const D: TracedSite = {
  id: 0,
  executions: 1,
  history: [7],
  historyStride: 1,
  last: {
    kind: 'value',
    value: 7,
    note: null,
    variables: [
      { name: 'b', node: 3, leaf: true },
      { name: 'a', node: 2, leaf: true },
    ],
    graph: {
      root: 0,
      nodes: [
        { id: 0, data: 7, grad: 1, op: '+', label: '', children: [1, 3], exponent: null },
        { id: 1, data: 9, grad: 1, op: '*', label: '', children: [2], exponent: null },
        { id: 2, data: 3, grad: 6, op: '', label: '', children: [], exponent: null },
        { id: 3, data: -2, grad: 1, op: '', label: '', children: [], exponent: null },
      ],
    },
  },
};

describe('trace: results as lenses', () => {
  it('a value with its graph: variables by name, the graph children first with both operands of a * a', async () => {
    const [d] = await toLenses(
      prepared,
      result([D, { id: 1, executions: 0, history: [], historyStride: 1, last: null }]),
      {
        at: 1,
      },
    );
    assert.strictEqual(d.value, 7);
    assert.deepStrictEqual(
      d.variables.map((v) => [v.name, v.value, v.grad, v.leaf]),
      [
        ['b', -2, 1, true],
        ['a', 3, 6, true],
      ],
    );
    assert.deepStrictEqual(
      d.variables[1].occurrences.map((r) => r.start.character),
      [4, 8],
    );
    assert.deepStrictEqual(
      d.graph!.nodes.map((n) => [n.id, n.label, n.op, n.data, n.children, n.kind]),
      [
        [0, 'a', '', 3, [], 'leaf'],
        [1, null, '*', 9, [0, 0], 'intermediate'],
        [2, 'b', '', -2, [], 'leaf'],
        [3, 'd', '+', 7, [1, 2], 'intermediate'],
      ],
    );
    assert.strictEqual(d.graph!.output, 3);
    assert.strictEqual(d.trace.engineCheck?.status, 'agrees');
    assert.match(d.trace.engineCheck!.reason!, /recovered/);
    assert.strictEqual(d.gradcheck?.ok, true);
    assert.deepStrictEqual(d.problems, []);
    assert.strictEqual(d.trace.at, 1);
  });

  it('operator numbers for the hover, matched to the source with certainty', async () => {
    const [d] = await toLenses(prepared, result([D]), { at: 1 });
    assert.deepStrictEqual(
      d.ops.map((o) => [o.symbol, o.range.start, o.inputs, o.output, o.grad]),
      [
        ['+', { line: 2, character: 10 }, [9, -2], 7, 1],
        ['*', { line: 2, character: 6 }, [3, 3], 9, 1],
      ],
    );
    assert.deepStrictEqual(d.ops[1].expressionRange, {
      start: { line: 2, character: 4 },
      end: { line: 2, character: 9 },
    });
  });

  it('no operator numbers where the operands cannot be told apart, or the engine built the op otherwise', async () => {
    const text = ['p = x * y  # @grad', 'q = x - y  # @grad', ''].join('\n');
    const two = prepare({ file: '/w/q.py', language: 'python', text, cwd: '/w', tracerDir: '/t' });
    const leaf = (id: number, data: number) => ({
      id,
      data,
      grad: 1,
      op: '',
      label: null,
      children: [],
      exponent: null,
    });
    // x and y are not among the variables: 2 * 3 could be either way round.
    const p: TracedSite = {
      id: 0,
      executions: 1,
      history: [6],
      historyStride: 1,
      last: {
        kind: 'value',
        value: 6,
        note: null,
        variables: [],
        graph: {
          root: 0,
          nodes: [
            { id: 0, data: 6, grad: 1, op: '*', label: null, children: [1, 2], exponent: null },
            leaf(1, 2),
            leaf(2, 3),
          ],
        },
      },
    };
    // micrograd's x - y: x + (y * -1).
    const q: TracedSite = {
      id: 1,
      executions: 1,
      history: [-1],
      historyStride: 1,
      last: {
        kind: 'value',
        value: -1,
        note: null,
        variables: [],
        graph: {
          root: 0,
          nodes: [
            { id: 0, data: -1, grad: 1, op: '+', label: null, children: [1, 2], exponent: null },
            leaf(1, 2),
            { id: 2, data: -3, grad: 1, op: '*', label: null, children: [3, 4], exponent: null },
            leaf(3, 3),
            leaf(4, -1),
          ],
        },
      },
    };
    const [pl, ql] = await toLenses(two, result([p, q]), { at: 1 });
    assert.deepStrictEqual(pl.ops, []);
    assert.deepStrictEqual(ql.ops, []);
    // Named, the operands are told apart.
    p.last!.variables = [
      { name: 'y', node: 1, leaf: true },
      { name: 'x', node: 2, leaf: true },
    ];
    const [named] = await toLenses(two, result([p]), { at: 1 });
    assert.deepStrictEqual(named.ops[0].inputs, [3, 2]);
  });

  it('a plain number: its value, no graph, no check', async () => {
    const [, n] = await toLenses(
      prepared,
      result([
        D,
        {
          id: 1,
          executions: 1,
          history: [2.5],
          historyStride: 1,
          last: { kind: 'number', value: 2.5, note: null, variables: [], graph: null },
        },
      ]),
      { at: 1 },
    );
    assert.strictEqual(n.value, 2.5);
    assert.strictEqual(n.graph, null);
    assert.strictEqual(n.trace.engineCheck, null);
  });

  it('a value it cannot show: an error saying why (value null), never a number', async () => {
    const [, n] = await toLenses(
      prepared,
      result([
        D,
        {
          id: 1,
          executions: 3,
          history: [null, null, null],
          historyStride: 1,
          last: { kind: 'unsupported', value: null, note: '`n` is a list', variables: [], graph: null },
        },
      ]),
      { at: 1 },
    );
    assert.strictEqual(n.value, null);
    assert.strictEqual(n.trace.reached, true);
    assert.deepStrictEqual(
      n.problems.map((p) => [p.code, p.severity]),
      [['trace-note', 'error']],
    );
    assert.match(n.problems[0].message, /`n` is a list/);
  });

  it('unreached sites: value null, reached false, an info problem that says why (timeout, error, neither)', async () => {
    for (const [end, words] of [
      [{ at: 1, stopped: 'timeout' as const }, /stopped by the timeout/],
      [{ at: 1, error: 'ValueError at line 2' }, /stopped first \(ValueError at line 2\)/],
      [{ at: 1 }, /never called, or a branch never taken/],
    ] as const) {
      const lenses = await toLenses(prepared, result([]), end);
      assert.strictEqual(lenses.length, 2);
      for (const lens of lenses) {
        assert.strictEqual(lens.trace.reached, false);
        assert.strictEqual(lens.value, null);
        assert.strictEqual(lens.problems[0].severity, 'info');
        assert.match(lens.problems[0].message, words);
      }
    }
  });

  it('a node without a finite value: no graph (said so), no check that pretends', async () => {
    const broken = JSON.parse(JSON.stringify(D)) as TracedSite;
    broken.last!.graph!.nodes[1].data = null;
    const [d] = await toLenses(prepared, result([broken]), { at: 1 });
    assert.strictEqual(d.graph, null);
    assert.strictEqual(d.trace.engineCheck?.status, 'skipped');
    assert.ok(d.problems.some((p) => /no graph/.test(p.message)));
  });

  it('an op whose inputs the tracer did not find: said at the lens, the check skipped with that reason, never ok', async () => {
    // d = tanh(…) from an engine that keeps its inputs in a field no port uses: a lone tanh node.
    const lone: TracedSite = {
      ...D,
      last: {
        kind: 'value',
        value: 0.5,
        note: null,
        variables: [],
        graph: { root: 0, nodes: [{ id: 0, data: 0.5, grad: 1, op: 'tanh', label: '', children: [], exponent: null }] },
      },
    };
    const [d] = await toLenses(prepared, result([lone]), { at: 1 });
    assert.strictEqual(d.value, 0.5);
    const said = /the inputs of this `tanh` node were not found \(fields tried: _prev, .*depends_on\)/;
    assert.ok(
      d.problems.some((p) => p.severity === 'warning' && said.test(p.message)),
      JSON.stringify(d.problems),
    );
    assert.strictEqual(d.trace.engineCheck?.status, 'skipped');
    assert.match(d.trace.engineCheck!.reason!, said);
    assert.strictEqual(d.gradcheck, null);
  });

  it('leaves no name refers to are shown by their own label, when only one leaf has it', async () => {
    // d = a * w + b * w2 + c: `a` is a name in scope; the others only have labels, `b` on two leaves.
    const labelled: TracedSite = {
      ...D,
      last: {
        kind: 'value',
        value: 1,
        note: null,
        variables: [{ name: 'a', node: 3, leaf: true }],
        graph: {
          root: 0,
          nodes: [
            { id: 0, data: 1, grad: 1, op: '+', label: '', children: [1, 2], exponent: null },
            { id: 1, data: 6, grad: 1, op: '*', label: '', children: [3, 4], exponent: null },
            { id: 2, data: -5, grad: 1, op: '+', label: '', children: [5, 6], exponent: null },
            { id: 3, data: 3, grad: 2, op: '', label: 'a', children: [], exponent: null },
            { id: 4, data: 2, grad: 3, op: '', label: 'w1', children: [], exponent: null },
            { id: 5, data: -2, grad: 1, op: '', label: 'b', children: [], exponent: null },
            { id: 6, data: -3, grad: 1, op: '', label: 'b', children: [], exponent: null },
          ],
        },
      },
    };
    const [d] = await toLenses(prepared, result([labelled]), { at: 1 });
    assert.deepStrictEqual(
      d.variables.map((v) => [v.name, v.value, v.grad, v.leaf]),
      [
        ['a', 3, 2, true],
        ['w1', 2, 3, true],
      ],
    );
    assert.deepStrictEqual(d.variables[1].occurrences, []);
  });

  it("an engine without backward(): the bundled engine's gradients on its graph, said to be Gradient Lens's, never checked as the engine's", async () => {
    const none = JSON.parse(JSON.stringify(D)) as TracedSite;
    for (const n of none.last!.graph!.nodes) n.grad = null;
    none.last!.note = 'the value has no backward() method: no gradients from your engine';
    none.last!.noBackward = true;
    const [d] = await toLenses(prepared, result([none]), { at: 1 });
    assert.strictEqual(d.value, 7);
    // d = a * a + b at a = 3: the true gradients 2a = 6 and 1.
    assert.deepStrictEqual(
      d.variables.map((v) => [v.name, v.grad]),
      [
        ['b', 1],
        ['a', 6],
      ],
    );
    assert.ok(
      d.problems.some((p) =>
        /computed by Gradient Lens on your graph \(your engine has no backward\(\)\)/.test(p.message),
      ),
    );
    assert.strictEqual(d.trace.engineCheck?.status, 'skipped');
    assert.match(d.trace.engineCheck!.reason!, /not your engine's/);
    assert.strictEqual(d.gradcheck, null);

    // An op the bundled engine does not know: no gradients at all, none made up.
    none.last!.graph!.nodes[1].op = 'softplus';
    const [u] = await toLenses(prepared, result([none]), { at: 1 });
    assert.deepStrictEqual(u.variables, []);
    assert.ok(!u.problems.some((p) => /computed by Gradient Lens/.test(p.message)));
    assert.ok(u.problems.some((p) => /no gradient could be read for/.test(p.message)));
  });

  it('an engine sigmoid and a `2 ** x` node: checked, and the graph shows them as the engine wrote them', async () => {
    const text = 'a = Value(0.5)\nb = Value(1.5)\ns = a.sigmoid() * 2 ** b  # @grad\n';
    const here = prepare({ file: '/w/s.py', language: 'python', text, cwd: '/w', tracerDir: '/t' });
    const e = new Engine();
    const a = e.leaf(0.5, 'a');
    const b = e.leaf(1.5, 'b');
    const last = traced(a.sigmoid().mul(b.rpow(2)), { a, b });
    const site: TracedSite = { id: 0, executions: 1, history: [last.value!], historyStride: 1, last };
    const [lens] = await toLenses(here, result([site]), { at: 1 });
    assert.strictEqual(lens.trace.engineCheck?.status, 'agrees', JSON.stringify(lens.trace.engineCheck));
    assert.strictEqual(lens.trace.engineCheck?.statement?.status, 'agrees');
    assert.strictEqual(lens.gradcheck?.ok, true);
    // The user's five nodes and the base 2 the check read: none of the nodes it added.
    assert.deepStrictEqual(
      lens.graph!.nodes.map((n) => [n.id, n.label, n.op, n.children, n.kind]),
      [
        [0, 'a', '', [], 'leaf'],
        [1, null, 'sigmoid', [0], 'intermediate'],
        [2, 'b', '', [], 'leaf'],
        [3, null, '', [], 'constant'],
        [4, null, 'rpow', [3, 2], 'intermediate'],
        [5, 's', '*', [1, 4], 'intermediate'],
      ],
    );
    assert.strictEqual(lens.graph!.nodes[3].data, 2);
    // The hover's numbers stop at the composites: their ops in the check are the added nodes'.
    assert.deepStrictEqual(
      lens.ops.map((o) => o.op),
      ['mul'],
    );
  });
});
