// What "the active file or notebook" is for a trace: the document, or the notebook whose cell is
// being edited, with what the runner needs from it and a snapshot of its versions (a different
// snapshot later means the traced results are stale).
import * as vscode from 'vscode';
import type { TraceSourceLanguage } from '../../trace/protocol';
import { codeCells, notebookOf } from '../notebooks';

export const TRACE_LANGUAGES: ReadonlySet<string> = new Set<TraceSourceLanguage>([
  'python',
  'javascript',
  'typescript',
  'javascriptreact',
  'typescriptreact',
]);

export interface TraceTarget {
  /** The file's or the notebook's uri: the key of its traced results. */
  uri: vscode.Uri;
  /** For messages: `neuron.py`. */
  name: string;
  languageId: string;
  /** The notebook, when the target is one. */
  notebook?: vscode.NotebookDocument;
  /** The file, or the notebook's code cells in order. */
  documents: vscode.TextDocument[];
}

/** The active editor's file or notebook; undefined when no editor is active. */
export function activeTarget(): TraceTarget | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor) return targetOf(editor.document);
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  return notebook && notebookTarget(notebook);
}

/** The target a document belongs to: its notebook's for a cell, else its own. */
export function targetOf(document: vscode.TextDocument): TraceTarget {
  const notebook = notebookOf(document);
  if (notebook) return notebookTarget(notebook);
  return { uri: document.uri, name: baseName(document.uri), languageId: document.languageId, documents: [document] };
}

export function notebookTarget(notebook: vscode.NotebookDocument): TraceTarget {
  const cells = codeCells(notebook);
  return {
    uri: notebook.uri,
    name: baseName(notebook.uri),
    languageId: cells[0]?.languageId ?? 'python',
    notebook,
    documents: cells,
  };
}

/** The versions of what would be traced now: traced results with another snapshot are stale. */
export function snapshotOf(target: TraceTarget): string {
  const documents = target.notebook ? codeCells(target.notebook) : target.documents;
  return documents.map((each) => `${each.uri.toString()}@${each.version}`).join('|');
}

/** The working directory: the workspace folder that holds the file, else the file's own folder. */
export function workingDirectory(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : vscode.Uri.joinPath(uri, '..').fsPath;
}

function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}
