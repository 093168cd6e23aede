// What the graph view draws when the user narrows it: only what feeds a value, or only what a
// value feeds, and repeated blocks folded into one box each. A value is either drawn as itself,
// drawn as the box of its folded block (the block's root), or not drawn. The layout input for
// such a picture is DOT in the same draw_dot look as the full graph's (records, op nodes), with
// the values left out and each folded block one record `{ ⊞ N values | name | data | grad }`
// whose inputs point straight at it. Pure, for the webview and the tests.
import { dotOpId, dotValueId, escapeQuoted, escapeRecordText, kindOf, recordName } from '../../engine/graph';
import type { GraphView } from '../shared/graphView';
import type { Orientation } from './firstView';
import { formatNumber } from './format';
import { operandsOf } from './reach';
import type { Block } from './repeatedBlocks';

export interface ShownGraph {
  /** Whether each value (by position) is drawn, as itself or as its folded block's box. */
  drawn: boolean[];
  /** Folded blocks by their root; their other members are not drawn. */
  folded: ReadonlyMap<number, Block>;
  /** How many values the picture stands for: the drawn ones and the insides of folded blocks. */
  standsFor: number;
}

/**
 * The picture for a filter (`keep`, by position; undefined keeps all) and the blocks to fold. A
 * block folds only when its root is kept; the filter's value itself is never folded away.
 */
export function shownGraph(
  view: GraphView,
  keep: readonly boolean[] | undefined,
  blocks: readonly Block[],
  focus?: number,
): ShownGraph {
  const drawn = view.nodes.map((_, p) => keep?.[p] ?? true);
  const folded = new Map<number, Block>();
  for (const block of blocks) {
    if (!drawn[block.root]) continue;
    if (focus !== undefined && focus !== block.root && block.members.includes(focus)) continue;
    folded.set(block.root, block);
  }
  const standsFor = drawn.filter(Boolean).length;
  for (const block of folded.values())
    for (const member of block.members) if (member !== block.root) drawn[member] = false;
  return { drawn, folded, standsFor };
}

/** Graphviz attributes per kind, as the full graph's emitter (engine/graph.ts) draws them. */
const KIND_ATTRIBUTES = { leaf: ', style=bold', constant: ', color=gray50, fontcolor=gray40', intermediate: '' };

export interface ShownDotOptions {
  reduced: boolean;
  rankdir: Orientation;
  layoutAttributes: readonly string[];
}

/** The first field of a folded block's record. */
export function foldedCaption(block: Block): string {
  return `\u229e ${block.members.length} values`;
}

/** The layout input of a narrowed picture (see the file's comment). */
export function shownDot(view: GraphView, shown: ShownGraph, options: ShownDotOptions): string {
  const operands = operandsOf(view);
  const number = (x: number): string => escapeRecordText(formatNumber(x, view.precision));
  // A value hidden inside a folded block is reached through the block's root.
  const representative = view.nodes.map((_, p) => p);
  for (const block of shown.folded.values()) for (const member of block.members) representative[member] = block.root;
  const lines = ['digraph {', `  rankdir=${options.rankdir};`, '  node [fontname="Helvetica", fontsize=12];'];
  for (const attribute of options.layoutAttributes) lines.push(`  ${attribute};`);
  view.nodes.forEach((node, position) => {
    if (!shown.drawn[position]) return;
    const block = shown.folded.get(position);
    const value = dotValueId(position);
    const fields = [escapeRecordText(recordName(node)), `data ${number(node.data)}`, `grad ${number(node.grad)}`];
    if (block) fields.unshift(escapeRecordText(foldedCaption(block)));
    else if (options.reduced && node.op !== '') fields.unshift(escapeRecordText(node.op));
    const style = block ? ', style=dashed' : KIND_ATTRIBUTES[kindOf(node)];
    lines.push(`  ${value} [label="{ ${fields.join(' | ')} }", shape=record${style}];`);
    if (node.op === '') return;
    const inputs = block
      ? [...new Set(block.members.flatMap((m) => operands[m]).filter((c) => !block.members.includes(c)))]
      : operands[position];
    const tails = inputs.filter((c) => c !== undefined && shown.drawn[representative[c]]);
    if (tails.length === 0) return;
    const head = block || options.reduced ? value : dotOpId(position);
    if (head !== value) {
      lines.push(`  ${head} [label="${escapeQuoted(node.op)}"];`);
      lines.push(`  ${head} -> ${value};`);
    }
    const seen = new Set<number>();
    for (const child of tails) {
      const tail = representative[child];
      // A block's input used by two of its members is one edge; an operand used twice stays two.
      if (block && seen.has(tail)) continue;
      seen.add(tail);
      lines.push(`  ${dotValueId(tail)} -> ${head};`);
    }
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}
