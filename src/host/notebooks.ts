// Notebook cells as the core sees them: the code cells of a notebook, in order. A range in a
// notebook result may carry `cell`, the index of the code cell it lies in (when that is not the
// lens's own cell); these helpers find the document it belongs to.
import * as vscode from 'vscode';
import type { Lens, Located, Position, Range } from '../core';
import { containsPosition } from '../core/ranges';

/** The notebook that holds this cell document, if it is one. */
export function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (document.uri.scheme !== 'vscode-notebook-cell') return undefined;
  const uri = document.uri.toString();
  return vscode.workspace.notebookDocuments.find((notebook) =>
    notebook.getCells().some((cell) => cell.document.uri.toString() === uri),
  );
}

export function codeCells(notebook: vscode.NotebookDocument): vscode.TextDocument[] {
  return notebook
    .getCells()
    .filter((cell) => cell.kind === vscode.NotebookCellKind.Code)
    .map((cell) => cell.document);
}

/** For a notebook cell: its notebook's code cells and its index among them. Undefined for other documents. */
export function codeCellsAround(
  document: vscode.TextDocument,
): { cells: vscode.TextDocument[]; index: number } | undefined {
  const notebook = notebookOf(document);
  if (!notebook) return undefined;
  const cells = codeCells(notebook);
  const uri = document.uri.toString();
  return { cells, index: cells.findIndex((cell) => cell.uri.toString() === uri) };
}

/** The document a result range lies in: the lens's own document, or another code cell. */
export function documentOfRange(document: vscode.TextDocument, range: Range): vscode.TextDocument {
  if (range.cell === undefined) return document;
  const notebook = notebookOf(document);
  return (notebook && codeCells(notebook)[range.cell]) ?? document;
}

/**
 * What a lens of a lower cell has at `position` of code cell `cell`: names and operators in the
 * assignments it expands from that cell. (The core's `locate` only looks at the lens's own cell.)
 * The returned ranges are relative to `cell`.
 */
export function locateInCellAbove(lens: Lens, position: Position, cell: number): Located | undefined {
  const inCell = (range: Range) => range.cell === cell && containsPosition(range, position);
  const local = (range: Range): Range => ({ start: range.start, end: range.end });
  for (const variable of lens.variables) {
    const range = [...variable.occurrences, variable.definedAt].find(inCell);
    if (range) return { kind: 'variable', variable, range: local(range) };
  }
  const op = lens.ops.find((each) => inCell(each.range));
  return op && { kind: 'op', op: { ...op, range: local(op.range) } };
}
