// "Gradient Lens: Trace Gradients": runs the active file or notebook (trace mode) and lays the
// gradients read from the live objects over the static lenses. Resolves to what the trace came
// to (the extension-host tests read it); a `vscode.Uri` argument traces that open document instead.
import * as vscode from 'vscode';
import type { Context } from '../context';
import { activeTarget, targetOf } from '../trace/target';
import type { TraceReport } from '../trace/traceSession';

export async function traceGradients(ctx: Context, uri?: unknown): Promise<TraceReport> {
  const document =
    uri instanceof vscode.Uri
      ? vscode.workspace.textDocuments.find((each) => each.uri.toString() === uri.toString())
      : undefined;
  return ctx.trace.trace(document ? targetOf(document) : activeTarget(), 'command');
}
