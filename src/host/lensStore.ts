// The single analysis cache that every provider and the graph panel read. Results are cached by
// document and version; edits are debounced, and `onDidUpdate` fires once the analysis of the
// edited document is fresh. Notebook cells are analysed together, in notebook order, so that a
// cell's names resolve through the cells above it.
import * as vscode from 'vscode';
import { analyzeCells, analyzeText, type AnalyzeOptions, type Lens } from '../core';
import { affectsAnalysis, affectsPresentation, type Settings, type SettingsReader } from './config';
import { toCorePosition } from './convert';
import { commentStyleFor, isSupported, type CommentStyle } from './languages';
import type { Log } from './log';
import { codeCells, codeCellsAround, notebookOf } from './notebooks';
import { containsPosition } from '../core/ranges';

/** A file skipped because it is over `gradientLens.maxFileSize` lines. */
export interface SkippedFile {
  lines: number;
  limit: number;
}

interface CachedLenses {
  key: string;
  lenses: Lens[];
}

interface CachedNotebook {
  key: string;
  /** Cell document uri → that cell's lenses, ranges relative to the cell. */
  cells: Map<string, Lens[]>;
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
  }

  /** The lenses of a document: from the cache when it is current, else computed now. */
  get(document: vscode.TextDocument): Lens[] {
    const settings = this.settingsFor(document);
    if (!isSupported(document, settings)) return [];
    const notebook = notebookOf(document);
    return notebook ? this.cellLenses(notebook, document, settings) : this.documentLenses(document, settings);
  }

  /** The lens whose statement or annotation holds `position`, else the lens that uses the name at `position`. */
  lensAt(document: vscode.TextDocument, position: vscode.Position): Lens | undefined {
    const lenses = this.get(document);
    const at = toCorePosition(position);
    return (
      lenses.find((lens) => containsPosition(lens.statementRange, at) || containsPosition(lens.tagRange, at) || lens.line === at.line) ??
      lenses.find((lens) => lens.variables.some((variable) => variable.occurrences.some((range) => containsPosition(range, at))))
    );
  }

  /**
   * For a notebook cell: its index among the code cells and the lenses of the code cells below it,
   * which may use its assignments. Undefined for other documents.
   */
  cellsBelow(document: vscode.TextDocument): { index: number; lenses: Lens[] } | undefined {
    const around = codeCellsAround(document);
    if (!around) return undefined;
    return { index: around.index, lenses: around.cells.slice(around.index + 1).flatMap((cell) => this.get(cell)) };
  }

  /** Set when the document (or its notebook) was skipped for its size at the last analysis. */
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

  private documentLenses(document: vscode.TextDocument, settings: Settings): Lens[] {
    const uri = document.uri.toString();
    const key = String(document.version);
    const cached = this.documents.get(uri);
    if (cached?.key === key) return cached.lenses;
    const lenses = this.withinSizeLimit(uri, document.lineCount, settings)
      ? this.analyze(`${uri} (${document.lineCount} lines)`, () => analyzeText(document.getText(), this.optionsFor(document)), [])
      : [];
    this.documents.set(uri, { key, lenses });
    return lenses;
  }

  private cellLenses(notebook: vscode.NotebookDocument, cell: vscode.TextDocument, settings: Settings): Lens[] {
    const cells = codeCells(notebook);
    const key = cells.map((each) => `${each.uri.toString()}@${each.version}`).join('|');
    const uri = notebook.uri.toString();
    let cached = this.notebooks.get(uri);
    if (cached?.key !== key) {
      const lines = cells.reduce((total, each) => total + each.lineCount, 0);
      const perCell = this.withinSizeLimit(uri, lines, settings)
        ? this.analyze(`${uri} (${cells.length} code cells)`, () => analyzeCells(cells.map((each) => each.getText()), this.optionsFor(cell)), [])
        : [];
      cached = { key, cells: new Map(cells.map((each, index) => [each.uri.toString(), perCell[index] ?? []])) };
      this.notebooks.set(uri, cached);
    }
    return cached.cells.get(cell.uri.toString()) ?? [];
  }

  private withinSizeLimit(uri: string, lines: number, settings: Settings): boolean {
    if (lines <= settings.maxFileSize) {
      this.skipped.delete(uri);
      return true;
    }
    this.skipped.set(uri, { lines, limit: settings.maxFileSize });
    return false;
  }

  private analyze<T>(what: string, body: () => T, fallback: T): T {
    const started = Date.now();
    try {
      const result = body();
      this.log.debug(`analysed ${what} in ${Date.now() - started} ms`);
      return result;
    } catch (error) {
      this.log.error('analysis', error);
      return fallback;
    }
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
    if (document.isClosed) return;
    this.get(document);
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
