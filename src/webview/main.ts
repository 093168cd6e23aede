// The graph webview: receives a lens's graph from the panel, lays it out in a worker (Graphviz),
// draws it, and offers the backward-pass walk-through, edge labels, export and code linking.
// Every message in either direction goes through src/shared/protocol.ts and is validated. A message
// the webview cannot use, or a graph it cannot draw, is never dropped in silence: the view says
// why, and the panel gets the reason (`rejected`) for its log.
import { visibleText } from '../../engine/graph';
import { exportDot, toDot, valueNodeId } from '../graph/dot';
import { chooseOrientation, type Orientation } from '../graph/firstView';
import { formatSigned } from '../graph/format';
import { hashString } from '../graph/hash';
import {
  checkToWebview,
  MessageType,
  type FromWebviewMessage,
  type PlotMessage,
  type ShowMessage,
} from '../shared/protocol';
import { byId } from './dom';
import { exportSvg } from './exportSvg';
import { showGradcheck } from './gradcheckBadge';
import { GradientColours } from './gradientColours';
import { CancelledError, LayoutClient, type LayoutResult } from './layoutClient';
import { Narrowing, type FilterMode } from './narrowing';
import { NodeFocus } from './nodeFocus';
import { PlotView } from './plotView';
import { PanZoom } from './panZoom';
import type { Layout } from '../graph/layout';
import type { ShownGraph } from '../graph/shownGraph';
import {
  ensureEdgeLabel,
  MARGIN,
  renderGraphInSlices,
  type RenderedEdge,
  type RenderedGraph,
  type RenderedNode,
} from './render';
import { parseState, type PersistedState } from './state';
import { Search } from './search';
import { BackwardStepper, type StepperView } from './stepper';

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const LOW_DETAIL_SCALE = 0.4;
/** Graphs with more boxes and edges than this are drawn in slices of DRAW_SLICE, a frame apart. */
const SLICED_DRAW_ABOVE = 4000;
const DRAW_SLICE = 1000;
const LOW_DETAIL_MIN_NODES = 500;

type ViewState = 'waiting' | 'layout' | 'ready' | 'stale' | 'empty' | 'error';

class GraphApp {
  private readonly vscode = acquireVsCodeApi();
  private state: PersistedState = parseState(this.vscode.getState());
  private readonly layouts = new LayoutClient(document.body.dataset.workerSrc ?? '');
  private readonly viewport = byId('viewport', HTMLDivElement);
  private readonly status = byId('status', HTMLDivElement);
  private readonly notice = byId('notice', HTMLDivElement);
  private readonly panZoom = new PanZoom(this.viewport, (transform) => this.onTransform(transform.scale));
  private readonly edgeByGroup = new WeakMap<Element, RenderedEdge>();
  private readonly colours = new GradientColours(byId('legend', HTMLDivElement));
  private readonly nodeFocus = new NodeFocus(this.viewport, {
    activate: (position) => this.activate(position),
    moved: (position) => this.revealInView(position),
  });
  private readonly narrowing = new Narrowing();
  private readonly search = new Search(byId('search', HTMLInputElement), {
    drawn: () => (this.message && this.graph ? { view: this.message.view, graph: this.graph } : undefined),
    goTo: (position, focus) => {
      this.nodeFocus.moveTo(position, focus);
      this.revealInView(position);
    },
    say: (text) => (this.status.textContent = text),
  });
  private readonly plotView = new PlotView();
  /** A plot the editor asked for, opened once its lens's graph is drawn. */
  private pendingPlot: PlotMessage | undefined;
  private message: ShowMessage | undefined;
  private graph: RenderedGraph | undefined;
  private stepper: BackwardStepper | undefined;
  private hash = '';
  /** Where the drawing on screen was first centred; undefined when it kept the saved view. */
  private firstViewFocus: [number, number] | undefined;
  private highlighted: Element[] = [];
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  start(): void {
    this.wireControls();
    window.addEventListener('message', (event: MessageEvent) => this.onMessage(event.data));
    this.viewport.addEventListener('click', (event) => this.onClick(event));
    this.viewport.addEventListener('pointerover', (event) => this.onHover(event));
    document.addEventListener('keydown', (event) => this.onShortcut(event));
    byId('edge-labels', HTMLInputElement).checked = this.state.edgeLabels;
    byId('colour-grads', HTMLInputElement).checked = this.state.colours;
    this.colours.enabled = this.state.colours;
    this.setViewState('waiting', 'Waiting for a graph\u2026');
    this.layouts.warmUp();
    this.vscode.postMessage({ type: MessageType.Ready });
  }

