// The "Plot against x" dialog: the curve of the output as one leaf moves around its value, the
// tangent whose slope is the gradient, the point itself, and a table of finite differences (the
// numbers from src/graph/plot.ts, which re-evaluates the graph on the engine). Drawn as SVG and
// HTML through the DOM only (text as text); Escape or Close returns to the graph.
import { visibleText } from '../../engine/graph';
import { formatSigned } from '../graph/format';
import { niceTicks, plotAgainst, type Plot } from '../graph/plot';
import type { GraphView } from '../shared/graphView';
import { byId } from './dom';
import { fixed, svgElement } from './svg';

const HEIGHT = 230;
const MARGIN = { left: 56, right: 14, top: 12, bottom: 34 };

export class PlotView {
  private readonly dialog = byId('plot-dialog', HTMLDivElement);
  private readonly body = byId('plot-body', HTMLDivElement);
  private readonly title = byId('plot-title', HTMLSpanElement);
  private returnFocus: (() => void) | undefined;

  constructor() {
    byId('plot-close', HTMLButtonElement).addEventListener('click', () => this.close());
    this.dialog.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      this.close();
    });
  }

  get open(): boolean {
    return !this.dialog.hidden;
  }

  /**
   * Opens the plot of the output against the leaf at `position`; `target` names the output.
   * Returns why not when it cannot be drawn (not a leaf, or the graph cannot be re-evaluated).
   */
  show(view: GraphView, position: number, target: string, returnFocus: () => void): string | undefined {
    const plot = plotAgainst(view, position);
    if ('problem' in plot) return `No plot: ${plot.problem}.`;
    const x = visibleText(view.nodes[position].name);
    const y = visibleText(target);
    const precision = view.precision;
    this.title.textContent = `${y} against ${x}, near ${x} = ${formatSigned(plot.x0, precision)}`;
    this.body.replaceChildren(
      drawPlot(plot, x, y, precision),
      legend(plot, x, y, precision),
      differenceTable(plot, x, y, precision),
    );
    this.dialog.dataset.leaf = view.nodes[position].name;
    this.dialog.hidden = false;
    this.returnFocus = returnFocus;
    byId('plot-close', HTMLButtonElement).focus();
    return undefined;
  }

  close(): void {
    if (this.dialog.hidden) return;
    this.dialog.hidden = true;
    this.body.replaceChildren();
    const back = this.returnFocus;
    this.returnFocus = undefined;
    back?.();
  }
}

function drawPlot(plot: Plot, x: string, y: string, precision: number): SVGSVGElement {
  const width = Math.max(260, Math.min(560, window.innerWidth - 40));
  const [x0, x1] = [plot.xs[0], plot.xs[plot.xs.length - 1]];
  const defined = plot.ys.filter((v): v is number => v !== null);
  let [y0, y1] = [Math.min(...defined, plot.y0), Math.max(...defined, plot.y0)];
  const pad = y1 > y0 ? (y1 - y0) * 0.08 : 1;
  [y0, y1] = [y0 - pad, y1 + pad];
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = HEIGHT - MARGIN.bottom;
  const sx = (v: number): number => left + ((v - x0) / (x1 - x0)) * (right - left);
  const sy = (v: number): number => bottom - ((v - y0) / (y1 - y0)) * (bottom - top);
  const svg = svgElement('svg', { id: 'plot-svg', width, height: HEIGHT, role: 'img' });
  svg.setAttribute(
    'aria-label',
    `${y} as ${x} goes from ${formatSigned(x0, precision)} to ${formatSigned(x1, precision)}; ` +
      `at ${x} = ${formatSigned(plot.x0, precision)}, ${y} = ${formatSigned(plot.y0, precision)}, ` +
      `and the tangent's slope, the gradient, is ${formatSigned(plot.slope, precision)}`,
  );
  const clip = svgElement('clipPath', { id: 'plot-area' }, svgElement('defs', {}, svg));
  svgElement('rect', { x: left, y: top, width: right - left, height: bottom - top }, clip);
  for (const tick of niceTicks(x0, x1)) {
    svgElement('path', { class: 'plot-grid', d: `M${fixed(sx(tick))},${top}V${bottom}` }, svg);
    label(svg, shortNumber(tick), sx(tick), bottom + 14, 'plot-tick');
  }
  for (const tick of niceTicks(y0, y1)) {
    svgElement('path', { class: 'plot-grid', d: `M${left},${fixed(sy(tick))}H${right}` }, svg);
    label(svg, shortNumber(tick), left - 4, sy(tick), 'plot-tick plot-tick-y');
  }
  svgElement('path', { class: 'plot-axis', d: `M${left},${top}V${bottom}H${right}` }, svg);
  label(svg, x, (left + right) / 2, HEIGHT - 4, 'plot-axis-label');
  label(svg, y, 12, (top + bottom) / 2, 'plot-axis-label plot-axis-label-y');
  const area = svgElement('g', { 'clip-path': 'url(#plot-area)' }, svg);
  const tangentAt = (v: number): number => plot.y0 + plot.slope * (v - plot.x0);
  svgElement(
    'path',
    {
      class: 'plot-tangent',
      d: `M${fixed(sx(x0))},${fixed(sy(tangentAt(x0)))}L${fixed(sx(x1))},${fixed(sy(tangentAt(x1)))}`,
    },
    area,
  );
  svgElement('path', { class: 'plot-curve', d: curvePath(plot, sx, sy) }, area);
  svgElement('circle', { class: 'plot-point', cx: fixed(sx(plot.x0)), cy: fixed(sy(plot.y0)), r: 4 }, area);
  return svg;
}

