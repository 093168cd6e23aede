// The one graph panel, beside the editor (after webview-sample's CatCodingPanel). It shows the
// graph of a lens, follows the lens at the cursor, updates live as the document is re-analysed,
// links nodes and code both ways, exports SVG/DOT, and comes back after a window reload through a
// webview panel serializer. Everything it subscribes to is disposed with it. The context owns the
// GraphPanelManager, through which commands open the panel.
import * as vscode from 'vscode';
import type { Context } from '../context';
import { toCorePosition, toVsRange } from '../convert';
import { firstError, type Lens } from '../../core';
import { guard } from '../log';
import { containsPosition } from '../../core/ranges';
import {
  MessageType,
  checkFromWebview,
  type ExportFormat,
  type FromWebviewMessage,
  type ToWebviewMessage,
} from '../../shared/protocol';
import { graphHtml } from './graphHtml';
import { GraphModelError } from '../../graph/graphIndex';
import { buildGraphView } from '../../graph/graphView';

/** What the panel needs from the context (the context is built around the panel's manager). */
export type PanelServices = Pick<Context, 'extensionUri' | 'log' | 'settings' | 'store'>;

/**
 * Hears what the panel posts to its webview and what it receives from it. Production installs
 * none; outside production the extension-host tests install one (graphPanelTestSupport.ts).
 */
export interface GraphPanelObserver {
  /**
   * A panel opened (created, or restored after a reload): the messages that follow are its own.
   * Its webview is handed over so that a test can also post what the protocol would never send.
   */
  opened(webview: vscode.Webview): void;
  posted(message: ToWebviewMessage): void;
  /** A message from the webview that passed validation. */
  received(message: FromWebviewMessage): void;
}

/** The graph the webview shows, as the panel last posted it. */
export interface Showing {
  documentUri: string;
  line: number;
  /** Its lens has an error now: the webview keeps the picture, marked out of date. */
  dimmed: boolean;
}

interface Source {
  document: vscode.TextDocument;
  lens: Lens;
  /** From "Differentiate Selection": not in the store, so it cannot follow edits. */
  adHoc: boolean;
}

export const GRAPH_VIEW_TYPE = 'gradientLens.graph';
export const GRAPH_TITLE = 'Gradient Lens: Graph';

/** Owns the one graph panel: opens it, brings it back after a reload, and relays to an observer. */
export class GraphPanelManager implements vscode.Disposable {
  private panel: GraphPanel | undefined;
  private observer: GraphPanelObserver | undefined;
  private readonly relay: GraphPanelObserver = {
    opened: (webview) => this.observer?.opened(webview),
    posted: (message) => this.observer?.posted(message),
    received: (message) => this.observer?.received(message),
  };
  private readonly serializer: vscode.Disposable;

  constructor(private readonly services: PanelServices) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
    });
  }

  /** The open panel, if any. */
  get current(): GraphPanel | undefined {
    return this.panel;
  }

  /** Opens (or reuses) the panel beside the editor and shows the lens's graph. */
  show(lens: Lens, document: vscode.TextDocument, options: { adHoc?: boolean } = {}): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        GRAPH_VIEW_TYPE,
        GRAPH_TITLE,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        this.webviewOptions(),
      );
      this.panel = this.adopt(panel);
    } else {
      this.panel.reveal();
    }
    this.panel.setSource({ lens, document, adHoc: options.adHoc === true });
  }

  /** The serializer's work after a window reload: the panel shows the lens saved in the webview state. */
  async restore(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.panel?.dispose();
    webviewPanel.webview.options = this.webviewOptions();
    const panel = this.adopt(webviewPanel);
    this.panel = panel;
    const saved =
      typeof state === 'object' && state !== null ? (state as { documentUri?: unknown; line?: unknown }) : {};
    if (typeof saved.documentUri !== 'string' || typeof saved.line !== 'number')
      return panel.showNothing('Move the cursor to a @grad lens to see its graph.');
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(saved.documentUri));
      const lens = (await this.services.store.get(document)).find((each) => each.line === saved.line);
      if (lens) panel.setSource({ document, lens, adHoc: false });
      else panel.showNothing(`There is no @grad lens on line ${saved.line + 1} any more.`);
    } catch {
      panel.showNothing('The document of this graph is not available.');
    }
  }

  /** Installs the observer (one at a time) until the returned disposable is disposed. */
  observe(observer: GraphPanelObserver): vscode.Disposable {
    this.observer = observer;
    return {
      dispose: () => {
        if (this.observer === observer) this.observer = undefined;
      },
    };
  }

  dispose(): void {
    this.serializer.dispose();
    this.panel?.dispose();
  }

  private adopt(webviewPanel: vscode.WebviewPanel): GraphPanel {
    this.relay.opened(webviewPanel.webview);
    const panel = new GraphPanel(webviewPanel, this.services, this.relay, () => {
      if (this.panel === panel) this.panel = undefined;
    });
    return panel;
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // Only the stylesheet and the two bundles are loadable.
      localResourceRoots: [
        vscode.Uri.joinPath(this.services.extensionUri, 'media'),
        vscode.Uri.joinPath(this.services.extensionUri, 'dist'),
      ],
    };
  }
}

