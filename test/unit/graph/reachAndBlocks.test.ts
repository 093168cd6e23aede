import * as assert from 'assert';
import { Value } from '../../../engine';
import { toDot, valueNodeId } from '../../../src/graph/dot';
import { buildGraphView } from '../../../src/graph/graphView';
import { LAYOUT_FORMAT, parseLayout } from '../../../src/graph/layout';
import { fedBy, feeding, searchByName } from '../../../src/graph/reach';
import { findRepeatedBlocks } from '../../../src/graph/repeatedBlocks';
import { shownGraph } from '../../../src/graph/shownGraph';
import type { GraphView } from '../../../src/shared/graphView';
import { graphOf, microgradNeuron, mlpGraph } from './fixtures';

const importEsm = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<typeof import('@hpcc-js/wasm-graphviz')>;

const names = (view: GraphView, keep: readonly boolean[]): string[] =>
  view.nodes.filter((_, p) => keep[p]).map((n) => n.name);
const at = (view: GraphView, name: string): number => view.nodes.findIndex((n) => n.name === name);

/** Two neurons of one layer, written out, summed: o = tanh(x1·a1 + x2·a2 + c1) + tanh(x1·b1 + x2·b2 + c2). */
function twoNeurons(): GraphView {
  const x1 = new Value(2, 'x1');
  const x2 = new Value(-1, 'x2');
  const neuron = (tag: string, w1: number, w2: number, bias: number): Value => {
    const n = x1
      .mul(new Value(w1, `${tag}1`))
      .add(x2.mul(new Value(w2, `${tag}2`)))
      .add(new Value(bias, `c${tag}`))
      .tanh();
    n.label = `h${tag}`;
    return n;
  };
  const o = neuron('a', 0.5, -0.3, 0.1).add(neuron('b', -0.2, 0.8, 0.4));
  o.label = 'o';
  o.backward();
  return buildGraphView(graphOf(o));
}

describe('graph search, "what feeds it", "what it feeds"', () => {
  const view = buildGraphView(microgradNeuron());

  it('finds values by name, exact names first, ignoring case', () => {
    assert.deepStrictEqual(
      searchByName(view, 'X1').map((p) => view.nodes[p].name),
      ['x1', 'x1w1'],
    );
    assert.deepStrictEqual(searchByName(view, '  '), []);
    assert.deepStrictEqual(searchByName(view, 'zzz'), []);
  });

  it('what feeds a value: itself and everything it is computed from', () => {
    assert.deepStrictEqual(names(view, feeding(view, at(view, 'x1w1'))).sort(), ['w1', 'x1', 'x1w1']);
    assert.strictEqual(names(view, feeding(view, view.output)).length, view.nodes.length);
  });

  it('what a value feeds: itself and everything computed from it, up to the output', () => {
    const fed = names(view, fedBy(view, at(view, 'w1')));
    assert.ok(
      ['w1', 'x1w1', 'n', 'o'].every((name) => fed.includes(name)),
      fed.join(),
    );
    assert.ok(!fed.includes('x1') && !fed.includes('b'));
  });
});

