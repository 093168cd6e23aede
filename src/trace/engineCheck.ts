// The check of the user's own engine (issue 9, item 5). Where every op of a traced graph is one the
// bundled engine knows, the graph is rebuilt in the bundled engine from the traced leaves' values,
// its backward() gives the true gradients, central differences confirm them, and the user's
// gradients are compared with both. When they disagree, the known bugs of hand-written engines
// are simulated on the same graph (./simulate.ts) and the one whose numbers equal the user's is
// named. A graph the bundled engine cannot rebuild is "skipped" with the reason, never passed.

import { applyOp, DomainError, OPS, Value, type OpName } from '../../engine';
import { formatNumber } from '../core/format';
import { resolveGraph, type CheckGraph, type CheckNode } from './checkGraph';
import type { EngineBug, EngineCheck, EngineCheckEntry, TracedGraph, TracedValue, TracedVariable } from './protocol';
import { BUG_VARIANTS, RIGHT, simulateBackward } from './simulate';

export interface EngineCheckOptions {
  /** Relative tolerance between the user's gradients and the bundled engine's (default by kind). */
  rtol?: number;
  /** At most this many leaves get central differences (two replays each; default 1000, and fewer on a large graph: NUMERIC_BUDGET). */
  maxNumericLeaves?: number;
  /** At most this many entries are listed (all are compared). Default 200. */
  maxEntries?: number;
}

/** Float64 engines agree to rounding; PyTorch works in float32 by default. */
export const RTOL_FLOAT64 = 1e-6;
const RTOL_TORCH = 1e-4;
/** Below this, two gradients are equal whatever their ratio (rounding around 0). */
const ATOL = 1e-10;
/** Node evaluations spent on central differences per site (some 25 ns each on an idle machine: about 50 ms). */
const NUMERIC_BUDGET = 2_000_000;
/** Gradients below this are compared absolutely: 1e-17 against 0 is no relative error of 1. */
const GRAD_SCALE_FLOOR = 1e-8;
/** Each op's value against the bundled op's on the same operands (float64: rounding only). */
const FORWARD_RTOL_FLOAT64 = 1e-9;

export function checkEngine(
  traced: TracedValue & { graph: TracedGraph },
  options: EngineCheckOptions = {},
): EngineCheck {
  const torch = traced.kind === 'torch';
  const rtol = options.rtol ?? (torch ? RTOL_TORCH : RTOL_FLOAT64);
  const skipped = (reason: string): EngineCheck => ({
    status: 'skipped',
    reason,
    entries: [],
    maxRelError: null,
    forward: null,
    likelyCause: null,
    rtol,
  });
  const resolved = resolveGraph(traced.graph);
  if (!resolved.ok) return skipped(resolved.reason);
  const g = resolved.graph;
  const checked = checkedNodes(g, traced.variables);
  if (checked.every((c) => g.userGrad[c.id] === null))
    return skipped('the tracer could not read any gradient from your engine here');
  let rebuilt: Value[];
  try {
    rebuilt = rebuild(g);
    rebuilt[g.root].backward();
  } catch (err) {
    if (err instanceof DomainError) return skipped(`the bundled engine cannot recompute this graph: ${err.message}`);
    throw err;
  }
  const forward = forwardCheck(g, torch ? RTOL_TORCH : FORWARD_RTOL_FLOAT64);
  // Two forward passes of the whole graph per leaf: within a budget, so that a large graph costs
  // the editor a bounded time (the leaves past it keep numeric: null, and the gradcheck says so).
  const perLeaf = Math.max(1, Math.floor(NUMERIC_BUDGET / (2 * g.order.length)));
  const numeric = centralDifferences(g, checked, Math.min(options.maxNumericLeaves ?? 1000, perLeaf));
  const close = (u: number, e: number) => Math.abs(u - e) <= ATOL + rtol * Math.max(Math.abs(u), Math.abs(e));
  const all: EngineCheckEntry[] = [];
  for (const c of checked) {
    const user = g.userGrad[c.id];
    const engine = rebuilt[c.id].grad;
    all.push({
      name: c.name,
      leaf: c.leaf,
      user,
      engine,
      numeric: numeric.get(c.id) ?? null,
      relError: user === null ? 0 : relativeError(user, engine, GRAD_SCALE_FLOOR),
      ok: user === null || close(user, engine),
    });
  }
  const compared = all.filter((e) => e.user !== null);
  const maxRelError = Math.max(0, ...compared.map((e) => e.relError));
  const gradsOk = compared.every((e) => e.ok);
  const status = gradsOk && forward.ok ? 'agrees' : 'disagrees';
  const maxEntries = options.maxEntries ?? 200;
  // The disagreeing entries first, so a capped list still shows them.
  const entries = [...all.filter((e) => !e.ok), ...all.filter((e) => e.ok)].slice(0, maxEntries);
  const notes: string[] = [];
  if (all.length > entries.length) notes.push(`${all.length - entries.length} more gradients compared, not listed`);
  if (g.inferredOperands > 0)
    notes.push(
      `${g.inferredOperands} operand${g.inferredOperands === 1 ? ' was' : 's were'} recovered from the values (a plain number, or a value used twice)`,
    );
  const cause = gradsOk ? null : likelyCause(g, checked, rtol);
  if (!forward.ok && cause === 'right')
    notes.push('your gradients are right for the values your engine computed: only its forward pass differs');
  return {
    status,
    reason: notes.length > 0 ? notes.join('; ') : null,
    entries,
    maxRelError,
    forward,
    likelyCause: cause === 'right' ? null : cause,
    rtol,
  };
}

