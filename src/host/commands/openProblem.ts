// The command of a failing lens: selects the problem's range and opens the Problems view.
import * as vscode from 'vscode';
import type { Context } from '../context';

export async function openProblem(_ctx: Context, uri?: unknown, range?: unknown): Promise<void> {
  if (!(uri instanceof vscode.Uri) || !(range instanceof vscode.Range)) return;
  await vscode.window.showTextDocument(uri, { selection: range, preserveFocus: false });
  await vscode.commands.executeCommand('workbench.actions.view.problems');
}
