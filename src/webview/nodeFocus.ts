// Keyboard access to the graph's values, as in a native VS Code tree or list: a roving tabindex.
// Exactly one value node is in the tab order (tabindex=0), so Tab enters the graph once and the
// next Tab leaves it, however many values there are, and only that one node carries a tabindex.
// Arrow keys move the tab stop (and the focus) to the nearest value in their direction, Home to
// the output; Enter or Space does what a click does.
import { arrowDirection, nearestInDirection } from '../graph/spatialNavigation';
import type { RenderedGraph } from './render';

export interface NodeFocusActions {
  /** Enter or Space on a value: reveal its source, as a click does. */
  activate(position: number): void;
  /** The focus moved to a value: bring it into view (focus() must not scroll the viewport). */
  moved(position: number): void;
}

export class NodeFocus {
  private graph: RenderedGraph | undefined;
  private output = 0;
  private tabStop: number | undefined;
  /** The engine id of the tab stop's value, to keep it across redraws on live edits. */
  private tabStopId: string | undefined;
  private refocus = false;

  constructor(
    viewport: HTMLElement,
    private readonly actions: NodeFocusActions,
  ) {
    viewport.addEventListener('keydown', (event) => this.onKeyDown(event));
  }

  /** Before the drawing is replaced: remembers whether a value had the focus. */
  release(): void {
    const active = document.activeElement;
    this.refocus = this.refocus || (this.graph !== undefined && active !== null && this.graph.svg.contains(active));
    this.graph = undefined;
    this.tabStop = undefined;
  }

  /** A new drawing: the same value as before (else the output) is the tab stop. */
  attach(graph: RenderedGraph, output: number): void {
    this.graph = graph;
    this.output = output;
    const same =
      this.tabStopId === undefined ? -1 : graph.nodes.findIndex((node) => node?.group.dataset.id === this.tabStopId);
    const start = same >= 0 ? same : graph.nodes[output] ? output : graph.nodes.findIndex(Boolean);
    if (start >= 0) this.moveTo(start, this.refocus);
    this.refocus = false;
  }

  /** The tab stop's position: the value the keyboard is on (or was last). */
  get current(): number | undefined {
    return this.tabStop;
  }

  /** Makes `position` the tab stop, and focuses it when asked. */
  moveTo(position: number, focus: boolean): void {
    const node = this.graph?.nodes[position];
    if (!node) return;
    if (this.tabStop !== undefined && this.tabStop !== position)
      this.graph?.nodes[this.tabStop]?.group.removeAttribute('tabindex');
    node.group.setAttribute('tabindex', '0');
    this.tabStop = position;
    this.tabStopId = node.group.dataset.id;
    if (!focus) return;
    node.group.focus({ preventScroll: true });
    this.actions.moved(position);
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (!this.graph || this.tabStop === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target !== this.graph.nodes[this.tabStop]?.group) return;
    const next = this.target(event.key);
    if (next === null) return;
    event.preventDefault();
    event.stopPropagation();
    if (next !== undefined) this.moveTo(next, true);
  }

  /** Where a key moves the focus; undefined: nowhere (handled, nothing to do); null: not ours. */
  private target(key: string): number | undefined | null {
    const graph = this.graph;
    const from = this.tabStop;
    if (!graph || from === undefined) return null;
    if (key === 'Enter' || key === ' ') {
      this.actions.activate(from);
      return undefined;
    }
    if (key === 'Home') return this.output;
    const direction = arrowDirection(key);
    if (!direction) return null;
    return nearestInDirection(
      graph.nodes.map((node) => node?.center),
      from,
      direction,
    );
  }
}
