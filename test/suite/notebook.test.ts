// Jupyter notebooks: lenses in code cells, names resolved through the cells above.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Lens } from '../../src/core/types';
import { activate, fixture, hoverText, eventually, lineOf, middleOf, rangeOf, waitForTitle } from './extensionHelpers';

async function openNotebook(): Promise<vscode.NotebookDocument> {
  await activate();
  const notebook = await vscode.workspace.openNotebookDocument(fixture('cells.ipynb'));
  await vscode.window.showNotebookDocument(notebook);
  return notebook;
}

/** The one code cell that holds `text`. */
function cellWith(notebook: vscode.NotebookDocument, text: string): vscode.TextDocument {
  const cells = notebook
    .getCells()
    .filter((cell) => cell.kind === vscode.NotebookCellKind.Code && cell.document.getText().includes(text));
  assert.strictEqual(
    cells.length,
    1,
    `${JSON.stringify(text)} should be in exactly one code cell, not ${cells.length}`,
  );
  return cells[0].document;
}

describe('Notebook', () => {
  it('puts lenses in code cells, resolving names through the cells above', async () => {
    const notebook = await openNotebook();
    const product = cellWith(notebook, 'y = x * w  # @grad');
    const square = cellWith(notebook, 's = y * y  # @grad');
    await waitForTitle(
      product.uri,
      lineOf(product, 'y = x * w  # @grad'),
      'y = −6.0000 · ∂y/∂x = −3.0000 · ∂y/∂w = 2.0000 · ✓ gradcheck',
    );
    await waitForTitle(
      square.uri,
      lineOf(square, 's = y * y  # @grad'),
      's = 36.0000 · ∂s/∂x = 36.0000 · ∂s/∂w = −24.0000 · ∂s/∂y = −12.0000 · ✓ gradcheck',
    );
  });

  it('hovers over a name defined in a cell above', async () => {
    const cell = cellWith(await openNotebook(), 'y = x * w  # @grad');
    const x = middleOf(rangeOf(cell, 'y = x * w', 'x'));
    const text = await eventually(async () => (await hoverText(cell.uri, x)) || undefined, 'a hover over x');
    assert.ok(text.includes('∂y/∂x = w = −3.0000'), text);
  });

  it('hovers over an assignment in a cell above, used by a lens below', async () => {
    const cell = cellWith(await openNotebook(), 'w = -3.0');
    const w = rangeOf(cell, 'w = -3.0', 'w').start;
    const text = await eventually(async () => (await hoverText(cell.uri, w)) || undefined, 'a hover over w in cell 1');
    assert.ok(text.includes('w = −3.0000'), text);
    assert.ok(text.includes('∂y/∂w = x = 2.0000'), text);
    assert.ok(text.includes('assigned on line 2 of code cell 1'), text);
  });

  it('differentiates a selection in a cell with the cells above as context', async () => {
    const editor = await vscode.window.showTextDocument(cellWith(await openNotebook(), 's = y * y  # @grad'));
    const product = rangeOf(editor.document, 's = y * y', 'y * y');
    editor.selection = new vscode.Selection(product.start, product.end);
    const lens = await vscode.commands.executeCommand<Lens>('gradientLens.differentiateSelection');
    assert.deepStrictEqual(lens.problems, []);
    assert.strictEqual(lens.value, 36);
  });
});
