// What a user sees on micrograd's neuron (test/fixtures/workspace/neuron.py), checked the same way
// in every window the UI tests drive: the desktop-like Node extension host and the web worker one.
// `shot` names the step's screenshot, so each window's pictures stay apart.
import * as assert from 'assert';
import type { Workbench } from './workbench';

/** A minus sign as the extension prints it (U+2212) or as ASCII. */
export const MINUS = '[−-]';

export async function expectNeuronLens(wb: Workbench, shot: string): Promise<void> {
  await wb.openFile('neuron.py');
  const lenses = await wb.codeLenses(/o = 0\.7071/);
  await wb.screenshot(shot);
  const lens = lenses.find((t) => t.includes('o = 0.7071'));
  assert.ok(lens, `no lens starts with o = 0.7071 among ${JSON.stringify(lenses)}`);
  assert.match(lens, new RegExp(`^o = 0\\.7071 · ∂o/∂x1 = ${MINUS}1\\.5000 · `));
  assert.match(lens, /∂o\/∂w1 = 1\.0000/);
}

export async function expectNeuronHover(wb: Workbench, shot: string): Promise<void> {
  await wb.openFile('neuron.py');
  const text = await wb.hover('n = x1*w1 + x2*w2 + b', 'x1', /∂o\/∂x1/);
  await wb.screenshot(shot);
  assert.match(text, /x1/);
  assert.match(text, /2\.0000/, `the value of x1 is missing from: ${text}`);
  // The gradient ends its chain-rule line: ∂o/∂x1 = w1 · (1 − o²) = −3.0000 × 0.5000 = −1.5000.
  assert.match(text, new RegExp(`∂o/∂x1\\s*=[^\\n]*=\\s*${MINUS}1\\.5000`), `the gradient is missing from: ${text}`);
}
