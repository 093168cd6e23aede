// One status-bar message when the active file is skipped (over `gradientLens.maxFileSize` lines,
// or too many characters) or its analysis failed, so the user knows why it has no lenses and,
// for the line limit, where to change it.
import * as vscode from 'vscode';
import { CommandId } from '../commands/ids';
import type { Context } from '../context';
import { guard } from '../log';

export class SizeLimitStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'gradientLens.sizeLimit',
    vscode.StatusBarAlignment.Right,
    100,
  );
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

  private update(): Promise<void> {
    return guard(this.ctx.log, 'sizeLimitStatus', undefined, async () => {
      const document = vscode.window.activeTextEditor?.document;
      if (document) await this.ctx.store.get(document);
      if (document !== vscode.window.activeTextEditor?.document) return; // another editor's update follows
      const skipped = document && this.ctx.store.skippedFile(document);
      if (!skipped) {
        this.item.hide();
        return;
      }
      this.item.text = `$(warning) Gradient Lens: ${skipped.title}`;
      this.item.tooltip = skipped.detail;
      this.item.command = skipped.lineLimit ? CommandId.OpenSizeSetting : undefined;
      this.item.show();
    });
  }
}
