// The single analysis cache that every provider and the graph panel read. Results are cached by
// document and version; edits are debounced, and `onDidUpdate` fires once the analysis of the
// edited document is fresh. The analysis itself runs in a worker (see analysis/), so lenses
// arrive as promises and the extension host never waits for a large document. Notebook cells
// are analysed together, in notebook order, so that a cell's names resolve through the cells
// above it.
import * as vscode from 'vscode';
import type { AnalyzeOptions, Lens } from '../core';
import { BUDGETS } from '../core/budgets';
import type { AnalysisClient, Outcome } from './analysis/analysisClient';
import { affectsAnalysis, affectsPresentation, type Settings, type SettingsReader } from './config';
import { toCorePosition } from './convert';
import { commentStyleFor, isSupported, type CommentStyle } from './languages';
import type { Log } from './log';
import { codeCells, codeCellsAround, notebookOf } from './notebooks';
import { containsPosition } from '../core/ranges';

/** Why a file (or notebook) has no lenses: too large, or its analysis failed. */
export interface SkippedFile {
  /** Short, for the status bar: `file too large (25,000 lines > 20,000)`. */
  title: string;
  /** The whole reason, for the tooltip. */
  detail: string;
  /** Whether `gradientLens.maxFileSize` can lift it (the status item then opens that setting). */
  lineLimit: boolean;
}

interface CachedLenses {
  key: string;
  lenses: Promise<Lens[]>;
}

interface CachedNotebook {
  key: string;
  /** Cell document uri → that cell's lenses, ranges relative to the cell. */
  cells: Promise<Map<string, Lens[]>>;
}

/**
 * Lenses from elsewhere laid over the analysis's: trace mode's (see trace/traceResults.ts). The
 * store hands every document's analysed lenses to `apply` and serves what it returns, so that
 * every provider shows them alike; `onDidChange` names the documents whose lenses it changed.
 */
export interface LensOverlay {
  readonly onDidChange: vscode.Event<vscode.Uri[]>;
  apply(document: vscode.TextDocument, lenses: Lens[]): Lens[];
}

interface PendingUpdate {
  timer: ReturnType<typeof setTimeout>;
  waiters: Array<() => void>;
}

export class LensStore implements vscode.Disposable {
  private readonly updateEmitter = new vscode.EventEmitter<vscode.Uri>();
  /** Fires, after the debounce, for each document whose lenses were recomputed. */
  readonly onDidUpdate: vscode.Event<vscode.Uri> = this.updateEmitter.event;

