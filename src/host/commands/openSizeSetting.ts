// The command of the status-bar item of a skipped (too large) file: opens the size setting.
import * as vscode from 'vscode';

export async function openSizeSetting(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', 'gradientLens.maxFileSize');
}
