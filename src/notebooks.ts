// Notebook cells as the core sees them: the code cells of a notebook, in order. A range in a
// notebook result may carry `cell`, the index of the code cell it lies in (when that is not the
// lens's own cell); these helpers find the document it belongs to.
import * as vscode from 'vscode';
import type { Range } from './core';

/** The notebook that holds this cell document, if it is one. */
export function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (document.uri.scheme !== 'vscode-notebook-cell') return undefined;
  const uri = document.uri.toString();
  return vscode.workspace.notebookDocuments.find((notebook) =>
    notebook.getCells().some((cell) => cell.document.uri.toString() === uri),
  );
}

export function codeCells(notebook: vscode.NotebookDocument): vscode.TextDocument[] {
  return notebook.getCells().filter((cell) => cell.kind === vscode.NotebookCellKind.Code).map((cell) => cell.document);
}

/** The document a result range lies in: the lens's own document, or another code cell. */
export function documentOfRange(document: vscode.TextDocument, range: Range): vscode.TextDocument {
  if (range.cell === undefined) return document;
  const notebook = notebookOf(document);
  return (notebook && codeCells(notebook)[range.cell]) ?? document;
}
