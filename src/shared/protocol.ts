// The one message protocol between the graph panel (extension host) and the graph webview
// (browser), after vscode-hexeditor's shared/protocol.ts: a const enum of message types, one
// interface per message, one union per direction. Both sides import this file and validate
// every incoming message with the parsers below: a message is data from another process and is
// never trusted, and labels from it reach the DOM only as text.
import type { GraphView, WireGradcheck } from './graphView';

export const enum MessageType {
  // extension → webview
  Show = 'show',
  Empty = 'empty',
  Highlight = 'highlight',
  // webview → extension
  Ready = 'ready',
  Reveal = 'reveal',
  Export = 'export',
  CopyDot = 'copyDot',
  Rendered = 'rendered',
  LayoutFailed = 'layoutFailed',
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

export type ToWebviewMessage = ShowMessage | EmptyMessage | HighlightMessage;
export type FromWebviewMessage =
  ReadyMessage | RevealMessage | ExportMessage | CopyDotMessage | RenderedMessage | LayoutFailedMessage;

/** Exports and clipboard copies larger than this are refused (a runaway message, not a graph). */
export const MAX_TEXT_PAYLOAD = 64 * 1024 * 1024;

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const isText = (value: unknown): value is string => isString(value) && value.length <= MAX_TEXT_PAYLOAD;

/** A message from the webview, or undefined when it is not one the panel understands. */
export function parseFromWebview(data: unknown): FromWebviewMessage | undefined {
  if (!isObject(data)) return undefined;
  switch (data.type) {
    case MessageType.Ready:
      return { type: MessageType.Ready };
    case MessageType.Reveal:
      return isCount(data.revision) && Number.isInteger(data.nodeId)
        ? { type: MessageType.Reveal, revision: data.revision as number, nodeId: data.nodeId as number }
        : undefined;
    case MessageType.Export:
      return (data.format === 'svg' || data.format === 'dot') && isText(data.content)
        ? { type: MessageType.Export, format: data.format, content: data.content }
        : undefined;
    case MessageType.CopyDot:
      return isText(data.content) ? { type: MessageType.CopyDot, content: data.content } : undefined;
    case MessageType.Rendered:
      return parseRendered(data);
    case MessageType.LayoutFailed:
      return isCount(data.revision) && isString(data.message)
        ? { type: MessageType.LayoutFailed, revision: data.revision, message: data.message.slice(0, 2000) }
        : undefined;
    default:
      return undefined;
  }
}

function parseRendered(data: Fields): RenderedMessage | undefined {
  const { revision, hash, reduced, nodes, edges, layoutMs, renderMs, cached } = data;
  if (!isCount(revision) || !isString(hash) || typeof reduced !== 'boolean' || typeof cached !== 'boolean')
    return undefined;
  if (!isCount(nodes) || !isCount(edges) || !isFiniteNumber(layoutMs) || !isFiniteNumber(renderMs)) return undefined;
  return {
    type: MessageType.Rendered,
    revision,
    hash: hash.slice(0, 64),
    reduced,
    nodes,
    edges,
    layoutMs,
    renderMs,
    cached,
  };
}

/** A message from the extension, or undefined when it is malformed. */
export function parseToWebview(data: unknown): ToWebviewMessage | undefined {
  if (!isObject(data)) return undefined;
  switch (data.type) {
    case MessageType.Show:
      return parseShow(data);
    case MessageType.Empty:
      if (!isString(data.reason) || (data.stale !== undefined && typeof data.stale !== 'boolean')) return undefined;
      return data.stale === undefined
        ? { type: MessageType.Empty, reason: data.reason }
        : { type: MessageType.Empty, reason: data.reason, stale: data.stale };
    case MessageType.Highlight:
      return data.name === null || isString(data.name) ? { type: MessageType.Highlight, name: data.name } : undefined;
    default:
      return undefined;
  }
}

function parseShow(data: Fields): ShowMessage | undefined {
  const { revision, target, documentUri, line, value, gradcheck, view } = data;
  if (!isCount(revision) || !isString(target) || !isString(documentUri) || !isCount(line)) return undefined;
  if (value !== null && !isFiniteNumber(value)) return undefined;
  if (gradcheck !== null && !isGradcheck(gradcheck)) return undefined;
  if (!isGraphView(view)) return undefined;
  return { type: MessageType.Show, revision, target, documentUri, line, value, gradcheck, view };
}

function isGradcheck(value: unknown): value is WireGradcheck {
  if (
    !isObject(value) ||
    typeof value.ok !== 'boolean' ||
    !isFiniteNumber(value.maxRelError) ||
    !Array.isArray(value.entries)
  )
    return false;
  return value.entries.every(
    (e) =>
      isObject(e) &&
      isString(e.name) &&
      isFiniteNumber(e.analytic) &&
      (e.numeric === null || isFiniteNumber(e.numeric)) &&
      typeof e.ok === 'boolean' &&
      (e.note === undefined || isString(e.note)),
  );
}

/** Deep enough that the renderer can index and print everything without a further check. */
export function isGraphView(value: unknown): value is GraphView {
  if (!isObject(value)) return false;
  const { nodes, edges, output, initialGrads, steps, precision, reducedByDefault } = value;
  if (!Array.isArray(nodes) || !Array.isArray(edges) || !Array.isArray(steps) || !Array.isArray(initialGrads))
    return false;
  const count = nodes.length;
  const isPosition = (p: unknown): boolean => isCount(p) && (p as number) < count;
  if (!isPosition(output) || !isCount(precision) || typeof reducedByDefault !== 'boolean') return false;
  if (initialGrads.length !== count || !initialGrads.every(isFiniteNumber)) return false;
  return (
    nodes.every(isViewNode) &&
    edges.every((e) => isViewEdge(e, isPosition)) &&
    steps.every((s) => isStep(s, isPosition))
  );
}

function isViewNode(node: unknown): boolean {
  if (!isObject(node)) return false;
  const kindOk = node.kind === 'leaf' || node.kind === 'constant' || node.kind === 'intermediate';
  return (
    kindOk &&
    Number.isInteger(node.id) &&
    (node.label === null || isString(node.label)) &&
    isString(node.name) &&
    isString(node.op) &&
    isFiniteNumber(node.data) &&
    isFiniteNumber(node.grad) &&
    (node.range === undefined || isRange(node.range))
  );
}

function isRange(range: unknown): boolean {
  const isPos = (p: unknown): boolean => isObject(p) && isCount(p.line) && isCount(p.character);
  return isObject(range) && isPos(range.start) && isPos(range.end);
}

function isViewEdge(edge: unknown, isPosition: (p: unknown) => boolean): boolean {
  return (
    isObject(edge) &&
    isPosition(edge.from) &&
    isPosition(edge.to) &&
    isCount(edge.operand) &&
    isString(edge.text) &&
    isFiniteNumber(edge.local) &&
    isFiniteNumber(edge.contribution)
  );
}

function isStep(step: unknown, isPosition: (p: unknown) => boolean): boolean {
  if (!isObject(step) || !isPosition(step.node) || !Array.isArray(step.contributions)) return false;
  return step.contributions.every(
    (c) =>
      isObject(c) &&
      isPosition(c.child) &&
      isCount(c.operand) &&
      ['local', 'upstream', 'amount', 'before', 'after'].every((k) => isFiniteNumber(c[k])),
  );
}
