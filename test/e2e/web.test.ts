// The packaged VSIX in the web worker extension host, as in VS Code for the Web: the extension's
// `browser` entry (dist/web/extension.js) loaded in the browser, with no Node.js. A second window
// of the same code-server opens a copy of the fixture workspace whose settings run the extension
// only as "web" (see run-e2e.js), and a user checks the lens, the hover and the graph there.
// Numbers come from test/fixtures/workspace/neuron.py, micrograd's neuron.
import * as assert from 'assert';
import { expectNeuronHover, expectNeuronLens, MINUS } from './neuronChecks';
import { e2eWebEnvironment, Workbench } from './workbench';

describe('Gradient Lens in VS Code for the Web (UI, web worker extension host)', function () {
  this.timeout(120_000);
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open(e2eWebEnvironment());
  });

  after(async () => {
    await wb?.close();
  });

  beforeEach(async () => {
    await wb.runCommand('View: Close All Editor Groups');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await wb?.screenshot(`web-failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  it("runs in the web worker extension host, not in the server's Node host, and analyses in a Web Worker", async () => {
    await wb.openFile('neuron.py');
    await wb.codeLenses(/o = 0\.7071/).catch((err: Error) => {
      // A web bundle that needs Node fails to activate: say why, not only that the lens is missing.
      const errors = wb.consoleErrors(/gradient-lens/i);
      throw new Error(
        `no lens in the web worker host; console errors about the extension: ${errors.join(' | ') || '(none)'}\n${err.message}`,
      );
    });
    // The analysis runs in a Web Worker of its own, started by the extension in the web host.
    const names = await Promise.all(
      wb.page.workers().map((w) => w.evaluate(() => (globalThis as { name?: string }).name ?? '')),
    );
    assert.ok(
      // VS Code prefixes a nested worker's name with its parent's: "ExtensionHostWorker -> …".
      names.some((name) => name.endsWith('gradient-lens-analysis')),
      `no analysis Web Worker among the page's workers: ${JSON.stringify(names)}`,
    );
    // VS Code's own record of where each activated extension runs.
    const row = await wb.runningExtension('Gradient Lens');
    await wb.screenshot('web-running-extensions');
    assert.match(row, /web worker/, `Gradient Lens does not run in the web worker host: ${row}`);
    const serverHost = new URL(wb.env.workbenchUrl).host;
    assert.ok(!row.includes(serverHost), `Gradient Lens runs in the server's Node host (${serverHost}): ${row}`);
  });

  it('shows the value and the gradients in a CodeLens above the @grad line', () =>
    expectNeuronLens(wb, 'web-codelens'));

  it("shows a name's value and gradient in a hover", () => expectNeuronHover(wb, 'web-hover'));

  it('draws the graph of a selection after "Differentiate Selection"', async () => {
    await wb.openFile('neuron.py');
    await wb.select('neuron.py', 8, 'x1*w1 + x2*w2 + b');
    await wb.runCommand('Gradient Lens: Differentiate Selection');
    // n = x1*w1 + x2*w2 + b = 0.8814, and ∂n/∂x1 = w1 = -3.
    const { text } = await wb.webviewFrame([/data 0\.8814/, new RegExp(`grad ${MINUS}3\\.0000`)]);
    await wb.screenshot('web-graph');
    for (const label of ['x1', 'w1', 'x2', 'w2', 'b']) assert.ok(text.includes(label), `node ${label} missing`);
  });
});