describe('repeated blocks (one neuron of a layer)', () => {
  it('finds the two neurons of a layer as alike blocks, without the shared inputs', () => {
    const view = twoNeurons();
    const { blocks, incomplete } = findRepeatedBlocks(view);
    assert.strictEqual(incomplete, false);
    assert.deepStrictEqual(blocks.map((b) => view.nodes[b.root].name).sort(), ['ha', 'hb']);
    assert.strictEqual(blocks[0].kind, blocks[1].kind);
    assert.strictEqual(blocks[0].alike, 2);
    const inside = blocks.find((b) => view.nodes[b.root].name === 'ha')?.members.map((p) => view.nodes[p].name) ?? [];
    for (const name of ['a1', 'a2', 'ca', 'ha']) assert.ok(inside.includes(name), `${name} in ${inside.join()}`);
    for (const name of ['x1', 'x2', 'o', 'hb', 'b1']) assert.ok(!inside.includes(name), `${name} not in the block`);
  });

  it("folds a tanh MLP's hidden layers: each layer's neurons alike, blocks apart", () => {
    const view = buildGraphView(mlpGraph(3, 4, 2));
    const { blocks } = findRepeatedBlocks(view);
    const kinds = new Set(blocks.map((b) => b.kind));
    assert.strictEqual(blocks.length, 8, 'four neurons in each of two layers');
    assert.strictEqual(kinds.size, 2);
    assert.ok(blocks.every((b) => b.alike === 4));
    // The first layer's neurons feed every neuron of the next: each block ends at its tanh. The
    // second layer's feed one output neuron each, through one product: the block takes it in.
    const roots = blocks.map((b) => view.nodes[b.root].op).sort();
    assert.deepStrictEqual(roots, ['*', '*', '*', '*', 'tanh', 'tanh', 'tanh', 'tanh']);
    const all = blocks.flatMap((b) => b.members);
    assert.strictEqual(new Set(all).size, all.length, 'blocks do not overlap');
  });

  it('finds nothing to fold in a graph without repeats, or a long chain', () => {
    assert.deepStrictEqual(findRepeatedBlocks(buildGraphView(microgradNeuron())).blocks, []);
    let x = new Value(0.1, 'x');
    for (let i = 0; i < 3000; i++) x = x.mul(1.0001).add(0.001);
    x.backward();
    assert.deepStrictEqual(findRepeatedBlocks(buildGraphView(graphOf(x))).blocks.length, 0);
  });
});

describe('the narrowed picture (filter, folded blocks) as DOT', () => {
  it('draws only what feeds a value, in the draw_dot look', () => {
    const view = buildGraphView(microgradNeuron());
    const x1w1 = at(view, 'x1w1');
    const shown = shownGraph(view, feeding(view, x1w1), []);
    assert.strictEqual(shown.standsFor, 3);
    const dot = toDot(view, { reduced: false, rankdir: 'TB', shown });
    assert.match(dot, /rankdir=TB;/);
    assert.ok(dot.includes(`${valueNodeId(at(view, 'x1'))} [label="{ x1 | data 2.0000 | grad -1.5000 }"`), dot);
    assert.ok(!dot.includes(`${valueNodeId(view.output)} [`), 'the output is not drawn');
  });

  it('folds each block into one dashed record that its inputs point at, and lays it out', async () => {
    const view = twoNeurons();
    const { blocks } = findRepeatedBlocks(view);
    const shown = shownGraph(view, undefined, blocks);
    assert.strictEqual(shown.standsFor, view.nodes.length);
    const drawn = shown.drawn.filter(Boolean).length;
    assert.strictEqual(drawn, view.nodes.length - blocks.reduce((sum, b) => sum + b.members.length - 1, 0));
    const dot = toDot(view, { reduced: false, shown });
    const ha = at(view, 'ha');
    const size = blocks.find((b) => b.root === ha)?.members.length;
    assert.ok(dot.includes(`${valueNodeId(ha)} [label="{ \u229e ${size} values | ha |`), dot);
    assert.ok(dot.includes(`${valueNodeId(at(view, 'x1'))} -> ${valueNodeId(ha)};`), dot);
    assert.ok(!dot.includes(`${valueNodeId(at(view, 'a1'))} [`), 'a member is not drawn');
    const { Graphviz } = await importEsm('@hpcc-js/wasm-graphviz');
    const layout = parseLayout((await Graphviz.load()).layout(dot, LAYOUT_FORMAT, 'dot'));
    assert.strictEqual(layout.nodes.find((b) => b.name === valueNodeId(ha))?.fields?.length, 4);
  });

  it('never folds away the value a filter is about', () => {
    const view = twoNeurons();
    const { blocks } = findRepeatedBlocks(view);
    const a1 = at(view, 'a1');
    const shown = shownGraph(view, fedBy(view, a1), blocks, a1);
    assert.ok(shown.drawn[a1]);
    assert.ok(!shown.folded.has(at(view, 'ha')), "a1's block stays open");
  });
});
