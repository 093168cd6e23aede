// Settings take effect at once, without a reload.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  closeWithoutSaving,
  codeLenses,
  eventually,
  lensTitles,
  lineOf,
  openFixture,
  openUntitled,
  waitForTitle,
  withSetting,
} from './extensionHelpers';

/** The uri of neuron.py and the line of its lens. */
async function neuron(): Promise<{ uri: vscode.Uri; line: number }> {
  const document = (await openFixture('neuron.py')).document;
  return { uri: document.uri, line: lineOf(document, 'o = n.tanh()  # @grad') };
}

describe('Settings', () => {
  it('gradientLens.precision changes the decimals', async () => {
    const { uri, line } = await neuron();
    await withSetting('precision', 2, () =>
      waitForTitle(
        uri,
        line,
        'o = 0.71 · ∂o/∂x1 = −1.50 · ∂o/∂x2 = 0.50 · ∂o/∂w1 = 1.00 · ∂o/∂w2 = 0.00 · ∂o/∂b = 0.50 · ∂o/∂n = 0.50 · ✓ gradcheck',
      ),
    );
  });

  it('gradientLens.lens.maxVariables caps the list with "+N more"', async () => {
    const { uri, line } = await neuron();
    await withSetting('lens.maxVariables', 2, () =>
      waitForTitle(uri, line, 'o = 0.7071 · ∂o/∂x1 = −1.5000 · ∂o/∂x2 = 0.5000 · +4 more · ✓ gradcheck'),
    );
  });

  it('gradientLens.gradcheck.enabled false drops the gradcheck', async () => {
    const document = (await openFixture('lens_cases.py')).document;
    await withSetting('gradcheck.enabled', false, () =>
      waitForTitle(
        document.uri,
        lineOf(document, 'ratio = a / b  # @grad'),
        'ratio = 0.7500 · ∂ratio/∂a = 0.2500 · ∂ratio/∂b = −0.1875',
      ),
    );
  });

  it('gradientLens.tag changes the annotation', async () => {
    const editor = await openUntitled('t = 2.0\nu = t * t  # @d\n');
    try {
      const uri = editor.document.uri;
      assert.deepStrictEqual(await lensTitles(uri), []);
      await withSetting('tag', '@d', () => waitForTitle(uri, 1, 'u = 4.0000 · ∂u/∂t = 4.0000 · ✓ gradcheck'));
    } finally {
      await closeWithoutSaving();
    }
  });

  it('gradientLens.languages adds a language', async () => {
    const editor = await openUntitled('t = 2.0\nu = t * 3  # @grad\n', 'plaintext');
    try {
      const uri = editor.document.uri;
      assert.deepStrictEqual(await lensTitles(uri), []);
      await withSetting('languages', ['plaintext'], () =>
        waitForTitle(uri, 1, 'u = 6.0000 · ∂u/∂t = 3.0000 · ✓ gradcheck'),
      );
    } finally {
      await closeWithoutSaving();
    }
  });

  it('gradientLens.maxFileSize skips a larger file', async () => {
    const uri = (await openFixture('neuron.py')).document.uri;
    await withSetting('maxFileSize', 5, () =>
      eventually(async () => ((await codeLenses(uri)).length === 0 ? true : undefined), 'no lenses'),
    );
    await eventually(async () => ((await codeLenses(uri)).length > 0 ? true : undefined), 'the lenses back');
  });

  it('gradientLens.enabled false turns everything off', async () => {
    const uri = (await openFixture('errors.py')).document.uri;
    await withSetting('enabled', false, async () => {
      await eventually(async () => ((await codeLenses(uri)).length === 0 ? true : undefined), 'no lenses');
      await eventually(
        () => (vscode.languages.getDiagnostics(uri).some((d) => d.source === 'Gradient Lens') ? undefined : true),
        'no diagnostics',
      );
    });
  });

  it('"Toggle Lenses" hides and shows the lenses', async () => {
    const uri = (await openFixture('neuron.py')).document.uri;
    const config = () => vscode.workspace.getConfiguration('gradientLens');
    const before = config().inspect('lens.enabled')?.globalValue;
    try {
      assert.strictEqual(await vscode.commands.executeCommand('gradientLens.toggleLenses'), false);
      await eventually(async () => ((await codeLenses(uri)).length === 0 ? true : undefined), 'no lenses');
      assert.strictEqual(await vscode.commands.executeCommand('gradientLens.toggleLenses'), true);
      await eventually(async () => ((await codeLenses(uri)).length > 0 ? true : undefined), 'the lenses back');
    } finally {
      await config().update('lens.enabled', before, vscode.ConfigurationTarget.Global);
    }
  });
});
