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

/** Escapes text for a field of a Graphviz record label inside a double-quoted string. */
export function escapeRecordText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\"{}|<>]/g, (ch) => `\\${ch}`);
}

/** Escapes text for an ordinary double-quoted Graphviz label. */
export function escapeQuoted(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\"]/g, (ch) => `\\${ch}`);
}

export function toDot(root: Value, options: DotOptions = {}): string {
  return graphToDot(toGraph(root), options);
}

/** How a caller with richer nodes (the core's lenses) dresses the same picture. */
export interface GraphDotOptions<N extends GraphJSONNode> extends DotOptions {
  /** A caption for the whole picture. */
  title?: string;
  /** Number formatting; default `toFixed(precision)`, as draw_dot does. */
  format?: (x: number, precision: number) => string;
  /** Extra Graphviz attributes for a value's record node, e.g. `style=bold`. */
  attributes?: (node: N) => string;
}

/** draw_dot's picture of a plain graph description: the one DOT emitter the engine and the core share. */
export function graphToDot<N extends GraphJSONNode>(graph: { nodes: readonly N[] }, options: GraphDotOptions<N> = {}): string {
  const precision = options.precision ?? 4;
  if (!Number.isInteger(precision) || precision < 0 || precision > 20) {
    throw new RangeError(`toDot precision must be an integer from 0 to 20, got ${String(precision)}`);
  }
  const rankdir = options.rankdir ?? 'LR';
  if (rankdir !== 'LR' && rankdir !== 'TB') {
    throw new RangeError(`toDot rankdir must be 'LR' or 'TB', got ${String(rankdir)}`);
  }
  const format = options.format ?? ((x: number, digits: number) => x.toFixed(digits));
  const lines = ['digraph {', `  rankdir=${rankdir};`];
  if (options.title !== undefined) lines.push(`  label="${escapeQuoted(options.title)}";`);
  for (const node of graph.nodes) {
    const id = node.id;
    const fields = `{ ${escapeRecordText(node.label ?? '')} | data ${format(node.data, precision)} | grad ${format(node.grad, precision)} }`;
    const extra = options.attributes?.(node) ?? '';
    lines.push(`  "n${id}" [label="${fields}", shape=record${extra === '' ? '' : `, ${extra}`}];`);
    if (node.op !== '') {
      lines.push(`  "n${id}op" [label="${escapeQuoted(node.op)}"];`);
      lines.push(`  "n${id}op" -> "n${id}";`);
      for (const c of node.children) lines.push(`  "n${c}" -> "n${id}op";`);
    }
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
