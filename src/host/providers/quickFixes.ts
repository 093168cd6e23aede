// Quick fixes for the lenses' problems. They are the only way the extension edits a user's file,
// and only when the user picks one.
//   unbound name  → "Add binding `z=1.0` to @grad" (appends to the lens's annotation)
//   `^` as power  → "Replace `^` with `**`"
//   not statically knowable → "Trace Gradients: run the program and read it", only where a program
//   can run (a trusted workspace, a desktop extension host); choosing it is the user's request
import * as vscode from 'vscode';
import { CommandId } from '../commands/ids';
import { traceRunner } from '../trace/traceRunner';
import { suggestedBinding, type Lens, type Problem } from '../../core';
import type { Context } from '../context';
import { toCoreRange, toVsRange } from '../convert';
import { registerForLanguages } from '../languages';
import { guard } from '../log';
import { intersects, sameRange } from '../../core/ranges';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

export class LensQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  static register(ctx: Context): vscode.Disposable {
    const provider = new LensQuickFixes(ctx);
    return registerForLanguages(ctx.settings, (selector) =>
      vscode.languages.registerCodeActionsProvider(selector, provider, LensQuickFixes.metadata),
    );
  }

  private constructor(private readonly ctx: Context) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    return guard(this.ctx.log, 'provideCodeActions', [], async () => {
      // VS Code asks on every cursor move, so also while typing: wait for the debounced analysis.
      if (!(await this.ctx.store.settled(document, token))) return [];
      const wanted = toCoreRange(range);
      const actions: vscode.CodeAction[] = [];
      const replaced = new Set<string>();
      for (const lens of await this.ctx.store.get(document)) {
        if (token.isCancellationRequested) return [];
        for (const problem of lens.problems.filter(
          (each) => each.range.cell === undefined && intersects(each.range, wanted),
        )) {
          const diagnostics = context.diagnostics.filter((each) => matches(each, problem));
          const action = this.fixFor(document, lens, problem, replaced);
          if (!action) continue;
          action.diagnostics = diagnostics;
          actions.push(action);
        }
      }
      return actions;
    });
  }

  private fixFor(
    document: vscode.TextDocument,
    lens: Lens,
    problem: Problem,
    replaced: Set<string>,
  ): vscode.CodeAction | undefined {
    if (problem.code === 'unbound' && problem.name)
      return addBinding(document, lens, problem.name, this.ctx.settings(document).tag);
    // A value only the running program has: where a program can run, offer to run it.
    if (problem.code === 'unknowable' && !traceRunner.unavailable && vscode.workspace.isTrusted) {
      const action = new vscode.CodeAction(
        'Trace Gradients: run the program and read it',
        vscode.CodeActionKind.QuickFix,
      );
      action.command = { command: CommandId.TraceGradients, title: 'Trace Gradients' };
      return action;
    }
    const range = toVsRange(problem.range);
    const key = `${range.start.line}:${range.start.character}`;
    if (problem.code === 'parse' && document.getText(range) === '^' && !replaced.has(key)) {
      replaced.add(key);
      const action = new vscode.CodeAction('Replace `^` with `**`', vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, range, '**');
      action.isPreferred = true;
      return action;
    }
    return undefined;
  }
}

/** Appends `name=1.0` to the lens's annotation: `# @grad` → `# @grad z=1.0`, `# @grad x=2` → `# @grad x=2, z=1.0`. */
export function addBinding(document: vscode.TextDocument, lens: Lens, name: string, tag: string): vscode.CodeAction {
  const binding = suggestedBinding(name);
  const tagRange = toVsRange(lens.tagRange);
  const annotation = document.getText(tagRange).trim();
  const insertion = annotation === tag || annotation === '' ? ` ${binding}` : `, ${binding}`;
  const action = new vscode.CodeAction(`Add binding \`${binding}\` to ${tag}`, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.insert(document.uri, tagRange.end, insertion);
  action.isPreferred = true;
  return action;
}

function matches(diagnostic: vscode.Diagnostic, problem: Problem): boolean {
  return (
    diagnostic.source === DIAGNOSTIC_SOURCE &&
    diagnostic.code === problem.code &&
    sameRange(toCoreRange(diagnostic.range), problem.range)
  );
}
