// The CodeLens titles, exactly as users (and the UI tests) see them, in every default language.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  closeWithoutSaving,
  codeLenses,
  eventually,
  fixture,
  lensTitles,
  lineOf,
  openFixture,
  openUntitled,
  waitForTitle,
} from './extensionHelpers';

const NEURON_TITLE =
  'o = 0.7071 · ∂o/∂x1 = −1.5000 · ∂o/∂x2 = 0.5000 · ∂o/∂w1 = 1.0000 · ∂o/∂w2 = 0.0000 · ∂o/∂b = 0.5000 · ∂o/∂n = 0.5000 · ✓ gradcheck';
const PRODUCT_TITLE = 'c = −6.0000 · ∂c/∂a = −3.0000 · ∂c/∂b = 2.0000 · ✓ gradcheck';
const NEURON_STATEMENT = 'o = n.tanh()  # @grad';

describe('CodeLens', () => {
  it("shows micrograd's neuron in Python with the exact title", async () => {
    const editor = await openFixture('neuron.py');
    await waitForTitle(editor.document.uri, lineOf(editor.document, NEURON_STATEMENT), NEURON_TITLE);
  });

  it('adds a "Show graph" lens that opens the graph of that lens', async () => {
    const editor = await openFixture('neuron.py');
    const line = lineOf(editor.document, NEURON_STATEMENT);
    await waitForTitle(editor.document.uri, line, NEURON_TITLE);
    const graph = (await codeLenses(editor.document.uri)).find((lens) => lens.command?.title === 'Show graph');
    assert.ok(graph?.command, 'no Show graph lens');
    assert.strictEqual(graph.command.command, 'gradientLens.showGraph');
    assert.strictEqual(graph.range.start.line, line);
    const [uri, argumentLine] = graph.command.arguments ?? [];
    assert.strictEqual(String(uri), editor.document.uri.toString());
    assert.strictEqual(argumentLine, line);
    const values = (await codeLenses(editor.document.uri)).find((lens) => lens.command?.title === NEURON_TITLE);
    assert.strictEqual(values?.command?.command, 'gradientLens.showGraph', 'the values are a link to the graph too');
  });

  it('shows the same neuron in TypeScript', async () => {
    const editor = await openFixture('neuron.ts');
    assert.strictEqual(editor.document.languageId, 'typescript');
    await waitForTitle(editor.document.uri, lineOf(editor.document, 'const o = Math.tanh(n); // @grad'), NEURON_TITLE);
  });

  // The .tsx file annotates the statement with a block comment on the line above.
  for (const [file, language] of [
    ['lens_sample.js', 'javascript'],
    ['lens_sample.jsx', 'javascriptreact'],
    ['lens_sample.tsx', 'typescriptreact'],
  ] as const) {
    it(`works in ${language} (${file})`, async () => {
      const editor = await openFixture(file);
      assert.strictEqual(editor.document.languageId, language);
      await waitForTitle(editor.document.uri, lineOf(editor.document, 'c = a * b;'), PRODUCT_TITLE);
    });
  }

  it('shows division, a leading annotation and annotation bindings', async () => {
    const document = (await openFixture('lens_cases.py')).document;
    await waitForTitle(
      document.uri,
      lineOf(document, 'ratio = a / b  # @grad'),
      'ratio = 0.7500 · ∂ratio/∂a = 0.2500 · ∂ratio/∂b = −0.1875 · ✓ gradcheck',
    );
    // The annotation is on the line above; the lens belongs to the statement.
    await waitForTitle(
      document.uri,
      lineOf(document, 'diff = a - b'),
      'diff = −1.0000 · ∂diff/∂a = 1.0000 · ∂diff/∂b = −1.0000 · ✓ gradcheck',
    );
    await waitForTitle(
      document.uri,
      lineOf(document, 'bound = x * y  # @grad x=2, y=-1.5'),
      'bound = −3.0000 · ∂bound/∂x = −1.5000 · ∂bound/∂y = 2.0000 · ✓ gradcheck',
    );
  });

  it('shows a short error lens that opens the problem', async () => {
    const uri = (await openFixture('errors.py')).document.uri;
    const lenses = await eventually(async () => {
      const found = (await codeLenses(uri)).filter((lens) => lens.command?.title.startsWith('✗'));
      return found.length === 2 ? found : undefined;
    }, 'two error lenses');
    const titles = lenses.map((lens) => lens.command?.title ?? '');
    assert.ok(titles[0].startsWith('✗ bad_log: '), titles[0]);
    assert.ok(titles[1].startsWith('✗ uses_unbound: '), titles[1]);
    assert.ok(titles[1].includes('q'), `the unbound name is named: ${titles[1]}`);
    for (const lens of lenses) {
      assert.ok(lens.command!.title.length <= 90, 'error lenses stay short');
      assert.strictEqual(lens.command!.command, 'gradientLens.openProblem');
      const [target, range] = lens.command!.arguments ?? [];
      assert.strictEqual(String(target), uri.toString());
      assert.ok(range instanceof vscode.Range);
    }
    assert.ok(!(await lensTitles(uri)).includes('Show graph'), 'a failing lens has no graph to show');
  });

  it('serves untitled documents and follows edits', async () => {
    const editor = await openUntitled('k = 2.0\nm = k * k  # @grad\n');
    try {
      await waitForTitle(editor.document.uri, 1, 'm = 4.0000 · ∂m/∂k = 4.0000 · ✓ gradcheck');
      await editor.edit((edit) => edit.replace(new vscode.Range(0, 4, 0, 7), '3.0'));
      await waitForTitle(editor.document.uri, 1, 'm = 9.0000 · ∂m/∂k = 6.0000 · ✓ gradcheck');
    } finally {
      await closeWithoutSaving();
    }
  });

  it('never edits the file by itself', async () => {
    const editor = await openFixture('lens_cases.py');
    await waitForTitle(
      editor.document.uri,
      lineOf(editor.document, 'ratio = a / b  # @grad'),
      'ratio = 0.7500 · ∂ratio/∂a = 0.2500 · ∂ratio/∂b = −0.1875 · ✓ gradcheck',
    );
    assert.strictEqual(editor.document.isDirty, false);
  });
});

describe('CodeLens for a failing lens', () => {
  it('reveals the problem when its lens is clicked', async () => {
    const uri = fixture('errors.py');
    await openFixture('errors.py');
    const lens = await eventually(
      async () => (await codeLenses(uri)).find((each) => each.command?.title.startsWith('✗ uses_unbound')),
      'the unbound lens',
    );
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.toString(), uri.toString());
    assert.strictEqual(editor.document.getText(editor.selection), 'q');
  });
});
