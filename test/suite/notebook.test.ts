// Jupyter notebooks: lenses in code cells, names resolved through the cells above.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Lens } from '../../src/core/types';
import { activate, fixture, hoverText, eventually, waitForTitle } from './extensionHelpers';

async function openNotebook(): Promise<vscode.NotebookDocument> {
  await activate();
  const notebook = await vscode.workspace.openNotebookDocument(fixture('cells.ipynb'));
  await vscode.window.showNotebookDocument(notebook);
  return notebook;
}

describe('Notebook', () => {
  it('puts lenses in code cells, resolving names through the cells above', async () => {
    const notebook = await openNotebook();
    assert.strictEqual(notebook.cellAt(2).kind, vscode.NotebookCellKind.Code);
    await waitForTitle(notebook.cellAt(2).document.uri, 0, 'y = −6.0000 · ∂y/∂x = −3.0000 · ∂y/∂w = 2.0000 · ✓ gradcheck');
    await waitForTitle(notebook.cellAt(3).document.uri, 0, 's = 36.0000 · ∂s/∂x = 36.0000 · ∂s/∂w = −24.0000 · ∂s/∂y = −12.0000 · ✓ gradcheck');
  });

  it('hovers over a name defined in a cell above', async () => {
    const notebook = await openNotebook();
    const uri = notebook.cellAt(2).document.uri;
    const text = await eventually(async () => (await hoverText(uri, new vscode.Position(0, 4))) || undefined, 'a hover over x');
    assert.ok(text.includes('∂y/∂x = −3.0000'), text);
  });

  it('hovers over an assignment in a cell above, used by a lens below', async () => {
    const notebook = await openNotebook();
    const uri = notebook.cellAt(0).document.uri;
    const text = await eventually(async () => (await hoverText(uri, new vscode.Position(1, 0))) || undefined, 'a hover over w in cell 1');
    assert.ok(text.includes('w = −3.0000'), text);
    assert.ok(text.includes('∂y/∂w = 2.0000'), text);
    assert.ok(text.includes('assigned on line 2 of code cell 1'), text);
  });

  it('differentiates a selection in a cell with the cells above as context', async () => {
    const notebook = await openNotebook();
    const editor = await vscode.window.showTextDocument(notebook.cellAt(3).document);
    editor.selection = new vscode.Selection(0, 4, 0, 9); // y * y
    const lens = await vscode.commands.executeCommand<Lens>('gradientLens.differentiateSelection');
    assert.deepStrictEqual(lens.problems, []);
    assert.strictEqual(lens.value, 36);
  });
});
