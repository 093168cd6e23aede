// The layout input and the DOT export: micrograd's draw_dot picture. Each value is a record
// `{ label | data 0.8814 | grad 0.5000 }`, each op a small node between its operands and its
// output, laid out left to right. The reduced view (for large graphs) folds each op into its
// output's record, which halves the node count and drops the op-node edges.
// From engine/graph directly: the engine's index would pull its nn module into the webview bundle.
import { escapeQuoted, escapeRecordText } from '../../engine/graph';
import { formatNumber } from './format';
import type { GraphView, ViewNode } from '../shared/graphView';

export interface DotOptions {
  reduced: boolean;
  /** Grads to print; the final ones by default. */
  grads?: readonly number[];
}

/** DOT ids are positional: `n<position>` for a value, `op<position>` for the op producing it. */
export function valueNodeId(position: number): string {
  return `n${position}`;
}

export function opNodeId(position: number): string {
  return `op${position}`;
}

export function toDot(view: GraphView, options: DotOptions): string {
  const lines = ['digraph gradient_lens {', ...graphAttributes(view, options.reduced)];
  view.nodes.forEach((node, position) => {
    const grad = options.grads ? options.grads[position] : node.grad;
    const fields = [escapeRecordText(displayName(node)), `data ${formatNumber(node.data, view.precision)}`, `grad ${formatNumber(grad, view.precision)}`];
    if (options.reduced && node.op !== '') fields.unshift(escapeRecordText(node.op));
    lines.push(`  ${valueNodeId(position)} [label="{ ${fields.join(' | ')} }"];`);
    if (!options.reduced && node.op !== '') {
      lines.push(`  ${opNodeId(position)} [label="${escapeQuoted(node.op)}", shape=ellipse];`);
      lines.push(`  ${opNodeId(position)} -> ${valueNodeId(position)};`);
    }
  });
  for (const edge of view.edges) {
    const head = options.reduced ? valueNodeId(edge.to) : opNodeId(edge.to);
    lines.push(`  ${valueNodeId(edge.from)} -> ${head};`);
  }
  lines.push('}');
  return lines.join('\n');
}

/** Above this many values, dot's network-simplex passes are skipped (see graphAttributes). */
export const FAST_LAYOUT_THRESHOLD = 300;

/**
 * Large graphs trade a little layout polish for speed. Measured on a 5,044-value MLP graph, dot
 * spends nearly all its time in network simplex (ranking and x-coordinates): 23 s as is, 0.8 s
 * with nslimit=0, nslimit1=0 and a small mclimit; a 1,140-value graph goes from 0.5 s to 0.14 s.
 * A layered MLP graph is already well ranked, so the picture barely changes. Small graphs get
 * micrograd's exact settings.
 */
function graphAttributes(view: GraphView, reduced: boolean): string[] {
  const attributes = ['  rankdir=LR;', '  node [shape=record, fontname="Helvetica", fontsize=12];'];
  if (reduced || view.nodes.length > FAST_LAYOUT_THRESHOLD) attributes.push('  nslimit=0;', '  nslimit1=0;', '  mclimit=0.01;');
  return attributes;
}

/**
 * The record's first field: the variable's name, as in micrograd. An unnamed intermediate shows
 * its stand-in name (`v7`) so that edge labels and step descriptions can refer to it; a
 * constant's value is already in its data field, so its name field stays empty.
 */
export function displayName(node: ViewNode): string {
  return node.label ?? (node.kind === 'constant' ? '' : node.name);
}
