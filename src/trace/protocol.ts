// Trace mode's contract (issue 9), the typed source of truth for everyone who builds on it:
//   - the request the runner writes for a tracer, and the result a tracer writes back (the tracers
//     in src/tracer/ run inside the user's Python or Node and follow these shapes exactly);
//   - the runner's public API (runTrace in ./runner.ts), used by the host and by the CLI.
// No `vscode` here and no Node built-ins: type-only users (the host's web build) may import it.
// A tracer's result is never trusted: ./validateResult.ts checks every field against these types.

import type { Lens, Problem, Range } from '../core/types';

/** The protocol's version; a request and a result carry it, and a mismatch is refused. */
export const TRACE_PROTOCOL_VERSION = 1;

/** Which tracer runs the program. */
export type TracerLanguage = 'python' | 'node';

// ---- Request (runner -> tracer): a JSON file whose path is the tracer's first argument ----------

/** One piece of source the tracer runs: the file, or one notebook code cell. */
export interface TraceUnit {
  /** The absolute path of the file, or `<cell N>` (N 1-based among the code cells) for a notebook cell. */
  name: string;
  /** Its full text: the editor's (maybe unsaved) buffer; a cell's magics already blanked. */
  source: string;
}

/** An annotated statement, as the core's own scan finds it. Offsets and lines are into its unit. */
export interface TraceSiteRequest {
  /** The site's index in the request's `sites` (and the result's). */
  id: number;
  /** Index into `units`. */
  unit: number;
  /** Offsets of the annotated statement in `units[unit].source`. */
  start: number;
  end: number;
  /** 0-based lines of the statement's first and last line. */
  line: number;
  endLine: number;
  form: 'assign' | 'return' | 'expression';
  /** The assigned name for `assign`, '' otherwise. */
  target: string;
  /** Offsets of the right-hand side, the returned expression, or the bare expression. */
  exprStart: number;
  exprEnd: number;
}

export interface TraceRequest {
  version: typeof TRACE_PROTOCOL_VERSION;
  language: TracerLanguage;
  /** The absolute path of the user's file (a notebook's .ipynb path). */
  entry: string;
  units: TraceUnit[];
  sites: TraceSiteRequest[];
  /** The workspace folder: the child's working directory, and first on sys.path / module paths. */
  cwd: string;
  /** Where the tracer writes its TraceResult (inside the runner's temporary folder). */
  resultPath: string;
  /** Values kept per site; past it the tracer downsamples evenly and says so by `historyStride`. */
  historyLimit: number;
  /** Past this many nodes a site's graph is not sent (graph: null, and `note` says why). */
  graphNodeLimit: number;
  /**
   * The run's time limit: a tracer may stop the program itself at this point and write its result
   * (`stopped: 'timeout'`), since a program busy in a loop may never run a SIGTERM handler. The
   * runner sends SIGTERM a little later, and SIGKILL after a grace period.
   */
  timeoutMs?: number;
}

/**
 * Where both tracers look for a node's inputs, in this order (the ports' spellings: micrograd's
 * `_prev`, `parents`, `_operands`, minitorch's `depends_on`, …). The first field that holds a Set,
 * an array, a tuple or a list is the node's inputs. The Node tracer imports this list; the Python
 * tracer keeps a copy (CHILD_FIELDS), which a unit test holds equal to it. Also named in the
 * message for an op whose inputs were not found.
 */
export const TRACE_CHILD_FIELDS = [
  '_prev',
  '_children',
  'children',
  'prev',
  'prevs',
  '_parents',
  'parents',
  'inputs',
  '_inputs',
  'operands',
  '_operands',
  'depends_on',
] as const;

/**
 * An input entry that is not a node itself is read as minitorch-style ports store it: a
 * (node, grad_fn) pair (tuple, list, NamedTuple), or an object holding the node in one of these
 * fields (joelgrus's `Dependency(tensor, grad_fn)`).
 */
