// Hovers over names (value, gradient, leaf or not, where defined) and over operators (the seed's
// local derivative with the numbers filled in).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { eventually, hoverText, openFixture } from './extensionHelpers';

async function hoverAt(file: string, line: number, character: number): Promise<string> {
  const uri = (await openFixture(file)).document.uri;
  return eventually(async () => (await hoverText(uri, new vscode.Position(line, character))) || undefined, `a hover at ${file}:${line + 1}:${character + 1}`);
}

function assertIncludes(text: string, ...parts: string[]): void {
  for (const part of parts) assert.ok(text.includes(part), `hover lacks ${JSON.stringify(part)}:\n${text}`);
}

describe('Hover', () => {
  it('shows a leaf\'s value, gradient and definition, in an assignment the lens uses', async () => {
    const text = await hoverAt('neuron.py', 7, 5); // x1 in `n = x1*w1 + …`
    assertIncludes(text, 'x1 = 2.0000', '∂o/∂x1 = −1.5000', 'leaf', 'assigned on line 3', 'Gradient Lens');
  });

  it('shows an intermediate in the annotated statement', async () => {
    const text = await hoverAt('neuron.py', 8, 4); // n in `o = n.tanh()`
    assertIncludes(text, 'n = 0.8814', '∂o/∂n = 0.5000', 'intermediate', 'assigned on line 8');
  });

  it('shows the local derivative of * with the numbers filled in', async () => {
    const text = await hoverAt('neuron.py', 7, 6); // the * of x1*w1
    assertIncludes(text, 'c = a · b', '∂c/∂a = b = −3.0000', '∂c/∂b = a = 2.0000', 'upstream ∂o/∂c = 0.5000');
  });

  it('shows the local derivative of tanh', async () => {
    const text = await hoverAt('neuron.py', 8, 7); // tanh in `n.tanh()`
    assertIncludes(text, 'c = tanh(a)', '∂c/∂a = 1 − c² = 0.5000');
  });

  it('says where a bound name gets its value', async () => {
    const text = await hoverAt('lens_cases.py', 8, 8); // x in `bound = x * y  # @grad x=2, y=-1.5`
    assertIncludes(text, 'x = 2.0000', '∂bound/∂x = −1.5000', 'bound in the annotation on line 9');
  });

  it('shows the whole lens over its target, past the CodeLens\'s "+N more"', async () => {
    const text = await hoverAt('neuron.py', 8, 0); // o in `o = n.tanh()`
    assertIncludes(text, 'o = 0.7071', '∂o/∂x1 = −1.5000    (x1 = 2.0000, leaf)', '∂o/∂n = 0.5000    (n = 0.8814, intermediate)', 'gradcheck ✓');
  });

  it('explains a doubtful gradcheck over the annotation', async () => {
    const text = await hoverAt('lens_cases.py', 7, 23); // the @grad of `kink = relu(zero)`
    assertIncludes(text, 'gradcheck ✗', 'zero: analytic 0.0000, numeric 0.5000', 'kink');
  });

  it('stays silent outside lenses', async () => {
    const uri = (await openFixture('neuron.py')).document.uri;
    assert.strictEqual(await hoverText(uri, new vscode.Position(0, 4)), '');
  });
});
