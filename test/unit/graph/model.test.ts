import * as assert from 'assert';
import { planBackward } from '../../../src/graph/backwardSteps';
import { gradsAfter, receiversOf } from '../../../src/graph/backwardReplay';
import { formatNumber, formatSigned } from '../../../src/graph/format';
import { GraphModelError, indexGraph } from '../../../src/graph/graphIndex';
import { buildGraphView, REDUCED_VIEW_THRESHOLD } from '../../../src/graph/graphView';
import { hashString } from '../../../src/graph/hash';
import type { Graph } from '../../../src/core/types';
import { microgradNeuron, mlpGraph, reusedValue } from './fixtures';

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

function positionOfLabel(graph: Graph, label: string): number {
  const position = graph.nodes.findIndex((n) => n.label === label);
  assert.ok(position >= 0, `no node labelled ${label}`);
  return position;
}

describe('graph model: backward steps', () => {
  it('starts with every grad at 0 and the output at 1, as backward() does', () => {
    const view = buildGraphView(microgradNeuron());
    view.initialGrads.forEach((g, p) => assert.strictEqual(g, p === view.output ? 1 : 0));
  });

  it('walks the non-leaf nodes in reverse topological order, output first', () => {
    const graph = microgradNeuron();
    const view = buildGraphView(graph);
    const order = view.steps.map((s) => view.nodes[s.node].name);
    assert.deepStrictEqual(order.slice(0, 2), ['o', 'n']);
    assert.strictEqual(view.steps.length, graph.nodes.filter((n) => n.children.length > 0).length);
    const seen = new Set<number>();
    for (const step of view.steps) {
      // every parent of this node was processed before it
      for (const [p, node] of graph.nodes.entries()) {
        if (node.children.includes(graph.nodes[step.node].id))
          assert.ok(seen.has(p), `${node.label ?? p} before ${step.node}`);
      }
      seen.add(step.node);
    }
  });

  it('replays to the engine grads (micrograd neuron: x1 −1.5, w1 1.0, x2 0.5, w2 0.0)', () => {
    const graph = microgradNeuron();
    const view = buildGraphView(graph);
    const final = gradsAfter(view, view.steps.length);
    const expected: Record<string, number> = { x1: -1.5, w1: 1.0, x2: 0.5, w2: 0.0, b: 0.5, n: 0.5, o: 1 };
    for (const [label, grad] of Object.entries(expected))
      assert.ok(Math.abs(final[positionOfLabel(graph, label)] - grad) < 1e-6, label);
  });

  it('records the double contribution of a value used twice (a*a + a: 2·3 twice, then 1)', () => {
    const graph = reusedValue();
    const view = buildGraphView(graph);
    const a = positionOfLabel(graph, 'a');
    const toA = view.steps.flatMap((s) => s.contributions.filter((c) => c.child === a));
    assert.deepStrictEqual(toA.map((c) => c.amount).sort(), [1, 3, 3]);
    const square = view.steps.find((s) => view.nodes[s.node].op === '*');
    assert.ok(square);
    assert.deepStrictEqual(
      square.contributions.map((c) => [c.before, c.after]),
      [
        [1, 4],
        [4, 7],
      ],
    );
    assert.strictEqual(gradsAfter(view, view.steps.length)[a], 7);
    assert.deepStrictEqual(receiversOf(view, view.steps.indexOf(square)), [a]);
  });

  it('agrees with the engine on every node of an MLP', () => {
    const graph = mlpGraph(3, 6, 2);
    const plan = planBackward(indexGraph(graph), (p) => `v${p}`);
    graph.nodes.forEach((node, p) => close(plan.finalGrads[p], node.grad, `node ${node.id}`));
  });

  it('gradsAfter clamps the step count', () => {
    const view = buildGraphView(reusedValue());
    assert.deepStrictEqual(gradsAfter(view, -3), view.initialGrads);
    assert.deepStrictEqual(gradsAfter(view, 99), gradsAfter(view, view.steps.length));
  });
});

