// Graph webview bench: how long a lens's graph takes from the model to an interactive picture.
//  - model: Graph → GraphView (validation, edge labels, backward steps) and DOT, in Node;
//  - layout: Graphviz WASM in Node, full graph and reduced view (ops folded into outputs);
//  - webview: the real bundles in headless Chromium under the real CSP, from posting the `show`
//    message to the `rendered` message plus one animation frame (layout in the worker, SVG built,
//    controls live), cold (worker and WASM starting) and warm; and the time of a pan frame.
// Targets from issue 5: 1,000 values interactive in under 1 s; 5,000 values without freezing
// (the reduced view is the default there; the full graph is timed on request too).
import * as os from 'os';
import { toDot } from '../../src/graph/dot';
import { buildGraphView } from '../../src/graph/graphView';
import type { GraphView } from '../../src/shared/graphView';
import { LAYOUT_FORMAT } from '../../src/graph/layout';
import { plotAgainst, SAMPLES, STEP_SIZES } from '../../src/graph/plot';
import { findRepeatedBlocks } from '../../src/graph/repeatedBlocks';
import { shownGraph } from '../../src/graph/shownGraph';
import { microgradNeuron, mlpGraph } from '../unit/graph/fixtures';
import { openGraphPage, type GraphPage } from './graphPage';
import { formatMs, time, type BenchSection } from './timing';

// Functions passed to page.evaluate run in the page: these are its globals, not Node's.
declare const window: { postMessage(message: unknown, target: string): void };
declare function requestAnimationFrame(callback: () => void): number;
declare const performance: { now(): number };
declare const document: unknown;

const importEsm = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<typeof import('@hpcc-js/wasm-graphviz')>;

interface Size {
  name: string;
  shape: [number, number, number];
  /** A second graph of the same size, so the warm run misses the layout cache. */
  other: [number, number, number];
}

const SIZES: Size[] = [
  { name: '~1,000 values', shape: [4, 15, 2], other: [5, 15, 2] },
  { name: '~5,000 values', shape: [8, 35, 2], other: [7, 36, 2] },
];

export const graphBench: BenchSection = async () => {
  const lines: string[] = [];
  const { Graphviz } = await importEsm('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  const views = SIZES.map((size) => ({
    size,
    view: buildGraphView(mlpGraph(...size.shape)),
    other: buildGraphView(mlpGraph(...size.other)),
  }));
  for (const { size, view } of views) {
    const graph = mlpGraph(...size.shape);
    const model = time(() => buildGraphView(graph), { warmup: 2, runs: 7 });
    const dot = time(() => toDot(view, { reduced: false }), { warmup: 2, runs: 7 });
    lines.push(
      `${size.name} (${view.nodes.length} values, ${view.edges.length} chain-rule edges, ${view.steps.length} backward steps)`,
    );
    lines.push(`  model (validate, edge labels, steps)   ${formatMs(model.medianMs)}`);
    lines.push(`  DOT text                               ${formatMs(dot.medianMs)}`);
    for (const reduced of [false, true]) {
      const text = toDot(view, { reduced });
      const layout = time(() => graphviz.layout(text, LAYOUT_FORMAT, 'dot'), { warmup: 1, runs: 3 });
      lines.push(
        `  Graphviz layout in Node, ${reduced ? 'reduced view' : 'full graph  '}  ${formatMs(layout.medianMs)}`,
      );
    }
    // Issue 11's graph: top to bottom (a tall panel), repeated blocks folded, and the plot.
    const topToBottom = toDot(view, { reduced: view.reducedByDefault, rankdir: 'TB' });
    const tb = time(() => graphviz.layout(topToBottom, LAYOUT_FORMAT, 'dot'), { warmup: 1, runs: 3 });
    lines.push(`  Graphviz layout, top to bottom (default view)  ${formatMs(tb.medianMs)}`);
    const blocks = time(() => findRepeatedBlocks(view), { warmup: 1, runs: 5 });
    const found = findRepeatedBlocks(view).blocks;
    const folded = toDot(view, { reduced: false, rankdir: 'TB', shown: shownGraph(view, undefined, found) });
    const foldedLayout = time(() => graphviz.layout(folded, LAYOUT_FORMAT, 'dot'), { warmup: 1, runs: 3 });
    lines.push(
      `  repeated blocks found ${formatMs(blocks.medianMs)} (${found.length} blocks); folded graph laid out ${formatMs(foldedLayout.medianMs)}`,
    );
    const leaf = view.nodes.findIndex((node) => node.kind === 'leaf');
    const plot = time(() => plotAgainst(view, leaf), { warmup: 1, runs: 5 });
    lines.push(
      `  plot against a leaf (${SAMPLES} points + ${2 * STEP_SIZES.length} finite differences, on the engine)  ${formatMs(plot.medianMs)}`,
    );
  }
  let page: GraphPage | undefined;
  try {
    page = await openGraphPage();
    lines.push('webview in headless Chromium (post → rendered + 1 frame; layout in the worker):');
    let revision = 0;
    // The neuron's 10 values: the floor of each measure (for the drag round trip, the driver's
    // mouse event and two animation frames are most of it).
    const small = await showAndWait(page, buildGraphView(microgradNeuron()), ++revision);
    lines.push(
      `  micrograd neuron (10 values), baseline: ${formatMs(small.totalMs)} (layout ${formatMs(small.layoutMs)}), pan frame ${formatMs(await panFrame(page))}, drag round trip ${formatMs(await dragRoundTrip(page))}`,
    );
    for (const { size, view, other } of views) {
      const cold = await showAndWait(page, view, ++revision);
      const warm = await showAndWait(page, other, ++revision);
      const pan = await panFrame(page);
      const drag = await dragRoundTrip(page);
      lines.push(
        `  ${size.name}, ${cold.reduced ? 'reduced view (default)' : 'full graph'}: first ${formatMs(cold.totalMs)} (layout ${formatMs(cold.layoutMs)}), next ${formatMs(warm.totalMs)} (layout ${formatMs(warm.layoutMs)}); longest frame ${formatMs(Math.max(cold.longestFrameMs ?? 0, warm.longestFrameMs ?? 0))}; pan frame ${formatMs(pan)}, drag round trip ${formatMs(drag)}; ${cold.nodes} boxes`,
      );
      if (cold.reduced) {
        const full = await toggleAndWait(page, ++revision);
        const fullPan = await panFrame(page);
        lines.push(
          `  ${size.name}, full graph on request: ${formatMs(full.totalMs)} (layout ${formatMs(full.layoutMs)}), pan frame ${formatMs(fullPan)}`,
        );
        await page.page.click('#toggle-reduced');
      }
    }
  } catch (error) {
    lines.push(`webview part skipped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await page?.close();
  }
  lines.push(
    `(load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs: webview times stretch with load)`,
  );
  return lines;
};

interface Shown {
  totalMs: number;
  longestFrameMs?: number;
  layoutMs: number;
  reduced: boolean;
  nodes: number;
}

async function showAndWait(page: GraphPage, view: GraphView, revision: number): Promise<Shown> {
  const message = {
    type: 'show',
    revision,
    target: 'loss',
    documentUri: `file:///bench/${revision}.py`,
    line: revision,
    value: view.nodes[view.output].data,
    gradcheck: null,
    view,
  };
  return page.page.evaluate(
    ([m, r]) =>
      new Promise<Shown>((resolve, reject) => {
        const posted = (window as unknown as { __posted: Array<Record<string, unknown>> }).__posted;
        const seen = posted.length;
        const started = performance.now();
        // The longest gap between animation frames while it works: how long the page froze.
        let last = started;
        let longest = 0;
        let watching = true;
        const watch = (): void => {
          const now = performance.now();
          longest = Math.max(longest, now - last);
          last = now;
          if (watching) requestAnimationFrame(watch);
        };
        requestAnimationFrame(watch);
        window.postMessage(m, '*');
        const poll = (): void => {
          const reply = posted
            .slice(seen)
            .find((p) => p.revision === r && (p.type === 'rendered' || p.type === 'layoutFailed'));
          if (!reply) return void setTimeout(poll, 5);
          if (reply.type === 'layoutFailed') return reject(new Error(String(reply.message)));
          requestAnimationFrame(() => {
            watching = false;
            resolve({
              totalMs: performance.now() - started,
              layoutMs: reply.layoutMs as number,
              reduced: reply.reduced as boolean,
              nodes: reply.nodes as number,
              longestFrameMs: longest,
            });
          });
        };
        poll();
      }),
    [message, revision] as const,
  );
}

