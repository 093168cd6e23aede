// Inline per-variable gradients (`gradientLens.inlineHints`, off by default): `∂=−1.50` right
// after each variable in the annotated statement, for readers who find the CodeLens too long or
// too tall. The hint's tooltip is the hover's explanation line.
import * as vscode from 'vscode';
import { type Lens, type Range } from '../../core';
import { containsPosition, intersects } from '../../core/ranges';
import { explanationLines } from '../../text/explainText';
import { displayNumber } from '../../text/lensTitle';
import type { Context } from '../context';
import { toCoreRange } from '../convert';
import { registerForLanguages } from '../languages';
import { guard } from '../log';

/** Two decimals: a hint sits inside the code and must stay short. */
const HINT_PRECISION = 2;

export class GradientInlayHints implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  static register(ctx: Context): vscode.Disposable {
    const provider = new GradientInlayHints(ctx);
    const registration = registerForLanguages(ctx.settings, (selector) =>
      vscode.languages.registerInlayHintsProvider(selector, provider),
    );
    return vscode.Disposable.from(registration, provider);
  }

  private constructor(private readonly ctx: Context) {
    this.subscriptions = [
      this.changed,
      ctx.store.onDidUpdate(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('gradientLens')) this.changed.fire();
      }),
    ];
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  provideInlayHints(
    document: vscode.TextDocument,
    range: vscode.Range,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlayHint[]> {
    return guard(this.ctx.log, 'provideInlayHints', [], async () => {
      const settings = this.ctx.settings(document);
      if (!settings.enabled || !settings.inlineHints) return [];
      const lenses = await this.ctx.store.get(document);
      if (token.isCancellationRequested) return [];
      const visible = toCoreRange(range);
      return lenses.flatMap((lens) => hintsOf(lens, visible, settings.precision));
    });
  }
}

/** One hint after each occurrence of a variable in the lens's own statement. */
function hintsOf(lens: Lens, visible: Range, precision: number): vscode.InlayHint[] {
  if (lens.value === null || lens.statementRange.cell !== undefined || !intersects(lens.statementRange, visible))
    return [];
  const hints: vscode.InlayHint[] = [];
  for (const variable of lens.variables) {
    for (const at of variable.occurrences) {
      if (at.cell !== undefined || !containsPosition(lens.statementRange, at.start)) continue;
      const hint = new vscode.InlayHint(
        new vscode.Position(at.end.line, at.end.character),
        `∂=${displayNumber(variable.grad, HINT_PRECISION)}`,
      );
      hint.paddingLeft = true;
      hint.tooltip = explanationLines(lens, variable, precision).join('\n');
      hints.push(hint);
    }
  }
  return hints;
}