/** The curve as one path, broken where the engine refused a value. */
function curvePath(plot: Plot, sx: (v: number) => number, sy: (v: number) => number): string {
  let d = '';
  let pen = false;
  plot.xs.forEach((x, i) => {
    const y = plot.ys[i];
    if (y === null) return void (pen = false);
    d += `${pen ? 'L' : 'M'}${fixed(sx(x))},${fixed(sy(y))}`;
    pen = true;
  });
  return d;
}

function label(svg: SVGSVGElement, text: string, x: number, y: number, cls: string): void {
  svgElement('text', { class: cls, x: fixed(x), y: fixed(y) }, svg).textContent = text;
}

function legend(plot: Plot, x: string, y: string, precision: number): HTMLElement {
  const p = document.createElement('p');
  p.className = 'plot-legend';
  const gaps = plot.gaps.length > 0 ? ` No value where the engine refuses it: ${plot.gaps.join('; ')}.` : '';
  p.textContent =
    `Solid: ${y} as ${x} varies, everything else fixed, each point computed again by the engine. ` +
    `Dashed: the tangent at ${x} = ${formatSigned(plot.x0, precision)}; its slope is ` +
    `\u2202${y}/\u2202${x} = ${formatSigned(plot.slope, precision)}, from backward().${gaps}`;
  return p;
}

/** h, the one-sided and the central difference, and how far each is from the gradient. */
function differenceTable(plot: Plot, x: string, y: string, precision: number): HTMLTableElement {
  const table = document.createElement('table');
  table.id = 'plot-differences';
  const caption = table.createCaption();
  caption.textContent = `Finite differences at ${x} = ${formatSigned(plot.x0, precision)}, against \u2202${y}/\u2202${x} = ${longNumber(plot.slope)}`;
  const head = table.createTHead().insertRow();
  for (const text of ['h', '(f(x+h) \u2212 f(x)) / h', 'error', '(f(x+h) \u2212 f(x\u2212h)) / 2h', 'error']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    head.appendChild(th);
  }
  const rows = table.createTBody();
  for (const d of plot.differences) {
    const row = rows.insertRow();
    const cells = [
      shortNumber(d.h),
      d.forward === null ? 'refused' : longNumber(d.forward),
      d.forward === null ? '' : errorText(d.forward - plot.slope),
      d.central === null ? 'refused' : longNumber(d.central),
      d.central === null ? '' : errorText(d.central - plot.slope),
    ];
    for (const text of cells) row.insertCell().textContent = text;
  }
  return table;
}

/** An axis number: at most 4 significant digits, a typographic minus. */
function shortNumber(v: number): string {
  return String(Number(v.toPrecision(4))).replace('-', '\u2212');
}

/** A difference quotient: 10 significant digits, enough to see where the digits run out. */
function longNumber(v: number): string {
  return v.toPrecision(10).replace('-', '\u2212');
}

function errorText(e: number): string {
  return e === 0 ? '0' : e.toExponential(1).replace('-', '\u2212').replace('e-', 'e\u2212');
}
