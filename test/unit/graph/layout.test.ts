import * as assert from 'assert';
import { opNodeId, toDot, valueNodeId } from '../../../src/graph/dot';
import { buildGraphView } from '../../../src/graph/graphView';
import { LAYOUT_FORMAT, parseLayout } from '../../../src/graph/layout';
import { microgradNeuron, mlpGraph } from './fixtures';

/** The Graphviz package is ESM only; tsc's CommonJS output would turn import() into require(). */
const importEsm = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<typeof import('@hpcc-js/wasm-graphviz')>;

describe('graph layout input (DOT, micrograd draw_dot look)', () => {
  const graph = microgradNeuron();
  const view = buildGraphView(graph);
  const x1 = graph.nodes.findIndex((n) => n.label === 'x1');
  const product = graph.nodes.findIndex((n) => n.label === 'x1w1');

  it('draws each value as a record `label | data | grad`, left to right', () => {
    const dot = toDot(view, { reduced: false });
    assert.match(dot, /rankdir=LR;/);
    assert.ok(
      dot.includes(`${valueNodeId(x1)} [label="{ x1 | data 2.0000 | grad -1.5000 }", shape=record, style=bold];`),
      dot,
    );
  });

  it('puts an op node between the operands and the output', () => {
    const dot = toDot(view, { reduced: false });
    assert.ok(dot.includes(`${opNodeId(product)} [label="*"];`));
    assert.ok(dot.includes(`${valueNodeId(x1)} -> ${opNodeId(product)};`));
    assert.ok(dot.includes(`${opNodeId(product)} -> ${valueNodeId(product)};`));
  });

  it('folds ops into their outputs in the reduced view', () => {
    const dot = toDot(view, { reduced: true });
    assert.ok(!dot.includes(`${opNodeId(product)} `));
    assert.ok(dot.includes(`${valueNodeId(x1)} -> ${valueNodeId(product)};`));
    assert.ok(dot.includes(`${valueNodeId(product)} [label="{ * | x1w1 |`));
  });

  it('prints the grads it is given (a step of the backward pass)', () => {
    const zeros = view.nodes.map(() => 0);
    assert.ok(toDot(view, { reduced: false, grads: zeros }).includes('{ x1 | data 2.0000 | grad 0.0000 }'));
  });

  it('escapes record syntax and quotes in labels', () => {
    const tricky = buildGraphView({
      nodes: [{ id: 0, label: 'a{|}"<b>\\', op: '', data: 1, grad: 1, children: [], kind: 'leaf' }],
      output: 0,
    });
    assert.ok(toDot(tricky, { reduced: false }).includes('label="{ a\\{\\|\\}\\"\\<b\\>\\\\ |'));
  });

  it('is accepted by Graphviz, and parseLayout reads boxes, record fields and splines', async () => {
    const { Graphviz } = await importEsm('@hpcc-js/wasm-graphviz');
    const graphviz = await Graphviz.load();
    const tricky = buildGraphView({
      nodes: [{ id: 0, label: 'a{|}"<b>\\', op: '', data: 1, grad: 1, children: [], kind: 'leaf' }],
      output: 0,
    });
    assert.strictEqual(
      parseLayout(graphviz.layout(toDot(tricky, { reduced: false }), LAYOUT_FORMAT, 'dot')).nodes[0].fields?.length,
      3,
    );
    const layout = parseLayout(graphviz.layout(toDot(view, { reduced: false }), LAYOUT_FORMAT, 'dot'));
    const opCount = graph.nodes.filter((n) => n.op !== '').length;
    assert.strictEqual(layout.nodes.length, graph.nodes.length + opCount);
    const box = layout.nodes.find((n) => n.name === valueNodeId(x1));
    assert.ok(box && box.fields && box.fields.length === 3);
    assert.ok(box.fields[0][2] <= box.fields[1][0] + 0.01, 'fields left to right');
    assert.ok(
      box.x >= -0.01 &&
        box.y >= -0.01 &&
        box.x + box.width <= layout.width + 0.01 &&
        box.y + box.height <= layout.height + 0.01,
    );
    const edge = layout.edges.find((e) => e.tail === valueNodeId(x1));
    assert.ok(edge && edge.points.length >= 4 && (edge.points.length - 1) % 3 === 0 && edge.arrowTip);
    // left to right: the op node sits right of its operand
    const op = layout.nodes.find((n) => n.name === opNodeId(product));
    assert.ok(op && op.x > box.x + box.width);
  });

  it('lays out a 1,000-value MLP graph (fast settings) into one box per DOT node', async () => {
    const { Graphviz } = await importEsm('@hpcc-js/wasm-graphviz');
    const graphviz = await Graphviz.load();
    const big = buildGraphView(mlpGraph(4, 14, 2));
    const dot = toDot(big, { reduced: false });
    assert.match(dot, /nslimit=0/);
    const layout = parseLayout(graphviz.layout(dot, LAYOUT_FORMAT, 'dot'));
    assert.strictEqual(layout.nodes.length, big.nodes.length + big.nodes.filter((n) => n.op !== '').length);
    assert.strictEqual(layout.edges.length, big.edges.length + big.nodes.filter((n) => n.op !== '').length);
  });
});