  private onMessage(data: unknown): void {
    const checked = checkToWebview(data);
    if (!checked.ok) return this.rejected(checked.reason, sparesPicture(data));
    const message = checked.message;
    try {
      if (message.type === MessageType.Show) void this.show(message);
      else if (message.type === MessageType.Empty && message.stale && this.graph) this.showStale(message.reason);
      else if (message.type === MessageType.Empty) this.showEmpty(message.reason);
      else if (message.type === MessageType.Plot) this.requestPlot(message);
      else this.highlight(message.name);
    } catch (error) {
      this.rejected(errorText(error), sparesPicture(message));
    }
  }

  /**
   * A message the webview cannot use (`reason` says why), or a graph it could not draw: shown in
   * the status line and reported to the panel, which logs it. A graph or an empty view that cannot
   * be shown leaves no picture (the one on screen is not the graph asked for); a bad highlight
   * leaves the picture as it is.
   */
  private rejected(reason: string, keepPicture: boolean): void {
    const text = keepPicture
      ? `A request from the editor was ignored: ${reason}`
      : `This graph could not be drawn: ${reason}`;
    if (keepPicture) this.status.textContent = text;
    else this.showEmpty(text, 'error');
    this.vscode.postMessage({ type: MessageType.Rejected, reason: text });
  }

  private async show(message: ShowMessage): Promise<void> {
    try {
      await this.showGraph(message);
    } catch (error) {
      if (error instanceof CancelledError || this.message !== message) return;
      this.rejected(errorText(error), false);
    }
  }

  private async showGraph(message: ShowMessage): Promise<void> {
    const sameLens = this.state.documentUri === message.documentUri && this.state.line === message.line;
    if (!sameLens)
      this.state = {
        edgeLabels: this.state.edgeLabels,
        colours: this.state.colours,
        orientation: this.state.orientation,
        documentUri: message.documentUri,
        line: message.line,
      };
    if (sameLens) this.narrowing.carryOver(this.message?.view, message.view);
    else this.narrowing.reset();
    this.message = message;
    byId('title', HTMLSpanElement).textContent =
      `${visibleText(message.target)} = ${formatSigned(message.view.nodes[message.view.output].data, message.view.precision)}`;
    showGradcheck(byId('gradcheck', HTMLSpanElement), message.gradcheck, message.view.precision);
    const reduced = this.reduced();
    const orientation = this.orientation();
    const shown = this.narrowing.shown(message.view);
    const dot = toDot(message.view, { reduced, rankdir: orientation, shown });
    const hash = hashString(dot);
    this.setViewState('layout', `Laying out ${message.view.nodes.length} values\u2026`);
    let result: LayoutResult;
    try {
      result = await this.layouts.layout(dot, hash);
    } catch (error) {
      if (error instanceof CancelledError || this.message !== message) return;
      const text = errorText(error);
      this.setViewState('error', `The graph could not be laid out: ${text}`);
      this.vscode.postMessage({ type: MessageType.LayoutFailed, revision: message.revision, message: text });
      return;
    }
    if (this.message !== message) return;
    const drawing = performance.now();
    if (!(await this.draw(message, result.layout, reduced, hash, sameLens, shown))) return;
    showOrientation(orientation);
    this.showNarrowing(message, shown);
    // The legend and the narrowing line change the viewport's height after the drawing was
    // placed: a first view is placed again in the viewport as it now is.
    if (this.firstViewFocus) this.panZoom.firstView(this.firstViewFocus);
    const pending = this.pendingPlot;
    if (pending && pending.documentUri === message.documentUri && pending.line === message.line) {
      this.pendingPlot = undefined;
      this.plotByName(pending.leaf);
    }
    await nextFrame();
    const renderMs = Math.round(performance.now() - drawing);
    this.vscode.postMessage({
      type: MessageType.Rendered,
      revision: message.revision,
      hash,
      reduced,
      nodes: this.graph?.nodes.filter(Boolean).length ?? 0,
      edges: this.graph?.edges.length ?? 0,
      layoutMs: Math.round(result.ms),
      renderMs,
      cached: result.cached,
    });
  }

