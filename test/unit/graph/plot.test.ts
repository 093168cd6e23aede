import * as assert from 'assert';
import { Value } from '../../../engine';
import { buildGraphView } from '../../../src/graph/graphView';
import { evaluatorFor, finiteDifferences, niceTicks, plotAgainst, type Plot } from '../../../src/graph/plot';
import { graphOf, microgradNeuron } from './fixtures';

const isPlot = (p: ReturnType<typeof plotAgainst>): p is Plot => !('problem' in p);

describe('"Plot against x": the output as a function of one leaf, re-evaluated on the engine', () => {
  const view = buildGraphView(microgradNeuron());
  const x1 = view.nodes.findIndex((n) => n.name === 'x1');

  it("passes through the lens's value, with the gradient as the tangent's slope", () => {
    const plot = plotAgainst(view, x1);
    assert.ok(isPlot(plot), JSON.stringify(plot));
    assert.strictEqual(plot.x0, 2);
    assert.strictEqual(plot.y0, view.nodes[view.output].data);
    assert.strictEqual(plot.slope, view.nodes[x1].grad, 'the backward pass gives the slope');
    assert.ok(Math.abs(plot.slope + 1.5) < 1e-12);
    assert.strictEqual(plot.xs[(plot.xs.length - 1) / 2], 2);
    assert.strictEqual(plot.ys[(plot.ys.length - 1) / 2], plot.y0);
    assert.strictEqual(plot.xs[0], 0);
    assert.strictEqual(plot.xs[plot.xs.length - 1], 4);
  });

  it('gives at every x what the engine computes for the same expression written out', () => {
    const plot = plotAgainst(view, x1) as Plot;
    plot.xs.forEach((x, i) => {
      const n = new Value(x).mul(-3).add(new Value(0).mul(1)).add(6.8813735870195432);
      assert.strictEqual(plot.ys[i], n.tanh().data, `at x1 = ${x}`);
    });
  });

  it('estimates the slope by finite differences: central beats one-sided until rounding wins', () => {
    const plot = plotAgainst(view, x1) as Plot;
    const error = (d: number | null): number => Math.abs((d as number) - plot.slope);
    const at = (h: number) => plot.differences.find((d) => d.h === h)!;
    assert.ok(error(at(1e-1).forward) > 10 * error(at(1e-1).central));
    assert.ok(error(at(1e-4).central) < 1e-7);
    assert.ok(error(at(1e-4).forward) < 1e-3);
    // At h = 1e-10 the difference of two nearly equal doubles has few digits left.
    assert.ok(error(at(1e-10).forward) > error(at(1e-4).central));
  });

  it('leaves a gap, with its reason, where the engine refuses a value', () => {
    const x = new Value(0.5, 'x');
    const y = x.log().mul(2);
    y.backward();
    const logView = buildGraphView(graphOf(y));
    const plot = plotAgainst(
      logView,
      logView.nodes.findIndex((n) => n.name === 'x'),
    ) as Plot;
    assert.ok(plot.ys.some((v) => v === null));
    assert.ok(plot.ys.filter((v) => v !== null).every(Number.isFinite));
    assert.match(plot.gaps[0], /log of a non-positive number/);
    const f = evaluatorFor(logView, 0);
    assert.deepStrictEqual(finiteDifferences(f, 0.5, y.data, [1])[0].central, null, 'f(−0.5) is refused');
  });

  it('refuses what is not a leaf, and a graph it cannot re-evaluate faithfully', () => {
    assert.match((plotAgainst(view, view.output) as { problem: string }).problem, /only a variable/);
    const tampered = { ...view, nodes: view.nodes.map((n, p) => (p === view.output ? { ...n, data: 0.5 } : n)) };
    assert.match((plotAgainst(tampered, x1) as { problem: string }).problem, /not the lens's 0\.5/);
  });

  it('chooses round axis ticks', () => {
    assert.deepStrictEqual(niceTicks(0, 4), [0, 1, 2, 3, 4]);
    assert.deepStrictEqual(niceTicks(-0.93, 0.97, 4), [-0.5, 0, 0.5]);
    assert.deepStrictEqual(niceTicks(3, 3), [3]);
  });
});
