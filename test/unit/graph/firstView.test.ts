import * as assert from 'assert';
import { toDot, valueNodeId } from '../../../src/graph/dot';
import {
  chooseOrientation,
  firstViewTransform,
  labelPixels,
  READABLE_LABEL_PX,
  READABLE_SCALE,
} from '../../../src/graph/firstView';
import { buildGraphView } from '../../../src/graph/graphView';
import { LAYOUT_FORMAT, parseLayout, type Layout } from '../../../src/graph/layout';
import { microgradNeuron, mlpGraph } from './fixtures';

const importEsm = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<typeof import('@hpcc-js/wasm-graphviz')>;

describe('graph first view (orientation, readable scale, centred on the output)', () => {
  it('lays out left to right in a wide panel and top to bottom in a tall one', () => {
    assert.strictEqual(chooseOrientation(1200, 400), 'LR');
    assert.strictEqual(chooseOrientation(550, 800), 'TB');
    assert.strictEqual(chooseOrientation(600, 600), 'LR');
  });

  it('fits a small graph whole, centred, without blowing it up', () => {
    const t = firstViewTransform({ width: 100, height: 50 }, { width: 1000, height: 800 }, [50, 25]);
    assert.strictEqual(t.scale, 1.5);
    assert.strictEqual(t.x, (1000 - 150) / 2);
    assert.strictEqual(t.y, (800 - 75) / 2);
  });

  it('never goes below the readable scale: labels stay at least 10 px', () => {
    const t = firstViewTransform({ width: 5000, height: 3000 }, { width: 500, height: 600 }, [4900, 1500]);
    assert.strictEqual(t.scale, READABLE_SCALE);
    assert.ok(labelPixels(t.scale) >= READABLE_LABEL_PX - 1e-9);
  });

  it('centres on the output, without an empty margin where the drawing goes on', () => {
    const content = { width: 5000, height: 3000 };
    const viewport = { width: 500, height: 600 };
    // The output in the middle of the drawing: it lands in the middle of the viewport.
    const middle = firstViewTransform(content, viewport, [2500, 1500]);
    assert.strictEqual(middle.x + 2500 * middle.scale, 250);
    assert.strictEqual(middle.y + 1500 * middle.scale, 300);
    // The output at the right-hand end (left to right): the drawing's right edge meets the
    // viewport's, and the output is on screen.
    const end = firstViewTransform(content, viewport, [4990, 1500]);
    assert.strictEqual(end.x + 5000 * end.scale, 500);
    const outputX = end.x + 4990 * end.scale;
    assert.ok(outputX > 250 && outputX <= 500, `output at ${outputX}`);
  });

  it("micrograd's neuron in a half-width panel: top to bottom, whole, at a readable scale", async () => {
    const { Graphviz } = await importEsm('@hpcc-js/wasm-graphviz');
    const graphviz = await Graphviz.load();
    const view = buildGraphView(microgradNeuron());
    const layoutOf = (rankdir: 'LR' | 'TB'): Layout =>
      parseLayout(graphviz.layout(toDot(view, { reduced: false, rankdir }), LAYOUT_FORMAT, 'dot'));
    const panel = { width: 550, height: 640 };
    const tall = layoutOf(chooseOrientation(panel.width, panel.height));
    const wide = layoutOf('LR');
    const fitScale = (l: Layout): number => Math.min(panel.width / l.width, panel.height / l.height);
    // Left to right the neuron needs about 0.4 to fit (6-pixel text); top to bottom it fits readable.
    assert.ok(fitScale(wide) < READABLE_SCALE, `LR fits at ${fitScale(wide)}`);
    assert.ok(fitScale(tall) * 0.95 >= READABLE_SCALE, `TB fits at ${fitScale(tall)}`);
    // Top to bottom, a record's fields are stacked: label above data above grad.
    const box = tall.nodes.find((b) => b.name === valueNodeId(view.output));
    assert.ok(box?.fields && box.fields.length === 3);
    assert.ok(box.fields[0][3] <= box.fields[1][1] + 0.01, 'fields top to bottom');
  });

  it('a large graph keeps the readable scale and shows its output', async () => {
    const { Graphviz } = await importEsm('@hpcc-js/wasm-graphviz');
    const graphviz = await Graphviz.load();
    const view = buildGraphView(mlpGraph(3, 4, 1));
    const layout = parseLayout(graphviz.layout(toDot(view, { reduced: false, rankdir: 'TB' }), LAYOUT_FORMAT, 'dot'));
    const box = layout.nodes.find((b) => b.name === valueNodeId(view.output));
    assert.ok(box);
    const viewport = { width: 550, height: 640 };
    const focus: [number, number] = [box.x + box.width / 2, box.y + box.height / 2];
    const t = firstViewTransform(layout, viewport, focus);
    assert.ok(t.scale >= READABLE_SCALE);
    const [sx, sy] = [t.x + focus[0] * t.scale, t.y + focus[1] * t.scale];
    assert.ok(sx >= 0 && sx <= viewport.width && sy >= 0 && sy <= viewport.height, `output at ${sx},${sy}`);
  });
});
