// Search by name: typing marks every drawn value whose name matches (class `match`); Enter goes to
// the next match and Shift+Enter to the previous one (the view pans to it, it becomes the graph's
// tab stop, class `match-current`), while the typing stays in the box; Escape goes to the current
// match in the graph. `/` anywhere in the panel comes back to the box (main.ts).
import { visibleText } from '../../engine/graph';
import { searchByName } from '../graph/reach';
import type { GraphView } from '../shared/graphView';
import type { RenderedGraph } from './render';

export interface SearchHost {
  /** The graph on screen and the view it draws. */
  drawn(): { view: GraphView; graph: RenderedGraph } | undefined;
  /** Makes the value the tab stop and brings it into view; with `focus`, focuses it. */
  goTo(position: number, focus: boolean): void;
  /** One line for the status bar (announced by screen readers). */
  say(text: string): void;
}

export class Search {
  private matches: number[] = [];
  private current = -1;
  private marked: Element[] = [];

  constructor(
    private readonly input: HTMLInputElement,
    private readonly host: SearchHost,
  ) {
    input.addEventListener('input', () => this.update(true));
    input.addEventListener('keydown', (event) => this.onKeyDown(event));
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }

  /** After a redraw: marks the matches in the new drawing, without moving the view. */
  refresh(): void {
    this.update(false);
  }

  private update(announce: boolean): void {
    for (const element of this.marked) element.classList.remove('match', 'match-current');
    this.marked = [];
    this.current = -1;
    const drawn = this.host.drawn();
    const query = this.input.value;
    if (!drawn || query.trim() === '') {
      this.matches = [];
      return;
    }
    const all = searchByName(drawn.view, query);
    this.matches = all.filter((position) => drawn.graph.nodes[position] !== undefined);
    for (const position of this.matches) {
      const group = drawn.graph.nodes[position]?.group;
      if (!group) continue;
      group.classList.add('match');
      this.marked.push(group);
    }
    if (announce) this.host.say(this.summary(all.length, visibleText(query.trim())));
  }

  private summary(all: number, query: string): string {
    const hidden = all - this.matches.length;
    const hiddenText = hidden > 0 ? ` (${hidden} more not drawn: A shows all)` : '';
    if (this.matches.length === 0) return `No drawn value is named like \u201c${query}\u201d${hiddenText}.`;
    const count = this.matches.length === 1 ? '1 value matches' : `${this.matches.length} values match`;
    return `${count} \u201c${query}\u201d${hiddenText}: Enter goes to the next, Escape to the graph.`;
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.step(event.shiftKey ? -1 : 1);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      const position = this.matches[this.current] ?? this.matches[0];
      if (position !== undefined) this.host.goTo(position, true);
    }
  }

  private step(delta: number): void {
    if (this.matches.length === 0) return this.update(true);
    const drawn = this.host.drawn();
    if (!drawn) return;
    const previous = this.matches[this.current];
    if (previous !== undefined) drawn.graph.nodes[previous]?.group.classList.remove('match-current');
    this.current = (this.current + delta + this.matches.length) % this.matches.length;
    const position = this.matches[this.current];
    drawn.graph.nodes[position]?.group.classList.add('match-current');
    this.host.goTo(position, false);
    const name = visibleText(drawn.view.nodes[position].name);
    this.host.say(`Match ${this.current + 1} of ${this.matches.length}: ${name}.`);
  }
}
