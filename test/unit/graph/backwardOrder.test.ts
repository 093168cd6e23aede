// The backward steps replay the engine's backward() exactly: the same node order (reverse creation
// order, which the core's Graph does not list: it lists a depth-first sort) and the same operand
// order, so the same partial sums. The oracle is the engine itself: lenses built by the core from
// random programs (assignments in document order, shared names, notebooks), whose graphs carry
// the engine's grads. Equal means ===, not close.
import * as assert from 'assert';
import fc from 'fast-check';
import { Value } from '../../../engine';
import { analyzeCells, analyzeText, type Graph, type Lens } from '../../../src/core';
import { planBackward } from '../../../src/graph/backwardSteps';
import { creationOrder } from '../../../src/graph/creationOrder';
import { GraphModelError, indexGraph } from '../../../src/graph/graphIndex';
import { buildGraphView } from '../../../src/graph/graphView';
import { graphViewProblem } from '../../../src/shared/protocol';
import { graphOf } from './fixtures';

type Tree =
  | { kind: 'name'; pick: number }
  | { kind: 'num'; value: number }
  | { kind: 'call'; fn: 'tanh' | 'relu' | 'exp' | 'log'; method: boolean; arg: Tree }
  | { kind: 'neg'; arg: Tree }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; method: boolean; left: Tree; right: Tree }
  | { kind: 'pow'; exponent: number; arg: Tree };

/**
 * Numbers with a full mantissa (2·sin n), so that sums round and their order shows; fc.double's
 * favourite edge values (0, ±2, tiny ones) add up exactly in any order.
 */
const number = fc.integer().map((n) => 2 * Math.sin(n));

const { tree } = fc.letrec<{ tree: Tree; leaf: Tree; node: Tree }>((tie) => ({
  leaf: fc.oneof(
    { weight: 4, arbitrary: fc.nat(50).map((pick): Tree => ({ kind: 'name', pick })) },
    {
      weight: 1,
      arbitrary: number.map((value): Tree => ({ kind: 'num', value })),
    },
  ),
  node: fc.oneof(
    { weight: 4, arbitrary: binary(tie) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('call' as const),
        fn: fc.constantFrom('tanh' as const, 'relu' as const, 'exp' as const, 'log' as const),
        method: fc.boolean(),
        arg: tie('tree'),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('neg' as const), arg: tie('tree') }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('pow' as const),
        exponent: fc.constantFrom(2, 3, -1, 0.5),
        arg: tie('tree'),
      }),
    },
  ),
  tree: fc.oneof({ depthSize: 'medium', maxDepth: 4 }, tie('leaf'), tie('node')),
}));

function binary(tie: (key: string) => fc.Arbitrary<unknown>): fc.Arbitrary<Tree> {
  return fc.record({
    kind: fc.constant('binary' as const),
    op: fc.constantFrom('+' as const, '-' as const, '*' as const, '*' as const, '/' as const),
    method: fc.boolean(),
    left: tie('tree') as fc.Arbitrary<Tree>,
    right: tie('tree') as fc.Arbitrary<Tree>,
  });
}

const METHODS = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' } as const;

/** Python source for a tree; `names` are the variables assigned or bound above it. */
function source(t: Tree, names: readonly string[]): string {
  switch (t.kind) {
    case 'name':
      return names[t.pick % names.length];
    case 'num':
      return `(${String(t.value)})`; // a negative number is a neg node of a constant
    case 'call':
      return t.method ? `(${source(t.arg, names)}).${t.fn}()` : `${t.fn}(${source(t.arg, names)})`;
    case 'neg':
      return `(-${source(t.arg, names)})`;
    case 'binary': {
      const [a, b] = [source(t.left, names), source(t.right, names)];
      return t.method ? `(${a}).${METHODS[t.op]}(${b})` : `(${a} ${t.op} ${b})`;
    }
    case 'pow':
      return `((${source(t.arg, names)}) ** ${t.exponent})`;
  }
}

/**
 * Three assigned leaves and one bound in the annotation, then assignments that use any name
 * above them (so values are shared, and an assignment may go unused by the next), then the lens.
 */
const program = fc
  .record({
    leaves: fc.array(number, { minLength: 4, maxLength: 4 }),
    assignments: fc.array(tree, { minLength: 1, maxLength: 6 }),
    lens: tree,
  })
  .map(({ leaves, assignments, lens }) => {
    const names = ['a', 'b', 'c', 'k'];
    const lines = leaves.slice(0, 3).map((x, i) => `${names[i]} = ${String(x)}`);
    assignments.forEach((t, i) => {
      lines.push(`s${i} = ${source(t, names)}`);
      names.push(`s${i}`);
    });
    lines.push(`out = ${source(lens, names)}  # @grad k=${String(leaves[3])}`);
    return lines;
  });

