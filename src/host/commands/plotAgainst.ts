// "Plot against x" from the hover: opens the graph panel on the lens on `line` of `documentUri` and
// asks its webview to plot the output against the variable `leaf` (the webview re-evaluates the
// graph on the engine and draws the plot; see src/webview/plotView.ts). Arguments arrive from a
// command link as JSON, so each is checked.
import * as vscode from 'vscode';
import type { Context } from '../context';

/** Whether the panel was asked to plot (for tests). */
export async function plotAgainst(
  ctx: Context,
  documentUri?: unknown,
  line?: unknown,
  leaf?: unknown,
): Promise<boolean> {
  if (typeof documentUri !== 'string' || !Number.isInteger(line) || typeof leaf !== 'string') return false;
  const uri = vscode.Uri.parse(documentUri);
  const document =
    vscode.workspace.textDocuments.find((each) => each.uri.toString() === uri.toString()) ??
    (await vscode.workspace.openTextDocument(uri));
  const lens = (await ctx.store.get(document)).find((each) => each.line === line);
  if (!lens) {
    void vscode.window.showInformationMessage(
      `Gradient Lens: there is no @grad lens on line ${(line as number) + 1} any more.`,
    );
    return false;
  }
  ctx.graphPanel.show(lens, document);
  ctx.graphPanel.current?.plot(leaf);
  return true;
}
