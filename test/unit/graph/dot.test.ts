// One DOT emitter: for the same lens and precision, `gradlens --dot` and the graph view's Copy DOT /
// Export DOT give the same text, and the view's layout input differs from it only by layout-only
// settings (no caption; the fast-layout attributes and folded ops of large graphs).
// The CLI part needs `dist/cli.js` (npm run build; `npm run test:unit` builds first).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeText, lensToDot, type AnalyzeOptions, type Lens } from '../../../src/core';
import { exportDot, toDot } from '../../../src/graph/dot';
import { buildGraphView } from '../../../src/graph/graphView';
import { LAYOUT_FORMAT, parseLayout } from '../../../src/graph/layout';
import { mlpGraph } from './fixtures';

/** The Graphviz package is ESM only; tsc's CommonJS output would turn import() into require(). */
const importEsm = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<typeof import('@hpcc-js/wasm-graphviz')>;

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function lensesOf(file: string, comments: AnalyzeOptions['comments']): Lens[] {
  const lenses = analyzeText(fs.readFileSync(path.join(ROOT, file), 'utf8'), { comments });
  assert.ok(lenses.length > 0 && lenses.every((lens) => lens.graph !== null), `${file}: every lens has a graph`);
  return lenses;
}

/** What the webview's Copy DOT gives for a lens: the host builds the view, the webview emits. */
function copiedDot(lens: Lens, precision: number): string {
  return exportDot(buildGraphView(lens.graph!, precision), lens.target, lens.line);
}

describe('graph DOT: one emitter for the CLI and the graph view', () => {
  let neuron: Lens[] = [];
  let losses: Lens[] = [];
  before(() => {
    neuron = lensesOf('examples/micrograd_neuron.py', 'hash');
    losses = lensesOf('examples/loss.ts', 'slash');
  });

  it("gives the CLI's text for every lens of the examples, at several precisions", () => {
    for (const lens of [...neuron, ...losses]) {
      for (const precision of [4, 2, 7]) {
        assert.strictEqual(
          copiedDot(lens, precision),
          lensToDot(lens, precision),
          `${lens.target} (line ${lens.line + 1}) at precision ${precision}`,
        );
      }
    }
  });

  it('is what `gradlens --dot` prints, byte for byte', function () {
    this.timeout(60000);
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build`);
    const r = spawnSync(process.execPath, [CLI, '--dot', '--precision', '3', 'examples/micrograd_neuron.py'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout, neuron.map((lens) => copiedDot(lens, 3)).join(''));
  });

  it("draws micrograd's neuron in draw_dot's look: records, op nodes, a caption, quiet constants", () => {
    const dot = copiedDot(neuron[0], 4);
    assert.match(dot, /^digraph \{\n {2}rankdir=LR;\n {2}label="o \(line 15\)";\n/);
    assert.match(dot, /\bn\d+ \[label="\{ x1 \| data 2\.0000 \| grad -1\.5000 \}", shape=record, style=bold\];/);
    assert.match(dot, /\bn(\d+)op \[label="tanh"\];\n {2}n\1op -> n\1;\n/);
    const exp = copiedDot(neuron[1], 4);
    assert.match(
      exp,
      /\bn\d+ \[label="\{ {2}\| data 2\.0000 \| grad 0\.7523 \}", shape=record, color=gray50, fontcolor=gray40\];/,
      'a constant: no name, grey',
    );
    assert.match(
      exp,
      /\bn(\d+) \[label="\{ v\1 \| data 5\.8284 \| grad 0\.1464 \}", shape=record\];/,
      'an unnamed intermediate: v<id>',
    );
  });

  it('lays out the exported picture without its caption; a large graph adds only layout settings', () => {
    const lens = neuron[0];
    const view = buildGraphView(lens.graph!);
    assert.strictEqual(
      toDot(view, { reduced: false }),
      exportDot(view, lens.target, lens.line).replace(/^ {2}label=".*";\n/m, ''),
    );
    const big = buildGraphView(mlpGraph(4, 14, 2));
    const layoutOnly = /^ {2}(nslimit|nslimit1|mclimit)=[\d.]+;\n/gm;
    assert.strictEqual(
      toDot(big, { reduced: false }).replace(layoutOnly, ''),
      exportDot(big, 'loss', 0).replace(/^ {2}label=".*";\n/m, ''),
    );
  });

  it('shows control characters of a `Value(…, label=…)` string visibly, and such a graph lays out', async () => {
    // A NUL ended Graphviz's parse; U+0001–U+001F and U+007F–U+009F reached the layout's JSON raw.
    const [lens] = analyzeText("y = Value(2.0, label='a\u0000b\u0001c\u001bd\u0085e\u202e') * 3  # @grad\n", {
      comments: 'hash',
    });
    assert.ok(lens.graph, JSON.stringify(lens.problems));
    const view = buildGraphView(lens.graph);
    const shown = 'a\\u0000b\\u0001c\\u001bd\\u0085e\\u202e';
    assert.strictEqual(view.nodes[0].name, shown, 'the name edge labels and steps use');
    assert.ok(copiedDot(lens, 4).includes(`{ ${shown.replace(/\\/g, '\\\\')} | data 2.0000`), copiedDot(lens, 4));
    assert.strictEqual(copiedDot(lens, 4), lensToDot(lens, 4));
    const { Graphviz } = await importEsm('@hpcc-js/wasm-graphviz');
    const graphviz = await Graphviz.load();
    for (const reduced of [false, true]) {
      const layout = parseLayout(graphviz.layout(toDot(view, { reduced }), LAYOUT_FORMAT, 'dot'));
      assert.strictEqual(layout.nodes[0].fields?.length, 3, `reduced: ${reduced}`);
    }
  });
});
