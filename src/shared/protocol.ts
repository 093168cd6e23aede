// The one message protocol between the graph panel (extension host) and the graph webview
// (browser), after vscode-hexeditor's shared/protocol.ts: a const enum of message types, one
// interface per message, one union per direction. Both sides import this file and validate
// every incoming message with the parsers below: a message is data from another process and is
// never trusted, and labels from it reach the DOM only as text. A parser that refuses a message
// says why (`checkToWebview`, `checkFromWebview`, `graphViewProblem`): the webview shows the
// reason and reports it to the panel (`rejected`), which logs it, and the panel logs its own.
import type { GraphView, WireGradcheck } from './graphView';

export const enum MessageType {
  // extension → webview
  Show = 'show',
  Empty = 'empty',
  Highlight = 'highlight',
  Plot = 'plot',
  // webview → extension
  Ready = 'ready',
  Reveal = 'reveal',
  Export = 'export',
  CopyDot = 'copyDot',
  Rendered = 'rendered',
  LayoutFailed = 'layoutFailed',
  Rejected = 'rejected',
}

/** A lens's graph to draw. `revision` grows with every update, so stale layouts can be dropped. */
export interface ShowMessage {
  type: MessageType.Show;
  revision: number;
  /** What the lens computes, e.g. `o` or `return`. */
  target: string;
  documentUri: string;
  line: number;
  value: number | null;
  gradcheck: WireGradcheck | null;
  view: GraphView;
}

/** Nothing to draw, and why (no lens at the cursor, or the lens has an error). */
export interface EmptyMessage {
  type: MessageType.Empty;
  reason: string;
  /**
   * The lens on screen now has an error (usually mid-edit): keep its last picture, marked out of
   * date, instead of blanking the view on every keystroke.
   */
  stale?: boolean;
}

/** The name under the editor's cursor; null clears the highlight. */
export interface HighlightMessage {
  type: MessageType.Highlight;
  name: string | null;
}

/**
 * Plot the output against a variable of the graph (the hover's "Plot against x"): the webview
 * opens the plot once the graph on screen is the lens asked for.
 */
export interface PlotMessage {
  type: MessageType.Plot;
  /** The variable's name, as the lens has it. */
  leaf: string;
  documentUri: string;
  line: number;
}

/** A variable name longer than this is not one (a runaway message). */
export const MAX_LEAF_NAME = 1000;

export interface ReadyMessage {
  type: MessageType.Ready;
}

/** Reveal the source of a node of the graph with this revision. */
export interface RevealMessage {
  type: MessageType.Reveal;
  revision: number;
  nodeId: number;
}

export type ExportFormat = 'svg' | 'dot';

export interface ExportMessage {
  type: MessageType.Export;
  format: ExportFormat;
  content: string;
}

export interface CopyDotMessage {
  type: MessageType.CopyDot;
  content: string;
}

/** The webview drew a graph: lets tests and the panel know what is on screen. */
export interface RenderedMessage {
  type: MessageType.Rendered;
  revision: number;
  hash: string;
  reduced: boolean;
  nodes: number;
  edges: number;
  layoutMs: number;
  /** Building the SVG, until the next animation frame. */
  renderMs: number;
  cached: boolean;
}

export interface LayoutFailedMessage {
  type: MessageType.LayoutFailed;
  revision: number;
  message: string;
}

/**
 * The webview could not use a message from the panel (it failed `checkToWebview`), or could not
 * draw a graph it accepted: what it showed the user, for the output channel.
 */
export interface RejectedMessage {
  type: MessageType.Rejected;
  reason: string;
}

export type ToWebviewMessage = ShowMessage | EmptyMessage | HighlightMessage | PlotMessage;
export type FromWebviewMessage =
  | ReadyMessage
  | RevealMessage
  | ExportMessage
  | CopyDotMessage
  | RenderedMessage
  | LayoutFailedMessage
  | RejectedMessage;

/** A message that passed its parser, or why it did not. */
export type Checked<T> = { ok: true; message: T } | { ok: false; reason: string };

/** Exports and clipboard copies larger than this are refused (a runaway message, not a graph). */
export const MAX_TEXT_PAYLOAD = 64 * 1024 * 1024;

/** A rejection's reason is cut to this many characters: it is a line of the log, not a payload. */
export const MAX_REASON = 500;

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const isText = (value: unknown): value is string => isString(value) && value.length <= MAX_TEXT_PAYLOAD;

