// A lens's graph as Graphviz DOT, in micrograd's draw_dot style, through the engine's one emitter
// (engine/graph.ts), which the graph view's Copy DOT and Export DOT also use: for the same lens and
// precision, `gradlens --dot` and the view give the same text. The core adds only the caption and
// the number format. From engine/graph directly, so that the graph view can import this file
// without pulling the engine's nn module into its bundle.

import { graphToDot, type DotNode } from '../../engine/graph';
import { formatNumber } from './format';
import { firstError } from './problems';
import type { Lens } from './types';

/** The caption of a lens's picture: what it computes and where, e.g. `o (line 15)`. */
export function lensDotTitle(target: string, line: number): string {
  return `${target} (line ${line + 1})`;
}

/**
 * The DOT of a lens's graph: `nodes` are the lens's graph nodes (or the graph view's, which carry
 * the same ids, labels, kinds and numbers).
 */
export function lensGraphToDot(target: string, line: number, nodes: readonly DotNode[], precision: number): string {
  return graphToDot({ nodes }, { precision, title: lensDotTitle(target, line), format: formatNumber });
}

export function lensToDot(lens: Lens, precision = 4): string {
  if (!lens.graph) {
    const error = firstError(lens);
    return graphToDot({ nodes: [] }, { title: `${lens.target}: ${error ? error.message : 'no graph'}` });
  }
  return lensGraphToDot(lens.target, lens.line, lens.graph.nodes, precision);
}
