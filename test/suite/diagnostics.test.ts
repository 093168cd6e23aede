// Problems at their exact ranges, and the quick fixes that repair them.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  closeWithoutSaving,
  eventually,
  gradientDiagnostics,
  lineOf,
  openFixture,
  openUntitled,
  rangeOf,
  waitForTitle,
} from './extensionHelpers';

function describeDiagnostic(diagnostic: vscode.Diagnostic): string {
  return `${String(diagnostic.code)} ${vscode.DiagnosticSeverity[diagnostic.severity]} ${describeRange(diagnostic.range)}`;
}

function describeRange({ start, end }: vscode.Range): string {
  return `${start.line}:${start.character}-${end.line}:${end.character}`;
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
  );
  return (actions ?? []).filter((action): action is vscode.CodeAction => 'edit' in action || 'kind' in action);
}

describe('Diagnostics', () => {
  it('reports a domain error and an unbound name at their exact ranges', async () => {
    const document = (await openFixture('errors.py')).document;
    const found = await eventually(() => {
      const diagnostics = gradientDiagnostics(document.uri);
      return diagnostics.length >= 2 ? diagnostics : undefined;
    }, 'diagnostics for errors.py');
    const described = found.map(describeDiagnostic).sort();
    assert.deepStrictEqual(described, [
      `domain Error ${describeRange(rangeOf(document, 'bad_log = log(zero)', 'log(zero)'))}`,
      `unbound Error ${describeRange(rangeOf(document, 'uses_unbound = q * 2.0', 'q'))}`,
    ]);
    const unbound = found.find((diagnostic) => diagnostic.code === 'unbound')!;
    assert.ok(unbound.message.includes('q'), unbound.message);
    const domain = found.find((diagnostic) => diagnostic.code === 'domain')!;
    assert.ok(/log/.test(domain.message) && /0/.test(domain.message), domain.message);
  });

  it('warns when the gradcheck cannot confirm a gradient (relu at its kink)', async () => {
    const document = (await openFixture('lens_cases.py')).document;
    const warning = await eventually(
      () => gradientDiagnostics(document.uri).find((diagnostic) => diagnostic.code === 'gradcheck'),
      'a gradcheck warning',
    );
    assert.strictEqual(warning.severity, vscode.DiagnosticSeverity.Warning);
    const line = lineOf(document, 'kink = relu(zero)  # @grad');
    assert.strictEqual(warning.range.start.line, line);
    await waitForTitle(document.uri, line, 'kink = 0.0000 · ∂kink/∂zero = 0.0000 · ✗ gradcheck');
  });

  it('clears the problems when the document is fixed', async () => {
    const editor = await openUntitled('u = log(v)  # @grad\n');
    try {
      const uri = editor.document.uri;
      await eventually(() => (gradientDiagnostics(uri).length === 1 ? true : undefined), 'the unbound diagnostic');
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'v = 2.0\n'));
      await eventually(() => (gradientDiagnostics(uri).length === 0 ? true : undefined), 'no diagnostics');
    } finally {
      await closeWithoutSaving();
    }
  });
});

/**
 * In a new untitled file holding `text`: waits for the diagnostic `code`, applies the quick fix
 * offered at `range` whose title matches, and returns the file's editor (closed by the caller).
 */
async function applyQuickFix(
  text: string,
  code: string,
  range: vscode.Range,
  title: RegExp,
): Promise<vscode.TextEditor> {
  const editor = await openUntitled(text);
  const uri = editor.document.uri;
  await eventually(
    () => gradientDiagnostics(uri).find((diagnostic) => diagnostic.code === code),
    `the ${code} diagnostic`,
  );
  const fix = (await quickFixes(uri, range)).find((action) => title.test(action.title));
  assert.ok(fix?.edit, `no quick fix titled ${String(title)}`);
  assert.ok(await vscode.workspace.applyEdit(fix.edit));
  return editor;
}

describe('Quick fixes', () => {
  afterEach(() => closeWithoutSaving());

  it('adds a binding for an unbound name to the annotation', async () => {
    const editor = await applyQuickFix(
      'r = z * 2.0  # @grad\n',
      'unbound',
      new vscode.Range(0, 4, 0, 5),
      /^Add binding `z=1\.0` to @grad$/,
    );
    assert.strictEqual(editor.document.lineAt(0).text, 'r = z * 2.0  # @grad z=1.0');
    await waitForTitle(editor.document.uri, 0, 'r = 2.0000 · ∂r/∂z = 2.0000 · ✓ gradcheck');
  });

  it('appends to existing bindings with a comma', async () => {
    const editor = await applyQuickFix(
      'r = y * z  # @grad y=3\n',
      'unbound',
      new vscode.Range(0, 8, 0, 9),
      /^Add binding `z=1\.0`/,
    );
    assert.strictEqual(editor.document.lineAt(0).text, 'r = y * z  # @grad y=3, z=1.0');
  });

  it('replaces ^ with **', async () => {
    const editor = await applyQuickFix(
      'a = 3.0\np = a ^ 2  # @grad\n',
      'parse',
      new vscode.Range(1, 6, 1, 7),
      /^Replace `\^` with `\*\*`$/,
    );
    assert.strictEqual(editor.document.lineAt(1).text, 'p = a ** 2  # @grad');
    await waitForTitle(editor.document.uri, 1, 'p = 9.0000 · ∂p/∂a = 6.0000 · ✓ gradcheck');
  });
});
