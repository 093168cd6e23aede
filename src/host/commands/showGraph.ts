// "Gradient Lens: Show Graph": the graph of the lens on `line` of `uri` (the "Show graph" lens
// passes both), or of the lens at the cursor.
import * as vscode from 'vscode';
import type { Lens } from '../../core';
import type { Context } from '../context';
import type { LensStore } from '../lensStore';

/** Returns the lens it shows (for tests), or undefined when there is none. */
export async function showGraph(ctx: Context, uri?: unknown, line?: unknown): Promise<Lens | undefined> {
  const target = await findLens(
    ctx.store,
    uri instanceof vscode.Uri ? uri : undefined,
    typeof line === 'number' ? line : undefined,
  );
  if (!target) {
    void vscode.window.showInformationMessage('Gradient Lens: there is no @grad lens at the cursor.');
    return undefined;
  }
  ctx.graphPanel.show(target.lens, target.document);
  return target.lens;
}

async function findLens(
  store: LensStore,
  uri?: vscode.Uri,
  line?: number,
): Promise<{ lens: Lens; document: vscode.TextDocument } | undefined> {
  const editor = vscode.window.activeTextEditor;
  const document = uri
    ? (vscode.workspace.textDocuments.find((each) => each.uri.toString() === uri.toString()) ??
      (await vscode.workspace.openTextDocument(uri)))
    : editor?.document;
  if (!document) return undefined;
  const lens =
    line !== undefined
      ? (await store.get(document)).find((each) => each.line === line)
      : editor && editor.document === document
        ? await store.lensAt(document, editor.selection.active)
        : undefined;
  return lens && { lens, document };
}