const accept = <T>(message: T): Checked<T> => ({ ok: true, message });
const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/**
 * How a reason names a value that failed a check: a number or a boolean as itself, anything else
 * by its kind, never its text (a reason is shown and logged; a string in it could be anything).
 * NaN and ±Infinity cross postMessage as JSON's null.
 */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return 'a string';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const notFinite = (what: string, value: unknown): string => `${what} is not a finite number (${describe(value)})`;
const notCount = (what: string, value: unknown): string =>
  `${what} is not a whole number \u2265 0 (${describe(value)})`;
const notString = (what: string, value: unknown): string => `${what} is not a string (${describe(value)})`;

/** A message type named in a reason: only a short plain word is quoted. */
function unknownType(type: unknown): string {
  const named = isString(type) && /^[A-Za-z][\w-]{0,39}$/.test(type) ? `'${type}'` : describe(type);
  return `a message of unknown type (${named})`;
}

/** One line of at most MAX_REASON characters, without control characters: fit for the log. */
function reasonText(text: string): string {
  return text.slice(0, MAX_REASON).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

/** A message from the webview, or why the panel cannot use it. */
export function checkFromWebview(data: unknown): Checked<FromWebviewMessage> {
  if (!isObject(data)) return refuse(`the message is not an object (${describe(data)})`);
  switch (data.type) {
    case MessageType.Ready:
      return accept({ type: MessageType.Ready });
    case MessageType.Reveal:
      if (!isCount(data.revision)) return refuse(notCount("the reveal request's revision", data.revision));
      if (!Number.isInteger(data.nodeId))
        return refuse(`the reveal request's node id is not an integer (${describe(data.nodeId)})`);
      return accept({ type: MessageType.Reveal, revision: data.revision, nodeId: data.nodeId as number });
    case MessageType.Export:
      if (data.format !== 'svg' && data.format !== 'dot') return refuse("the export's format is not 'svg' or 'dot'");
      if (!isText(data.content)) return refuse(textProblem("the export's content", data.content));
      return accept({ type: MessageType.Export, format: data.format, content: data.content });
    case MessageType.CopyDot:
      if (!isText(data.content)) return refuse(textProblem("the copied DOT's content", data.content));
      return accept({ type: MessageType.CopyDot, content: data.content });
    case MessageType.Rendered:
      return checkRendered(data);
    case MessageType.LayoutFailed:
      if (!isCount(data.revision)) return refuse(notCount("the layout failure's revision", data.revision));
      if (!isString(data.message)) return refuse(notString("the layout failure's message", data.message));
      return accept({ type: MessageType.LayoutFailed, revision: data.revision, message: data.message.slice(0, 2000) });
    case MessageType.Rejected:
      if (!isString(data.reason)) return refuse(notString("the rejection's reason", data.reason));
      return accept({ type: MessageType.Rejected, reason: reasonText(data.reason) });
    default:
      return refuse(unknownType(data.type));
  }
}

/** A message from the webview, or undefined when it is not one the panel understands. */
export function parseFromWebview(data: unknown): FromWebviewMessage | undefined {
  const checked = checkFromWebview(data);
  return checked.ok ? checked.message : undefined;
}

function textProblem(what: string, value: unknown): string {
  return isString(value) ? `${what} is longer than ${MAX_TEXT_PAYLOAD} characters` : notString(what, value);
}

function checkRendered(data: Fields): Checked<RenderedMessage> {
  const { revision, hash, reduced, nodes, edges, layoutMs, renderMs, cached } = data;
  const what = (field: string): string => `the rendered report's ${field}`;
  if (!isCount(revision)) return refuse(notCount(what('revision'), revision));
  if (!isString(hash)) return refuse(notString(what('hash'), hash));
  if (typeof reduced !== 'boolean' || typeof cached !== 'boolean')
    return refuse(`${what('reduced or cached')} is not true or false`);
  if (!isCount(nodes)) return refuse(notCount(what('node count'), nodes));
  if (!isCount(edges)) return refuse(notCount(what('edge count'), edges));
  if (!isFiniteNumber(layoutMs)) return refuse(notFinite(what('layout time'), layoutMs));
  if (!isFiniteNumber(renderMs)) return refuse(notFinite(what('render time'), renderMs));
  return accept({
    type: MessageType.Rendered,
    revision,
    hash: hash.slice(0, 64),
    reduced,
    nodes,
    edges,
    layoutMs,
    renderMs,
    cached,
  });
}

/** A message from the extension, or why the webview cannot use it. */
export function checkToWebview(data: unknown): Checked<ToWebviewMessage> {
  if (!isObject(data)) return refuse(`the message is not an object (${describe(data)})`);
  switch (data.type) {
    case MessageType.Show:
      return checkShow(data);
    case MessageType.Empty:
      if (!isString(data.reason)) return refuse(notString('the reason there is no graph', data.reason));
      if (data.stale !== undefined && typeof data.stale !== 'boolean')
        return refuse(`the "out of date" flag is not true or false (${describe(data.stale)})`);
      return accept(
        data.stale === undefined
          ? { type: MessageType.Empty, reason: data.reason }
          : { type: MessageType.Empty, reason: data.reason, stale: data.stale },
      );
    case MessageType.Highlight:
      return data.name === null || isString(data.name)
        ? accept({ type: MessageType.Highlight, name: data.name })
        : refuse(`the name to highlight is neither a string nor null (${describe(data.name)})`);
    case MessageType.Plot:
      if (!isString(data.leaf) || data.leaf.length > MAX_LEAF_NAME)
        return refuse(`the variable to plot against is not a name (${describe(data.leaf)})`);
      if (!isString(data.documentUri)) return refuse(notString("the plot's document", data.documentUri));
      if (!isCount(data.line)) return refuse(notCount("the plot's line", data.line));
      return accept({ type: MessageType.Plot, leaf: data.leaf, documentUri: data.documentUri, line: data.line });
    default:
      return refuse(unknownType(data.type));
  }
}

/** A message from the extension, or undefined when it is malformed. */
export function parseToWebview(data: unknown): ToWebviewMessage | undefined {
  const checked = checkToWebview(data);
  return checked.ok ? checked.message : undefined;
}

function checkShow(data: Fields): Checked<ShowMessage> {
  const { revision, target, documentUri, line, value, gradcheck, view } = data;
  if (!isCount(revision)) return refuse(notCount("the graph's revision", revision));
  if (!isString(target)) return refuse(notString("the graph's target", target));
  if (!isString(documentUri)) return refuse(notString("the graph's document", documentUri));
  if (!isCount(line)) return refuse(notCount("the graph's line", line));
  if (value !== null && !isFiniteNumber(value)) return refuse(notFinite("the lens's value", value));
  const badGradcheck = gradcheck === null ? undefined : gradcheckProblem(gradcheck);
  if (badGradcheck) return refuse(badGradcheck);
  const badView = graphViewProblem(view);
  if (badView) return refuse(badView);
  return accept({
    type: MessageType.Show,
    revision,
    target,
    documentUri,
    line,
    value,
    gradcheck: gradcheck as WireGradcheck | null,
    view: view as GraphView,
  });
}

function gradcheckProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `the gradcheck summary is not an object (${describe(value)})`;
  if (typeof value.ok !== 'boolean') return "the gradcheck summary's verdict is not true or false";
  if (!isFiniteNumber(value.maxRelError)) return notFinite("the gradcheck's largest relative error", value.maxRelError);
  if (!Array.isArray(value.entries)) return `the gradcheck's entries are not a list (${describe(value.entries)})`;
  for (let i = 0; i < value.entries.length; i++) {
    const e: unknown = value.entries[i];
    const what = `gradcheck entry ${i}`;
    if (!isObject(e)) return `${what} is not an object (${describe(e)})`;
    if (!isString(e.name)) return notString(`${what}'s name`, e.name);
    if (!isFiniteNumber(e.analytic)) return notFinite(`${what}'s analytic gradient`, e.analytic);
    if (e.numeric !== null && !isFiniteNumber(e.numeric))
      return `${what}'s numeric gradient is neither a finite number nor null (${describe(e.numeric)})`;
    if (typeof e.ok !== 'boolean') return `${what}'s verdict is not true or false`;
    if (e.note !== undefined && !isString(e.note)) return notString(`${what}'s note`, e.note);
  }
  return undefined;
}

