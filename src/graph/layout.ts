// Reads Graphviz's `json0` output into the few numbers the webview draws with: boxes, record
// field splits and edge splines, in SVG coordinates (y down; Graphviz's y points up). Pure, so
// it runs in the layout worker and in plain Node tests alike.

export interface NodeBox {
  /** The DOT node id (`n3`, `n3op`). */
  name: string;
  /** Top-left corner and size, in points. */
  x: number;
  y: number;
  width: number;
  height: number;
  /**
   * For a record: each field's [left, top, right, bottom], in order. Left to right, fields sit
   * side by side; top to bottom (rankdir=TB flips a record), they are stacked.
   */
  fields?: Array<[number, number, number, number]>;
}

export interface EdgeSpline {
  tail: string;
  head: string;
  /** Cubic B-spline control points as Graphviz gives them: p0, then three per segment. */
  points: Array<[number, number]>;
  /** The arrowhead's tip, where the edge has one. */
  arrowTip?: [number, number];
}

export interface Layout {
  width: number;
  height: number;
  nodes: NodeBox[];
  edges: EdgeSpline[];
}

interface JsonObject {
  name: string;
  pos?: string;
  width?: string;
  height?: string;
  rects?: string;
}

interface JsonEdge {
  tail: number;
  head: number;
  pos?: string;
}

interface JsonGraph {
  bb?: string;
  objects?: JsonObject[];
  edges?: JsonEdge[];
}

const POINTS_PER_INCH = 72;

/**
 * Graphviz's JSON without drawing operations (`json0`): positions, sizes and record fields only,
 * about a third of `json`. Typed as 'json' because the package's Format type omits 'json0'.
 */
export const LAYOUT_FORMAT = 'json0' as 'json';

export function parseLayout(json: string): Layout {
  const graph = JSON.parse(json) as JsonGraph;
  const [, , width, height] = numbers(graph.bb ?? '0,0,0,0');
  const objects = graph.objects ?? [];
  const flip = (y: number): number => height - y;
  const nodes = objects.filter((o) => o.pos !== undefined).map((o) => toBox(o, flip));
  const edges = (graph.edges ?? []).map((e) => toSpline(e, objects, flip));
  return { width, height, nodes, edges };
}

function toBox(object: JsonObject, flip: (y: number) => number): NodeBox {
  const [cx, cy] = numbers(object.pos ?? '0,0');
  const width = Number(object.width ?? 0) * POINTS_PER_INCH;
  const height = Number(object.height ?? 0) * POINTS_PER_INCH;
  const box: NodeBox = { name: object.name, x: cx - width / 2, y: flip(cy) - height / 2, width, height };
  if (object.rects) {
    box.fields = object.rects
      .trim()
      .split(/\s+/)
      .map((rect) => {
        const [x0, y0, x1, y1] = numbers(rect);
        return [x0, flip(y1), x1, flip(y0)];
      });
  }
  return box;
}

/** `pos` is "e,x,y p0 p1 …" (an optional s,… start and e,… end arrow, then the spline). */
function toSpline(edge: JsonEdge, objects: JsonObject[], flip: (y: number) => number): EdgeSpline {
  const spline: EdgeSpline = { tail: objects[edge.tail]?.name ?? '', head: objects[edge.head]?.name ?? '', points: [] };
  for (const token of (edge.pos ?? '').trim().split(/\s+/)) {
    if (token === '') continue;
    const isEnd = token.startsWith('e,');
    const isStart = token.startsWith('s,');
    const [x, y] = numbers(isEnd || isStart ? token.slice(2) : token);
    if (isEnd) spline.arrowTip = [x, flip(y)];
    else if (!isStart) spline.points.push([x, flip(y)]);
  }
  return spline;
}

function numbers(text: string): number[] {
  return text.split(',').map(Number);
}
