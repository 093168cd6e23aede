// Draws a laid-out graph as SVG in micrograd's draw_dot look: a record per value
// (`label | data | grad`), a small ellipse per op, splines left to right. Every element carries
// stable classes and data attributes (documented in README and used by the UI tests):
//   g.node.value[data-id][data-position][data-label][data-kind]  with text.node-label,
//     text.node-data, text.node-grad (and text.node-op in the reduced view)
//   g.node.op[data-op][data-position]                             the op of value `position`
//   g.edge[data-from][data-to][data-operand]                       a chain-rule edge; its
//     text.edge-label appears on hover or with the edge-label toggle
import { visibleText } from '../../engine/graph';
import { displayName, opNodeId, valueNodeId } from '../graph/dot';
import { formatNumber } from '../graph/format';
import type { GraphView, ViewEdge } from '../shared/graphView';
import type { EdgeSpline, Layout, NodeBox } from '../graph/layout';
import type { Block } from '../graph/repeatedBlocks';
import { foldedCaption } from '../graph/shownGraph';
import { valueAccessibleName } from '../graph/spatialNavigation';
import { fixed, svgElement, svgText, svgTitle } from './svg';

export interface RenderedNode {
  group: SVGGElement;
  /** The value's box, filled by its gradient's size when colouring is on. */
  box: SVGRectElement;
  grad: SVGTextElement;
  /** The box's centre, in graph units. */
  center: [number, number];
}

export interface RenderedEdge {
  edge: ViewEdge;
  group: SVGGElement;
  midpoint: [number, number];
  label?: SVGTextElement;
}

export interface RenderedGraph {
  svg: SVGSVGElement;
  /** By value position; undefined for a node the layout did not place. */
  nodes: Array<RenderedNode | undefined>;
  edges: RenderedEdge[];
  /** Op node groups by the position of the value they compute. */
  ops: Map<number, SVGGElement>;
}

/** Above this many edges, edges get no wide invisible hover target (it doubles the paths). */
const HOVER_TARGET_LIMIT = 3000;
/** Above this many values, nodes get no <title> tooltip: the box already shows the same text. */
const TOOLTIP_LIMIT = 1500;
/** Room around the drawing, in graph units: the SVG's viewBox starts at −MARGIN. */
export const MARGIN = 8;

/**
 * Draws the graph a slice at a time: the caller attaches `svg` (yielded first) and may wait a frame
 * between slices, so a graph of thousands of values fills in progressively instead of blocking
 * the webview for seconds; it stops early by not resuming. Yields the count drawn so far.
 */
export function* renderGraphInSlices(
  view: GraphView,
  layout: Layout,
  reduced: boolean,
  slice: number,
  folded: ReadonlyMap<number, Block> = new Map(),
): Generator<SVGSVGElement | number, RenderedGraph> {
  const width = layout.width + 2 * MARGIN;
  const height = layout.height + 2 * MARGIN;
  const svg = svgElement('svg', {
    id: 'graph',
    width: fixed(width),
    height: fixed(height),
    viewBox: `${-MARGIN} ${-MARGIN} ${fixed(width)} ${fixed(height)}`,
    role: 'group',
  });
  // A group, not an img: it holds focusable values, which an img would hide from screen readers.
  svg.setAttribute(
    'aria-label',
    `Computation graph of ${visibleText(view.nodes[view.output]?.name ?? 'the output')}, ${view.nodes.length} values`,
  );
  svg.setAttribute('aria-description', 'Arrow keys move between values, Enter shows a value\u2019s source.');
  svg.classList.toggle('reduced', reduced);
  const small = layout.edges.length <= HOVER_TARGET_LIMIT;
  if (!small) defineArrowMarker(svg);
  const edgeLayer = svgElement('g', { class: 'edges' }, svg);
  const nodeLayer = svgElement('g', { class: 'nodes' }, svg);
  const rendered: RenderedGraph = { svg, nodes: new Array(view.nodes.length), edges: [], ops: new Map() };
  const valuePosition = positionsByName(view.nodes.length, valueNodeId);
  const opPosition = positionsByName(view.nodes.length, opNodeId);
  yield svg;
  let drawn = 0;
  for (const box of layout.nodes) {
    const position = valuePosition.get(box.name);
    if (position !== undefined)
      rendered.nodes[position] = drawValue(view, position, box, reduced, folded.get(position), nodeLayer);
    const op = opPosition.get(box.name);
    if (op !== undefined) rendered.ops.set(op, drawOp(view, op, box, nodeLayer));
    if (++drawn % slice === 0) yield drawn;
  }
  const chainEdges = chainEdgesByKey(view, reduced);
  for (const spline of layout.edges) {
    const edge = chainEdges.get(`${spline.tail}>${spline.head}`)?.shift();
    const group = drawEdge(spline, edge, small, edgeLayer);
    if (edge) rendered.edges.push({ edge, group, midpoint: midpointOf(spline) });
    if (++drawn % slice === 0) yield drawn;
  }
  return rendered;
}

