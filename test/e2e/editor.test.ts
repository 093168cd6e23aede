// UI end-to-end tests: the packaged VSIX installed into the real VS Code (code-server), used
// through Chromium the way a person uses it. Each step leaves a screenshot in test-results/e2e/.
// Numbers come from test/fixtures/workspace/neuron.py, micrograd's neuron.
import * as assert from 'assert';
import { expectNeuronHover, expectNeuronLens, MINUS } from './neuronChecks';
import { Workbench } from './workbench';

describe('Gradient Lens in VS Code (UI)', function () {
  this.timeout(120_000);
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open();
    await wb.screenshot('workbench');
  });

  after(async () => {
    await wb?.close();
  });

  beforeEach(async () => {
    // Each test starts from one editor group, whatever the previous one left open.
    await wb.runCommand('View: Close All Editor Groups');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  it('shows the value and the gradients in a CodeLens above the @grad line', () => expectNeuronLens(wb, 'codelens'));

  it("shows a name's value and gradient in a hover", () => expectNeuronHover(wb, 'hover'));

  it('draws the graph of a selection after "Differentiate Selection"', async () => {
    await wb.openFile('neuron.py');
    await wb.select('neuron.py', 8, 'x1*w1 + x2*w2 + b');
    await wb.screenshot('selection');
    await wb.runCommand('Gradient Lens: Differentiate Selection');
    // n = x1*w1 + x2*w2 + b = 0.8814, and ∂n/∂x1 = w1 = -3.
    const { text } = await wb.webviewFrame([
      /x1/,
      /w1/,
      /x2/,
      /w2/,
      /data 0\.8814/,
      new RegExp(`grad ${MINUS}3\\.0000`),
    ]);
    await wb.screenshot('graph');
    for (const label of ['x1', 'w1', 'x2', 'w2', 'b']) assert.ok(text.includes(label), `node ${label} missing`);
    assert.match(text, /data 2\.0000/, 'x1 = 2.0 should be a node with data 2.0000');
    assert.match(text, /\*/, 'the graph should show the * op nodes');
    assert.match(text, /\+/, 'the graph should show the + op nodes');
  });

  it('steps through the backward pass in the graph: grads start at 0 and accumulate', async () => {
    await wb.openFile('neuron.py');
    await wb.select('neuron.py', 8, 'x1*w1 + x2*w2 + b');
    await wb.runCommand('Gradient Lens: Differentiate Selection');
    const x1Grad = new RegExp(`grad ${MINUS}3\\.0000`);
    const { frame } = await wb.webviewFrame([/data 0\.8814/, x1Grad]);
    const counter = frame.locator('#step-counter');
    // The graph's record nodes are g.node.value[data-label] (src/webview/render.ts).
    const grad = async (label: string) =>
      ((await frame.locator(`g.node.value[data-label="${label}"]`).first().textContent()) ?? '').replace(
        /\u00a0/g,
        ' ',
      );

    await frame.locator('#reset').click();
    await counter.filter({ hasText: /^step 0 \/ 4$/ }).waitFor();
    await wb.screenshot('graph-reset');
    assert.match(await grad('x1'), /grad 0\.0000/, 'after Reset, every grad is 0');
    assert.match(await grad('b'), /grad 0\.0000/);
    assert.match(await grad('n'), /grad 1\.0000/, "after Reset, the output's grad is 1");

    // Step 1 processes the output n = (x1*w1 + x2*w2) + b: b gets n's grad; x1 does not yet.
    await frame.locator('#step').click();
    await counter.filter({ hasText: /^step 1 \/ 4$/ }).waitFor();
    await wb.screenshot('graph-step-1');
    assert.match(
      (await frame.locator('#status').textContent()) ?? '',
      /\.grad \+=/,
      'a step explains its += contributions',
    );
    assert.match(await grad('b'), /grad 1\.0000/);
    assert.match(await grad('x1'), /grad 0\.0000/);

    for (let i = 2; i <= 4; i++) {
      await frame.locator('#step').click();
      await counter.filter({ hasText: new RegExp(`^step ${i} / 4$`) }).waitFor();
    }
    await wb.screenshot('graph-step-4');
    assert.match(await grad('x1'), x1Grad, 'after the last step, x1 has its final grad, w1 = −3');
    assert.match(await grad('w1'), /grad 2\.0000/, 'and w1 has x1 = 2');
  });

  it('reaches, steps and reveals graph values from the keyboard alone', async () => {
    await wb.openFile('neuron.py');
    await wb.select('neuron.py', 8, 'x1*w1 + x2*w2 + b');
    await wb.runCommand('Gradient Lens: Differentiate Selection');
    const { frame } = await wb.webviewFrame([/data 0\.8814/]);
    // The page's code runs in the browser, so it is given as text (the test side has no DOM types).
    const focused = async () =>
      String(await frame.evaluate('document.activeElement?.getAttribute("aria-label") ?? ""'));

    // The panel is taller than wide, so the graph is laid out top to bottom; L lays it out left to
    // right, micrograd's picture, where Left goes back a layer.
    await frame.locator('#fit').focus();
    await wb.page.keyboard.press('l');
    await frame.locator('body[data-state="ready"] #orientation[data-orientation="LR"]').waitFor();
    // One Tab from the last toolbar button enters the graph at its output.
    await frame.locator('#copy-dot').focus();
    await wb.page.keyboard.press('Tab');
    assert.match(await focused(), /^n: data 0\.8814, grad 1\.0000$/);
    // Left goes back a layer, to the value most in line with n: b, the last term of the sum.
    await wb.page.keyboard.press('ArrowLeft');
    assert.match(await focused(), /^b: data 6\.8814, grad 1\.0000$/);
    assert.strictEqual(
      await frame.evaluate('document.activeElement?.matches(":focus-visible")'),
      true,
      'keyboard focus is drawn',
    );
    await wb.screenshot('graph-keyboard-focus');

    // R resets the backward pass and S steps it, with focus still in the graph.
    await wb.page.keyboard.press('r');
    await frame
      .locator('#step-counter')
      .filter({ hasText: /^step 0 \/ 4$/ })
      .waitFor();
    await wb.page.keyboard.press('s');
    await frame
      .locator('#step-counter')
      .filter({ hasText: /^step 1 \/ 4$/ })
      .waitFor();

    // Enter does what a click does: it selects b's source in the editor, the leaf's assignment on line 7.
    await wb.page.keyboard.press('Enter');
    await wb.page
      .locator('.statusbar-item', { hasText: /Ln 7, Col 2 \(1 selected\)/ })
      .first()
      .waitFor();
  });

  it('opens the graph of a lens from its "Show graph" link', async () => {
    await wb.openFile('neuron.py');
    await wb.codeLenses(/Show graph/);
    await wb.page.locator('.editor-instance .codelens-decoration a', { hasText: 'Show graph' }).first().click();
    // o = tanh(n): the tanh node and o's value 0.7071.
    const { text } = await wb.webviewFrame([/tanh/, /data 0\.7071/]);
    await wb.screenshot('show-graph');
    for (const label of ['x1', 'w1', 'x2', 'w2', 'b', 'n', 'o'])
      assert.ok(new RegExp(`\\b${label}\\b`).test(text), `node ${label} missing`);
  });

  it('lists domain errors and unbound names in the Problems view', async () => {
    await wb.openFile('errors.py');
    const rows = await wb.problems(/\bq\b/);
    await wb.screenshot('problems');
    const all = rows.join('\n');
    assert.ok(
      rows.some((r) => /\blog\b/i.test(r)),
      `no problem about log(0) in:\n${all}`,
    );
    assert.ok(
      rows.some((r) => /\bq\b/.test(r)),
      `no problem about the unbound name q in:\n${all}`,
    );
  });
});