export const TRACE_ENTRY_FIELDS = ['tensor', 'parent', 'node', 'variable', 'value'] as const;

// ---- Result (tracer -> runner): JSON written to resultPath, also when stopped ------------------

/** A node of the user's graph as the tracer read it from the live objects. */
export interface TracedNode {
  /** Index into `nodes`. */
  id: number;
  /** The forward value; null where it is not a finite number. */
  data: number | null;
  /** d(target)/d(node) from the USER'S engine (its backward()); null where unknown or not finite. */
  grad: number | null;
  /** The raw op string as the user's engine stores it ('+', '*', '**2', 'ReLU', 'AddBackward0'; '' for a leaf). */
  op: string;
  label: string | null;
  /** Operand ids, in the engine's own order (as its tuple, list or set holds them). */
  children: number[];
  /** A pow-like op's exponent when known (from the op string or a field). */
  exponent: number | null;
}

export interface TracedGraph {
  /** The id of the site's value (the target). */
  root: number;
  nodes: TracedNode[];
}

/** A name in scope (locals, then globals) bound to a node reachable from the target. */
export interface TracedVariable {
  name: string;
  /** Id of its node in the site's graph. */
  node: number;
  leaf: boolean;
}

/** What the site held at its last execution. */
export interface TracedValue {
  /** 'value': a duck-typed autodiff node; 'torch': a PyTorch scalar; 'number': a plain number. */
  kind: 'value' | 'torch' | 'number' | 'unsupported';
  value: number | null;
  /** Why unsupported or partial (e.g. "`loss` is a list", "graph over the node limit"). */
  note: string | null;
  variables: TracedVariable[];
  graph: TracedGraph | null;
  /**
   * Set when the value has no backward() method (the lecture's hand-called `_backward()` steps,
   * a free function `backward(root)`): every grad is null, and the lens may show the gradients
   * the bundled engine computes on this graph, marked as Gradient Lens's, never as the engine's.
   */
  noBackward?: boolean;
}

export interface TracedSite {
  /** The request site's id. */
  id: number;
  /** How many times the statement completed. 0: never reached. */
  executions: number;
  /** The value at each execution (every `historyStride`-th one when downsampled); null where not a number. */
  history: (number | null)[];
  historyStride: number;
  /** The last execution; null when never reached. */
  last: TracedValue | null;
}

/** An exception that ended the program. */
export interface TracedError {
  /** The exception's class name ('ZeroDivisionError', 'TypeError'). */
  type: string;
  message: string;
  /** Innermost frame in a user unit: its unit index and 0-based line; null when none is the user's. */
  unit: number | null;
  line: number | null;
  traceback: string;
}

export interface TraceResult {
  version: typeof TRACE_PROTOCOL_VERSION;
  /** The program ran to its end. */
  finished: boolean;
  stopped: null | 'timeout' | 'signal';
  /** "Python 3.11.7", "Node v20.20.2". */
  interpreter: string;
  /** torch's version when it was imported, else null. */
  torch: string | null;
  error: TracedError | null;
  sites: TracedSite[];
}

/**
 * In a traced value's note, both tracers' words for leaf data read when the run ended rather than
 * kept as at the last execution (gradlens_tracer.py and node/measure.ts write them).
 */
export const END_OF_RUN_DATA = 'at the end of the run';

// ---- The runner's public API --------------------------------------------------------------------

/** VS Code language ids the runner traces: Python goes to the Python tracer, the others to Node. */
export type TraceSourceLanguage = 'python' | 'javascript' | 'typescript' | 'javascriptreact' | 'typescriptreact';

export type OutputStream = 'stdout' | 'stderr';

