// The graph panel as a learner meets it (issue 11): readable at first sight in a half-width panel,
// searchable, narrowed to what feeds a value or what it feeds, alike neurons folded, coloured by
// |grad|, the backward pass stepped forwards and back, and "Plot against x" from the graph and from
// the hover. Everything from the keyboard. Numbers from test/fixtures/workspace/neuron.py
// (micrograd's neuron) and layer.py (two alike neurons).
import * as assert from 'assert';
import type { Frame } from 'playwright-core';
import { MINUS } from './neuronChecks';
import { Workbench } from './workbench';

describe('The graph panel: readable, searchable, explained (UI)', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open();
  });

  after(async () => {
    await wb?.close();
  });

  beforeEach(async () => {
    await wb.runCommand('View: Close All Editor Groups');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await wb?.screenshot(`graph-failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  /** Opens `file`'s graph from its "Show graph" lens link; the frame once `ready` matches. */
  async function openGraph(file: string, ready: RegExp[]): Promise<Frame> {
    await wb.openFile(file);
    await wb.codeLenses(/Show graph/);
    await wb.page.locator('.editor-instance .codelens-decoration a', { hasText: 'Show graph' }).first().click();
    const { frame } = await wb.webviewFrame(ready);
    await frame.locator('body[data-state="ready"]').waitFor();
    return frame;
  }

  const press = (key: string) => wb.page.keyboard.press(key);
  const focusedLabel = async (frame: Frame) =>
    String(await frame.evaluate('document.activeElement?.getAttribute("aria-label") ?? ""'));
  const count = (frame: Frame, selector: string) => frame.locator(selector).count();
  const status = (frame: Frame, text: RegExp) => frame.locator('#status', { hasText: text }).waitFor();

  /** Keyboard focus inside the webview, on a toolbar button (keys then reach the page). */
  const enter = async (frame: Frame) => frame.locator('#fit').focus();

  /** Searches `name` with / and goes to its exact match with Enter, then into the graph with Escape. */
  async function goTo(frame: Frame, name: string): Promise<void> {
    await press('/');
    await wb.page.keyboard.type(name);
    await press('Enter');
    await frame.locator(`g.node.value.match-current[data-label="${name}"]`).waitFor();
    await press('Escape');
    assert.match(await focusedLabel(frame), new RegExp(`^${name}: data `));
  }

  it("draws micrograd's neuron with labels at least 10 px tall in a half-width panel, centred on the output", async () => {
    const frame = await openGraph('neuron.py', [/tanh/, /data 0\.7071/]);
    await wb.screenshot('graph-first-view');
    const measured = JSON.parse(
      String(
        await frame.evaluate(`JSON.stringify((() => {
          const heights = [...document.querySelectorAll('#graph text.node-label')]
            .filter((t) => t.textContent !== '')
            .map((t) => t.getBoundingClientRect().height);
          const viewport = document.getElementById('viewport').getBoundingClientRect();
          const output = document.querySelector('#graph g.node.output rect').getBoundingClientRect();
          return {
            smallest: Math.min(...heights), labels: heights.length,
            width: window.innerWidth, height: window.innerHeight,
            orientation: document.getElementById('orientation').dataset.orientation,
            outputInView: output.left >= viewport.left && output.right <= viewport.right &&
              output.top >= viewport.top && output.bottom <= viewport.bottom,
          };
        })())`),
      ),
    ) as {
      smallest: number;
      labels: number;
      width: number;
      height: number;
      orientation: string;
      outputInView: boolean;
    };
    assert.ok(measured.width < 800, `the panel is a side panel (${measured.width} px wide)`);
    assert.ok(measured.labels >= 7, `${measured.labels} labels drawn`);
    assert.ok(measured.smallest >= 10, `the smallest label is ${measured.smallest.toFixed(1)} px tall`);
    assert.strictEqual(measured.orientation, measured.width >= measured.height ? 'LR' : 'TB');
    assert.ok(measured.outputInView, 'the output is on screen');
  });

  it('finds a value, shows only what it feeds or what feeds it, and colours by |grad|, from the keyboard', async () => {
    const frame = await openGraph('neuron.py', [/tanh/, /data 0\.7071/]);
    await enter(frame);
    await press('/');
    await wb.page.keyboard.type('w');
    await status(frame, /2 values match/);
    assert.strictEqual(await count(frame, 'g.node.value.match'), 2);
    await press('Escape');
    await goTo(frame, 'w1');

    // O: only what w1 feeds: no x2, no b.
    await press('o');
    const narrowing = frame.locator('#narrowing-text');
    await narrowing.filter({ hasText: /^Only what w1 feeds: \d+ of 10 values\./ }).waitFor();
    await frame.locator('body[data-state="ready"] g.node.value[data-label="o"]').waitFor();
    assert.strictEqual(await count(frame, 'g.node.value[data-label="x2"]'), 0);
    assert.strictEqual(await count(frame, 'g.node.value[data-label="b"]'), 0);
    await wb.screenshot('graph-what-w1-feeds');
    // A: everything again; I on n: what feeds n, without o.
    await press('a');
    await frame.locator('g.node.value[data-label="x2"]').waitFor();
    assert.strictEqual(await count(frame, 'g.node.value'), 10);
    await goTo(frame, 'n');
    await press('i');
    await narrowing.filter({ hasText: /^Only what feeds n: 9 of 10 values\./ }).waitFor();
    await frame.locator('g.node.value[data-label="x2"]').waitFor();
    assert.strictEqual(await count(frame, 'g.node.value[data-label="o"]'), 0);
    await press('a');
    await frame.locator('g.node.value[data-label="o"]').waitFor();

    // C: colour by |grad| on and off; the legend follows.
    assert.strictEqual(await count(frame, '#graph.grad-colours'), 1, 'coloured by default');
    assert.strictEqual(await frame.locator('#legend').isVisible(), true);
    const fill = await frame.evaluate('document.querySelector(\'g.node.value[data-label="x1"] rect\').style.fill');
    assert.match(String(fill), /^rgb\(/);
    await press('c');
    assert.strictEqual(await count(frame, '#graph.grad-colours'), 0);
    assert.strictEqual(await frame.locator('#legend').isVisible(), false);
    await press('c');
    assert.strictEqual(await count(frame, '#graph.grad-colours'), 1);
  });

  it('steps the backward pass back and forth from the keyboard', async () => {
    const frame = await openGraph('neuron.py', [/tanh/, /data 0\.7071/]);
    const counter = frame.locator('#step-counter');
    const grad = async (label: string) =>
      ((await frame.locator(`g.node.value[data-label="${label}"] text.node-grad`).textContent()) ?? '').replace(
        /\u00a0/g,
        ' ',
      );
    await counter.filter({ hasText: /^step 5 \/ 5$/ }).waitFor();
    await enter(frame);
    // B undoes the last step: x1·w1, created first, is processed last and passes x1 its grad;
    // x2's, from step 4, stays.
    await press('b');
    await counter.filter({ hasText: /^step 4 \/ 5$/ }).waitFor();
    assert.match(await grad('x1'), /^grad 0\.0000$/);
    assert.match(await grad('x2'), /^grad 0\.5000$/);
    await press('b');
    await counter.filter({ hasText: /^step 3 \/ 5$/ }).waitFor();
    assert.match(await grad('x2'), /^grad 0\.0000$/);
    assert.match((await frame.locator('#status').textContent()) ?? '', /\.grad \+=/);
    await wb.screenshot('graph-step-back');
    await press('s');
    await press('s');
    await counter.filter({ hasText: /^step 5 \/ 5$/ }).waitFor();
    assert.match(await grad('x1'), new RegExp(`^grad ${MINUS}1\\.5000$`));
  });

  it('folds the alike neurons of a layer into boxes, and opens one from the keyboard', async () => {
    const frame = await openGraph('layer.py', [/data 0\.2213/]);
    await enter(frame);
    await press('m');
    await frame.locator('#narrowing-text', { hasText: /^2 repeated blocks folded/ }).waitFor();
    await frame.locator('body[data-state="ready"] g.node.value.folded').first().waitFor();
    assert.strictEqual(await count(frame, 'g.node.value.folded'), 2);
    assert.strictEqual(await count(frame, 'g.node.value[data-label="a1"]'), 0, 'a weight is inside its block');
    assert.match((await frame.locator('g.node.value.folded[data-label="ha"]').textContent()) ?? '', /\u229e 8 values/);
    await wb.screenshot('graph-folded');
    await goTo(frame, 'ha');
    await press('Enter');
    await frame.locator('g.node.value[data-label="a1"]').waitFor();
    assert.strictEqual(await count(frame, 'g.node.value.folded'), 1);
    await press('m');
    await frame.locator('#narrowing').waitFor({ state: 'hidden' });
    assert.strictEqual(await count(frame, 'g.node.value.folded'), 0);
  });

  it('plots the output against a variable from the graph (X) and from the hover', async () => {
    const frame = await openGraph('neuron.py', [/tanh/, /data 0\.7071/]);
    await enter(frame);
    await goTo(frame, 'x1');
    await press('x');
    const dialog = frame.locator('#plot-dialog');
    await dialog.waitFor({ state: 'visible' });
    assert.match((await frame.locator('#plot-title').textContent()) ?? '', /^o against x1, near x1 = 2\.0000$/);
    assert.strictEqual(await count(frame, '#plot-differences tbody tr'), 7);
    assert.match((await frame.locator('#plot-differences caption').textContent()) ?? '', /∂o\/∂x1 = [−-]1\.5/);
    assert.ok(((await frame.locator('#plot-svg path.plot-curve').getAttribute('d')) ?? '').length > 100);
    assert.strictEqual(await frame.evaluate('document.activeElement?.id'), 'plot-close');
    await wb.screenshot('graph-plot');
    await press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.match(await focusedLabel(frame), /^x1: /);

    // From the hover over x1 in the editor: its "Plot o against x1" link.
    await wb.openFile('neuron.py');
    await wb.hover('n = x1*w1 + x2*w2 + b', 'x1', /Plot o against x1/);
    await wb.page.locator('.monaco-hover a', { hasText: 'Plot o against x1' }).first().click();
    const { frame: again } = await wb.webviewFrame([/o against x1, near x1 = 2\.0000/]);
    await again.locator('#plot-dialog').waitFor({ state: 'visible' });
    await wb.screenshot('graph-plot-from-hover');
  });
});