  /** Draws in slices, a frame apart; false when a newer message took over meanwhile. */
  private async draw(
    message: ShowMessage,
    layout: Layout,
    reduced: boolean,
    hash: string,
    sameLens: boolean,
    shown: ShownGraph | undefined,
  ): Promise<boolean> {
    this.stepper?.dispose();
    this.stepper = undefined;
    this.plotView.close();
    this.nodeFocus.release();
    this.colours.release();
    this.graph = undefined;
    const total = layout.nodes.length + layout.edges.length;
    const slices = renderGraphInSlices(
      message.view,
      layout,
      reduced,
      total > SLICED_DRAW_ABOVE ? DRAW_SLICE : Infinity,
      shown?.folded,
    );
    const keepView = sameLens && this.state.hash !== undefined;
    let step = slices.next();
    while (!step.done) {
      if (step.value instanceof SVGSVGElement) {
        this.viewport.replaceChildren(step.value);
        const focus = focusOf(layout, this.narrowing.filter?.position ?? message.view.output);
        this.firstViewFocus = keepView ? undefined : focus;
        this.panZoom.attach(step.value, keepView ? this.state.transform : undefined, focus);
      } else {
        this.status.textContent = `Drawing ${step.value} of ${total} elements\u2026`;
        await nextFrame();
        if (this.message !== message) return false;
      }
      step = slices.next();
    }
    const graph = step.value;
    graph.edges.forEach((edge) => this.edgeByGroup.set(edge.group, edge));
    this.graph = graph;
    this.nodeFocus.attach(graph, message.view.output);
    this.colours.attach(graph, message.view);
    this.onTransform(this.panZoom.current.scale);
    this.hash = hash;
    this.applyEdgeLabels();
    this.showNotice(message, reduced);
    this.setViewState('ready', '');
    // A live edit changes the numbers: the walk restarts from the finished pass.
    const stepIndex =
      keepView && this.state.hash === hash
        ? (this.state.stepIndex ?? message.view.steps.length)
        : message.view.steps.length;
    this.stepper = new BackwardStepper(message.view, graph, stepIndex, (view) => this.onStep(view));
    this.stepper.start();
    this.highlight(this.lastHighlight);
    this.search.refresh();
    this.saveSoon();
    return true;
  }

  /** The editor's "Plot against x": now when its lens is on screen, else once it is drawn. */
  private requestPlot(message: PlotMessage): void {
    const shown = this.message;
    if (this.graph && shown && shown.documentUri === message.documentUri && shown.line === message.line)
      this.plotByName(message.leaf);
    else this.pendingPlot = message;
  }

  private plotByName(name: string): void {
    const view = this.message?.view;
    const position = view ? view.nodes.findIndex((node) => node.kind === 'leaf' && node.label === name) : -1;
    if (position < 0) this.status.textContent = `No plot: this graph has no variable ${visibleText(name)}.`;
    else this.plotAt(position);
  }

  /** Opens the plot of the output against the leaf at `position`, or says why it cannot. */
  private plotAt(position: number | undefined): void {
    const message = this.message;
    if (!message || position === undefined) return;
    if (message.view.nodes[position]?.kind !== 'leaf') {
      this.status.textContent = 'Plot works on a variable: move to a leaf of the graph (x1, w1, …) first.';
      return;
    }
    this.nodeFocus.moveTo(position, false);
    const problem = this.plotView.show(message.view, position, message.target, () =>
      this.nodeFocus.moveTo(position, true),
    );
    if (problem) this.status.textContent = problem;
  }

  /** The line under the toolbar saying what a narrowed picture leaves out. */
  private showNarrowing(message: ShowMessage, shown: ShownGraph | undefined): void {
    const text = this.narrowing.describe(message.view, shown);
    const line = byId('narrowing', HTMLDivElement);
    line.hidden = text === '';
    byId('narrowing-text', HTMLSpanElement).textContent = text;
    byId('fold-repeats', HTMLButtonElement).setAttribute('aria-pressed', String(this.narrowing.folded));
  }

  /** Only what feeds the value the keyboard is on (or was last clicked), or only what it feeds. */
  private narrow(mode: FilterMode): void {
    const message = this.message;
    if (!message) return;
    const position = this.nodeFocus.current ?? message.view.output;
    this.narrowing.filter = { mode, position };
    this.redraw();
  }

