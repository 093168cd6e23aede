// The one graph panel, beside the editor (after webview-sample's CatCodingPanel). It shows the
// graph of a lens, follows the lens at the cursor, updates live as the document is re-analysed,
// links nodes and code both ways, exports SVG/DOT, and comes back after a window reload through a
// webview panel serializer. Everything it subscribes to is disposed with it. The context owns the
// GraphPanelManager, through which commands open the panel.
import * as vscode from 'vscode';
import { CommandId } from '../commands/ids';
import type { Context } from '../context';
import { toCorePosition, toVsRange } from '../convert';
import { firstError, type Lens, type Range } from '../../core';
import { guard } from '../log';
import { containsPosition } from '../../core/ranges';
import { MessageType, parseFromWebview, type ExportFormat, type FromWebviewMessage, type RenderedMessage, type ToWebviewMessage } from '../../shared/protocol';
import { graphHtml } from './graphHtml';
import { GraphModelError } from '../../graph/graphIndex';
import { buildGraphView } from '../../graph/graphView';

/** What the panel needs from the context (the context is built around the panel's manager). */
export type PanelServices = Pick<Context, 'extensionUri' | 'mode' | 'log' | 'settings' | 'store'>;

interface Source {
  document: vscode.TextDocument;
  lens: Lens;
  /** From "Differentiate Selection": not in the store, so it cannot follow edits. */
  adHoc: boolean;
}

/** What the extension-host tests read (see CommandId.GraphPanelTest, registered by the manager). */
export interface GraphPanelSnapshot {
  visible: boolean;
  revision: number;
  documentUri?: string;
  line?: number;
  posted: ToWebviewMessage[];
  rendered: RenderedMessage[];
  lastReveal?: { uri: string; range: Range };
}

const VIEW_TYPE = 'gradientLens.graph';
const TITLE = 'Gradient Lens: Graph';
/** The test snapshot keeps only the latest messages. */
const HISTORY = 20;

/** Owns the one graph panel: opens it, and brings it back after a reload. */
export class GraphPanelManager implements vscode.Disposable {
  private panel: GraphPanel | undefined;
  private readonly registrations: vscode.Disposable[] = [];

  /** Registers the serializer (restore after reload) and, in tests, the snapshot command. */
  constructor(private readonly services: PanelServices) {
    this.registrations.push(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
    );
    if (services.mode !== vscode.ExtensionMode.Production) {
      this.registrations.push(vscode.commands.registerCommand(CommandId.GraphPanelTest, (action?: unknown, message?: unknown) => this.test(action, message)));
    }
  }

  /** Opens (or reuses) the panel beside the editor and shows the lens's graph. */
  show(lens: Lens, document: vscode.TextDocument, options: { adHoc?: boolean } = {}): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
      this.panel = this.adopt(panel);
    } else {
      this.panel.reveal();
    }
    this.panel.setSource({ lens, document, adHoc: options.adHoc === true });
  }

  dispose(): void {
    vscode.Disposable.from(...this.registrations.splice(0)).dispose();
    this.panel?.dispose();
  }

  private async restore(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.panel?.dispose();
    webviewPanel.webview.options = this.webviewOptions();
    const panel = this.adopt(webviewPanel);
    this.panel = panel;
    const saved = typeof state === 'object' && state !== null ? (state as { documentUri?: unknown; line?: unknown }) : {};
    if (typeof saved.documentUri !== 'string' || typeof saved.line !== 'number') return panel.showNothing('Move the cursor to a @grad lens to see its graph.');
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(saved.documentUri));
      const lens = this.services.store.get(document).find((each) => each.line === saved.line);
      if (lens) panel.setSource({ document, lens, adHoc: false });
      else panel.showNothing(`There is no @grad lens on line ${saved.line + 1} any more.`);
    } catch {
      panel.showNothing('The document of this graph is not available.');
    }
  }

  private adopt(webviewPanel: vscode.WebviewPanel): GraphPanel {
    const panel = new GraphPanel(webviewPanel, this.services, () => {
      if (this.panel === panel) this.panel = undefined;
    });
    return panel;
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // Only the stylesheet and the two bundles are loadable.
      localResourceRoots: [vscode.Uri.joinPath(this.services.extensionUri, 'media'), vscode.Uri.joinPath(this.services.extensionUri, 'dist')],
    };
  }

  /**
   * `test('snapshot')`, `test('receive', message)`: what the webview would see and send;
   * `test('restore', state)`: what the serializer does after a reload, on a fresh panel.
   */
  private async test(action: unknown, message: unknown): Promise<unknown> {
    if (action === 'restore') {
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
      await this.restore(panel, message);
      return this.panel?.snapshot();
    }
    const current = this.panel;
    if (!current) return undefined;
    if (action === 'receive') return current.receive(message);
    return current.snapshot();
  }
}