function positionsByName(count: number, name: (p: number) => string): Map<string, number> {
  const map = new Map<string, number>();
  for (let p = 0; p < count; p++) map.set(name(p), p);
  return map;
}

/** The chain-rule edges keyed by the DOT edge that draws them; a value used twice has two. */
function chainEdgesByKey(view: GraphView, reduced: boolean): Map<string, ViewEdge[]> {
  const map = new Map<string, ViewEdge[]>();
  for (const edge of view.edges) {
    const key = `${valueNodeId(edge.from)}>${reduced ? valueNodeId(edge.to) : opNodeId(edge.to)}`;
    const list = map.get(key);
    if (list) list.push(edge);
    else map.set(key, [edge]);
  }
  return map;
}

function drawValue(
  view: GraphView,
  position: number,
  box: NodeBox,
  reduced: boolean,
  block: Block | undefined,
  parent: Element,
): RenderedNode {
  const node = view.nodes[position];
  const named = node.label !== null;
  const group = svgElement(
    'g',
    {
      class: `node value kind-${node.kind}${named ? ' named' : ' quiet'}`,
      'data-id': node.id,
      'data-position': position,
      'data-kind': node.kind,
      // As drawn (see svg.ts): the highlight compares the name under the cursor in this form.
      'data-label': visibleText(node.label ?? ''),
    },
    parent,
  );
  if (position === view.output) group.classList.add('output');
  // Focusable through nodeFocus.ts's roving tabindex; the name is kept current by the stepper.
  group.setAttribute('role', 'button');
  group.setAttribute('aria-label', valueAccessibleName(visibleText(node.name), node.data, node.grad, view.precision));
  if (block) {
    group.classList.add('folded');
    group.dataset.members = String(block.members.length);
    group.setAttribute(
      'aria-description',
      `A repeated block of ${block.members.length} values (${block.alike} alike), folded: Enter or a click opens it.`,
    );
  }
  if (view.nodes.length <= TOOLTIP_LIMIT)
    svgTitle(
      `${node.name} = ${formatNumber(node.data, view.precision)}, grad ${formatNumber(node.grad, view.precision)} (${node.kind})`,
      group,
    );
  const rect = svgElement(
    'rect',
    { x: fixed(box.x), y: fixed(box.y), width: fixed(box.width), height: fixed(box.height), rx: 2 },
    group,
  );
  const texts: Array<[string, string]> = [
    ['node-label', displayName(node)],
    ['node-data', `data ${formatNumber(node.data, view.precision)}`],
    ['node-grad', `grad ${formatNumber(node.grad, view.precision)}`],
  ];
  if (block) texts.unshift(['node-block', foldedCaption(block)]);
  else if (reduced && node.op !== '') texts.unshift(['node-op', node.op]);
  const fields = box.fields && box.fields.length === texts.length ? box.fields : evenFields(box, texts.length);
  // Side by side (left to right) or stacked (top to bottom: rankdir=TB turns a record's fields).
  const stacked = fields.length > 1 && fields[1][1] >= fields[0][3] - 0.01;
  // All field separators in one path: fewer elements is what keeps thousands of nodes fast.
  const separators = fields
    .slice(1)
    .map(([left, top]) =>
      stacked
        ? `M${fixed(box.x)},${fixed(top)}h${fixed(box.width)}`
        : `M${fixed(left)},${fixed(box.y)}v${fixed(box.height)}`,
    )
    .join('');
  svgElement('path', { class: 'field-separator', d: separators }, group);
  let grad: SVGTextElement | undefined;
  texts.forEach(([cls, text], i) => {
    const [left, top, right, bottom] = fields[i];
    const element = svgText(text, { class: cls, x: fixed((left + right) / 2), y: fixed((top + bottom) / 2) }, group);
    if (cls === 'node-grad') grad = element;
  });
  const middle = box.y + box.height / 2;
  if (node.kind === 'leaf') drawPlotControl(box, position, group);
  return { group, box: rect, grad: grad as SVGTextElement, center: [box.x + box.width / 2, middle] };
}

/**
 * A small plot icon in a leaf's top-right corner: "Plot the output against this value". For the
 * mouse; the keyboard has X on the focused value, and the toolbar's Plot button.
 */