  private showAll(): void {
    if (!this.narrowing.filter) return;
    this.narrowing.filter = undefined;
    this.redraw();
  }

  private toggleFolding(): void {
    const message = this.message;
    if (!message) return;
    if (!this.narrowing.toggleFolding(message.view)) {
      const { incomplete } = this.narrowing.blocks(message.view);
      this.status.textContent = incomplete
        ? 'This graph is too large to look for repeated blocks in.'
        : 'This graph has no repeated blocks (structurally identical subgraphs, such as the neurons of a layer).';
      return;
    }
    this.redraw();
  }

  /** The same lens, narrowed or widened: a new layout, shown at its first view. */
  private redraw(): void {
    if (!this.message) return;
    this.state.hash = undefined;
    void this.show(this.message);
  }

  /** The user's choice, else from the panel's shape: left to right when wide, top to bottom when tall. */
  private orientation(): Orientation {
    const { width, height } = this.viewport.getBoundingClientRect();
    return this.state.orientation ?? chooseOrientation(width, height);
  }

  private toggleOrientation(): void {
    if (!this.message) return;
    this.state.orientation = this.orientation() === 'LR' ? 'TB' : 'LR';
    this.state.hash = undefined; // a new layout: its first view
    void this.show(this.message);
  }

  private reduced(): boolean {
    return this.state.reduced ?? this.message?.view.reducedByDefault ?? false;
  }

  private showNotice(message: ShowMessage, reduced: boolean): void {
    const big = message.view.reducedByDefault;
    this.notice.hidden = !reduced && !big;
    byId('notice-text', HTMLSpanElement).textContent = reduced
      ? `Reduced view of ${message.view.nodes.length} values: each op is drawn inside the box of the value it computes instead of as its own node, which keeps the layout fast.`
      : `Full graph of ${message.view.nodes.length} values (with op nodes); layout and drawing may be slow.`;
    byId('toggle-reduced', HTMLButtonElement).textContent = reduced ? 'Show full graph' : 'Show reduced view';
  }

  /** Keeps the picture, marked out of date, while the lens has an error. */
  private showStale(reason: string): void {
    this.stepper?.pause();
    document.body.dataset.state = 'stale';
    this.status.textContent = `${reason} (the graph shows the last result)`;
  }

  private showEmpty(reason: string, state: 'empty' | 'error' = 'empty'): void {
    this.layouts.cancel();
    this.message = undefined;
    this.stepper?.dispose();
    this.stepper = undefined;
    this.plotView.close();
    this.nodeFocus.release();
    this.colours.release();
    this.graph = undefined;
    this.viewport.replaceChildren();
    byId('title', HTMLSpanElement).textContent = '';
    showGradcheck(byId('gradcheck', HTMLSpanElement), null, 4);
    this.notice.hidden = true;
    this.setViewState(state, reason);
  }

  private lastHighlight: string | null = null;

  /** Marks the value nodes named `name` (the name under the editor's cursor). */
  private highlight(name: string | null): void {
    this.lastHighlight = name;
    for (const element of this.highlighted) element.classList.remove('highlighted');
    this.highlighted = [];
    if (name === null || !this.graph) return;
    // data-label holds the label as drawn (render.ts).
    const shown = visibleText(name);
    let first: RenderedNode | undefined;
    for (const node of this.graph.nodes) {
      if (node && node.group.dataset.label === shown) {
        node.group.classList.add('highlighted');
        this.highlighted.push(node.group);
        first ??= node;
      }
    }
    if (first) this.panZoom.reveal(first.center[0], first.center[1]);
  }

  private onClick(event: MouseEvent): void {
    if (this.panZoom.suppressClick || !this.message) return;
    const target = event.target instanceof Element ? event.target : null;
    const control = target?.closest('g.plot-control');
    if (control) return this.plotAt(Number((control as SVGGElement).dataset.position));
    const node = target?.closest('g.node');
    if (!node) return;
    const position = Number((node as SVGGElement).dataset.position);
    // Arrow keys then go on from the clicked value (an op node is not in the focus order).
    if (node.classList.contains('value')) this.nodeFocus.moveTo(position, true);
    this.activate(position);
  }

  /** A click, Enter or Space on a value: a folded block opens; any other value shows its source. */
  private activate(position: number): void {
    if (this.graph?.nodes[position]?.group.classList.contains('folded')) {
      this.narrowing.open(position);
      this.redraw();
      return;
    }
    this.reveal(position);
  }