export class GraphPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private source: Source | undefined;
  private revision = 0;
  private lastHighlight: string | null = null;
  /** The last plot asked for, posted again when the webview (re)loads. */
  private pendingPlot: { leaf: string; documentUri: string; line: number } | undefined;
  /** The graph on screen, and the key of its content (all but its revision) to skip reposting it. */
  private onScreen: (Showing & { key: string }) | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
    private readonly observer: GraphPanelObserver,
    private readonly onDispose: () => void,
  ) {
    const { store, log } = services;
    panel.webview.html = GraphPanel.html(panel.webview, services.extensionUri);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((data: unknown) => void this.receive(data), undefined, this.disposables);
    // Event handlers, like providers, log an exception instead of throwing it into the extension host.
    vscode.window.onDidChangeTextEditorSelection(
      (event) => guard(log, 'graph panel: cursor', undefined, () => this.followCursor(event.textEditor)),
      undefined,
      this.disposables,
    );
    store.onDidUpdate(
      (uri) => guard(log, 'graph panel: update', undefined, () => this.onDocumentUpdated(uri)),
      undefined,
      this.disposables,
    );
  }

  /** The graph the webview shows, as the panel last posted it; undefined when it shows none. */
  get showing(): Showing | undefined {
    return (
      this.onScreen && {
        documentUri: this.onScreen.documentUri,
        line: this.onScreen.line,
        dimmed: this.onScreen.dimmed,
      }
    );
  }

  private static html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
    const uri = (...path: string[]): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
    return graphHtml({
      cspSource: webview.cspSource,
      nonce: nonce(),
      scriptUri: uri('dist', 'webview.js'),
      workerUri: uri('dist', 'layoutWorker.js'),
      styleUri: uri('media', 'graph.css'),
    });
  }

  dispose(): void {
    this.onDispose();
    const disposables = this.disposables.splice(0);
    this.panel.dispose();
    vscode.Disposable.from(...disposables).dispose();
  }

  /** Brings the panel to the front without taking the focus from the editor. */
  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  setSource(source: Source): void {
    this.source = source;
    this.pendingPlot = undefined;
    this.lastHighlight = null;
    this.sendSource();
  }

  /**
   * Asks the webview to plot the output against the variable `leaf` (the hover's "Plot against
   * x"): it does so once this lens's graph is drawn. Kept until the webview is ready, since a
   * panel opened just now has no page yet to receive it.
   */
  plot(leaf: string): void {
    const source = this.source;
    if (!source) return;
    this.pendingPlot = { leaf, documentUri: source.document.uri.toString(), line: source.lens.line };
    this.post({ type: MessageType.Plot, ...this.pendingPlot });
  }

  /** No lens to show, and why. */
  showNothing(reason: string): void {
    this.post({ type: MessageType.Empty, reason });
  }

  /** Posts the current lens's graph, or why there is none. */
  private sendSource(): void {
    const source = this.source;
    if (!source) return this.showNothing('Move the cursor to a @grad lens to see its graph.');
    const { lens, document } = source;
    const failure = firstError(lens);
    if (!lens.graph || failure) {
      const reason = `${lens.target}: ${failure?.message ?? 'no graph for this lens'}`;
      return void this.post({ type: MessageType.Empty, reason, stale: this.keepsPicture(document, lens.line) });
    }
    const precision = this.services.settings(document).precision;
    const content = {
      target: lens.target,
      documentUri: document.uri.toString(),
      line: lens.line,
      value: lens.value,
      gradcheck: lens.gradcheck,
    };
    // Every re-analysis makes new lens objects, but an edit elsewhere in the file leaves this graph
    // as it was: building and posting it again would make the webview redraw every node.
    const key = JSON.stringify([content, precision, lens.graph]);
    if (this.onScreen && !this.onScreen.dimmed && this.onScreen.key === key) return;
    try {
      const view = buildGraphView(lens.graph, precision);
      this.revision++;
      this.post({ type: MessageType.Show, revision: this.revision, ...content, view });
      this.onScreen = { documentUri: content.documentUri, line: lens.line, dimmed: false, key };
    } catch (error) {
      if (!(error instanceof GraphModelError)) throw error;
      this.showNothing(`${lens.target}: the graph is malformed (${error.message})`);
    }
  }

  /**
   * Whether an error of this lens keeps the picture on screen (dimmed) rather than blanking it: the
   * picture is this lens's graph, or is dimmed already (an error follows an error until a lens draws again).
   */
  private keepsPicture(document: vscode.TextDocument, line: number): boolean {
    const shown = this.onScreen;
    return (
      shown !== undefined && (shown.dimmed || (shown.documentUri === document.uri.toString() && shown.line === line))
    );
  }

  private post(message: ToWebviewMessage): void {
    if (message.type === MessageType.Empty)
      this.onScreen = message.stale && this.onScreen ? { ...this.onScreen, dimmed: true } : undefined;
    this.observer.posted(message);
    void this.panel.webview.postMessage(message);
  }

  /** Follows the lens at the cursor, and highlights the node of the name under it. */
  private async followCursor(editor: vscode.TextEditor): Promise<void> {
    const document = editor.document;
    if (document.uri.scheme === 'output') return;
    // Typing moves the cursor: analysing here would undo the store's debounce on every keystroke.
    // The debounced update (onDocumentUpdated) follows the cursor instead.
    if (this.services.store.hasPendingEdit(document)) return;
    const position = editor.selection.active;
    const lens = await this.services.store.lensAt(document, position);
    // The cursor moved on while the lenses were analysed: its own event follows it.
    if (!editor.selection.active.isEqual(position)) return;
    if (lens && (!this.source || this.source.lens !== lens)) this.setSource({ document, lens, adHoc: false });
    if (!this.source || this.source.document !== document) return;
    const at = toCorePosition(position);
    const name =
      this.source.lens.variables.find((variable) => variable.occurrences.some((range) => containsPosition(range, at)))
        ?.name ?? null;
    if (name !== this.lastHighlight) {
      this.lastHighlight = name;
      this.post({ type: MessageType.Highlight, name });
    }
  }

  /** Live update: the document was re-analysed, so its lenses are new objects. */
  private async onDocumentUpdated(uri: vscode.Uri): Promise<void> {
    const source = this.source;
    const editor = vscode.window.activeTextEditor;
    if (!source || source.document.uri.toString() !== uri.toString()) {
      // Typed in another document: follow its cursor now that its lenses are current.
      if (editor?.document.uri.toString() === uri.toString()) await this.followCursor(editor);
      return;
    }
    if (source.adHoc) return;
    const lenses = await this.services.store.get(source.document);
    const atCursor =
      editor?.document === source.document
        ? await this.services.store.lensAt(source.document, editor.selection.active)
        : undefined;
    if (this.source !== source) return; // another lens was chosen meanwhile
    const lens =
      atCursor ??
      lenses.find((each) => each.line === source.lens.line) ??
      lenses.find((each) => each.target === source.lens.target);
    if (!lens) return this.showNothing(`The lens for ${source.lens.target} is gone.`);
    if (lens !== source.lens) this.setSource({ document: source.document, lens, adHoc: false });
  }

  /** Handles a message from the webview; resolves to whether it was valid and acted on. */
  async receive(data: unknown): Promise<boolean> {
    const checked = checkFromWebview(data);
    if (!checked.ok) {
      this.services.log.info(`graph panel: ignored a malformed message from the webview: ${checked.reason}`);
      return false;
    }
    const message = checked.message;
    this.observer.received(message);
    try {
      return await this.handle(message);
    } catch (error) {
      this.services.log.error('graph panel', error);
      return false;
    }
  }

  private async handle(message: FromWebviewMessage): Promise<boolean> {
    switch (message.type) {
      case MessageType.Ready:
        this.onScreen = undefined; // a new (or reloaded) webview shows nothing yet
        this.sendSource();
        if (this.lastHighlight !== null) this.post({ type: MessageType.Highlight, name: this.lastHighlight });
        if (this.pendingPlot) this.post({ type: MessageType.Plot, ...this.pendingPlot });
        return true;
      case MessageType.Reveal:
        return this.revealSource(message.revision, message.nodeId);
      case MessageType.Export:
        return this.export(message.format, message.content);
      case MessageType.CopyDot:
        await vscode.env.clipboard.writeText(message.content);
        void vscode.window.setStatusBarMessage('Gradient Lens: graph DOT copied', 3000);
        return true;
      case MessageType.Rendered: // what the webview drew: only an observer (the tests) reads it
        return true;
      case MessageType.LayoutFailed:
        this.services.log.info(`graph layout failed: ${message.message}`);
        return true;
      case MessageType.Rejected:
        // The webview shows the reason and no graph; the log keeps the reason. What it refused may
        // have been this panel's graph, which is then not on screen: the next update posts it again.
        this.services.log.error('graph view', message.reason);
        this.onScreen = undefined;
        return true;
    }
  }

  /** Selects the source of a node: its own range, or where its variable is defined. */
  private async revealSource(revision: number, nodeId: number): Promise<boolean> {
    const source = this.source;
    if (!source || revision !== this.revision || !source.lens.graph) return false;
    const node = source.lens.graph.nodes.find((each) => each.id === nodeId);
    if (!node) return false;
    const range = node.range ?? source.lens.variables.find((variable) => variable.name === node.label)?.definedAt;
    if (!range) return false;
    const column =
      vscode.window.visibleTextEditors.find((editor) => editor.document === source.document)?.viewColumn ??
      vscode.ViewColumn.One;
    await vscode.window.showTextDocument(source.document, {
      viewColumn: column,
      selection: toVsRange(range),
      preserveFocus: false,
    });
    return true;
  }

  private async export(format: ExportFormat, content: string): Promise<boolean> {
    const source = this.source;
    const base =
      source && source.document.uri.scheme === 'file'
        ? vscode.Uri.joinPath(source.document.uri, '..')
        : vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${(source?.lens.target ?? 'graph').replace(/[^\w.-]+/g, '_') || 'graph'}.${format === 'svg' ? 'svg' : 'dot'}`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: base ? vscode.Uri.joinPath(base, name) : undefined,
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'Graphviz DOT': ['dot', 'gv'] },
      title: format === 'svg' ? 'Export the graph as SVG' : 'Export the graph as Graphviz DOT',
    });
    if (!target) return false;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    void vscode.window.showInformationMessage(
      `Gradient Lens: graph saved to ${target.path.split('/').pop() ?? target.toString()}`,
    );
    return true;
  }
}

/** A script nonce: 32 random characters (Web Crypto exists in Node 20 and in web workers). */
function nonce(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62]).join('');
}
