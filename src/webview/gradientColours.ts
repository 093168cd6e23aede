// Fills each value's box by the size of its gradient (src/graph/gradientColour.ts: log scale,
// viridis) and keeps the legend beside the drawing. The scale is fixed by the final grads, so a
// colour means the same |grad| at every step of the backward walk; during the walk the boxes
// follow the running grads (a grad still 0 is drawn as zero). Fills are set through the CSSOM
// (element.style), which the webview's CSP allows, and only where they change.
import {
  decadeLabel,
  gradientScale,
  inkOn,
  legendTicks,
  paletteColour,
  paletteRgb,
  scalePosition,
  type GradientScale,
} from '../graph/gradientColour';
import type { GraphView } from '../shared/graphView';
import type { RenderedGraph } from './render';
import { svgElement } from './svg';

const INK_CLASSES = ['ink-dark', 'ink-light', 'grad-zero'];

export class GradientColours {
  private graph: RenderedGraph | undefined;
  private scale: GradientScale | undefined;
  /** What each node shows now, to skip unchanged ones: a colour, 'zero', or '' (not painted). */
  private painted: string[] = [];
  private grads: readonly number[] = [];
  private on = true;

  constructor(private readonly legend: HTMLElement) {}

  /** A new drawing: its scale from the final grads, and its legend. */
  attach(graph: RenderedGraph, view: GraphView): void {
    this.graph = graph;
    this.scale = gradientScale(view.nodes.map((node) => node.grad));
    this.painted = graph.nodes.map(() => '');
    this.grads = view.nodes.map((node) => node.grad);
    this.drawLegend();
    this.refresh();
  }

  release(): void {
    this.graph = undefined;
    this.legend.hidden = true;
  }

  get enabled(): boolean {
    return this.on;
  }

  set enabled(on: boolean) {
    this.on = on;
    this.refresh();
  }

  /** The grads on screen (the stepper's running ones). */
  paint(grads: readonly number[]): void {
    this.grads = grads;
    this.refresh();
  }

  private refresh(): void {
    const graph = this.graph;
    if (!graph) return;
    const on = this.on && this.scale !== undefined;
    graph.svg.classList.toggle('grad-colours', on);
    this.legend.hidden = !on;
    graph.nodes.forEach((node, position) => {
      if (!node) return;
      const t = on && this.scale ? scalePosition(this.scale, this.grads[position] ?? 0) : undefined;
      const key = t === undefined ? '' : t === null ? 'zero' : paletteColour(t);
      if (this.painted[position] === key) return;
      this.painted[position] = key;
      node.group.classList.remove(...INK_CLASSES);
      node.box.style.fill = t === undefined || t === null ? '' : key;
      if (t === null) node.group.classList.add('grad-zero');
      else if (t !== undefined) node.group.classList.add(`ink-${inkOn(paletteRgb(t))}`);
    });
  }

  /** A bar of the palette with a tick per decade, and a swatch for a grad of 0. */
  private drawLegend(): void {
    const scale = this.scale;
    this.legend.replaceChildren();
    if (!scale) return;
    this.legend.setAttribute(
      'aria-label',
      `Box colour: |grad| on a log scale, from ${decadeLabel(scale.lo)} or less (dark purple) to ${decadeLabel(scale.hi)} or more (yellow); a grad of 0 is drawn without a fill`,
    );
    const title = document.createElement('span');
    title.className = 'legend-title';
    title.textContent = '|grad|';
    const width = 150;
    const pad = 16;
    const svg = svgElement('svg', { width: width + 2 * pad, height: 28, 'aria-hidden': 'true' });
    const gradient = svgElement(
      'linearGradient',
      { id: 'legend-palette', x1: 0, x2: 1, y1: 0, y2: 0 },
      svgElement('defs', {}, svg),
    );
    for (let i = 0; i <= 10; i++) svgElement('stop', { offset: i / 10, 'stop-color': paletteColour(i / 10) }, gradient);
    svgElement('rect', { x: pad, y: 2, width, height: 10, fill: 'url(#legend-palette)', class: 'legend-bar' }, svg);
    for (const tick of legendTicks(scale)) {
      const x = pad + tick.at * width;
      svgElement('path', { d: `M${x},12v4`, class: 'legend-tick' }, svg);
      svgElement('text', { x, y: 25, class: 'legend-label' }, svg).textContent = tick.label;
    }
    const zero = document.createElement('span');
    zero.className = 'legend-zero';
    zero.textContent = '0';
    this.legend.append(title, svg, zero);
  }
}