/** Deep enough that the renderer can index and print everything without a further check. */
export function isGraphView(value: unknown): value is GraphView {
  return graphViewProblem(value) === undefined;
}

/**
 * Why `value` is not a GraphView the webview can draw, e.g. "node 3's grad is not a finite number
 * (null)"; undefined when it is one. The first problem found. Nodes and edges are named by their
 * position (from 0), backward steps and their contributions from 1, as the step counter counts.
 */
export function graphViewProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `the view is not an object (${describe(value)})`;
  const { nodes, edges, output, initialGrads, steps, precision, reducedByDefault } = value;
  if (!Array.isArray(nodes)) return `the view's nodes are not a list (${describe(nodes)})`;
  if (!Array.isArray(edges)) return `the view's edges are not a list (${describe(edges)})`;
  if (!Array.isArray(steps)) return `the view's backward steps are not a list (${describe(steps)})`;
  if (!Array.isArray(initialGrads)) return `the view's initial grads are not a list (${describe(initialGrads)})`;
  const count = nodes.length;
  if (count === 0) return 'the view has no nodes';
  const isPosition = (p: unknown): boolean => isCount(p) && (p as number) < count;
  const notPosition = (what: string, p: unknown): string =>
    `${what} is not a node position from 0 to ${count - 1} (${describe(p)})`;
  if (!isPosition(output)) return notPosition("the view's output", output);
  if (!isCount(precision)) return notCount("the view's precision", precision);
  if (typeof reducedByDefault !== 'boolean') return "the view's reduced-view default is not true or false";
  if (initialGrads.length !== count) return `the view has ${initialGrads.length} initial grads for ${count} nodes`;
  // Each reason is built only where a check fails: these loops run over every part of a big graph.
  for (let i = 0; i < count; i++) {
    if (!isFiniteNumber(initialGrads[i])) return notFinite(`node ${i}'s initial grad`, initialGrads[i]);
    const problem = viewNodeProblem(nodes[i], i);
    if (problem) return problem;
  }
  for (let i = 0; i < edges.length; i++) {
    const edge: unknown = edges[i];
    if (!isObject(edge)) return `edge ${i} is not an object (${describe(edge)})`;
    if (!isPosition(edge.from)) return notPosition(`edge ${i}'s operand end`, edge.from);
    if (!isPosition(edge.to)) return notPosition(`edge ${i}'s result end`, edge.to);
    if (!isCount(edge.operand)) return notCount(`edge ${i}'s operand index`, edge.operand);
    if (!isString(edge.text)) return notString(`edge ${i}'s label`, edge.text);
    if (!isFiniteNumber(edge.local)) return notFinite(`edge ${i}'s local derivative`, edge.local);
    if (!isFiniteNumber(edge.contribution)) return notFinite(`edge ${i}'s contribution`, edge.contribution);
  }
  for (let i = 0; i < steps.length; i++) {
    const step: unknown = steps[i];
    if (!isObject(step)) return `backward step ${i + 1} is not an object (${describe(step)})`;
    if (!isPosition(step.node)) return notPosition(`backward step ${i + 1}'s node`, step.node);
    if (!Array.isArray(step.contributions))
      return `backward step ${i + 1}'s contributions are not a list (${describe(step.contributions)})`;
    for (let j = 0; j < step.contributions.length; j++) {
      const c: unknown = step.contributions[j];
      if (!isObject(c)) return `backward step ${i + 1}'s contribution ${j + 1} is not an object (${describe(c)})`;
      if (!isPosition(c.child))
        return notPosition(`backward step ${i + 1}'s contribution ${j + 1}'s receiving node`, c.child);
      if (!isCount(c.operand))
        return notCount(`backward step ${i + 1}'s contribution ${j + 1}'s operand index`, c.operand);
      for (const key of CONTRIBUTION_NUMBERS)
        if (!isFiniteNumber(c[key]))
          return notFinite(`backward step ${i + 1}'s contribution ${j + 1}'s ${key}`, c[key]);
    }
  }
  return undefined;
}