interface Checked {
  id: number;
  name: string;
  leaf: boolean;
}

/** The named variables (as the tracer gave them), then every other leaf (by label, else by node id). */
function checkedNodes(g: CheckGraph, variables: TracedVariable[]): Checked[] {
  const reachable = new Set(g.order);
  const out: Checked[] = [];
  const named = new Set<number>();
  for (const v of variables) {
    if (!reachable.has(v.node) || named.has(v.node)) continue;
    named.add(v.node);
    out.push({ id: v.node, name: v.name, leaf: g.nodes[v.node].op === null });
  }
  for (const id of g.order) {
    if (g.nodes[id].op !== null || named.has(id)) continue;
    out.push({ id, name: g.labels[id] || `leaf #${id} (${formatNumber(g.data[id], 4)})`, leaf: true });
  }
  return out;
}

/**
 * d(root)/d(node) for every node of the user's graph by the bundled engine, for an engine that has
 * no backward() of its own; null when it cannot (a domain error), or when the user's forward values
 * are not the bundled ops' (gradients taken at other values would not be this graph's).
 */
export function bundledGradients(g: CheckGraph): number[] | null {
  if (!forwardCheck(g, FORWARD_RTOL_FLOAT64).ok) return null;
  try {
    const rebuilt = rebuild(g);
    rebuilt[g.root].backward();
    return rebuilt.map((v) => (v === undefined ? NaN : v.grad));
  } catch (err) {
    if (err instanceof DomainError) return null;
    throw err;
  }
}

/** The graph in the bundled engine: leaves from the traced values, every op recomputed. */
function rebuild(g: CheckGraph): Value[] {
  const values: Value[] = new Array(g.nodes.length);
  for (const id of g.order) values[id] = computeNode(g.nodes[id], g.data[id], (k) => values[k]);
  return values;
}

function computeNode(node: CheckNode, data: number, valueOf: (id: number) => Value): Value {
  if (node.op === null) return new Value(data);
  const operand = (k: number): Value => {
    const o = node.operands[k];
    return 'node' in o ? valueOf(o.node) : new Value(o.constant);
  };
  const spec = OPS[node.op];
  return applyOp(node.op, operand(0), spec.arity === 2 && !spec.exponent ? operand(1) : undefined, node.exponent);
}

/**
 * Each op of the user's graph against the bundled engine's op on the user's own operand values:
 * the first that differs is the one named (a chain from the leaves would blame every node after
 * it). Agreeing node by node, the whole forward pass agrees up to rounding.
 */
