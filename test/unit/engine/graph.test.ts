// Graph exports: topoSort order, the JSON description, and micrograd-style DOT.
import * as assert from 'assert';
import { graphToDot, toDot, toGraph, topoSort, Value, type GraphJSONNode } from '../../../engine';

/** micrograd's draw_dot example: a neuron n = x1*w1 + x2*w2 + b, o = tanh(n). */
function neuron(): Value {
  const x1 = new Value(2.0, 'x1');
  const x2 = new Value(0.0, 'x2');
  const w1 = new Value(-3.0, 'w1');
  const w2 = new Value(1.0, 'w2');
  const b = new Value(6.8813735870195432, 'b');
  const x1w1 = x1.mul(w1);
  x1w1.label = 'x1*w1';
  const x2w2 = x2.mul(w2);
  x2w2.label = 'x2*w2';
  const n = x1w1.add(x2w2).add(b);
  n.label = 'n';
  const o = n.tanh();
  o.label = 'o';
  return o;
}

describe('engine graph export', () => {
  it('topoSort puts children before parents, operands in order, the root last, each node once', () => {
    const a = new Value(1, 'a');
    const b = new Value(2, 'b');
    const c = a.mul(b);
    const d = c.add(a);
    const order = topoSort(d);
    assert.deepStrictEqual(order, [a, b, c, d]);
    const e = a.mul(a);
    assert.deepStrictEqual(topoSort(e), [a, e]);
  });

  it('topoSort handles a 100,000-node chain iteratively', () => {
    const x = new Value(0.1, 'x');
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.tanh();
    const order = topoSort(y);
    assert.strictEqual(order.length, 100_001);
    assert.strictEqual(order[0], x);
    assert.strictEqual(order[order.length - 1], y);
  });

  it('toGraph lists nodes in topological order with ids, labels, ops, data, grads and children', () => {
    const o = neuron();
    o.backward();
    const graph = toGraph(o);
    assert.strictEqual(graph.output, graph.nodes.length - 1);
    assert.deepStrictEqual(
      graph.nodes.map((n) => n.id),
      graph.nodes.map((_, i) => i),
    );
    const byLabel = new Map(graph.nodes.map((n) => [n.label, n]));
    const out = byLabel.get('o');
    assert.ok(out !== undefined);
    assert.strictEqual(out.op, 'tanh');
    assert.strictEqual(out.data.toFixed(4), '0.7071');
    assert.strictEqual(out.grad, 1);
    assert.strictEqual(byLabel.get('x1')?.grad.toFixed(4), '-1.5000');
    assert.strictEqual(byLabel.get('w1')?.grad.toFixed(4), '1.0000');
    assert.strictEqual(byLabel.get('x2')?.grad.toFixed(4), '0.5000');
    assert.strictEqual(byLabel.get('w2')?.grad.toFixed(4), '0.0000');
    for (const node of graph.nodes) {
      for (const child of node.children) assert.ok(child < node.id, `child ${child} of ${node.id} comes first`);
    }
    const x1w1 = byLabel.get('x1*w1');
    assert.deepStrictEqual(
      x1w1?.children.map((id) => graph.nodes[id].label),
      ['x1', 'w1'],
    );
    const unnamed = graph.nodes.find((n) => n.op === '+' && n.label === null);
    assert.ok(unnamed, 'an unnamed intermediate has label null');
    assert.deepStrictEqual(JSON.parse(JSON.stringify(graph)), graph, 'plain JSON');
  });

  it('toGraph keeps a reused node once, with both edges', () => {
    const x = new Value(3, 'x');
    const graph = toGraph(x.mul(x));
    assert.strictEqual(graph.nodes.length, 2);
    assert.deepStrictEqual(graph.nodes[1].children, [0, 0]);
    assert.strictEqual(graph.nodes[1].op, '*');
  });

  it("toDot follows micrograd's draw_dot: record nodes with 4 decimals, op nodes, edges", () => {
    const o = neuron();
    o.backward();
    const dot = toDot(o);
    assert.match(dot, /^digraph \{\n {2}rankdir=LR;\n/);
    assert.match(dot, /\}\n$/);
    const order = topoSort(o);
    const id = (v: Value) => `n${order.indexOf(v)}`;
    const x1 = order.find((v) => v.label === 'x1') as Value;
    assert.ok(dot.includes(`${id(x1)} [label="{ x1 | data 2.0000 | grad -1.5000 }", shape=record, style=bold];`), dot);
    assert.ok(dot.includes(`${id(o)} [label="{ o | data 0.7071 | grad 1.0000 }", shape=record];`));
    assert.ok(dot.includes(`${id(o)}op [label="tanh"];`));
    assert.ok(dot.includes(`${id(o)}op -> ${id(o)};`));
    const n = o.children[0];
    assert.ok(dot.includes(`${id(n)} -> ${id(o)}op;`));
    const records = dot.match(/shape=record/g) ?? [];
    const opNodes = dot.match(/^ {2}n\d+op \[label=/gm) ?? [];
    assert.strictEqual(records.length, order.length);
    assert.strictEqual(opNodes.length, order.filter((v) => v.op !== '').length);
    const edges = dot.match(/->/g) ?? [];
    const expectedEdges = order.reduce((sum, v) => sum + (v.op === '' ? 0 : 1 + v.children.length), 0);
    assert.strictEqual(edges.length, expectedEdges);
  });

  it('toDot escapes record syntax, quotes and backslashes in labels', () => {
    const a = new Value(1, 'a|b {c} <d> "e" \\f\nnext');
    const dot = toDot(a.pow(2));
    assert.ok(dot.includes('label="{ a\\|b \\{c\\} \\<d\\> \\"e\\" \\\\f next | data 1.0000 | grad 0.0000 }"'), dot);
    assert.ok(dot.includes('[label="**2"]'));
  });

  it('toDot takes a precision and a rank direction, and rejects bad ones', () => {
    const a = new Value(1 / 3, 'a');
    const dot = toDot(a.neg(), { precision: 2, rankdir: 'TB' });
    assert.ok(dot.includes('rankdir=TB;'));
    assert.ok(dot.includes('{ a | data 0.33 | grad 0.00 }'));
    assert.throws(() => toDot(a, { precision: -1 }), RangeError);
    assert.throws(() => toDot(a, { rankdir: 'RL' as 'LR' }), RangeError);
  });

  it('graphToDot refuses node ids that are not integers and children that are not nodes', () => {
    const node = (id: unknown, children: unknown[] = [], op = '') =>
      ({ id, label: null, op, data: 1, grad: 0, children }) as unknown as GraphJSONNode;
    for (const id of ['0"; evil [label="x', 1.5, NaN, null]) {
      assert.throws(() => graphToDot({ nodes: [node(id)] }), TypeError, String(id));
    }
    assert.throws(() => graphToDot({ nodes: [node(0), node(0)] }), RangeError, 'a duplicate id');
    assert.throws(() => graphToDot({ nodes: [node(0), node(1, [7], '+')] }), RangeError, 'an unknown child');
    assert.throws(
      () => graphToDot({ nodes: [node(0), node(1, ['0'], '+')] }),
      RangeError,
      'a child id that is a string',
    );
  });

  it("graphToDot escapes a caller's op text and labels, so they cannot add DOT statements", () => {
    const nodes: GraphJSONNode[] = [
      { id: 0, label: 'a', op: '', data: 1, grad: 0, children: [] },
      { id: 1, label: 'b"]; evil [label="x', op: '*"]; injected [shape=box', data: 1, grad: 0, children: [0] },
    ];
    const dot = graphToDot({ nodes });
    assert.ok(dot.includes('n1op [label="*\\"]; injected [shape=box"];'), dot);
    assert.ok(!/^\s*(evil|injected) \[/m.test(dot), dot);
    assert.ok(dot.includes('{ b\\"]; evil [label=\\"x | data'), dot);
    assert.throws(() => graphToDot({ nodes: [{ ...nodes[0], op: 5 as unknown as string }] }), TypeError);
    assert.throws(() => graphToDot({ nodes: [{ ...nodes[0], label: 5 as unknown as string }] }), TypeError);
  });

  it('renders control characters in labels, ops and the title visibly as \\uXXXX text', () => {
    const names = ['nul\u0000', 'soh\u0001', 'esc\u001b[2J', 'tab\there', 'del\u007f', 'csi\u009b', 'bidi\u202e\u2066'];
    const nodes: GraphJSONNode[] = names.map((label, id) => ({ id, label, op: '', data: 1, grad: 0, children: [] }));
    nodes.push({ id: names.length, label: null, op: 'op\u0001', data: 1, grad: 0, children: [0] });
    const dot = graphToDot({ nodes }, { title: 'title\u0007' });
    assert.doesNotMatch(
      dot.replace(/\n/g, ''),
      /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/,
      JSON.stringify(dot),
    );
    for (const text of [
      'nul\\\\u0000',
      'soh\\\\u0001',
      'esc\\\\u001b[2J',
      'tab\\\\u0009here',
      'del\\\\u007f',
      'csi\\\\u009b',
      'bidi\\\\u202e\\\\u2066',
      'op\\\\u0001',
      'title\\\\u0007',
    ]) {
      assert.ok(dot.includes(text), `${text} in ${dot}`);
    }
  });

  it('a graph with control characters in its labels lays out, and its layout is valid JSON', async () => {
    const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
    const graphviz = await Graphviz.load();
    const every = Array.from({ length: 0x20 }, (_, k) => String.fromCharCode(k)).join('') + '\u007f\u0085\u009f';
    const a = new Value(1, `a${every}b`);
    const y = a.mul(2);
    y.label = '\u0000';
    const dot = graphToDot(toGraph(y), { title: `t${every}` });
    assert.match(graphviz.dot(dot), /<svg/);
    const layout = JSON.parse(graphviz.layout(dot, 'json0' as 'json', 'dot')) as { objects: { name: string }[] };
    assert.strictEqual(layout.objects.length, 4);
  });

  it('a DOT graph parses in Graphviz', async () => {
    const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
    const graphviz = await Graphviz.load();
    const o = neuron();
    o.backward();
    const svg = graphviz.dot(toDot(o));
    assert.match(svg, /<svg/);
    assert.ok(svg.includes('x1'));
    const weird = graphviz.dot(toDot(new Value(1, 'a|b {c} <d> "e" \\f').exp()));
    assert.match(weird, /<svg/);
  });
});