  /** Selects the value's source range in the editor. */
  private reveal(position: number): void {
    const viewNode = this.message?.view.nodes[position];
    if (this.message && viewNode)
      this.vscode.postMessage({ type: MessageType.Reveal, revision: this.message.revision, nodeId: viewNode.id });
  }

  private revealInView(position: number): void {
    const node = this.graph?.nodes[position];
    if (node) this.panZoom.reveal(node.center[0], node.center[1]);
  }

  /**
   * One-key shortcuts for the toolbar, as in VS Code's own views: S step, P play or pause,
   * R reset, F fit, + and − zoom. Not while typing, nor with a modifier (those are the editor's).
   */
  private onShortcut(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isEditable(event.target)) return;
    if (event.key === '/') {
      event.preventDefault();
      return this.search.focus();
    }
    const id = SHORTCUTS.get(event.key.toLowerCase());
    const control =
      id === 'play' && !byId('pause', HTMLButtonElement).disabled
        ? byId('pause', HTMLButtonElement)
        : id
          ? document.getElementById(id)
          : null;
    // A button, or a checkbox (a click toggles it and fires its change event).
    if (!(control instanceof HTMLButtonElement || control instanceof HTMLInputElement) || control.disabled) return;
    event.preventDefault();
    control.click();
  }

  private onHover(event: PointerEvent): void {
    const group = event.target instanceof Element ? event.target.closest('g.edge') : null;
    const edge = group && this.edgeByGroup.get(group);
    if (edge) ensureEdgeLabel(edge);
  }

  private applyEdgeLabels(): void {
    const graph = this.graph;
    if (!graph) return;
    graph.svg.classList.toggle('show-edge-labels', this.state.edgeLabels);
    if (this.state.edgeLabels) graph.edges.forEach(ensureEdgeLabel);
  }

  private onStep(view: StepperView): void {
    byId('step-counter', HTMLSpanElement).textContent = `step ${view.index} / ${view.total}`;
    this.status.textContent = view.description;
    byId('play', HTMLButtonElement).disabled = view.playing || view.total === 0;
    byId('pause', HTMLButtonElement).disabled = !view.playing;
    byId('step', HTMLButtonElement).disabled = view.playing || view.total === 0;
    byId('step-back', HTMLButtonElement).disabled = view.playing || view.index === 0;
    document.body.dataset.step = String(view.index);
    this.colours.paint(view.grads);
    const current = view.current === undefined ? undefined : this.graph?.nodes[view.current];
    if (current) this.panZoom.reveal(current.center[0], current.center[1]);
    this.saveSoon();
  }

  private wireControls(): void {
    const on = (id: string, action: () => void): void => byId(id, HTMLButtonElement).addEventListener('click', action);
    on('step', () => this.stepper?.step());
    on('step-back', () => this.stepper?.back());
    on('play', () => this.stepper?.play());
    on('pause', () => this.stepper?.pause());
    on('reset', () => this.stepper?.reset());
    on('fit', () => this.panZoom.fit());
    on('zoom-in', () => this.panZoom.zoomBy(1.25));
    on('zoom-out', () => this.panZoom.zoomBy(0.8));
    on('toggle-reduced', () => this.toggleReduced());
    on('orientation', () => this.toggleOrientation());
    on('show-feeding', () => this.narrow('feeds'));
    on('show-fed', () => this.narrow('fedBy'));
    on('show-all', () => this.showAll());
    on('fold-repeats', () => this.toggleFolding());
    on('plot', () => this.plotAt(this.nodeFocus.current));
    on(
      'export-svg',
      () =>
        this.graph &&
        this.vscode.postMessage({
          type: MessageType.Export,
          format: 'svg',
          content: exportSvg(this.graph.svg, this.state.edgeLabels),
        }),
    );
    on('export-dot', () =>
      this.withDot((content) => this.vscode.postMessage({ type: MessageType.Export, format: 'dot', content })),
    );
    on('copy-dot', () => this.withDot((content) => this.vscode.postMessage({ type: MessageType.CopyDot, content })));
    byId('colour-grads', HTMLInputElement).addEventListener('change', (event) => {
      this.state.colours = (event.target as HTMLInputElement).checked;
      this.colours.enabled = this.state.colours;
      this.saveSoon();
    });
    byId('edge-labels', HTMLInputElement).addEventListener('change', (event) => {
      this.state.edgeLabels = (event.target as HTMLInputElement).checked;
      this.applyEdgeLabels();
      this.saveSoon();
    });
  }

  /**
   * The full graph's DOT with the final grads, what micrograd's draw_dot gives after backward():
   * the same text as `gradlens --dot` for this lens.
   */
  private withDot(use: (dot: string) => void): void {
    if (this.message) use(exportDot(this.message.view, this.message.target, this.message.line));
  }

  private toggleReduced(): void {
    if (!this.message) return;
    this.state.reduced = !this.reduced();
    this.state.hash = undefined; // a new layout: fit it
    void this.show(this.message);
  }

  private setViewState(state: ViewState, text: string): void {
    document.body.dataset.state = state;
    if (state !== 'ready') this.status.textContent = text;
    for (const id of [
      'step',
      'step-back',
      'play',
      'pause',
      'reset',
      'fit',
      'zoom-in',
      'zoom-out',
      'export-svg',
      'export-dot',
      'copy-dot',
      'toggle-reduced',
      'orientation',
      'show-feeding',
      'show-fed',
      'show-all',
      'fold-repeats',
      'plot',
    ]) {
      if (state !== 'ready') byId(id, HTMLButtonElement).disabled = true;
      else if (!['step', 'step-back', 'play', 'pause'].includes(id)) byId(id, HTMLButtonElement).disabled = false;
    }
  }

  /**
   * Level of detail: on a large graph zoomed out so far that 12 px text would be under ~5 px,
   * text is hidden (see graph.css); Chromium then lays out and paints boxes and lines only.
   */
  private onTransform(scale: number): void {
    const svg = this.viewport.firstElementChild;
    const count = this.message?.view.nodes.length ?? 0;
    if (svg instanceof SVGSVGElement)
      svg.classList.toggle('detail-low', scale < LOW_DETAIL_SCALE && count > LOW_DETAIL_MIN_NODES);
    this.saveSoon();
  }

  /** Saves the view state at most every 300 ms (pan and zoom fire on every frame). */
  private saveSoon(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.state = {
        ...this.state,
        hash: this.hash || undefined,
        transform: this.panZoom.current,
        stepIndex: this.stepper?.current,
      };
      this.vscode.setState(this.state);
    }, 300);
  }
}

