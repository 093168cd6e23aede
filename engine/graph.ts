// Graph exports: plain JSON for the webview and the CLI, and Graphviz DOT after micrograd's
// draw_dot (a record node `label | data | grad` per value, plus a small node per op).
import { buildOrder } from './topo';
import type { Value } from './value';

export interface GraphJSONNode {
  /** The node's index in topological order. */
  id: number;
  label: string | null;
  /** '' for a leaf, else the op symbol ('+', '**2', 'tanh', …). */
  op: string;
  data: number;
  grad: number;
  /** Ids of the operands, in operand order. */
  children: number[];
}

export interface GraphJSON {
  /** Children before parents; the output is last. */
  nodes: GraphJSONNode[];
  output: number;
}

export interface DotOptions {
  /** Decimals for data and grad; micrograd's draw_dot uses 4. */
  precision?: number;
  rankdir?: 'LR' | 'TB';
}

/** Node ids by identity; the sort's order gives the ids. */
function indexOf(order: readonly Value[]): Map<Value, number> {
  const ids = new Map<Value, number>();
  order.forEach((v, i) => ids.set(v, i));
  return ids;
}

export function toGraph(root: Value): GraphJSON {
  const order = buildOrder(root, false);
  const ids = indexOf(order);
  const nodes = order.map((v, id) => ({
    id,
    label: v.label ?? null,
    op: v.op,
    data: v.data,
    grad: v.grad,
    children: v.children.map((c) => ids.get(c) as number),
  }));
  return { nodes, output: order.length - 1 };
}

/**
 * Whether a UTF-16 code unit is shown as `\uXXXX` text: the C0 controls, DEL and the C1 controls
 * (a NUL ends Graphviz's parse; the others reach the layout's JSON raw and break it, and a
 * terminal acts on them), and the bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069), which make text read differently from what it is. The CLI's text report
 * writes the same set the same way.
 */
function invisible(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * User text as it is drawn: each run of line breaks becomes one space (a label is one line), and
 * every other invisible character (see `invisible`) the six characters of its `\uXXXX` escape.
 */
export function visibleText(text: string): string {
  let k = 0;
  while (k < text.length && !invisible(text.charCodeAt(k))) k++;
  if (k === text.length) return text;
  let out = text.slice(0, k);
  for (; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (code === 0x0a || code === 0x0d) {
      while (k + 1 < text.length && (text.charCodeAt(k + 1) === 0x0a || text.charCodeAt(k + 1) === 0x0d)) k++;
      out += ' ';
    } else if (invisible(code)) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      out += text[k];
    }
  }
  return out;
}

