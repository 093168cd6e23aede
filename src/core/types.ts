// The results of analysing a document: what the CodeLens, the hover, the diagnostics, the graph
// webview and the CLI all show. Plain data, no `vscode` import: the extension converts these
// ranges to `vscode.Range`, the CLI prints them, and the webview receives them as JSON.

import type { GraphJSON, GraphJSONNode, OpName } from '../../engine';

/** Zero-based line and UTF-16 column, the way VS Code counts them. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open source range: `end` is just past the last character. */
export interface Range {
  start: Position;
  end: Position;
  /**
   * Only in notebook results (`analyzeCells`, `analyzeSelection` with a prelude): the index of the
   * cell this range lies in, present when that is not the lens's own cell. Absent otherwise.
   */
  cell?: number;
}

/** 'info': trace mode's notes (e.g. "the run never reached this line") and the gradient health notes. */
export type Severity = 'error' | 'warning' | 'info';

/** What went wrong, so that the extension can offer the right quick fix. */
export type ProblemCode =
  | 'parse' // the statement or expression is outside the @grad language
  | 'unbound' // a name has no value: no assignment above it and no binding
  | 'non-constant-exponent' // `a ** b` where b depends on a variable
  | 'domain' // log of x <= 0, division by zero, NaN or ±Infinity
  | 'too-large' // past a budget of src/core/budgets.ts: the statement, the lens or the document
  | 'gradcheck' // analytic and numeric gradients disagree (a warning)
  | 'unknowable' // not statically knowable: only running the program tells (a loop, a random number, a recursion…)
  // Trace mode (src/trace/): results from running the user's program.
  | 'trace-error' // the program raised here (an error at the raising line)
  | 'trace-unreached' // the run never reached this site (info)
  | 'trace-note' // the tracer could not read everything here (unsupported value, magics skipped)
  | 'engine-check' // the user's engine's gradients disagree with the bundled engine's (a warning)
  // Gradient health (src/core/explain/health.ts), each with its own setting (HealthOptions).
  | 'dead-relu' // a relu whose input is <= 0 passes no gradient (info)
  | 'saturated' // a tanh or exp on its flat part: gradients through it shrink (info)
  | 'vanishing-gradient' // every path from the output to a leaf multiplies to below 1e-6 (a warning)
  | 'exploding-gradient' // some path from the output to a leaf multiplies to above 1e6 (a warning)
  | 'gradcheck-kink'; // the gradcheck was taken at a relu's kink, where no finite difference is right (info)

export interface Problem {
  code: ProblemCode;
  severity: Severity;
  message: string;
  range: Range;
  /** For 'unbound': the name that needs a value, so a quick fix can add a binding for it. */
  name?: string;
}

/** The ops of the seed's table, by the engine's names (its op table, engine/opTable.ts). */
export type { OpName };

/** A named variable in a lens's graph, leaf or intermediate. */
export interface VariableResult {
  name: string;
  value: number;
  /** ∂target/∂name. */
  grad: number;
  leaf: boolean;
  /**
   * Where its value comes from: an assignment's target, the binding in the annotation, or (a
   * parameter of the function the annotation is in) the argument of the last call of that function.
   */
  definedAt: Range;
  definedBy: 'assignment' | 'binding' | 'call';
  /** Every place the name occurs in the lens: the annotated statement and the assignments it expands. */
  occurrences: Range[];
  /** How the chain rule gives `grad` (src/core/explain/); absent in results built without it (trace mode). */
  explanation?: Explanation;
}

/** One factor of a chain-rule product, in the statement's own names, with its number. */
export interface Factor {
  /** `x1`, `(1 − o²)`, `∂o/∂n`. */
  text: string;
  value: number;
}

/** One use of a variable (an operand slot of an op that reads it) and what it adds to the gradient. */
export interface PathContribution {
  /** Which use, in the user's names: `first a`, `x in n`. */
  via: string;
  /** ∂op/∂operand × ∂target/∂op, exactly as the engine added it: in order, they sum to `grad` exactly. */
  contribution: number;
}

/** One use's chain-rule product: its factors from the variable up to the output (or a shared name). */
export interface ChainTerm {
  /** Variable side first; factors of 1 are left out, so an empty list is the product 1. */
  factors: Factor[];
  /** The product is negated: the signs of −1 factors and of `−a/b²` are taken out in front. */
  negated: boolean;
}

