// The graph view's DOT, from the one emitter that `gradlens --dot` also uses (engine/graph.ts via
// src/core/dot.ts): micrograd's draw_dot picture, a record `{ label | data 0.8814 | grad 0.5000 }`
// per value and a small node per op between its operands and its output, left to right.
//   - exportDot: what Copy DOT and Export DOT give, the same text as `gradlens --dot` for the lens.
//   - toDot: the layout input. The same picture without the caption, plus layout-only settings:
//     the fast-layout attributes for large graphs, and in the reduced view (large graphs) each op
//     folded into its output's record, which halves the node count and drops the op-node edges.
// From engine/graph directly: the engine's index would pull its nn module into the webview bundle.
import { dotOpId, dotValueId, graphToDot, recordName, type DotNode } from '../../engine/graph';
import { lensGraphToDot } from '../core/dot';
import type { Orientation } from './firstView';
import { formatNumber } from './format';
import { shownDot, type ShownGraph } from './shownGraph';
import type { GraphView, ViewNode } from '../shared/graphView';

export interface DotOptions {
  reduced: boolean;
  /** Grads to print; the final ones by default. */
  grads?: readonly number[];
  /** Left to right (micrograd's draw_dot, the default) or top to bottom, for a tall panel. */
  rankdir?: Orientation;
  /** A narrowed picture (a filter, folded blocks): only what it draws is laid out. */
  shown?: ShownGraph;
}

/** DOT ids are positional: `n<position>` for a value, `n<position>op` for the op producing it. */
export const valueNodeId: (position: number) => string = dotValueId;
export const opNodeId: (position: number) => string = dotOpId;

/** The layout input: the exported picture without its caption, plus layout-only settings. */
export function toDot(view: GraphView, options: DotOptions): string {
  const attributes = [
    ...layoutAttributes(view, options.reduced),
    ...(options.rankdir === 'TB' ? TOP_TO_BOTTOM_ATTRIBUTES : []),
  ];
  if (options.shown)
    return shownDot(view, options.shown, {
      reduced: options.reduced,
      rankdir: options.rankdir ?? 'LR',
      layoutAttributes: attributes,
    });
  return graphToDot(
    { nodes: dotNodes(view, options.grads) },
    {
      precision: view.precision,
      format: formatNumber,
      rankdir: options.rankdir ?? 'LR',
      foldOps: options.reduced,
      layoutAttributes: attributes,
    },
  );
}

/** Copy DOT and Export DOT: the full graph with the final grads, exactly as `gradlens --dot` prints it. */
export function exportDot(view: GraphView, target: string, line: number): string {
  return lensGraphToDot(target, line, dotNodes(view), view.precision);
}

/** The view's values as the emitter reads them: children (node ids, operand order) from the chain-rule edges. */
function dotNodes(view: GraphView, grads?: readonly number[]): DotNode[] {
  const children: number[][] = view.nodes.map(() => []);
  for (const edge of view.edges) children[edge.to][edge.operand] = view.nodes[edge.from].id;
  return view.nodes.map((node, position) => ({
    id: node.id,
    label: node.label,
    kind: node.kind,
    op: node.op,
    data: node.data,
    grad: grads ? grads[position] : node.grad,
    children: children[position],
  }));
}

/**
 * Top to bottom, a record's fields are stacked, so each rank is about twice as tall as left to
 * right: closer ranks (0.3 in instead of dot's 0.5 in) keep micrograd's neuron within a
 * half-width panel's height at a readable scale.
 */
const TOP_TO_BOTTOM_ATTRIBUTES = ['ranksep=0.3'];

/** Above this many values, dot's network-simplex passes are skipped (see layoutAttributes). */
export const FAST_LAYOUT_THRESHOLD = 300;

/**
 * Large graphs trade a little layout polish for speed. Measured on a 5,044-value MLP graph, dot
 * spends nearly all its time in network simplex (ranking and x-coordinates): 23 s as is, 0.8 s
 * with nslimit=0, nslimit1=0 and a small mclimit; a 1,140-value graph goes from 0.5 s to 0.14 s.
 * A layered MLP graph is already well ranked, so the picture barely changes. Small graphs get
 * micrograd's exact settings.
 */
function layoutAttributes(view: GraphView, reduced: boolean): string[] {
  return reduced || view.nodes.length > FAST_LAYOUT_THRESHOLD ? ['nslimit=0', 'nslimit1=0', 'mclimit=0.01'] : [];
}

/**
 * The record's first field, as the DOT has it: the variable's name, as in micrograd; an unnamed
 * intermediate's stand-in name (`v7`), so that edge labels and step descriptions can refer to
 * it; empty for a constant, whose value is already in its data field.
 */
export function displayName(node: ViewNode): string {
  return recordName(node);
}
