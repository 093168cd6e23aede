// One status-bar message when the active file is over `gradientLens.maxFileSize` lines and is
// skipped, so the user knows why it has no lenses and where to change the limit.
import * as vscode from 'vscode';
import { CommandId } from '../commands/ids';
import type { Context } from '../context';
import { guard } from '../log';

export class SizeLimitStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gradientLens.sizeLimit', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];

  static register(ctx: Context): vscode.Disposable {
    return new SizeLimitStatus(ctx);
  }

  private constructor(private readonly ctx: Context) {
    this.item.name = 'Gradient Lens: file size';
    this.item.command = CommandId.OpenSizeSetting;
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      ctx.store.onDidUpdate((uri) => {
        if (uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) this.update();
      }),
    ];
    this.update();
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private update(): void {
    guard(this.ctx.log, 'sizeLimitStatus', undefined, () => {
      const document = vscode.window.activeTextEditor?.document;
      if (document) this.ctx.store.get(document);
      const skipped = document && this.ctx.store.skippedFile(document);
      if (!skipped) {
        this.item.hide();
        return;
      }
      const lines = skipped.lines.toLocaleString('en-US');
      const limit = skipped.limit.toLocaleString('en-US');
      this.item.text = `$(warning) Gradient Lens: file too large (${lines} lines > ${limit})`;
      this.item.tooltip = `This file has ${lines} lines, more than the gradientLens.maxFileSize limit of ${limit}, so Gradient Lens does not analyse it. Click to change the limit.`;
      this.item.show();
    });
  }
}