const CONTRIBUTION_NUMBERS = ['local', 'upstream', 'amount', 'before', 'after'] as const;

function viewNodeProblem(node: unknown, i: number): string | undefined {
  if (!isObject(node)) return `node ${i} is not an object (${describe(node)})`;
  if (node.kind !== 'leaf' && node.kind !== 'constant' && node.kind !== 'intermediate')
    return `node ${i}'s kind is not leaf, constant or intermediate`;
  if (!Number.isInteger(node.id)) return `node ${i}'s id is not an integer (${describe(node.id)})`;
  if (node.label !== null && !isString(node.label))
    return `node ${i}'s label is neither a string nor null (${describe(node.label)})`;
  if (!isString(node.name)) return notString(`node ${i}'s name`, node.name);
  if (!isString(node.op)) return notString(`node ${i}'s op`, node.op);
  if (!isFiniteNumber(node.data)) return notFinite(`node ${i}'s data`, node.data);
  if (!isFiniteNumber(node.grad)) return notFinite(`node ${i}'s grad`, node.grad);
  if (node.range !== undefined && !isRange(node.range)) return `node ${i}'s source range is malformed`;
  return undefined;
}

function isRange(range: unknown): boolean {
  const isPos = (p: unknown): boolean => isObject(p) && isCount(p.line) && isCount(p.character);
  return isObject(range) && isPos(range.start) && isPos(range.end);
}
