// "Differentiate Selection" and "Show Graph", run as the palette runs them; each returns the lens
// it computed or showed, which is what these tests check.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Lens } from '../../src/core/types';
import { closeWithoutSaving, fixture, lineOf, openFixture, openUntitled, rangeOf } from './extensionHelpers';

function select(editor: vscode.TextEditor, line: number, from: number, to: number): void {
  editor.selection = new vscode.Selection(line, from, line, to);
}

function selectText(editor: vscode.TextEditor, range: vscode.Range): void {
  editor.selection = new vscode.Selection(range.start, range.end);
}

/** Puts the cursor (nothing selected) on the line that holds `text`. */
function cursorOn(editor: vscode.TextEditor, text: string, character = 2): void {
  const line = lineOf(editor.document, text);
  editor.selection = new vscode.Selection(line, character, line, character);
}

function gradOf(lens: Lens, name: string): number | undefined {
  return lens.variables.find((variable) => variable.name === name)?.grad;
}

describe('Differentiate Selection', () => {
  it('differentiates a selected expression, resolving names from the lines above', async () => {
    const editor = await openFixture('neuron.py');
    selectText(editor, rangeOf(editor.document, 'n = x1*w1 + x2*w2 + b', 'x1*w1 + x2*w2 + b'));
    assert.strictEqual(editor.document.getText(editor.selection), 'x1*w1 + x2*w2 + b');
    const lens = await vscode.commands.executeCommand<Lens>('gradientLens.differentiateSelection');
    assert.ok(lens, 'the command returned no lens');
    assert.deepStrictEqual(lens.problems, []);
    assert.ok(Math.abs(lens.value! - 0.8813735870195432) < 1e-12, String(lens.value));
    assert.strictEqual(gradOf(lens, 'x1'), -3);
    assert.strictEqual(gradOf(lens, 'w1'), 2);
    assert.strictEqual(gradOf(lens, 'b'), 1);
  });

  it('differentiates a whole selected statement, annotation and all', async () => {
    const editor = await openFixture('neuron.py');
    const line = editor.document.lineAt(lineOf(editor.document, 'o = n.tanh()  # @grad'));
    selectText(editor, line.range);
    const lens = await vscode.commands.executeCommand<Lens>('gradientLens.differentiateSelection');
    assert.strictEqual(lens.target, 'o');
    assert.ok(Math.abs(lens.value! - Math.SQRT1_2) < 1e-9, String(lens.value));
    assert.ok(Math.abs(gradOf(lens, 'x1')! + 1.5) < 1e-9);
  });

  it("takes the cursor's line when nothing is selected", async () => {
    const editor = await openFixture('lens_cases.py');
    cursorOn(editor, 'ratio = a / b  # @grad');
    const lens = await vscode.commands.executeCommand<Lens>('gradientLens.differentiateSelection');
    assert.strictEqual(lens.target, 'ratio');
    assert.strictEqual(lens.value, 0.75);
    assert.strictEqual(gradOf(lens, 'b'), -0.1875);
  });

  it('asks for a missing value with an input box prefilled name=1.0', async () => {
    const editor = await openUntitled('scale = 3.0\nresult = scale * k\n');
    try {
      select(editor, 1, 9, 18); // scale * k
      const asked: Array<{ prefill: string; missing: string[] }> = [];
      const askBindings = async (prefill: string, missing: string[]) => {
        asked.push({ prefill, missing });
        return 'k=2.5';
      };
      const lens = await vscode.commands.executeCommand<Lens>('gradientLens.differentiateSelection', { askBindings });
      assert.deepStrictEqual(asked, [{ prefill: 'k=1.0', missing: ['k'] }]);
      assert.deepStrictEqual(lens.problems, []);
      assert.strictEqual(lens.value, 7.5);
      assert.strictEqual(gradOf(lens, 'k'), 3);
      assert.strictEqual(gradOf(lens, 'scale'), 2.5);
    } finally {
      await closeWithoutSaving();
    }
  });

  it('keeps the error when the input box is dismissed', async () => {
    const editor = await openUntitled('result = 2.0 * k\n');
    try {
      select(editor, 0, 9, 16);
      const lens = await vscode.commands.executeCommand<Lens>('gradientLens.differentiateSelection', {
        askBindings: async () => undefined,
      });
      assert.strictEqual(lens.value, null);
      assert.deepStrictEqual(
        lens.problems.map((problem) => [problem.code, problem.name]),
        [['unbound', 'k']],
      );
    } finally {
      await closeWithoutSaving();
    }
  });
});

describe('Show Graph', () => {
  it('finds the lens of a given line', async () => {
    await openFixture('neuron.ts');
    const line = lineOf(await vscode.workspace.openTextDocument(fixture('neuron.py')), 'o = n.tanh()  # @grad');
    const lens = await vscode.commands.executeCommand<Lens>('gradientLens.showGraph', fixture('neuron.py'), line);
    assert.strictEqual(lens?.target, 'o');
    assert.strictEqual(lens.line, line);
  });

  it('finds the lens at the cursor', async () => {
    const editor = await openFixture('lens_cases.py');
    cursorOn(editor, 'ratio = a / b  # @grad');
    const lens = await vscode.commands.executeCommand<Lens>('gradientLens.showGraph');
    assert.strictEqual(lens?.target, 'ratio');
  });

  it('has nothing to show away from a lens', async () => {
    const editor = await openFixture('lens_cases.py');
    cursorOn(editor, "# Lenses for the extension's own tests", 0);
    assert.strictEqual(await vscode.commands.executeCommand('gradientLens.showGraph'), undefined);
  });
});
