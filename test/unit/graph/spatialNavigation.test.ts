import * as assert from 'assert';
import { toDot, valueNodeId } from '../../../src/graph/dot';
import { buildGraphView } from '../../../src/graph/graphView';
import { LAYOUT_FORMAT, parseLayout } from '../../../src/graph/layout';
import { arrowDirection, nearestInDirection, valueAccessibleName } from '../../../src/graph/spatialNavigation';
import { microgradNeuron } from './fixtures';

/** The Graphviz package is ESM only; tsc's CommonJS output would turn import() into require(). */
const importEsm = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<typeof import('@hpcc-js/wasm-graphviz')>;

describe('graph keyboard navigation (arrow keys between values)', () => {
  // Two layers, left to right, as Graphviz lays out a graph with rankdir=LR (y grows downwards):
  //   0 (0,0)                 3 (100,10)
  //   1 (0,50)   (unplaced 2)  4 (100,60)     5 (100,300)
  const centers: Array<[number, number] | undefined> = [[0, 0], [0, 50], undefined, [100, 10], [100, 60], [100, 300]];

  it('maps the four arrow keys and nothing else', () => {
    assert.deepStrictEqual(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].map(arrowDirection), [
      'left',
      'right',
      'up',
      'down',
    ]);
    assert.strictEqual(arrowDirection('Enter'), undefined);
    assert.strictEqual(arrowDirection('toString'), undefined);
  });

  it('moves right to the next layer, to the value most in line, not merely the nearest', () => {
    assert.strictEqual(nearestInDirection(centers, 0, 'right'), 3);
    assert.strictEqual(nearestInDirection(centers, 1, 'right'), 4);
    assert.strictEqual(nearestInDirection(centers, 4, 'left'), 1);
  });

  it('moves up and down within a layer, and skips values the layout did not place', () => {
    assert.strictEqual(nearestInDirection(centers, 0, 'down'), 1);
    assert.strictEqual(nearestInDirection(centers, 1, 'up'), 0);
    assert.strictEqual(nearestInDirection(centers, 4, 'down'), 5);
    assert.strictEqual(
      nearestInDirection(centers, 3, 'up'),
      0,
      'the only value above, though in another layer: every value stays reachable',
    );
    assert.strictEqual(nearestInDirection(centers, 0, 'up'), undefined, 'nothing above the top value');
  });

  it('goes nowhere past the edge of the graph, or from an unplaced value', () => {
    assert.strictEqual(nearestInDirection(centers, 0, 'left'), undefined);
    assert.strictEqual(nearestInDirection(centers, 5, 'right'), undefined);
    assert.strictEqual(nearestInDirection(centers, 2, 'right'), undefined);
    assert.strictEqual(nearestInDirection([[0, 0]], 0, 'right'), undefined);
  });

  it("walks micrograd's neuron, as Graphviz lays it out, from x1 to the output by Right alone", async () => {
    const { Graphviz } = await importEsm('@hpcc-js/wasm-graphviz');
    const graphviz = await Graphviz.load();
    const view = buildGraphView(microgradNeuron());
    const layout = parseLayout(graphviz.layout(toDot(view, { reduced: false }), LAYOUT_FORMAT, 'dot'));
    const boxes = new Map(layout.nodes.map((box) => [box.name, box]));
    const center = (position: number): [number, number] | undefined => {
      const box = boxes.get(valueNodeId(position));
      return box && [box.x + box.width / 2, box.y + box.height / 2];
    };
    const all = view.nodes.map((_, position) => center(position));
    let at: number | undefined = view.nodes.findIndex((node) => node.label === 'x1');
    const visited: string[] = [];
    while (at !== undefined) {
      visited.push(view.nodes[at].name);
      at = nearestInDirection(all, at, 'right');
    }
    assert.strictEqual(visited[visited.length - 1], 'o', `Right from x1 went ${visited.join(' → ')}`);
    assert.ok(visited.includes('n'), visited.join(' → '));
  });

  it('names a value for screen readers with its data and grad, typographic minus', () => {
    assert.strictEqual(valueAccessibleName('x1', 2, -1.5, 4), 'x1: data 2.0000, grad \u22121.5000');
  });
});
