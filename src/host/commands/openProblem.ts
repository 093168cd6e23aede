// The command of a failing lens: selects the problem's range and opens the Problems view.
import * as vscode from 'vscode';
import type { LensStore } from '../lensStore';
import { guard } from '../log';
import { CommandId } from './ids';

export class OpenProblemCommand {
  static register(_context: vscode.ExtensionContext, store: LensStore): vscode.Disposable {
    return vscode.commands.registerCommand(CommandId.OpenProblem, (uri?: unknown, range?: unknown) =>
      guard(store.log, 'openProblem', undefined, () => openProblem(uri, range)),
    );
  }
}

async function openProblem(uri: unknown, range: unknown): Promise<void> {
  if (!(uri instanceof vscode.Uri) || !(range instanceof vscode.Range)) return;
  await vscode.window.showTextDocument(uri, { selection: range, preserveFocus: false });
  await vscode.commands.executeCommand('workbench.actions.view.problems');
}