/** Toolbar buttons by their one-key shortcut (`play` pauses while playing). */
const SHORTCUTS = new Map([
  ['s', 'step'],
  ['b', 'step-back'],
  ['p', 'play'],
  ['r', 'reset'],
  ['f', 'fit'],
  ['+', 'zoom-in'],
  ['=', 'zoom-in'],
  ['-', 'zoom-out'],
  ['l', 'orientation'],
  ['c', 'colour-grads'],
  ['i', 'show-feeding'],
  ['o', 'show-fed'],
  ['a', 'show-all'],
  ['m', 'fold-repeats'],
  ['x', 'plot'],
]);

/** Where a letter is text, not a shortcut (the panel has none today but the checkbox; kept safe). */
function isEditable(target: EventTarget | null): boolean {
  if (target instanceof HTMLInputElement) return target.type !== 'checkbox';
  return target instanceof HTMLElement && (target.isContentEditable || ['TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** An exception's message, for a reason shown to the user. */
function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether a message that failed was meant as a highlight or a plot: it then spares the picture. */
function sparesPicture(data: unknown): boolean {
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  return type === MessageType.Highlight || type === MessageType.Plot;
}

/** The direction button names the layout on screen; a click switches it. */
function showOrientation(orientation: Orientation): void {
  const button = byId('orientation', HTMLButtonElement);
  button.textContent = orientation === 'LR' ? 'Left to right' : 'Top to bottom';
  button.dataset.orientation = orientation;
}

/** Where the first view centres: the output's box, in the drawing's pixels (its centre if unplaced). */
function focusOf(layout: Layout, output: number): [number, number] {
  const box = layout.nodes.find((each) => each.name === valueNodeId(output));
  if (!box) return [layout.width / 2 + MARGIN, layout.height / 2 + MARGIN];
  return [box.x + box.width / 2 + MARGIN, box.y + box.height / 2 + MARGIN];
}

/** Resolves after the browser has laid out and painted the current DOM. */
function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

new GraphApp().start();
