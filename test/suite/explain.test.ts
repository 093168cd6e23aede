// Issue 11 in the real editor: the hover explains a gradient (the chain rule with the numbers, each
// use and the sum, why it is 0), the health notes reach the Problems view as information, and the
// inlay hints appear only with `gradientLens.inlineHints` on.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  eventually,
  gradientDiagnostics,
  hoverText,
  middleOf,
  openFixture,
  rangeOf,
  withSetting,
} from './extensionHelpers';

/** `b = a + a` (a name used twice) and `o = n.relu() + x` with n < 0 (a dead ReLU). */
const FIXTURE = 'explain.py';

async function hoverOver(document: vscode.TextDocument, text: string, part: string): Promise<string> {
  const at = middleOf(rangeOf(document, text, part));
  return eventually(async () => (await hoverText(document.uri, at)) || undefined, `a hover over ${part}`);
}

async function inlayHints(document: vscode.TextDocument): Promise<vscode.InlayHint[]> {
  const all = new vscode.Range(0, 0, document.lineCount, 0);
  return (
    (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, all)) ??
    []
  );
}

function labelOf(hint: vscode.InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
}

describe('Explain the gradients', () => {
  it('the hover over a name used twice lists each use and the sum', async () => {
    const { document } = await openFixture(FIXTURE);
    const text = await hoverOver(document, 'b = a + a', 'a');
    assert.ok(text.includes('∂b/∂a = 1 + 1 = 1.0000 (first a) + 1.0000 (second a) = 2.0000'), text);
  });

  it('the hover says why a gradient is 0, and the dead ReLU is an information in the Problems view', async () => {
    const { document } = await openFixture(FIXTURE);
    const text = await hoverOver(document, 'n = x * w', 'w');
    assert.ok(text.includes('∂o/∂w = x · [n > 0] = 2.0000 × 0.0000 = 0.0000'), text);
    assert.ok(text.includes('why: ∂o/∂w is 0: relu(n) gets n = −0.5000 ≤ 0, so it passes no gradient'), text);
    const dead = await eventually(
      () => gradientDiagnostics(document.uri).find((d) => d.code === 'dead-relu'),
      'the dead-relu diagnostic',
    );
    assert.strictEqual(dead.severity, vscode.DiagnosticSeverity.Information);
    assert.ok(dead.message.includes('relu(n) gets n = −0.5000 ≤ 0'), dead.message);
    await withSetting('health.deadRelu', false, () =>
      eventually(
        () => (gradientDiagnostics(document.uri).some((d) => d.code === 'dead-relu') ? undefined : true),
        'the dead-relu diagnostic to go with its setting off',
      ),
    );
  });

  it('inlay hints: none by default, ∂ after each variable of the statement when turned on', async () => {
    const { document } = await openFixture(FIXTURE);
    await eventually(
      async () => (await hoverText(document.uri, middleOf(rangeOf(document, 'n = x * w', 'w')))) || undefined,
      'the analysis',
    );
    assert.deepStrictEqual(await inlayHints(document), []);
    await withSetting('inlineHints', true, async () => {
      const hints = await eventually(async () => {
        const found = await inlayHints(document);
        return found.length > 0 ? found : undefined;
      }, 'inlay hints');
      const line = rangeOf(document, 'o = n.relu() + x').start.line;
      const shown = hints
        .filter((hint) => hint.position.line === line)
        .map((hint) => `${hint.position.line}:${hint.position.character} ${labelOf(hint)}`)
        .sort();
      assert.deepStrictEqual(shown, [`${line}:16 ∂=1.00`, `${line}:5 ∂=0.00`]); // x, n (sorted as text)
    });
  });
});
