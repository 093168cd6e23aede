// What the user narrowed the picture to: only what feeds a value or only what it feeds, and
// repeated blocks folded (each expands on a click). Kept per lens: a new lens starts whole; a live
// edit of the same lens keeps the narrowing while its values keep their positions.
import { visibleText } from '../../engine/graph';
import { fedBy, feeding } from '../graph/reach';
import { findRepeatedBlocks, type RepeatedBlocks } from '../graph/repeatedBlocks';
import { shownGraph, type ShownGraph } from '../graph/shownGraph';
import type { GraphView } from '../shared/graphView';

export type FilterMode = 'feeds' | 'fedBy';

export interface Filter {
  mode: FilterMode;
  /** Position of the value the filter is about. */
  position: number;
}

export class Narrowing {
  filter: Filter | undefined;
  private folding = false;
  /** Folded blocks the user opened, by root. */
  private readonly opened = new Set<number>();
  private found: { view: GraphView; blocks: RepeatedBlocks } | undefined;

  /** A new lens: the whole graph again. */
  reset(): void {
    this.filter = undefined;
    this.folding = false;
    this.opened.clear();
    this.found = undefined;
  }

  /** A new graph of the same lens: keeps the narrowing when its values are where they were. */
  carryOver(before: GraphView | undefined, view: GraphView): void {
    const same =
      before !== undefined &&
      before.nodes.length === view.nodes.length &&
      before.nodes.every((node, p) => node.id === view.nodes[p].id && node.op === view.nodes[p].op);
    if (!same) this.reset();
  }

  get folded(): boolean {
    return this.folding;
  }

  /** Folds every repeated block, or opens them all. False when the graph has none to fold. */
  toggleFolding(view: GraphView): boolean {
    if (!this.folding && this.blocks(view).blocks.length === 0) return false;
    this.folding = !this.folding;
    this.opened.clear();
    return true;
  }

  /** Opens one folded block (a click on its box). */
  open(root: number): void {
    this.opened.add(root);
  }

  blocks(view: GraphView): RepeatedBlocks {
    if (this.found?.view !== view) this.found = { view, blocks: findRepeatedBlocks(view) };
    return this.found.blocks;
  }

  /** The narrowed picture, or undefined for the whole graph. */
  shown(view: GraphView): ShownGraph | undefined {
    if (!this.filter && !this.folding) return undefined;
    const filter = this.filter;
    const keep = filter && (filter.mode === 'feeds' ? feeding(view, filter.position) : fedBy(view, filter.position));
    const blocks = this.folding ? this.blocks(view).blocks.filter((block) => !this.opened.has(block.root)) : [];
    return shownGraph(view, keep, blocks, filter?.position);
  }

  /** What the picture shows, for the line under the toolbar; '' for the whole graph. */
  describe(view: GraphView, shown: ShownGraph | undefined): string {
    if (!shown) return '';
    const parts: string[] = [];
    const filter = this.filter;
    if (filter) {
      const name = visibleText(view.nodes[filter.position]?.name ?? '?');
      const what = filter.mode === 'feeds' ? `what feeds ${name}` : `what ${name} feeds`;
      parts.push(`Only ${what}: ${shown.standsFor} of ${view.nodes.length} values.`);
    }
    if (shown.folded.size > 0)
      parts.push(`${shown.folded.size} repeated blocks folded (\u229e); a click or Enter opens one.`);
    else if (this.folding) parts.push('Every repeated block is open.');
    return parts.join(' ');
  }
}