export class GraphPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private source: Source | undefined;
  private revision = 0;
  private lastHighlight: string | null = null;
  private readonly posted: ToWebviewMessage[] = [];
  private readonly rendered: RenderedMessage[] = [];
  private lastReveal: GraphPanelSnapshot['lastReveal'];
  /** The last graph posted (all but its revision), while the webview shows it. */
  private shownContent: string | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
    private readonly onDispose: () => void,
  ) {
    const { store, log } = services;
    panel.webview.html = GraphPanel.html(panel.webview, services.extensionUri);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((data: unknown) => void this.receive(data), undefined, this.disposables);
    // Event handlers, like providers, log an exception instead of throwing it into the extension host.
    vscode.window.onDidChangeTextEditorSelection((event) => guard(log, 'graph panel: cursor', undefined, () => this.followCursor(event.textEditor)), undefined, this.disposables);
    store.onDidUpdate((uri) => guard(log, 'graph panel: update', undefined, () => this.onDocumentUpdated(uri)), undefined, this.disposables);
  }

  private static html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
    const uri = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
    return graphHtml({ cspSource: webview.cspSource, nonce: nonce(), scriptUri: uri('dist', 'webview.js'), workerUri: uri('dist', 'layoutWorker.js'), styleUri: uri('media', 'graph.css') });
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
    this.lastHighlight = null;
    this.sendSource();
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
      return void this.post({ type: MessageType.Empty, reason, stale: this.isOnScreen(document, lens.line) });
    }
    const precision = this.services.settings(document).precision;
    const content = { target: lens.target, documentUri: document.uri.toString(), line: lens.line, value: lens.value, gradcheck: lens.gradcheck };
    // Every re-analysis makes new lens objects, but an edit elsewhere in the file leaves this graph
    // as it was: building and posting it again would make the webview redraw every node.
    const key = JSON.stringify([content, precision, lens.graph]);
    if (key === this.shownContent) return;
    try {
      const view = buildGraphView(lens.graph, precision);
      this.revision++;
      this.post({ type: MessageType.Show, revision: this.revision, ...content, view });
      this.shownContent = key;
    } catch (error) {
      if (!(error instanceof GraphModelError)) throw error;
      this.showNothing(`${lens.target}: the graph is malformed (${error.message})`);
    }
  }

  /** Whether the last graph posted is this document's lens on this line. */
  private isOnScreen(document: vscode.TextDocument, line: number): boolean {
    const shown = [...this.posted].reverse().find((m) => m.type !== MessageType.Highlight);
    if (!shown) return false;
    if (shown.type === MessageType.Show) return shown.documentUri === document.uri.toString() && shown.line === line;
    return shown.type === MessageType.Empty && shown.stale === true;
  }

  private post(message: ToWebviewMessage): void {
    if (message.type === MessageType.Empty) this.shownContent = undefined;
    remember(this.posted, message);
    void this.panel.webview.postMessage(message);
  }

  /** Follows the lens at the cursor, and highlights the node of the name under it. */
  private followCursor(editor: vscode.TextEditor): void {
    const document = editor.document;
    if (document.uri.scheme === 'output') return;
    // Typing moves the cursor: analysing here would undo the store's debounce on every keystroke.
    // The debounced update (onDocumentUpdated) follows the cursor instead.
    if (this.services.store.hasPendingEdit(document)) return;
    const position = editor.selection.active;
    const lens = this.services.store.lensAt(document, position);
    if (lens && (!this.source || this.source.lens !== lens)) this.setSource({ document, lens, adHoc: false });
    if (!this.source || this.source.document !== document) return;
    const at = toCorePosition(position);
    const name = this.source.lens.variables.find((variable) => variable.occurrences.some((range) => containsPosition(range, at)))?.name ?? null;
    if (name !== this.lastHighlight) {
      this.lastHighlight = name;
      this.post({ type: MessageType.Highlight, name });
    }
  }

  /** Live update: the document was re-analysed, so its lenses are new objects. */
  private onDocumentUpdated(uri: vscode.Uri): void {
    const source = this.source;
    const editor = vscode.window.activeTextEditor;
    if (!source || source.document.uri.toString() !== uri.toString()) {
      // Typed in another document: follow its cursor now that its lenses are current.
      if (editor?.document.uri.toString() === uri.toString()) this.followCursor(editor);
      return;
    }
    if (source.adHoc) return;
    const lenses = this.services.store.get(source.document);
    const atCursor = editor?.document === source.document ? this.services.store.lensAt(source.document, editor.selection.active) : undefined;
    const lens = atCursor ?? lenses.find((each) => each.line === source.lens.line) ?? lenses.find((each) => each.target === source.lens.target);
    if (!lens) return this.showNothing(`The lens for ${source.lens.target} is gone.`);
    if (lens !== source.lens) this.setSource({ document: source.document, lens, adHoc: false });
  }

  async receive(data: unknown): Promise<GraphPanelSnapshot['lastReveal'] | boolean> {
    const message = parseFromWebview(data);
    if (!message) {
      this.services.log.info('graph panel: ignored a malformed message from the webview');
      return false;
    }
    try {
      return await this.handle(message);
    } catch (error) {
      this.services.log.error('graph panel', error);
      return false;
    }
  }

  private async handle(message: FromWebviewMessage): Promise<GraphPanelSnapshot['lastReveal'] | boolean> {
    switch (message.type) {
      case MessageType.Ready:
        this.shownContent = undefined; // a new (or reloaded) webview shows nothing yet
        this.sendSource();
        if (this.lastHighlight !== null) this.post({ type: MessageType.Highlight, name: this.lastHighlight });
        return true;
      case MessageType.Reveal:
        return this.revealSource(message.revision, message.nodeId);
      case MessageType.Export:
        return this.export(message.format, message.content);
      case MessageType.CopyDot:
        await vscode.env.clipboard.writeText(message.content);
        void vscode.window.setStatusBarMessage('Gradient Lens: graph DOT copied', 3000);
        return true;
      case MessageType.Rendered:
        remember(this.rendered, message);
        return true;
      case MessageType.LayoutFailed:
        this.services.log.info(`graph layout failed: ${message.message}`);
        return true;
    }
  }

  /** Selects the source of a node: its own range, or where its variable is defined. */
  private async revealSource(revision: number, nodeId: number): Promise<GraphPanelSnapshot['lastReveal'] | boolean> {
    const source = this.source;
    if (!source || revision !== this.revision || !source.lens.graph) return false;
    const node = source.lens.graph.nodes.find((each) => each.id === nodeId);
    if (!node) return false;
    const range = node.range ?? source.lens.variables.find((variable) => variable.name === node.label)?.definedAt;
    if (!range) return false;
    const column = vscode.window.visibleTextEditors.find((editor) => editor.document === source.document)?.viewColumn ?? vscode.ViewColumn.One;
    await vscode.window.showTextDocument(source.document, { viewColumn: column, selection: toVsRange(range), preserveFocus: false });
    this.lastReveal = { uri: source.document.uri.toString(), range };
    return this.lastReveal;
  }

  private async export(format: ExportFormat, content: string): Promise<boolean> {
    const source = this.source;
    const base = source && source.document.uri.scheme === 'file' ? vscode.Uri.joinPath(source.document.uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${(source?.lens.target ?? 'graph').replace(/[^\w.-]+/g, '_') || 'graph'}.${format === 'svg' ? 'svg' : 'dot'}`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: base ? vscode.Uri.joinPath(base, name) : undefined,
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'Graphviz DOT': ['dot', 'gv'] },
      title: format === 'svg' ? 'Export the graph as SVG' : 'Export the graph as Graphviz DOT',
    });
    if (!target) return false;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    void vscode.window.showInformationMessage(`Gradient Lens: graph saved to ${target.path.split('/').pop() ?? target.toString()}`);
    return true;
  }

  snapshot(): GraphPanelSnapshot {
    return {
      visible: this.panel.visible,
      revision: this.revision,
      documentUri: this.source?.document.uri.toString(),
      line: this.source?.lens.line,
      posted: this.posted.slice(),
      rendered: this.rendered.slice(),
      lastReveal: this.lastReveal,
    };
  }
}

function remember<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > HISTORY) list.splice(0, list.length - HISTORY);
}

/** A script nonce: 32 random characters (Web Crypto exists in Node 20 and in web workers). */
function nonce(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62]).join('');
}
