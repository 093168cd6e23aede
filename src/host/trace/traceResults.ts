// The results of the last trace of each file or notebook, laid over the static lenses that the
// store serves (see LensOverlay in ../lensStore.ts), so that the CodeLens, the hover, the Problems
// view and the graph panel show traced numbers through the same code as static ones. A result is
// kept until the next trace of that file or until it closes; after an edit it shows as stale.
import * as vscode from 'vscode';
import type { Lens } from '../../core';
import type { TracedLens, TraceOutcome } from '../../trace/protocol';
import type { LensOverlay } from '../lensStore';
import { codeCells, notebookOf } from '../notebooks';
import { mergeTraced } from './mergeTraced';
import { snapshotOf, type TraceTarget } from './target';

export interface TraceRecord {
  target: TraceTarget;
  /** The versions traced: another snapshot now means the results are stale. */
  snapshot: string;
  outcome: TraceOutcome;
  /** When the run ended (epoch ms). */
  at: number;
  /** Traced lenses by the uri of the document they lie in (the file, or each code cell). */
  byDocument: Map<string, TracedLens[]>;
}

interface Merged {
  current: readonly Lens[];
  record: TraceRecord;
  stale: boolean;
  lenses: Lens[];
}

/** While results are shown, the relative times ("traced 4 s ago") are refreshed this often. */
const TICK_MS = 5_000;

export class TraceResults implements LensOverlay, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri[]>();
  /** The documents (files or cells) whose shown lenses changed: a trace ended, was cleared, or time passed. */
  readonly onDidChange = this.changeEmitter.event;

  private readonly records = new Map<string, TraceRecord>();
  /** The last merge per document: the same inputs give the same lens objects (the graph panel compares them). */
  private readonly merged = new Map<string, Merged>();
  private readonly subscriptions: vscode.Disposable[];
  private tick: ReturnType<typeof setInterval> | undefined;

  constructor() {
    this.subscriptions = [
      this.changeEmitter,
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (!notebookOf(document)) this.clear(document.uri);
        this.merged.delete(document.uri.toString());
      }),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => this.clear(notebook.uri)),
    ];
  }

  /** Keeps the outcome of a trace of `target` whose text had `snapshot` (taken when the run started). */
  set(target: TraceTarget, snapshot: string, outcome: TraceOutcome, at: number): TraceRecord {
    const byDocument = new Map<string, TracedLens[]>();
    const documents = target.notebook ? codeCells(target.notebook) : target.documents;
    for (const lens of outcome.lenses) {
      const document = target.notebook ? documents[lens.trace.cell ?? 0] : documents[0];
      if (!document) continue;
      const key = document.uri.toString();
      byDocument.set(key, [...(byDocument.get(key) ?? []), { ...lens, trace: { ...lens.trace, at } }]);
    }
    const record: TraceRecord = { target, snapshot, outcome, at, byDocument };
    this.records.set(target.uri.toString(), record);
    this.announce(target);
    this.startTicking();
    return record;
  }

  /** Forgets the traced results of a file or notebook: the static lenses show again. */
  clear(uri: vscode.Uri): void {
    const record = this.records.get(uri.toString());
    if (!record) return;
    this.records.delete(uri.toString());
    this.announce(record.target);
    if (this.records.size === 0) this.stopTicking();
  }

  /** The record of a file or notebook (or of the notebook a cell belongs to). */
  recordFor(document: vscode.TextDocument): TraceRecord | undefined {
    return this.records.get((notebookOf(document)?.uri ?? document.uri).toString());
  }

  isStale(record: TraceRecord): boolean {
    return snapshotOf(record.target) !== record.snapshot;
  }

  apply(document: vscode.TextDocument, current: Lens[]): Lens[] {
    const record = this.recordFor(document);
    if (!record) return current;
    const key = document.uri.toString();
    const stale = this.isStale(record);
    const previous = this.merged.get(key);
    if (previous && previous.current === current && previous.record === record && previous.stale === stale)
      return previous.lenses;
    const lenses = mergeTraced(current, record.byDocument.get(key) ?? [], stale);
    this.merged.set(key, { current, record, stale, lenses });
    return lenses;
  }

  dispose(): void {
    this.stopTicking();
    this.records.clear();
    this.merged.clear();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private announce(target: TraceTarget): void {
    const documents = target.notebook ? target.notebook.getCells().map((cell) => cell.document) : target.documents;
    this.changeEmitter.fire(documents.map((each) => each.uri));
  }

  /**
   * Refreshes what shows the time of a trace: every tick in its first minute, then once a minute
   * (the lens reads "traced 2 min ago"). A stale lens shows no time, so it is left alone.
   */
  private startTicking(): void {
    if (this.tick) return;
    this.tick = setInterval(() => {
      const now = Date.now();
      for (const record of this.records.values()) {
        const age = now - record.at;
        if (this.isStale(record)) continue;
        if (age < 60_000 + TICK_MS || age % 60_000 < TICK_MS) this.announce(record.target);
      }
    }, TICK_MS);
  }

  private stopTicking(): void {
    if (this.tick) clearInterval(this.tick);
    this.tick = undefined;
  }
}