export interface TraceRun {
  /** The absolute path of the file (a notebook's .ipynb). */
  file: string;
  language: TraceSourceLanguage;
  /** The file's text (the editor's buffer, maybe unsaved). Exactly one of `text` and `cells`. */
  text?: string;
  /** A notebook's code cells, in order (their sources as the editor holds them). */
  cells?: string[];
  /** The working directory of the program: the workspace folder (the CLI: the current directory). */
  cwd: string;
  /** The interpreter: a path or a command on PATH. Default `python3` (`python` on Windows) / `node`. */
  interpreter?: string;
  /** Default DEFAULT_TRACE_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Where the built tracers are: `gradlens_tracer.py` and `node.js` (the extension's dist/tracer). */
  tracerDir: string;
  /** The program's output as it comes. */
  onOutput?: (chunk: string, stream: OutputStream) => void;
  /** As in the static analysis: the annotation tag and the extra leaf constructors. */
  tag?: string;
  leafConstructors?: string[];
  /** Per-site history kept (default 1000) and graph node limit (default 20000). */
  historyLimit?: number;
  graphNodeLimit?: number;
}

export const DEFAULT_TRACE_TIMEOUT_MS = 30_000;
export const DEFAULT_HISTORY_LIMIT = 1000;
export const DEFAULT_GRAPH_NODE_LIMIT = 20_000;

/** The known bugs of hand-written engines that the engine check recognises by simulation. */
export type EngineBug =
  /** `child.grad = …` instead of `+=`: a value used twice keeps only one use's gradient. */
  | 'assign-instead-of-accumulate'
  /** backward walks the nodes without a topological order (plain DFS, or creation order unsorted). */
  | 'no-topological-order'
  /** tanh' taken as 1 − tanh instead of 1 − tanh². */
  | 'tanh-derivative'
  /** pow' taken as n·xⁿ instead of n·xⁿ⁻¹. */
  | 'pow-derivative-n-x-n'
  /** pow' taken as xⁿ⁻¹, without the factor n. */
  | 'pow-derivative-missing-n'
  /** relu' wrong where the input is positive (0, or the output instead of 1). */
  | 'relu-derivative'
  /** an engine's own sigmoid with sigmoid' taken as s instead of s·(1 − s). */
  | 'sigmoid-derivative';

/** One named node's gradient: the user's engine against the bundled engine and central differences. */
export interface EngineCheckEntry {
  name: string;
  leaf: boolean;
  /** The user's engine's gradient (null where the tracer could not read it). */
  user: number | null;
  /** The bundled engine's on the same graph. */
  engine: number;
  /** Central difference (leaves only; null for intermediates or where it could not be taken). */
  numeric: number | null;
  /** |user − engine| / max(|user|, |engine|, 1e-8): gradients near 0 count absolutely. */
  relError: number;
  ok: boolean;
}

export interface EngineCheck {
  /**
   * 'agrees': every gradient matches the bundled engine (and the central differences);
   * 'disagrees': at least one does not (a warning problem at the site says which);
   * 'skipped': not checked, and `reason` says why (an op the bundled engine does not know, no graph…).
   */
  status: 'agrees' | 'disagrees' | 'skipped';
  reason: string | null;
  entries: EngineCheckEntry[];
  maxRelError: number | null;
  /** The forward pass recomputed by the bundled engine from the leaves: whether it matches the user's data. */
  forward: { ok: boolean; maxRelError: number; note: string | null } | null;
  /** When the user's gradients match a known bug's simulation: which, and in words. */
  likelyCause: {
    bug: EngineBug;
    description: string;
    /** Other bugs whose simulation gives the same numbers on this graph (it cannot tell them apart). */
    alternatives?: { bug: EngineBug; description: string }[];
  } | null;
  /** Relative tolerance used. */
  rtol: number;
  /**
   * The statement against its own text (./statementCheck.ts): the rebuild above checks the graph
   * your engine recorded, which agrees with itself even when an operator built the wrong graph
   * (`__rsub__` returning `self + other`). Absent where the statement could not be evaluated from
   * the traced names alone; a disagreement here makes `status` 'disagrees'.
   */
  statement?: StatementCheck;
}