describe('graph model: edge labels', () => {
  it('spells out the chain rule for * (∂c/∂a = b = value × upstream = contribution)', () => {
    const graph = microgradNeuron();
    const view = buildGraphView(graph);
    const x1 = positionOfLabel(graph, 'x1');
    const edge = view.edges.find((e) => e.from === x1);
    assert.ok(edge);
    assert.strictEqual(edge.text, '∂x1w1/∂x1 = w1 = −3.0000 × 0.5000 = −1.5000');
    assert.strictEqual(edge.contribution, edge.local * graph.nodes[edge.to].grad, 'local × the grad reaching x1w1');
  });

  it('uses the seed table for tanh, +, **, exp, log, relu, /, - and neg', () => {
    const cases: Array<[string, number[], number, string]> = [
      ['tanh', [0.5], 0, '1 − c²'],
      ['+', [1, 2], 1, '1'],
      ['**3', [2], 0, '3·a^2'],
      ['exp', [1], 0, 'c'],
      ['log', [2], 0, '1/a'],
      ['relu', [-1], 0, '[a > 0]'],
      ['/', [6, 3], 1, '−a/b²'],
      ['-', [6, 3], 1, '−1'],
      ['neg', [6], 0, '−1'],
    ];
    for (const [op, inputs, operand, symbolic] of cases) {
      const out = {
        tanh: Math.tanh(0.5),
        '+': 3,
        '**3': 8,
        exp: Math.E,
        log: Math.log(2),
        relu: 0,
        '/': 2,
        '-': 3,
        neg: -6,
      }[op] as number;
      const nodes = inputs.map((data, i) => ({
        id: i,
        label: 'ab'[i],
        op: '',
        data,
        grad: 0,
        children: [],
        kind: 'leaf' as const,
      }));
      nodes.push({
        id: 9,
        label: 'c',
        op,
        data: out,
        grad: 1,
        children: inputs.map((_, i) => i) as never,
        kind: 'intermediate' as never,
      });
      const view = buildGraphView({ nodes, output: 9 });
      const edge = view.edges.find((e) => e.operand === operand);
      assert.ok(edge, op);
      assert.ok(edge.text.includes(`= ${symbolic}`), `${op}: ${edge.text}`);
    }
  });

  it('hostile input: tanh far from 0 and a division by a tiny number keep their digits', () => {
    const leaf = (id: number, label: string, data: number) => ({
      id,
      label,
      op: '',
      data,
      grad: 0,
      children: [] as number[],
      kind: 'leaf' as const,
    });
    // tanh at 19: 1 − c² is 2.2204e-16 (77% off); the edge shows sech²(19) = 1.2557e-16.
    const tanh = buildGraphView({
      nodes: [
        leaf(0, 'x', 19),
        { ...leaf(1, 'c', Math.tanh(19)), op: 'tanh', grad: 1, children: [0], kind: 'intermediate' as never },
      ],
      output: 1,
    });
    assert.strictEqual(tanh.edges[0].text, '∂c/∂x = 1 − c² = 1.2557e−16 × 1.0000 = 1.2557e−16');
    // a / b at b = 1e-170: −a/(b·b) underflowed to −Infinity and the graph refused the node.
    const nodes = [
      leaf(0, 'a', 1e-170),
      leaf(1, 'b', 1e-170),
      { ...leaf(2, 'c', 1), op: '/', grad: 1, children: [0, 1], kind: 'intermediate' as never },
    ];
    const div = buildGraphView({ nodes, output: 2 });
    assert.strictEqual(div.edges[1].local, -1e170);
    assert.strictEqual(div.edges[1].text, '∂c/∂b = −a/b² = −1.0000e+170 × 1.0000 = −1.0000e+170');
  });

  it('labels derivatives with numbers: tanh at n = 0.8814 has local 0.5000', () => {
    const view = buildGraphView(microgradNeuron());
    const tanhEdge = view.edges.find((e) => view.nodes[e.to].op === 'tanh');
    assert.ok(tanhEdge);
    assert.strictEqual(tanhEdge.text, '∂o/∂n = 1 − o² = 0.5000 × 1.0000 = 0.5000');
    const sumEdge = view.edges.find((e) => view.nodes[e.to].label === 'n' && view.nodes[e.from].label === 'b');
    assert.strictEqual(sumEdge?.text, '∂n/∂b = 1 × 0.5000 = 0.5000');
  });
});

describe('graph model: validation, formatting and hashing', () => {
  const leaf = (id: number) => ({
    id,
    label: 'x',
    op: '',
    data: 1,
    grad: 0,
    children: [] as number[],
    kind: 'leaf' as const,
  });

  it('rejects dangling children, cycles, unknown outputs, unknown ops and non-finite numbers', () => {
    const bad: Graph[] = [
      { nodes: [{ ...leaf(0), op: '+', children: [5] }], output: 0 },
      {
        nodes: [
          { ...leaf(0), op: 'neg', children: [1] },
          { ...leaf(1), op: 'neg', children: [0] },
        ],
        output: 0,
      },
      { nodes: [leaf(0)], output: 3 },
      { nodes: [leaf(0), { ...leaf(1), op: 'sinh', children: [0] }], output: 1 },
      { nodes: [{ ...leaf(0), data: NaN }], output: 0 },
      { nodes: [leaf(0), leaf(0)], output: 0 },
    ];
    for (const graph of bad) assert.throws(() => buildGraphView(graph), GraphModelError);
  });

  it('handles a 20,000-deep chain without recursion', () => {
    const nodes = [
      leaf(0),
      ...Array.from({ length: 20000 }, (_, i) => ({
        ...leaf(i + 1),
        label: null,
        op: 'neg',
        children: [i],
        kind: 'intermediate' as const,
      })),
    ];
    const view = buildGraphView({ nodes, output: 20000 });
    assert.strictEqual(view.steps.length, 20000);
    assert.strictEqual(gradsAfter(view, 20000)[0], 1); // (−1)^20000
  });

  it("formats with the core's formatter: 4 decimals, never −0, tiny numbers not hidden", () => {
    assert.strictEqual(formatNumber(0.88137), '0.8814');
    assert.strictEqual(formatNumber(-0.0), '0.0000');
    assert.strictEqual(formatNumber(-0.00001), '-1.0000e-5');
    assert.strictEqual(formatSigned(-1.5), '−1.5000');
    assert.strictEqual(
      formatSigned(-0.00001),
      '−1.0000e−5',
      "the same typographic minus as the lens, the exponent's too",
    );
    assert.strictEqual(formatNumber(2, 2), '2.00');
  });

  it('names constants by value and unnamed intermediates by id', () => {
    const view = buildGraphView(reusedValue());
    assert.ok(view.nodes.some((n) => n.label === null && /^v\d+$/.test(n.name)));
  });

  it('defaults to the reduced view above the threshold only', () => {
    assert.strictEqual(buildGraphView(microgradNeuron()).reducedByDefault, false);
    const big = mlpGraph(4, 20, 2);
    assert.ok(big.nodes.length > REDUCED_VIEW_THRESHOLD);
    assert.strictEqual(buildGraphView(big).reducedByDefault, true);
  });

  it('hashes deterministically and distinguishes small changes', () => {
    assert.strictEqual(hashString('digraph {a}'), hashString('digraph {a}'));
    assert.notStrictEqual(hashString('digraph {a}'), hashString('digraph {b}'));
    assert.match(hashString(''), /^[0-9a-f]{16}$/);
  });
});
