// UI end-to-end tests: the packaged VSIX installed into the real VS Code (code-server), used
// through Chromium the way a person uses it. Each step leaves a screenshot in test-results/e2e/.
// Numbers come from test/fixtures/workspace/neuron.py, micrograd's neuron.
import * as assert from 'assert';
import { Workbench } from './workbench';

/** A minus sign as the extension prints it (U+2212) or as ASCII. */
const MINUS = '[−-]';

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

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  it('shows the value and the gradients in a CodeLens above the @grad line', async () => {
    await wb.openFile('neuron.py');
    const lenses = await wb.codeLenses(/o = 0\.7071/);
    await wb.screenshot('codelens');
    const lens = lenses.find((t) => t.includes('o = 0.7071'));
    assert.ok(lens, `no lens starts with o = 0.7071 among ${JSON.stringify(lenses)}`);
    assert.match(lens, new RegExp(`^o = 0\\.7071 · ∂o/∂x1 = ${MINUS}1\\.5000 · `));
    assert.match(lens, /∂o\/∂w1 = 1\.0000/);
  });

  it('shows a name\'s value and gradient in a hover', async () => {
    await wb.openFile('neuron.py');
    const text = await wb.hover('n = x1*w1 + x2*w2 + b', 'x1', /∂o\/∂x1/);
    await wb.screenshot('hover');
    assert.match(text, /x1/);
    assert.match(text, /2\.0000/, `the value of x1 is missing from: ${text}`);
    assert.match(text, new RegExp(`∂o/∂x1\\s*=\\s*${MINUS}1\\.5000`), `the gradient is missing from: ${text}`);
  });

  it('draws the graph of a selection after "Differentiate Selection"', async () => {
    await wb.openFile('neuron.py');
    await wb.select('neuron.py', 8, 'x1*w1 + x2*w2 + b');
    await wb.screenshot('selection');
    await wb.runCommand('Gradient Lens: Differentiate Selection');
    // n = x1*w1 + x2*w2 + b = 0.8814, and ∂n/∂x1 = w1 = -3.
    const { text } = await wb.webviewFrame([/x1/, /w1/, /x2/, /w2/, /data 0\.8814/, new RegExp(`grad ${MINUS}3\\.0000`)]);
    await wb.screenshot('graph');
    for (const label of ['x1', 'w1', 'x2', 'w2', 'b']) assert.ok(text.includes(label), `node ${label} missing`);
    assert.match(text, /data 2\.0000/, 'x1 = 2.0 should be a node with data 2.0000');
    assert.match(text, /\*/, 'the graph should show the * op nodes');
    assert.match(text, /\+/, 'the graph should show the + op nodes');
  });

  it('lists domain errors and unbound names in the Problems view', async () => {
    await wb.openFile('errors.py');
    const rows = await wb.problems(/\bq\b/);
    await wb.screenshot('problems');
    const all = rows.join('\n');
    assert.ok(rows.some((r) => /\blog\b/i.test(r)), `no problem about log(0) in:\n${all}`);
    assert.ok(rows.some((r) => /\bq\b/.test(r)), `no problem about the unbound name q in:\n${all}`);
  });
});