function forwardCheck(g: CheckGraph, rtol: number): NonNullable<EngineCheck['forward']> {
  let worst = 0;
  let first: { id: number; expected: number; operands: number[] } | undefined;
  for (const id of g.order) {
    const node = g.nodes[id];
    if (node.op === null) continue;
    const operands = node.operands.map((o) => ('node' in o ? g.data[o.node] : o.constant));
    const expected = OPS[node.op].forward(operands[0], node.exponent ?? operands[1] ?? 0);
    const error = relativeError(g.data[id], expected);
    worst = Math.max(worst, Number.isFinite(error) ? error : 1);
    const same = Math.abs(g.data[id] - expected) <= ATOL + rtol * Math.abs(expected);
    if (!same && first === undefined) first = { id, expected, operands };
  }
  if (first === undefined) return { ok: true, maxRelError: worst, note: null };
  const { id, expected } = first;
  // An expanded node is named as the user's engine computed it (its sigmoid of x, not a div of 1 and 1 + e^−x).
  const composite = g.composites.get(id);
  const op = composite?.name ?? (g.nodes[id].op as OpName);
  const operands = composite
    ? composite.operands.map((o) => ('node' in o ? g.data[o.node] : o.constant))
    : first.operands;
  const label = g.labels[id] ? ` ('${g.labels[id]}')` : '';
  const of = operands.map((x) => formatNumber(x, 8)).join(', ');
  const exponent = g.nodes[id].exponent === undefined ? '' : ` with exponent ${g.nodes[id].exponent}`;
  return {
    ok: false,
    maxRelError: worst,
    note: `your engine's ${op}${label} of ${of}${exponent} gives ${formatNumber(g.data[id], 8)}, the bundled engine's ${formatNumber(expected, 8)}`,
  };
}

/**
 * ∂root/∂leaf by central differences for up to `max` checked leaves: the graph replayed on plain
 * numbers, the leaf moved by ±h, h = 1e-6·max(1, |x|) (the engine's gradcheck step). null where
 * a moved value is not finite (a domain edge within h).
 */
function centralDifferences(g: CheckGraph, checked: Checked[], max: number): Map<number, number | null> {
  const leaves = checked.filter((c) => c.leaf).slice(0, max);
  const out = new Map<number, number | null>();
  const replay = compileReplay(g);
  for (const { id } of leaves) {
    const x = g.data[id];
    const h = 1e-6 * Math.max(1, Math.abs(x));
    const estimate = (replay(id, x + h) - replay(id, x - h)) / (2 * h);
    out.set(id, Number.isFinite(estimate) ? estimate : null);
  }
  return out;
}

const OP_CODES = ['add', 'sub', 'mul', 'div', 'pow', 'neg', 'exp', 'log', 'relu', 'tanh'] as const;

/**
 * The graph as flat arrays in children-first order, and a replay of it with one leaf moved: a
 * switch per node on numbers, no allocation (a replay costs about 10 ns a node, where one through
 * the op table's closures cost 30 times more).
 */
function compileReplay(g: CheckGraph): (leaf: number, x: number) => number {
  const n = g.order.length;
  const code = new Int8Array(n); // -1 leaf, else index in OP_CODES
  const first = new Int32Array(n); // position in the order of operand a, or -1 for a constant
  const second = new Int32Array(n);
  const constA = new Float64Array(n);
  const constB = new Float64Array(n); // also pow's exponent
  const position = new Map<number, number>();
  g.order.forEach((id, k) => position.set(id, k));
  const values = new Float64Array(n);
  g.order.forEach((id, k) => {
    const node = g.nodes[id];
    values[k] = g.data[id];
    code[k] = node.op === null ? -1 : OP_CODES.indexOf(node.op);
    const read = (j: number, slots: Int32Array, consts: Float64Array): void => {
      const o = node.operands[j];
      slots[k] = o !== undefined && 'node' in o ? (position.get(o.node) as number) : -1;
      consts[k] = o !== undefined && 'constant' in o ? o.constant : 0;
    };
    read(0, first, constA);
    read(1, second, constB);
    if (node.exponent !== undefined) constB[k] = node.exponent;
  });
  const data = Float64Array.from(values);
  return (leaf, x) => {
    const moved = position.get(leaf) as number;
    for (let k = 0; k < n; k++) {
      const c = code[k];
      if (c < 0) {
        values[k] = k === moved ? x : data[k];
        continue;
      }
      const a = first[k] >= 0 ? values[first[k]] : constA[k];
      const b = second[k] >= 0 ? values[second[k]] : constB[k];
      values[k] = forward(c, a, b);
    }
    return values[n - 1];
  };
}

