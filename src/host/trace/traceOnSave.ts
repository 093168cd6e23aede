// `gradientLens.trace.mode: "onSave"`: each saved Python, JavaScript or TypeScript file (or
// notebook) is traced again. Quietly skipped where tracing cannot run (Restricted Mode, the web):
// a save never pops up a refusal; the command explains it.
import * as vscode from 'vscode';
import type { Context } from '../context';
import { guard } from '../log';
import { notebookOf } from '../notebooks';
import { readTraceSettings } from './settings';
import { notebookTarget, TRACE_LANGUAGES, targetOf, type TraceTarget } from './target';

export class TraceOnSave implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];

  static register(ctx: Context): vscode.Disposable {
    return new TraceOnSave(ctx);
  }

  private constructor(private readonly ctx: Context) {
    this.subscriptions = [
      vscode.workspace.onDidSaveTextDocument((document) => {
        // A notebook's cells are saved with it: onDidSaveNotebookDocument traces it once.
        if (!notebookOf(document) && TRACE_LANGUAGES.has(document.languageId)) this.traceSaved(targetOf(document));
      }),
      vscode.workspace.onDidSaveNotebookDocument((notebook) => this.traceSaved(notebookTarget(notebook))),
    ];
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private traceSaved(target: TraceTarget): void {
    if (readTraceSettings(target.uri).mode !== 'onSave' || this.ctx.trace.refusal(target)) return;
    void guard(this.ctx.log, 'trace on save', undefined, () => this.ctx.trace.trace(target, 'save'));
  }
}
