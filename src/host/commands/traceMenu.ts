// The trace status-bar item's menu: trace again, show the program's output, or go back to the
// static lenses. Resolves to the action picked (undefined when dismissed).
import * as vscode from 'vscode';
import type { Context } from '../context';
import { activeTarget } from '../trace/target';
import { CommandId } from './ids';

type Action = 'trace' | 'output' | 'clear';

export async function traceMenu(ctx: Context): Promise<Action | undefined> {
  const target = activeTarget();
  const items: Array<vscode.QuickPickItem & { action: Action }> = [
    { label: '$(debug-rerun) Trace Gradients again', action: 'trace' },
    { label: '$(output) Show the program’s output', action: 'output' },
  ];
  const traced = target?.documents[0];
  if (traced && ctx.trace.results.recordFor(traced))
    items.push({ label: '$(clear-all) Back to the static lenses', action: 'clear' });
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Gradient Lens: trace mode' });
  switch (picked?.action) {
    case 'trace':
      await vscode.commands.executeCommand(CommandId.TraceGradients);
      break;
    case 'output':
      ctx.trace.showOutput();
      break;
    case 'clear':
      if (target) ctx.trace.clear(target.uri);
      break;
  }
  return picked?.action;
}
