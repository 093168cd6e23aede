// A lens's graph as Graphviz DOT, in micrograd's draw_dot style: a record `name | data | grad`
// per value and a small node per op. Constants are drawn quieter than variables.

import { formatNumber } from './format';
import type { Lens } from './types';

export function lensToDot(lens: Lens, precision = 4): string {
  const title = quoted(`${lens.target} (line ${lens.line + 1})`);
  if (!lens.graph) {
    const error = lens.problems.find((p) => p.severity === 'error');
    return `digraph {\n  label=${quoted(`${lens.target}: ${error ? error.message : 'no graph'}`)};\n}\n`;
  }
  const lines = ['digraph {', '  rankdir=LR;', `  label=${title};`];
  for (const node of lens.graph.nodes) {
    const fields = `{ ${record(node.label ?? '')} | data ${formatNumber(node.data, precision)} | grad ${formatNumber(node.grad, precision)} }`;
    const style = node.kind === 'constant' ? ', color=gray50, fontcolor=gray40' : node.kind === 'leaf' ? ', style=bold' : '';
    lines.push(`  "n${node.id}" [label="${fields}", shape=record${style}];`);
    if (node.op !== '') {
      lines.push(`  "n${node.id}op" [label=${quoted(node.op)}];`);
      lines.push(`  "n${node.id}op" -> "n${node.id}";`);
      for (const child of node.children) lines.push(`  "n${child}" -> "n${node.id}op";`);
    }
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function record(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\"{}|<>]/g, (ch) => `\\${ch}`);
}

function quoted(text: string): string {
  return `"${text.replace(/[\r\n]+/g, ' ').replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}