/** The op table's forward, by the index in OP_CODES (its order), on numbers. */
function forward(code: number, a: number, b: number): number {
  switch (code) {
    case 0:
      return a + b;
    case 1:
      return a - b;
    case 2:
      return a * b;
    case 3:
      return a / b;
    case 4:
      return a ** b;
    case 5:
      return -a;
    case 6:
      return Math.exp(a);
    case 7:
      return Math.log(a);
    case 8:
      return a > 0 ? a : 0;
    default:
      return Math.tanh(a);
  }
}

/**
 * The bug whose simulation gives the user's gradients. When the right backward pass on the user's
 * own forward values gives them, the gradients are right and only the forward pass differs.
 */
function likelyCause(g: CheckGraph, checked: Checked[], rtol: number): EngineCheck['likelyCause'] | 'right' {
  const matches = (grads: number[] | null): boolean =>
    grads !== null &&
    checked.every((c) => {
      const user = g.userGrad[c.id];
      return (
        user === null || Math.abs(user - grads[c.id]) <= ATOL + rtol * Math.max(Math.abs(user), Math.abs(grads[c.id]))
      );
    });
  if (matches(simulateBackward(g, RIGHT))) return 'right';
  const found: { bug: EngineBug; description: string }[] = [];
  for (const candidate of BUG_VARIANTS) {
    if (found.some((f) => f.description === candidate.description)) continue;
    if (matches(simulateBackward(g, candidate.variant)))
      found.push({ bug: candidate.bug, description: candidate.description });
  }
  if (found.length === 0) return null;
  const [first, ...alternatives] = found;
  return { ...first, alternatives };
}

function relativeError(a: number, b: number, floor = Number.MIN_VALUE): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/** The warning shown at the site when the check disagrees; null when it agrees or was skipped. */
export function engineCheckMessage(check: EngineCheck, target: string): string | null {
  if (check.status !== 'disagrees') return null;
  // The statement's own value first: where it differs, the graph the rest compares is the wrong one.
  // Its gradients alone add nothing to a graph check that already names the wrong gradients.
  const graph = graphMessage(check, target);
  const statement = check.statement;
  const own = statement?.message && (!statement.valueOk || graph === null) ? statement.message : null;
  const parts = [own, graph].filter((p): p is string => p !== null);
  return parts.length > 0 ? `engine check: ${parts.join('. ')}` : null;
}

/** The rebuilt graph's disagreement in words; null where the rebuild agreed or was skipped. */
function graphMessage(check: EngineCheck, target: string): string | null {
  const wrong = check.entries.filter((e) => !e.ok && e.user !== null);
  if (wrong.length === 0 && (!check.forward || check.forward.ok)) return null;
  const cause = check.likelyCause
    ? `likely cause: ${check.likelyCause.description}${(check.likelyCause.alternatives ?? []).map((a) => `; or ${a.description}`).join('')}`
    : undefined;
  // Values that differ come first: gradients taken at other values cannot be compared with the
  // bundled engine's, only with the right ones at the user's own values (see likelyCause).
  if (check.forward && !check.forward.ok) {
    const parts = [`the forward values disagree with the bundled engine's: ${check.forward.note ?? 'see the entries'}`];
    if (cause) parts.push(`the gradients: ${cause}`);
    else if (check.reason?.includes('right for the values'))
      parts.push('your gradients are right for the values your engine computed');
    return parts.join('. ');
  }
  const shown = wrong.slice(0, 4).map((e) => {
    const numeric = e.numeric === null ? '' : `, central difference ${formatNumber(e.numeric, 6)}`;
    return `\u2202${target}/\u2202${e.name}: yours ${formatNumber(e.user as number, 6)}, bundled engine ${formatNumber(e.engine, 6)}${numeric}`;
  });
  const more = wrong.length > 4 ? `; and ${wrong.length - 4} more` : '';
  const parts = [`your engine's gradients disagree with the bundled engine's: ${shown.join('; ')}${more}`];
  parts.push(cause ?? 'no known bug pattern reproduces these numbers');
  return parts.join('. ');
}