/** Clicks "Show full graph" and waits for the re-render (same revision, new hash). */
async function toggleAndWait(page: GraphPage, _revision: number): Promise<Shown> {
  const before = await page.page.evaluate('window.__posted.length');
  const started = Date.now();
  await page.page.click('#toggle-reduced');
  await page.until(`window.__posted.length > ${before}`, 600_000);
  const reply = (await page.page.evaluate('window.__posted[window.__posted.length - 1]')) as {
    layoutMs: number;
    reduced: boolean;
    nodes: number;
  };
  return { totalMs: Date.now() - started, layoutMs: reply.layoutMs, reduced: reply.reduced, nodes: reply.nodes };
}

/**
 * Median frame time while the graph is panned: the page moves the SVG as the pan handler does
 * (a CSS transform), once per animation frame, 40 frames. 16.7 ms is 60 fps.
 */
async function panFrame(page: GraphPage): Promise<number> {
  return page.page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const svg = (
          document as unknown as { getElementById(id: string): { style: { transform: string } } }
        ).getElementById('graph');
        const scale = /scale\(([\d.e-]+)\)/.exec(svg.style.transform)?.[1] ?? '1';
        const frames: number[] = [];
        let last = performance.now();
        const tick = (): void => {
          const now = performance.now();
          frames.push(now - last);
          last = now;
          svg.style.transform = `translate(${frames.length * 3}px, ${frames.length}px) scale(${scale})`;
          if (frames.length < 40) return void requestAnimationFrame(tick);
          frames.sort((a, b) => a - b);
          resolve(frames[20]);
        };
        requestAnimationFrame(tick);
      }),
  );
}

/** Median time from a mouse move (sent by the test driver) to the second frame after it, while dragging. */
async function dragRoundTrip(page: GraphPage): Promise<number> {
  const box = await page.page.locator('#viewport').boundingBox();
  if (!box) return NaN;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.page.mouse.move(x, y);
  await page.page.mouse.down();
  const frames: number[] = [];
  for (let i = 1; i <= 20; i++) {
    const started = Date.now();
    await page.page.mouse.move(x + i * 7, y + i * 3);
    await page.page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(undefined)))),
    );
    frames.push(Date.now() - started);
  }
  await page.page.mouse.up();
  frames.sort((a, b) => a - b);
  return frames[frames.length >> 1];
}