/** The annotated statement evaluated by the static analysis's ops on the values the trace read for its names. */
export interface StatementCheck {
  status: 'agrees' | 'disagrees';
  /** Your engine's value of the statement. */
  traced: number;
  /** The statement's value from the same inputs. */
  expected: number;
  valueOk: boolean;
  /** The names the statement reads and the values the trace read for them. */
  inputs: { name: string; value: number }[];
  /** ∂target/∂name: your engine's against the statement's, for the names no other of them depends on. */
  gradients: {
    name: string;
    user: number;
    expected: number;
    /** The statement's central difference in the name (null at a domain edge). */
    numeric: number | null;
    ok: boolean;
  }[];
  /** The one operator whose known mistake reproduces your engine's value, when only one does. */
  operator: { method: string; what: string; mistake: string | null } | null;
  /** The warning in words; null when it agrees. */
  message: string | null;
}

/** What trace mode adds to a lens. */
export interface TraceInfo {
  /** How many times the statement completed in the run. */
  executions: number;
  history: (number | null)[];
  historyStride: number;
  /** false: the run never reached the site (value null; the editor may show the static lens instead). */
  reached: boolean;
  /** Set by the editor after an edit, until the next trace. */
  stale?: boolean;
  /** When the run ended (epoch ms). */
  at: number;
  engineCheck: EngineCheck | null;
  /** What the site held: see TracedValue.kind. null when never reached. */
  kind: TracedValue['kind'] | null;
  /** The tracer's note (unsupported or partial), if any. */
  note: string | null;
  /** Notebooks: the index of the lens's code cell (its ranges count within that cell). */
  cell?: number;
  /** Notebooks: lines of the lens's cell that were IPython magics or shell escapes, not run (0-based). */
  magicsSkipped?: number[];
}

/** A core Lens (ranges and numbers as the static analysis gives them) plus trace metadata. */
export interface TracedLens extends Lens {
  trace: TraceInfo;
}

/** Why a trace produced no result at all; `setting` names what the user can change. */
export interface TraceFailure {
  kind:
    | 'interpreter-missing' // the interpreter could not be started (ENOENT, EACCES)
    | 'module-missing' // the program imports a module the interpreter does not have
    | 'tracer-missing' // the bundled tracer is not where tracerDir says
    | 'no-result' // the child ended without writing a result
    | 'invalid-result' // the result failed validation
    | 'unsupported'; // nothing to trace (no annotations, an unsupported language)
  message: string;
  setting?: 'gradientLens.trace.python' | 'gradientLens.trace.node';
  /** module-missing: the module's name. */
  module?: string;
}

export interface TraceOutcome {
  /** One per annotated statement, in source order (a notebook's: cell by cell); empty when nothing was traced. */
  lenses: TracedLens[];
  /** The exception that ended the program, as a problem at the raising line (`range.cell` in notebooks). */
  error?: Problem;
  /**
   * Set when nothing could be traced (then `lenses` is empty), or when the program stopped on a
   * missing module (`module-missing`: the lenses hold what ran before it).
   */
  failure?: TraceFailure;
  /** The program's whole output, as it came (capped, see MAX_KEPT_OUTPUT). */
  stdout: string;
  stderr: string;
  durationMs: number;
  /** How the run was cut short: the timeout, the AbortSignal, or a signal from outside. */
  stopped?: 'timeout' | 'cancelled' | 'signal';
  /** The program ran to its end. */
  finished: boolean;
  /** "Python 3.11.7" (from the tracer), else the command used. */
  interpreter: string;
  torch: string | null;
  /** Notebooks: per code cell, the 0-based lines blanked as magics or shell escapes. */
  magics?: { cell: number; lines: number[] }[];
}

/** The most of stdout and of stderr kept in a TraceOutcome (onOutput still sees everything). */
export const MAX_KEPT_OUTPUT = 1024 * 1024;

/** A range in a notebook result: the core's Range with `cell` always set. */
export type CellRange = Range & { cell: number };
