// The exception that ended a traced program, as a problem at the line that raised it (in the
// cell that raised it, for a notebook). Its own collection: the static problems come from the
// lenses (providers/diagnostics.ts), this one from the run, and it stays until the next trace
// of the file, or until its traced results are cleared.
import * as vscode from 'vscode';
import type { Problem } from '../../core';
import { toSeverity, toVsRange } from '../convert';
import { codeCells } from '../notebooks';
import { DIAGNOSTIC_SOURCE } from '../providers/diagnostics';
import type { TraceTarget } from './target';

export class TraceDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('gradientLens.trace');
  /** The documents that have a problem, by the uri of the traced file or notebook. */
  private readonly owners = new Map<string, vscode.Uri[]>();

  /** Shows the run's exception (or clears the last one when the run raised none). */
  set(target: TraceTarget, error: Problem | undefined): void {
    this.clear(target.uri);
    if (!error) return;
    const documents = target.notebook ? codeCells(target.notebook) : target.documents;
    const owner = documents[target.notebook ? (error.range.cell ?? 0) : 0] ?? documents[0];
    if (!owner) return;
    const range = toVsRange(error.range);
    // The run's line may be past the end of a file edited while it ran: keep it inside.
    const line = Math.min(range.start.line, Math.max(0, owner.lineCount - 1));
    const diagnostic = new vscode.Diagnostic(
      range.start.line === line ? range : owner.lineAt(line).range,
      error.message,
      toSeverity(error.severity),
    );
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = error.code;
    this.collection.set(owner.uri, [diagnostic]);
    this.owners.set(target.uri.toString(), [owner.uri]);
  }

  clear(uri: vscode.Uri): void {
    for (const owner of this.owners.get(uri.toString()) ?? []) this.collection.delete(owner);
    this.owners.delete(uri.toString());
  }

  dispose(): void {
    this.collection.dispose();
  }
}