/** Escapes text for a field of a Graphviz record label inside a double-quoted string. */
export function escapeRecordText(text: string): string {
  return visibleText(text).replace(/[\\"{}|<>]/g, (ch) => `\\${ch}`);
}

/** Escapes text for an ordinary double-quoted Graphviz label. */
export function escapeQuoted(text: string): string {
  return visibleText(text).replace(/[\\"]/g, (ch) => `\\${ch}`);
}

export function toDot(root: Value, options: DotOptions = {}): string {
  return graphToDot(toGraph(root), options);
}

/** What a value looks like in the picture; without a kind, it is read off the node (see kindOf). */
export type DotNodeKind = 'leaf' | 'constant' | 'intermediate';

/** A value as the emitter reads it: the engine's JSON node, optionally with the core's kind. */
export interface DotNode extends GraphJSONNode {
  kind?: DotNodeKind;
}

/** How a caller (the CLI, the graph webview) dresses the one picture. */
export interface GraphDotOptions extends DotOptions {
  /** A caption for the whole picture, e.g. `o (line 15)`. */
  title?: string;
  /** Number formatting; default `toFixed(precision)`, as draw_dot does. */
  format?: (x: number, precision: number) => string;
  /**
   * Layout only (the graph view's reduced view of a large graph): each op is drawn inside the
   * record of the value it computes (`{ op | name | data | grad }`), with no op nodes.
   */
  foldOps?: boolean;
  /** Layout only: extra graph attributes, each `name=value` (e.g. `nslimit=0`). */
  layoutAttributes?: readonly string[];
}

/** The DOT node of the value at `position` in the node list: `n3`. */
export function dotValueId(position: number): string {
  return `n${position}`;
}

/** The DOT node of the op computing the value at `position`: `n3op` (draw_dot's `uid + op`). */
export function dotOpId(position: number): string {
  return `n${position}op`;
}

/** What naming and styling a value reads. */
export type NamedNode = Pick<DotNode, 'id' | 'label' | 'op' | 'kind'>;

/** A leaf without a label is a number constant; a node with an op is an intermediate. */
export function kindOf(node: NamedNode): DotNodeKind {
  if (node.kind !== undefined) return node.kind;
  if (node.op !== '') return 'intermediate';
  return node.label === null ? 'constant' : 'leaf';
}

/**
 * The record's first field: the value's label as in draw_dot (control characters made visible,
 * see visibleText). An unnamed intermediate shows a stand-in name (`v7`, after its id) that the
 * graph view's edge labels and steps also use; a constant's value is already in its data field,
 * so its name field stays empty.
 */
export function recordName(node: NamedNode): string {
  if (node.label !== null) return visibleText(node.label);
  return kindOf(node) === 'constant' ? '' : `v${node.id}`;
}

/** Graphviz attributes per kind: named leaves bold, constants quieter than variables. */
const KIND_ATTRIBUTES: Record<DotNodeKind, string> = {
  leaf: ', style=bold',
  constant: ', color=gray50, fontcolor=gray40',
  intermediate: '',
};

const LAYOUT_ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_]*=[A-Za-z0-9_.-]+$/;

/**
 * draw_dot's picture of a graph description: the one DOT emitter, shared by the engine's
 * `toDot`, the CLI's `--dot` and the graph view (its layout input, Copy DOT and Export DOT). A
 * record `{ name | data | grad }` per value, an op node per non-leaf with an edge to its value,
 * and an edge from each operand to that op node. DOT nodes are named by position in `nodes`
 * (`n3`, `n3op`); `children` holds node ids.
 */
export function graphToDot(graph: { nodes: readonly DotNode[] }, options: GraphDotOptions = {}): string {
  const precision = options.precision ?? 4;
  if (!Number.isInteger(precision) || precision < 0 || precision > 20) {
    throw new RangeError(`toDot precision must be an integer from 0 to 20, got ${String(precision)}`);
  }
  const rankdir = options.rankdir ?? 'LR';
  if (rankdir !== 'LR' && rankdir !== 'TB') {
    throw new RangeError(`toDot rankdir must be 'LR' or 'TB', got ${String(rankdir)}`);
  }
  const format = options.format ?? ((x: number, digits: number) => x.toFixed(digits));
  const number = (x: number): string => escapeRecordText(format(x, precision));
  const fold = options.foldOps === true;
  const lines = ['digraph {', `  rankdir=${rankdir};`];
  if (options.title !== undefined) lines.push(`  label="${escapeQuoted(options.title)}";`);
  lines.push('  node [fontname="Helvetica", fontsize=12];');
  for (const attribute of options.layoutAttributes ?? []) {
    if (!LAYOUT_ATTRIBUTE.test(attribute))
      throw new RangeError(`toDot layout attribute must be name=value, got ${JSON.stringify(attribute)}`);
    lines.push(`  ${attribute};`);
  }
  const positions = positionsById(graph.nodes);
  graph.nodes.forEach((node, position) => {
    if (typeof node.op !== 'string') throw new TypeError(`toDot: node ${node.id} has an op that is not a string`);
    if (node.label !== null && typeof node.label !== 'string')
      throw new TypeError(`toDot: node ${node.id} has a label that is not a string or null`);
    const value = dotValueId(position);
    const fields = [escapeRecordText(recordName(node)), `data ${number(node.data)}`, `grad ${number(node.grad)}`];
    if (fold && node.op !== '') fields.unshift(escapeRecordText(node.op));
    lines.push(`  ${value} [label="{ ${fields.join(' | ')} }", shape=record${KIND_ATTRIBUTES[kindOf(node)]}];`);
    if (node.op === '') return;
    const head = fold ? value : dotOpId(position);
    if (!fold) {
      lines.push(`  ${head} [label="${escapeQuoted(node.op)}"];`);
      lines.push(`  ${head} -> ${value};`);
    }
    for (const child of node.children) {
      const operand = positions.get(child);
      if (operand === undefined)
        throw new RangeError(`toDot: node ${node.id} has a child ${JSON.stringify(child)} that is not a node id`);
      lines.push(`  ${dotValueId(operand)} -> ${head};`);
    }
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}

/**
 * Node id → position. The DOT names nodes by position, so a caller's id never reaches the text
 * except as the integer in an unnamed value's `v<id>`; it must be an integer, once.
 */
function positionsById(nodes: readonly DotNode[]): Map<number, number> {
  const positions = new Map<number, number>();
  nodes.forEach((node, position) => {
    if (!Number.isInteger(node.id))
      throw new TypeError(
        `toDot: node #${position} needs an integer id, got ${JSON.stringify(node.id) ?? String(node.id)}`,
      );
    if (positions.has(node.id)) throw new RangeError(`toDot: node id ${node.id} appears twice`);
    positions.set(node.id, position);
  });
  return positions;
}