  private readonly documents = new Map<string, CachedLenses>();
  private readonly notebooks = new Map<string, CachedNotebook>();
  private readonly skipped = new Map<string, SkippedFile>();
  private readonly pending = new Map<string, PendingUpdate>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly log: Log,
    private readonly settingsFor: SettingsReader,
    private readonly analysis: AnalysisClient,
    private readonly overlay?: LensOverlay,
  ) {
    this.subscriptions.push(
      this.updateEmitter,
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.schedule(event.document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => this.notebooks.delete(notebook.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((event) => {
        // Lens visibility and the like keep the results: listeners only show them anew.
        if (affectsAnalysis(event)) this.invalidateAll();
        else if (affectsPresentation(event)) this.announceAll();
      }),
    );
    if (overlay)
      this.subscriptions.push(overlay.onDidChange((uris) => uris.forEach((uri) => this.updateEmitter.fire(uri))));
  }

  /**
   * The lenses of a document: from the cache when it is current, else analysed now (in the worker),
   * with the overlay's (traced lenses) laid over them.
   */
  get(document: vscode.TextDocument): Promise<Lens[]> {
    // A closed document is never analysed: an untitled document's successor reuses its URI, and
    // the two would keep replacing each other's analysis (a loop that starved the host once).
    if (document.isClosed) return Promise.resolve([]);
    const settings = this.settingsFor(document);
    if (!isSupported(document, settings)) return Promise.resolve([]);
    const notebook = notebookOf(document);
    const lenses = notebook ? this.cellLenses(notebook, document, settings) : this.documentLenses(document, settings);
    const overlay = this.overlay;
    return overlay ? lenses.then((analysed) => overlay.apply(document, analysed)) : lenses;
  }

  /** The lens whose statement or annotation holds `position`, else the lens that uses the name at `position`. */
  async lensAt(document: vscode.TextDocument, position: vscode.Position): Promise<Lens | undefined> {
    const lenses = await this.get(document);
    const at = toCorePosition(position);
    return (
      lenses.find(
        (lens) =>
          containsPosition(lens.statementRange, at) || containsPosition(lens.tagRange, at) || lens.line === at.line,
      ) ??
      lenses.find((lens) =>
        lens.variables.some((variable) => variable.occurrences.some((range) => containsPosition(range, at))),
      )
    );
  }

  /**
   * For a notebook cell: its index among the code cells and the lenses of the code cells below it,
   * which may use its assignments. Undefined for other documents.
   */
  async cellsBelow(document: vscode.TextDocument): Promise<{ index: number; lenses: Lens[] } | undefined> {
    const around = codeCellsAround(document);
    if (!around) return undefined;
    const below = await Promise.all(around.cells.slice(around.index + 1).map((cell) => this.get(cell)));
    return { index: around.index, lenses: below.flat() };
  }

  /** Set when the document (or its notebook) was skipped for its size, or its analysis failed, at the last analysis. */
  skippedFile(document: vscode.TextDocument): SkippedFile | undefined {
    return this.skipped.get(cacheUri(document));
  }

  /** Whether an edit of the document still waits for its debounce (its lenses are not current yet). */
  hasPendingEdit(document: vscode.TextDocument): boolean {
    return this.pending.has(document.uri.toString());
  }

  /**
   * Resolves `true` once no debounced edit of the document is pending, or `false` as soon as the
   * token is cancelled: providers wait on it so that a burst of typing costs one analysis.
   */
  settled(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<boolean> {
    const pending = this.pending.get(document.uri.toString());
    if (!pending) return Promise.resolve(!token?.isCancellationRequested);
    return new Promise((resolve) => {
      const cancellation = token?.onCancellationRequested(() => resolve(false));
      pending.waiters.push(() => {
        cancellation?.dispose();
        resolve(!token?.isCancellationRequested);
      });
    });
  }

  /** The analysis options for a document, from its settings and its language. */
  optionsFor(document: vscode.TextDocument): AnalyzeOptions & { comments: CommentStyle } {
    const settings = this.settingsFor(document);
    return {
      tag: settings.tag,
      gradcheck: { enabled: settings.gradcheck.enabled, rtol: settings.gradcheck.rtol, atol: settings.gradcheck.atol },
      comments: commentStyleFor(document.languageId),
      language: document.languageId,
      leafConstructors: settings.leafConstructors,
      health: settings.health,
    };
  }

  dispose(): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.waiters.forEach((wake) => wake());
    }
    this.pending.clear();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private documentLenses(document: vscode.TextDocument, settings: Settings): Promise<Lens[]> {
    const uri = document.uri.toString();
    const key = String(document.version);
    const cached = this.documents.get(uri);
    if (cached?.key === key) return cached.lenses;
    const text = document.getText();
    const entry: CachedLenses = { key, lenses: Promise.resolve([]) };
    if (this.withinLimits(uri, document.lineCount, text.length, settings)) {
      const outcome = this.analysis.text(uri, text, this.optionsFor(document));
      entry.lenses = this.settle(uri, `${uri} (${document.lineCount} lines)`, outcome, []).then(
        (lenses) => lenses ?? this.again(this.documents, uri, entry, () => this.get(document)),
      );
    }
    this.documents.set(uri, entry);
    return entry.lenses;
  }

  private async cellLenses(
    notebook: vscode.NotebookDocument,
    cell: vscode.TextDocument,
    settings: Settings,
  ): Promise<Lens[]> {
    return (await this.notebookLenses(notebook, cell, settings)).get(cell.uri.toString()) ?? [];
  }

  /** Every code cell's lenses (cell document uri → lenses, ranges relative to the cell). */
  private notebookLenses(
    notebook: vscode.NotebookDocument,
    cell: vscode.TextDocument,
    settings: Settings,
  ): Promise<Map<string, Lens[]>> {
    const cells = codeCells(notebook);
    const key = cells.map((each) => `${each.uri.toString()}@${each.version}`).join('|');
    const uri = notebook.uri.toString();
    const cached = this.notebooks.get(uri);
    if (cached?.key === key) return cached.cells;
    const texts = cells.map((each) => each.getText());
    const lines = cells.reduce((total, each) => total + each.lineCount, 0);
    const chars = texts.reduce((total, each) => total + each.length, 0);
    const entry: CachedNotebook = { key, cells: Promise.resolve(new Map()) };
    if (this.withinLimits(uri, lines, chars, settings)) {
      const outcome = this.analysis.cells(uri, texts, this.optionsFor(cell));
      entry.cells = this.settle(uri, `${uri} (${cells.length} code cells)`, outcome, []).then((perCell) =>
        perCell
          ? new Map(cells.map((each, index) => [each.uri.toString(), perCell[index] ?? []]))
          : this.again(this.notebooks, uri, entry, () =>
              // As get() does for a document: a closed notebook is never analysed again.
              notebook.isClosed ? Promise.resolve(new Map()) : this.notebookLenses(notebook, cell, settings),
            ),
      );
    }
    this.notebooks.set(uri, entry);
    return entry.cells;
  }

  /**
   * The lenses of an analysis's outcome; undefined when a newer edit replaced the analysis. A
   * failed analysis is logged and becomes the reason the file has no lenses.
   */
  private async settle<T>(
    uri: string,
    what: string,
    outcome: Promise<Outcome<T>>,
    fallback: T,
  ): Promise<T | undefined> {
    const result = await outcome;
    if ('superseded' in result) return undefined;
    if ('failed' in result) {
      this.log.error(`analysis of ${what}`, result.failed);
      this.skipped.set(uri, {
        title: 'analysis failed',
        detail: `Gradient Lens could not analyse this file: ${result.failed}. The output channel "Gradient Lens" has the details.`,
        lineLimit: false,
      });
      return fallback;
    }
    this.log.debug(`analysed ${what} in ${result.ms} ms`);
    return result.lenses;
  }

  /** A replaced analysis defers to the current one (dropping its own cache entry if still there). */
  private again<T>(cache: Map<string, unknown>, uri: string, entry: unknown, current: () => Promise<T>): Promise<T> {
    if (cache.get(uri) === entry) cache.delete(uri);
    return current();
  }

  private withinLimits(uri: string, lines: number, chars: number, settings: Settings): boolean {
    if (lines > settings.maxFileSize) {
      const [count, limit] = [lines, settings.maxFileSize].map((n) => n.toLocaleString('en-US'));
      this.skipped.set(uri, {
        title: `file too large (${count} lines > ${limit})`,
        detail: `This file has ${count} lines, more than the gradientLens.maxFileSize limit of ${limit}, so Gradient Lens does not analyse it. Click to change the limit.`,
        lineLimit: true,
      });
      return false;
    }
    if (chars > BUDGETS.documentChars) {
      const [size, limit] = [chars, BUDGETS.documentChars].map((n) => (n / 2 ** 20).toFixed(1));
      this.skipped.set(uri, {
        title: `file too large (${size} MB > ${limit} MB)`,
        detail: `This file has ${chars.toLocaleString('en-US')} characters, more than the ${limit} MB that Gradient Lens analyses, so it has no lenses.`,
        lineLimit: false,
      });
      return false;
    }
    this.skipped.delete(uri);
    return true;
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isSupported(document, this.settingsFor(document))) return;
    const uri = document.uri.toString();
    const previous = this.pending.get(uri);
    if (previous) clearTimeout(previous.timer);
    const waiters = previous?.waiters ?? [];
    const timer = setTimeout(() => this.flush(document), this.settingsFor(document).debounceMs);
    this.pending.set(uri, { timer, waiters });
  }

  /** The debounce elapsed: analyse now, wake the waiting providers, and tell the listeners. */
  private flush(document: vscode.TextDocument): void {
    const uri = document.uri.toString();
    const pending = this.pending.get(uri);
    this.pending.delete(uri);
    if (document.isClosed) {
      // No analysis to wait for: providers waiting on this edit must not wait forever.
      pending?.waiters.forEach((wake) => wake());
      return;
    }
    void this.get(document)
      .catch((error: unknown) => this.log.error('analysis', error))
      .then(() => this.announce(document, pending));
  }

  /** The analysis after an edit is in: wake the waiting providers, and tell the listeners. */
  private announce(document: vscode.TextDocument, pending: PendingUpdate | undefined): void {
    pending?.waiters.forEach((wake) => wake());
    const notebook = notebookOf(document);
    // An edit in a cell can change the lenses of every cell below it.
    const uris = notebook ? notebook.getCells().map((each) => each.document.uri) : [document.uri];
    uris.forEach((each) => this.updateEmitter.fire(each));
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.documents.delete(key);
    this.skipped.delete(key);
    const pending = this.pending.get(key);
    if (pending) {
      clearTimeout(pending.timer);
      pending.waiters.forEach((wake) => wake());
      this.pending.delete(key);
    }
  }

  private invalidateAll(): void {
    this.documents.clear();
    this.notebooks.clear();
    this.skipped.clear();
    this.announceAll();
  }

  /** Fires onDidUpdate for every open document and notebook cell. */
  private announceAll(): void {
    const open = [
      ...vscode.workspace.textDocuments.map((document) => document.uri),
      ...vscode.workspace.notebookDocuments.flatMap((notebook) => notebook.getCells().map((cell) => cell.document.uri)),
    ];
    open.forEach((uri) => this.updateEmitter.fire(uri));
  }
}

function cacheUri(document: vscode.TextDocument): string {
  return (notebookOf(document)?.uri ?? document.uri).toString();
}
