// The graph as the webview draws it, as it crosses from the extension host to the webview: plain
// JSON. The graph model (src/graph/) builds it; the protocol validates it on arrival. It restates
// the few core shapes it carries (a source range, the gradcheck summary) instead of importing the
// core, so that this folder depends on nothing (as hexeditor's shared/ does): the compiler still
// checks, where the panel posts a view, that the core's values fit these shapes.

/** Zero-based line and UTF-16 column, as the core and VS Code count them. */
export interface WirePosition {
  line: number;
  character: number;
}

export interface WireRange {
  start: WirePosition;
  end: WirePosition;
}

/** One leaf's analytic and numeric gradient, as the gradcheck badge shows it. */
export interface WireGradcheckEntry {
  name: string;
  analytic: number;
  numeric: number | null;
  relError: number;
  ok: boolean;
  note?: string;
}

export interface WireGradcheck {
  ok: boolean;
  maxRelError: number;
  entries: WireGradcheckEntry[];
  skipped: number;
}

export interface Contribution {
  /** Position of the operand whose grad grows. */
  child: number;
  /** Which operand of the processed node it is (0 for a, 1 for b). */
  operand: number;
  /** ∂node/∂operand. */
  local: number;
  /** The processed node's grad at this step (final, since all its parents came before). */
  upstream: number;
  /** local × upstream, the `+=` amount. */
  amount: number;
  before: number;
  after: number;
}

export interface BackwardStep {
  /** Position of the node being processed. */
  node: number;
  contributions: Contribution[];
}

export interface ViewNode {
  id: number;
  /** The variable's name, or null for a constant or an unnamed intermediate. */
  label: string | null;
  /** How formulas refer to it: the label, a constant's value, or `v<id>`. */
  name: string;
  kind: 'leaf' | 'constant' | 'intermediate';
  op: string;
  data: number;
  /** The final grad, after the whole backward pass. */
  grad: number;
  range?: WireRange;
}

export interface ViewEdge {
  /** Position of the operand (the edge's tail). */
  from: number;
  /** Position of the node computed from it (its op node sits between them). */
  to: number;
  operand: number;
  /** e.g. `∂c/∂a = b = 3.0000 × 0.5000 = 1.5000`. */
  text: string;
  local: number;
  contribution: number;
}

export interface GraphView {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Position of the output node. */
  output: number;
  initialGrads: number[];
  steps: BackwardStep[];
  precision: number;
  /** True when the graph is large enough that the reduced view should be the default. */
  reducedByDefault: boolean;
}
