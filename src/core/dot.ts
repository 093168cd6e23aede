// A lens's graph as Graphviz DOT, in micrograd's draw_dot style, through the engine's emitter:
// the core only adds a caption and draws constants quieter than variables.

import { escapeQuoted, graphToDot } from '../../engine';
import { formatNumber } from './format';
import { firstError } from './problems';
import type { GraphNode, Lens } from './types';

export function lensToDot(lens: Lens, precision = 4): string {
  if (!lens.graph) {
    const error = firstError(lens);
    return `digraph {\n  label="${escapeQuoted(`${lens.target}: ${error ? error.message : 'no graph'}`)}";\n}\n`;
  }
  return graphToDot(lens.graph, {
    precision,
    title: `${lens.target} (line ${lens.line + 1})`,
    format: formatNumber,
    attributes: quietConstants,
  });
}

function quietConstants(node: GraphNode): string {
  if (node.kind === 'constant') return 'color=gray50, fontcolor=gray40';
  return node.kind === 'leaf' ? 'style=bold' : '';
}