const NO_GRADCHECK = { gradcheck: { enabled: false } };

/** Lenses with a graph, checked; returns how many. */
function checkReplay(lenses: readonly Lens[], text: string): number {
  let checked = 0;
  for (const lens of lenses) {
    if (!lens.graph) continue;
    checked++;
    const plan = planBackward(indexGraph(lens.graph), (p) => `v${p}`);
    lens.graph.nodes.forEach((node, p) => {
      if (plan.finalGrads[p] !== node.grad)
        assert.fail(`node ${node.id} ('${node.op}'): replay ${plan.finalGrads[p]}, engine ${node.grad}\n${text}`);
    });
    assert.strictEqual(graphViewProblem(buildGraphView(lens.graph)), undefined, text);
  }
  return checked;
}

describe('graph model: the backward steps replay the engine exactly', () => {
  it('gives bit-identical grads for random programs (assignments, shared names, a binding)', () => {
    let lenses = 0;
    let runs = 0;
    fc.assert(
      fc.property(program, (lines) => {
        const text = lines.join('\n') + '\n';
        runs++;
        lenses += checkReplay(analyzeText(text, NO_GRADCHECK), text);
      }),
      { numRuns: 400 },
    );
    // Domain errors (log of a negative, …) leave a lens without a graph; most must have one.
    assert.ok(lenses > runs / 2, `only ${lenses} of ${runs} programs had a graph`);
  });

  it('gives bit-identical grads in a notebook, whose ranges in other cells carry the cell', () => {
    let lenses = 0;
    fc.assert(
      fc.property(program, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (lines, cuts) => {
        const cells: string[][] = [[]];
        lines.forEach((line, i) => {
          cells[cells.length - 1].push(line);
          if (cuts[i] && i < lines.length - 1) cells.push([]);
        });
        const texts = cells.map((cell) => cell.join('\n'));
        lenses += checkReplay(analyzeCells(texts, NO_GRADCHECK).flat(), JSON.stringify(texts));
      }),
      { numRuns: 200 },
    );
    assert.ok(lenses > 100, `only ${lenses} lenses had a graph`);
  });

  it('sums where the engine sums: no overflow the engine did not have (1e308 + 1e308 − 1e308)', () => {
    // x reaches z through t, u and w, created in that order; the engine processes w, u, t and sums
    // −1e308 + 1e308 + 1e308 = 1e308. The Graph lists w, u, t (a depth-first walk from z = (w + u) + t),
    // so its reverse order would sum 1e308 + 1e308 first: Infinity, which the webview refuses.
    const text = 'x = 1.0\nt = x * 1e308\nu = x * 1e308\nw = x * -1e308\nz = w + u + t  # @grad\n';
    const [lens] = analyzeText(text);
    assert.ok(lens.graph, lens.problems[0]?.message);
    const graph: Graph = lens.graph;
    const at = (label: string): number => graph.nodes.findIndex((n) => n.label === label);
    assert.ok(at('w') < at('u') && at('u') < at('t'), "the graph's own order is not creation order");
    assert.strictEqual(graph.nodes[at('x')].grad, 1e308);

    const view = buildGraphView(graph);
    assert.strictEqual(graphViewProblem(view), undefined);
    const toX = view.steps.flatMap((s) => s.contributions.filter((c) => c.child === at('x')));
    assert.deepStrictEqual(
      toX.map((c) => [c.amount, c.before, c.after]),
      [
        [-1e308, 0, -1e308],
        [1e308, -1e308, 0],
        [1e308, 0, 1e308],
      ],
    );
    const order = view.steps.map((s) => view.nodes[s.node].label).filter((l) => l !== null);
    assert.deepStrictEqual(order, ['z', 'w', 'u', 't']);
  });

  it('orders assignments by the document, not by where the lens uses them', () => {
    const text = 'x = 2.0\np = x * 3.0\nq = tanh(x)\nr = x * x\nout = r + q + p  # @grad\n';
    const [lens] = analyzeText(text);
    assert.ok(lens.graph);
    const index = indexGraph(lens.graph);
    const named = creationOrder(index)
      .map((p) => index.nodes[p].label)
      .filter((l) => l !== null);
    assert.deepStrictEqual(named, ['x', 'p', 'q', 'r', 'out']);
  });

  it('refuses, rather than shows, a sum that overflows where the order is unknown (no ranges)', () => {
    // Built with the engine directly: no source ranges, so the graph's own (depth-first) order is
    // used, and it overflows where the engine's did not. A GraphModelError, never an Infinity.
    const x = new Value(1, 'x');
    const t = x.mul(1e308);
    const u = x.mul(1e308);
    const w = x.mul(-1e308);
    const z = w.add(u).add(t);
    z.backward();
    assert.strictEqual(x.grad, 1e308);
    assert.throws(() => buildGraphView(graphOf(z)), GraphModelError);
  });
});
