// The status-bar item of trace mode: "Tracing…" while the active file's program runs, and while
// its traced results are shown, when they were traced (or that they are stale). A click offers to
// trace again, show the program's output, or go back to the static lenses.
import * as vscode from 'vscode';
import { CommandId } from '../commands/ids';
import type { Context } from '../context';
import { guard } from '../log';
import { ago } from '../../text/traceText';
import { activeTarget } from './target';

export class TraceStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gradientLens.trace', vscode.StatusBarAlignment.Right, 99);
  private readonly subscriptions: vscode.Disposable[];

  static register(ctx: Context): vscode.Disposable {
    return new TraceStatus(ctx);
  }

  private constructor(private readonly ctx: Context) {
    this.item.name = 'Gradient Lens: trace';
    this.item.command = CommandId.TraceMenu;
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.onDidChangeActiveNotebookEditor(() => this.update()),
      ctx.trace.onDidChangeRunning(() => this.update()),
      ctx.trace.results.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeTextDocument(() => this.update()),
    ];
    this.update();
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private update(): void {
    guard(this.ctx.log, 'traceStatus', undefined, () => {
      const target = activeTarget();
      if (target && this.ctx.trace.isRunning(target.uri)) {
        this.item.text = '$(sync~spin) Tracing…';
        this.item.tooltip = `Gradient Lens is running ${target.name} to trace its gradients.`;
        this.item.show();
        return;
      }
      const document = target?.documents[0];
      const record = document && this.ctx.trace.results.recordFor(document);
      if (!record) {
        this.item.hide();
        return;
      }
      const stale = this.ctx.trace.results.isStale(record);
      const reached = record.outcome.lenses.filter((lens) => lens.trace.reached).length;
      this.item.text = stale ? '$(history) Trace stale' : `$(pulse) Traced ${ago(record.at, Date.now())}`;
      this.item.tooltip = [
        `Gradient Lens: ${record.target.name} traced with ${record.outcome.interpreter} in ${(record.outcome.durationMs / 1000).toFixed(1)} s`,
        `${reached} of ${record.outcome.lenses.length} annotated statements reached${record.outcome.stopped ? ` (stopped: ${record.outcome.stopped})` : ''}.`,
        stale ? 'The file changed since: the traced numbers are stale.' : '',
        'Click to trace again, show the output, or go back to the static lenses.',
      ]
        .filter(Boolean)
        .join('\n');
      this.item.show();
    });
  }
}