export interface Explanation {
  /** Every use, in the order the engine adds them. */
  paths: PathContribution[];
  /**
   * The symbolic product of the first uses (at most a few; `paths` has them all), parallel to
   * `paths`; empty past the first 1,000 variables of a lens (explain/index.ts, MAX_FORMULAS).
   */
  terms: ChainTerm[];
  /** Why the gradient is 0, or tiny next to the others: the factor that blocks it; null otherwise. */
  why: string | null;
}

/** An operator or function call in the lens's source, with the numbers it saw: for the hover. */
export interface OpSite {
  op: OpName;
  /** The engine's symbol for it, as the graph's op nodes show it: '*', '**2', 'tanh'. */
  symbol: string;
  /** The operator token (`*`, `**`, `-`) or the function / method name (`tanh`, `.exp`). */
  range: Range;
  /** The whole sub-expression. */
  expressionRange: Range;
  /** Operand values in source order: [a] or [a, b]. For pow, [a] and `exponent`. */
  inputs: number[];
  exponent?: number;
  output: number;
  /** ∂target/∂output: the upstream gradient reaching this op. */
  grad: number;
  /** Part of a composite the parser desugared (`sigmoid(x)`): its name and the seed's ops it is made of. */
  composite?: { name: string; ops: OpName[] };
}

export interface GradcheckEntry {
  /** The leaf's name. */
  name: string;
  analytic: number;
  /** Central difference; null where it could not be taken (a domain edge within eps). */
  numeric: number | null;
  relError: number;
  ok: boolean;
  /** Why an entry is doubtful, e.g. "at a kink of relu": reported, never hidden. */
  note?: string;
}

export interface GradcheckSummary {
  ok: boolean;
  maxRelError: number;
  entries: GradcheckEntry[];
  /** Leaves not checked because the lens has more than `maxLeaves` of them (0 normally). */
  skipped: number;
}

/**
 * A node of the computation graph, in topological order (children before parents): the engine's
 * plain description (id, label, op, data, grad, children) plus where it came from in the source.
 */
export interface GraphNode extends GraphJSONNode {
  kind: 'leaf' | 'constant' | 'intermediate';
  /** The source of this node, where there is one. */
  range?: Range;
}

export interface Graph extends GraphJSON {
  nodes: GraphNode[];
}

export interface Lens {
  /** Zero-based line where the annotated statement starts. */
  line: number;
  /** The assigned name, `return`, or the expression's text for a bare expression. */
  target: string;
  statementRange: Range;
  targetRange: Range;
  expressionRange: Range;
  /** The `@grad …` annotation inside its comment. */
  tagRange: Range;
  /** The output's value; null when the lens has an error. */
  value: number | null;
  /** Every named variable in the graph: leaves first, then intermediates, each in source order. */
  variables: VariableResult[];
  gradcheck: GradcheckSummary | null;
  /** Errors first, then warnings. A lens with an error has value null. */
  problems: Problem[];
  ops: OpSite[];
  graph: Graph | null;
}

export interface GradcheckOptions {
  enabled: boolean;
  /** Step of the central difference. */
  eps: number;
  rtol: number;
  atol: number;
  /** At most this many leaves are checked (two forward passes each); the rest are reported as skipped. */
  maxLeaves: number;
}

export interface AnalyzeOptions {
  /** The annotation tag; default '@grad'. */
  tag?: string;
  gradcheck?: Partial<GradcheckOptions>;
  /**
   * Which comments exist: 'hash' is Python's `#`; 'slash' is `//` and `/* … *\/`; 'both' (the
   * default) accepts all three, for files whose language is not known.
   */
  comments?: 'hash' | 'slash' | 'both';
  /**
   * The document's VS Code language id, when known: in `typescript` a lens reads the cast
   * `<Value>x` (in `typescriptreact` that is JSX), and in both the type arguments of `f<number>(x)`.
   */
  language?: string;
  /**
   * More class or factory names whose call with a number first makes a leaf (`MyValue(2.0)`,
   * `Ag.scalar(2)`), beside the ports' own (`Value`, `Scalar`, `Tensor`, `v`, `V.W`, …) and the
   * classes the document defines with `self.data = data`.
   */
  leafConstructors?: string[];
  /** Which gradient health notes to report (all by default). */
  health?: Partial<HealthOptions>;
}

/** The gradient health notes, each on or off (the `gradientLens.health.*` settings). */
export interface HealthOptions {
  deadRelu: boolean;
  saturation: boolean;
  /** 'vanishing-gradient' and 'exploding-gradient'. */
  vanishingExploding: boolean;
  gradcheckKink: boolean;
}
