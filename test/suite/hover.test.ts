// Hovers over names (value, gradient, leaf or not, where defined) and over operators (the seed's
// local derivative with the numbers filled in).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { eventually, hoverText, lineOf, middleOf, openFixture, rangeOf } from './extensionHelpers';

/** The hover over `part` of the line of `file` that holds `text`. */
async function hoverAt(file: string, text: string, part: string): Promise<string> {
  const document = (await openFixture(file)).document;
  const position = middleOf(rangeOf(document, text, part));
  return eventually(
    async () => (await hoverText(document.uri, position)) || undefined,
    `a hover at ${file}:${position.line + 1}:${position.character + 1}`,
  );
}

function assertIncludes(text: string, ...parts: string[]): void {
  for (const part of parts) assert.ok(text.includes(part), `hover lacks ${JSON.stringify(part)}:\n${text}`);
}

describe('Hover', () => {
  it("shows a leaf's value, gradient and definition, in an assignment the lens uses", async () => {
    const text = await hoverAt('neuron.py', 'n = x1*w1 + x2*w2 + b', 'x1');
    assertIncludes(
      text,
      'x1 = 2.0000',
      '∂o/∂x1 = w1 · (1 − o²) = −3.0000 × 0.5000 = −1.5000',
      'leaf',
      'assigned on line 3',
      'Gradient Lens',
    );
  });

  it('shows an intermediate in the annotated statement', async () => {
    const text = await hoverAt('neuron.py', 'o = n.tanh()', 'n');
    assertIncludes(text, 'n = 0.8814', '∂o/∂n = 1 − o² = 0.5000', 'intermediate', 'assigned on line 8');
  });

  it('shows the local derivative of * with the numbers filled in', async () => {
    const text = await hoverAt('neuron.py', 'n = x1*w1 + x2*w2 + b', '*');
    assertIncludes(text, 'c = a · b', '∂c/∂a = b = −3.0000', '∂c/∂b = a = 2.0000', 'upstream ∂o/∂c = 0.5000');
  });

  it('shows the local derivative of tanh', async () => {
    const text = await hoverAt('neuron.py', 'o = n.tanh()', 'tanh');
    assertIncludes(text, 'c = tanh(a)', '∂c/∂a = 1 − c² = 0.5000');
  });

  it('says where a bound name gets its value', async () => {
    const text = await hoverAt('lens_cases.py', 'bound = x * y  # @grad x=2, y=-1.5', 'x');
    assertIncludes(text, 'x = 2.0000', '∂bound/∂x = y = −1.5000', 'bound in the annotation on line 9');
  });

  it('shows the whole lens over its target, past the CodeLens\'s "+N more"', async () => {
    const text = await hoverAt('neuron.py', 'o = n.tanh()', 'o');
    assertIncludes(
      text,
      'o = 0.7071',
      '∂o/∂x1 = −1.5000    (x1 = 2.0000, leaf)',
      '∂o/∂n = 0.5000    (n = 0.8814, intermediate)',
      'gradcheck ✓',
    );
  });

  it('explains a doubtful gradcheck over the annotation', async () => {
    const text = await hoverAt('lens_cases.py', 'kink = relu(zero)  # @grad', '@grad');
    assertIncludes(text, 'gradcheck ✗', 'zero: analytic 0.0000, numeric 0.5000', 'kink');
  });

  it('stays silent outside lenses', async () => {
    const document = (await openFixture('neuron.py')).document;
    assert.strictEqual(
      await hoverText(document.uri, new vscode.Position(lineOf(document, "# micrograd's neuron"), 4)),
      '',
    );
  });
});
