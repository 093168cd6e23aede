// The lenses' problems in the Problems view, at their exact ranges. Refreshed when a document
// opens and after each debounced analysis; cleared when it closes or stops being analysed.
import * as vscode from 'vscode';
import type { Problem } from '../../core';
import { toSeverity, toVsRange } from '../convert';
import type { Context } from '../context';
import { codeCells, documentOfRange, notebookOf } from '../notebooks';
import { guard } from '../log';

export const DIAGNOSTIC_SOURCE = 'Gradient Lens';

/** Read-only views of a file (a diff's old side, an output channel) would only repeat its problems. */
const VIEW_SCHEMES = new Set(['git', 'output', 'vscode-scm', 'review', 'pr']);

export class LensDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('gradientLens');
  private readonly subscriptions: vscode.Disposable[];
  /** Documents to refresh on the next microtask, by document (or, for a cell, notebook) uri. */
  private readonly pending = new Map<string, vscode.TextDocument>();

  static register(ctx: Context): vscode.Disposable {
    return new LensDiagnostics(ctx);
  }

  private constructor(private readonly ctx: Context) {
    this.subscriptions = [
      this.collection,
      vscode.workspace.onDidOpenTextDocument((document) => this.refreshSoon(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)),
      ctx.store.onDidUpdate((uri) => {
        const document = vscode.workspace.textDocuments.find((each) => each.uri.toString() === uri.toString());
        if (document) this.refreshSoon(document);
      }),
    ];
    vscode.workspace.textDocuments.forEach((document) => this.refreshSoon(document));
  }

  dispose(): void {
    this.pending.clear();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  /**
   * Coalesces refreshes: an edit in a notebook updates (and opening one opens) every cell, one
   * event each, while one refresh already sets the problems of the whole notebook. Refreshing on
   * every event would analyse all N cells N times per keystroke.
   */
  private refreshSoon(document: vscode.TextDocument): void {
    if (this.pending.size === 0) queueMicrotask(() => this.refreshPending());
    this.pending.set((notebookOf(document)?.uri ?? document.uri).toString(), document);
  }

  private refreshPending(): void {
    const documents = [...this.pending.values()];
    this.pending.clear();
    for (const document of documents) {
      if (!document.isClosed) void this.refresh(document);
    }
  }

  private refresh(document: vscode.TextDocument): Promise<void> {
    return guard(this.ctx.log, 'diagnostics', undefined, async () => {
      if (VIEW_SCHEMES.has(document.uri.scheme)) return;
      const notebook = notebookOf(document);
      // A lens in one cell can report a problem in a cell above it: set the whole notebook at once.
      const documents = notebook ? codeCells(notebook) : [document];
      const problems = new Map<vscode.TextDocument, Problem[]>(documents.map((each) => [each, []]));
      const lenses = await Promise.all(documents.map((each) => this.ctx.store.get(each)));
      if (documents.some((each) => each.isClosed)) return;
      for (const [index, each] of documents.entries()) {
        for (const problem of lenses[index].flatMap((lens) => lens.problems)) {
          const owner = documentOfRange(each, problem.range);
          problems.get(owner)?.push({ ...problem, range: { start: problem.range.start, end: problem.range.end } });
        }
      }
      for (const [owner, found] of problems) {
        const diagnostics = uniqueProblems(found).map(toDiagnostic);
        if (diagnostics.length > 0) this.collection.set(owner.uri, diagnostics);
        else this.collection.delete(owner.uri);
      }
    });
  }
}

/** Two lenses that expand the same assignment (in any cell) report its problem once. */
export function uniqueProblems(problems: Problem[]): Problem[] {
  const seen = new Map<string, Problem>();
  for (const problem of problems) {
    const { start, end } = problem.range;
    const key = `${problem.code}:${problem.range.cell ?? ''}:${start.line}:${start.character}:${end.line}:${end.character}:${problem.message}`;
    if (!seen.has(key)) seen.set(key, problem);
  }
  return [...seen.values()];
}

function toDiagnostic(problem: Problem): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toVsRange(problem.range), problem.message, toSeverity(problem.severity));
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = problem.code;
  return diagnostic;
}
