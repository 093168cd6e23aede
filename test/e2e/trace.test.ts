// Trace mode through the UI, as a person uses it: "Gradient Lens: Trace Gradients" from the
// command palette, its progress notification (and its Cancel on a program that never ends), the
// traced CodeLens, and the hover's plot of the loss over a training loop's runs, which must load
// and render as an image. Screenshots of each step go to test-results/e2e/.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { e2eEnvironment, e2eWebEnvironment, Workbench } from './workbench';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'trace', 'python');
const FOLDER = 'trace-python';

describe('Trace mode in VS Code (UI)', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    // The programs run in the workspace (their working directory): copy them in before it opens.
    const env = e2eEnvironment();
    fs.cpSync(FIXTURES, path.join(env.workspace, FOLDER), { recursive: true });
    wb = await Workbench.open(env);
  });

  after(async () => {
    await wb?.close();
  });

  beforeEach(async () => {
    await wb.runCommand('View: Close All Editor Groups');
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  it('traces a training loop from the palette and plots the loss in the hover', async () => {
    await wb.openFile(`${FOLDER}/train_mlp.py`);
    await wb.runCommand('Gradient Lens: Trace Gradients');
    await wb.notification(/Gradient Lens: tracing train_mlp\.py/, 3_000).catch(() => {
      // A fast run may end before the toast is seen: the traced lens below is the proof it ran.
    });
    await wb.screenshot('trace-progress');
    // The loss is near the end of the file: bring its line into view, where its lens is drawn.
    const source = fs.readFileSync(path.join(wb.env.workspace, FOLDER, 'train_mlp.py'), 'utf8').split('\n');
    await wb.goTo(source.findIndex((line) => line.includes('loss = sum((yout - ygt) ** 2')) + 1);
    const lenses = await wb.codeLenses(/traced \d+ s ago · run 20 of 20/, 90_000);
    assert.ok(
      lenses.some((text) => /^loss = \d+\.\d{4} .*traced \d+ s ago · run 20 of 20/.test(text)),
      JSON.stringify(lenses),
    );
    await wb.screenshot('trace-lenses');
    const hover = await wb.hover(
      'loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))',
      'loss',
      /run 20 of 20/,
    );
    assert.match(hover, /traced \d+ s ago · run 20 of 20/);
    // The plot is an image whose source is a data: URI; the browser decoded it to its 260×80 size.
    let images: Array<{ src: string; width: number; height: number }> = [];
    for (let i = 0; i < 20 && !images.some((image) => image.width > 0); i++) {
      images = await wb.hoverImages();
      if (!images.some((image) => image.width > 0)) await wb.page.waitForTimeout(250);
    }
    await wb.screenshot('trace-hover-plot');
    const plot = images.find((image) => image.src.startsWith('data:image/svg+xml'));
    assert.ok(plot, `no plot image in the hover: ${JSON.stringify(images)}`);
    assert.deepStrictEqual([plot.width, plot.height], [260, 80], 'the plot rendered at its size');
  });

  it('stops a program that never ends with the Cancel button of the progress notification', async () => {
    await wb.openFile(`${FOLDER}/runs_forever.py`);
    await wb.runCommand('Gradient Lens: Trace Gradients');
    const progress = /Gradient Lens: tracing runs_forever\.py/;
    await wb.notification(progress);
    // Let it run a little, so that the site has executions to show.
    await wb.page.waitForTimeout(2_000);
    await wb.screenshot('trace-forever-progress');
    await wb.clickNotificationButton(progress, 'Cancel');
    const said = await wb.notification(/was cancelled after/, 30_000);
    assert.match(said, /the lenses show what ran until then/);
    const lenses = await wb.codeLenses(/run [\d,]+ of [\d,]+/, 30_000);
    assert.ok(
      lenses.some((text) => /^loss = .*traced \d+ s ago · run [\d,]+ of [\d,]+/.test(text)),
      JSON.stringify(lenses),
    );
    await wb.screenshot('trace-forever-cancelled');
  });
});

describe('Trace mode in VS Code for the Web (UI, web worker extension host)', function () {
  this.timeout(120_000);
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open(e2eWebEnvironment());
  });

  after(async () => {
    await wb?.close();
  });

  it('says why Trace Gradients is unavailable there, and keeps the static lenses', async () => {
    await wb.openFile('neuron.py');
    await wb.codeLenses(/o = 0\.7071/);
    await wb.runCommand('Gradient Lens: Trace Gradients');
    const said = await wb.notification(/VS Code for the Web cannot start/);
    assert.match(said, /Open the folder in desktop VS Code to trace it/);
    await wb.screenshot('web-trace-unavailable');
    const lenses = await wb.codeLenses(/o = 0\.7071/);
    assert.ok(!lenses.some((text) => /traced/.test(text)), JSON.stringify(lenses));
  });
});
