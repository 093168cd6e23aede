// The backward pass, step by step, on the drawn graph: grads start at 0 (the output's at 1), each
// step processes one node in the engine's order (reverse creation order, see
// src/graph/creationOrder.ts) and adds its contributions to its operands' grads. The processed
// node gets the class `current`, the operands whose grads grow get `accumulating`, and every grad
// text shows the running value.
import { visibleText } from '../../engine/graph';
import { gradsAfter, receiversOf } from '../graph/backwardReplay';
import { formatNumber, formatSigned } from '../graph/format';
import type { GraphView } from '../shared/graphView';
import { valueAccessibleName } from '../graph/spatialNavigation';
import type { RenderedGraph } from './render';

export interface StepperView {
  /** Steps done, 0 … total. */
  index: number;
  total: number;
  playing: boolean;
  /** What the last step did, in words, or '' at the start and after the end. */
  description: string;
  /** Position of the node the last step processed, while walking. */
  current?: number;
  /** Every value's grad at this point of the walk, by position. */
  grads: readonly number[];
}

/** Playback speed: the whole pass takes about this long on a big graph, but a step never less. */
const PLAY_TOTAL_MS = 20000;
const PLAY_STEP_MS = 700;
const PLAY_MIN_STEP_MS = 16;

export class BackwardStepper {
  private index: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private shown: string[] = [];
  private marked: Element[] = [];
  private grads: readonly number[] = [];
  /** False until the user steps: the first picture is the finished pass, with nothing marked. */
  private walking = false;

  constructor(
    private readonly view: GraphView,
    private readonly graph: RenderedGraph,
    index: number,
    private readonly onChange: (state: StepperView) => void,
  ) {
    this.index = Math.min(Math.max(0, index), view.steps.length);
    this.walking = this.index < view.steps.length;
    // What the renderer already wrote (the final grads): unchanged texts are not touched, so the
    // first picture of a large graph is not laid out twice.
    this.shown = graph.nodes.map((node) => node?.grad.textContent ?? '');
  }

  /** Shows the grads of the current index (the final grads when the walk is complete). */
  start(): void {
    this.show();
  }

  /** The next step; from the finished pass, the walk starts over (grads 0, output 1, step 1). */
  step(): void {
    if (this.view.steps.length === 0) return;
    if (this.index >= this.view.steps.length) {
      if (this.timer !== undefined) return this.pause();
      this.index = 0;
    }
    this.index++;
    this.walking = true;
    this.show();
    if (this.index >= this.view.steps.length) this.pause();
  }

  /**
   * One step back: the grads as they were before the last step, with that step's node and its
   * receivers marked again. From the finished pass it goes back into the walk, from the end.
   */
  back(): void {
    if (this.index === 0) return;
    this.pause();
    this.index--;
    this.walking = true;
    this.show();
  }

  play(): void {
    if (this.timer !== undefined) return;
    if (this.index >= this.view.steps.length) this.index = 0;
    this.walking = true;
    const interval = Math.max(
      PLAY_MIN_STEP_MS,
      Math.min(PLAY_STEP_MS, PLAY_TOTAL_MS / Math.max(1, this.view.steps.length)),
    );
    this.timer = setInterval(() => this.step(), interval);
    this.show();
  }

  pause(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.report();
  }

  reset(): void {
    this.pause();
    this.index = 0;
    this.walking = true;
    this.show();
  }

  dispose(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  get current(): number {
    return this.index;
  }

  private show(): void {
    const grads = gradsAfter(this.view, this.index);
    const precision = this.view.precision;
    this.graph.nodes.forEach((node, position) => {
      if (!node) return;
      const text = `grad ${formatNumber(grads[position], precision)}`;
      if (this.shown[position] !== text) {
        node.grad.textContent = text;
        const value = this.view.nodes[position];
        node.group.setAttribute(
          'aria-label',
          valueAccessibleName(visibleText(value.name), value.data, grads[position], precision),
        );
      }
      this.shown[position] = text;
    });
    this.grads = grads;
    this.mark();
    this.report();
  }

  /** Highlights the node processed by the last step and the operands it added to. */
  private mark(): void {
    for (const element of this.marked) element.classList.remove('current', 'accumulating');
    this.marked = [];
    const last = this.index - 1;
    const step = this.view.steps[last];
    if (!step || !this.walking) return;
    const add = (element: Element | undefined, cls: string): void => {
      if (!element) return;
      element.classList.add(cls);
      this.marked.push(element);
    };
    add(this.graph.nodes[step.node]?.group, 'current');
    add(this.graph.ops.get(step.node), 'current');
    for (const child of receiversOf(this.view, last)) add(this.graph.nodes[child]?.group, 'accumulating');
  }

  private report(): void {
    const current = this.walking ? this.view.steps[this.index - 1]?.node : undefined;
    this.onChange({
      index: this.index,
      total: this.view.steps.length,
      playing: this.timer !== undefined,
      description: this.describe(),
      current,
      grads: this.grads,
    });
  }

  private describe(): string {
    const step = this.view.steps[this.index - 1];
    if (!this.walking) return this.index === 0 ? 'grads are 0, the output\u2019s is 1' : 'final grads';
    if (!step) return 'grads are 0, the output\u2019s is 1';
    const precision = this.view.precision;
    const node = this.view.nodes[step.node];
    const parts = step.contributions.map(
      (c) =>
        `${visibleText(this.view.nodes[c.child].name)}.grad += ${formatSigned(c.local, precision)} \u00d7 ${formatSigned(c.upstream, precision)} \u2192 ${formatSigned(c.after, precision)}`,
    );
    return `${visibleText(node.name)} (${visibleText(node.op)}): ${parts.join('; ')}`;
  }
}