function drawPlotControl(box: NodeBox, position: number, parent: Element): void {
  const size = 11;
  const x = box.x + box.width - size - 1;
  const y = box.y + 1;
  const control = svgElement('g', { class: 'plot-control', 'data-position': position, 'aria-hidden': 'true' }, parent);
  svgTitle('Plot the output against this value', control);
  svgElement('rect', { x: fixed(x), y: fixed(y), width: size, height: size, rx: 2 }, control);
  svgElement(
    'path',
    { d: `M${fixed(x + 2)},${fixed(y + 8.5)}q${fixed(3)},${fixed(-9)} ${fixed(7)},${fixed(-6)}` },
    control,
  );
}

function evenFields(box: NodeBox, count: number): Array<[number, number, number, number]> {
  const step = box.width / count;
  return Array.from({ length: count }, (_, i) => [box.x + i * step, box.y, box.x + (i + 1) * step, box.y + box.height]);
}

function drawOp(view: GraphView, position: number, box: NodeBox, parent: Element): SVGGElement {
  const op = view.nodes[position].op;
  const group = svgElement('g', { class: 'node op', 'data-op': visibleText(op), 'data-position': position }, parent);
  svgTitle(`${op} → ${view.nodes[position].name}`, group);
  svgElement(
    'ellipse',
    {
      cx: fixed(box.x + box.width / 2),
      cy: fixed(box.y + box.height / 2),
      rx: fixed(box.width / 2),
      ry: fixed(box.height / 2),
    },
    group,
  );
  svgText(op, { class: 'op-label', x: fixed(box.x + box.width / 2), y: fixed(box.y + box.height / 2) }, group);
  return group;
}

/**
 * A small graph's edges get a tooltip, a wide hover target and an arrowhead polygon each; a large
 * graph's share one arrowhead marker and get neither, which keeps the element count down.
 */
function drawEdge(spline: EdgeSpline, edge: ViewEdge | undefined, small: boolean, parent: Element): SVGGElement {
  const attributes: Record<string, string | number> = { class: edge ? 'edge' : 'edge op-output' };
  if (edge) Object.assign(attributes, { 'data-from': edge.from, 'data-to': edge.to, 'data-operand': edge.operand });
  const group = svgElement('g', attributes, parent);
  const d = pathOf(spline.points);
  if (edge && small) svgTitle(edge.text, group);
  if (edge && small) svgElement('path', { class: 'edge-hit', d }, group);
  const line = svgElement('path', { class: 'edge-line', d }, group);
  if (!small && spline.arrowTip) line.setAttribute('marker-end', `url(#${ARROW_MARKER})`);
  else if (spline.arrowTip && spline.points.length > 0)
    svgElement(
      'polygon',
      { class: 'edge-arrow', points: arrowHead(spline.points[spline.points.length - 1], spline.arrowTip) },
      group,
    );
  return group;
}

const ARROW_MARKER = 'arrow';

/** Graphviz's arrowhead: 10 long and 7 wide, starting where the spline ends. */
function defineArrowMarker(svg: SVGSVGElement): void {
  const defs = svgElement('defs', {}, svg);
  const marker = svgElement(
    'marker',
    {
      id: ARROW_MARKER,
      markerUnits: 'userSpaceOnUse',
      markerWidth: 10,
      markerHeight: 7,
      refX: 0,
      refY: 3.5,
      orient: 'auto',
    },
    defs,
  );
  svgElement('path', { class: 'edge-arrow', d: 'M0,0L10,3.5L0,7z' }, marker);
}

function pathOf(points: Array<[number, number]>): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  const parts = [`M${fixed(first[0])},${fixed(first[1])}`];
  for (let i = 0; i + 2 < rest.length; i += 3) {
    parts.push(
      `C${rest
        .slice(i, i + 3)
        .map(([x, y]) => `${fixed(x)},${fixed(y)}`)
        .join(' ')}`,
    );
  }
  return parts.join('');
}

function arrowHead(base: [number, number], tip: [number, number]): string {
  const dx = tip[0] - base[0];
  const dy = tip[1] - base[1];
  const length = Math.hypot(dx, dy) || 1;
  const half = 3.5 / length;
  const left: [number, number] = [base[0] - dy * half, base[1] + dx * half];
  const right: [number, number] = [base[0] + dy * half, base[1] - dx * half];
  return [tip, left, right].map(([x, y]) => `${fixed(x)},${fixed(y)}`).join(' ');
}

function midpointOf(spline: EdgeSpline): [number, number] {
  const points = spline.points;
  return points.length === 0 ? [0, 0] : points[Math.floor(points.length / 2)];
}

/** Adds the edge's label (its chain-rule text) once, on first hover or on the toggle. */
export function ensureEdgeLabel(edge: RenderedEdge): void {
  if (edge.label) return;
  edge.label = svgText(
    edge.edge.text,
    { class: 'edge-label', x: fixed(edge.midpoint[0]), y: fixed(edge.midpoint[1] - 4) },
    edge.group,
  );
}
