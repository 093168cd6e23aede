// A traced graph made checkable: each node's raw op read as a bundled-engine op, its operands
// resolved (a Python set of children has no order, a `Backward1` op has a plain number for one
// operand, micrograd's `a + a` keeps `a` once), and an order children-first from the root.
// When that cannot be done with certainty the graph is refused with the reason, never guessed.
// A node of an op the bundled engine lacks but can compose (an engine's sigmoid, a number raised to
// a Value, a Value raised to a Value) is expanded into added nodes of its ten ops, after the
// traced ones (ids from the traced node count on): the rebuild, the forward check, the simulated
// bugs and the central differences then run on them unchanged.

import { OPS, type OpName } from '../../engine';
import { TRACE_CHILD_FIELDS, type TracedGraph } from './protocol';
import { readCompositeOp, readRawOp, type CompositeOp } from './rawOps';

/** An operand: another node, or a plain number the engine's op took (not a node). */
export type Operand = { node: number } | { constant: number };

export interface CheckNode {
  /** null for a leaf. */
  op: OpName | null;
  operands: Operand[];
  /** pow's constant exponent. */
  exponent?: number;
}

/** A traced node expanded into the bundled engine's ops, as the user's graph shows it. */
export interface Composite {
  /** What it computes, for messages: 'sigmoid', 'power of a number', 'power of two Values'. */
  name: string;
  /** Its operands as the user's engine computed them (sigmoid: x; 2 ** x: 2, x; a ** b: a, b). */
  operands: Operand[];
}

export interface CheckGraph {
  /**
   * By the traced node ids, then the nodes added by expanding composites (ids from
   * `tracedCount` on): a composite's own id holds the last op of its expansion.
   */
  nodes: CheckNode[];
  /** How many nodes the tracer gave: ids below are the user's, ids from here on were added. */
  tracedCount: number;
  /** The expanded nodes, by their traced id. */
  composites: Map<number, Composite>;
  /** The user's forward values, by id. */
  data: number[];
  /** The user's gradients, by id (null where the tracer had none). */
  userGrad: (number | null)[];
  /** Every node reachable from the root, children before parents, root last (added nodes included). */
  order: number[];
  /**
   * The node ids each node was stored with, in the engine's own order (for simulating its walk);
   * an expanded node's and an added node's are the node operands of their op.
   */
  children: number[][];
  root: number;
  /** Labels for messages: the tracer's label, else null. */
  labels: (string | null)[];
  /** How many operands were recovered from the data (a `Backward1` op's number, `a + a` kept once). */
  inferredOperands: number;
}

export type Resolved = { ok: true; graph: CheckGraph } | { ok: false; reason: string };

/** Close enough to identify an operand order or a repeated operand from the forward values. */
const SAME = 1e-6;

export function resolveGraph(traced: TracedGraph): Resolved {
  const order = childrenFirst(traced);
  if (order === null) return { ok: false, reason: 'the graph has a cycle' };
  const missing = inputsNotFound(traced, order);
  if (missing) return { ok: false, reason: missing };
  const nodes: CheckNode[] = traced.nodes.map(() => ({ op: null, operands: [] }));
  const unknown = new Set<string>();
  let inferred = 0;
  for (const id of order) {
    const n = traced.nodes[id];
    if (n.data === null) return { ok: false, reason: `a node${labelOf(n.label)} has no finite value` };
  }
  const data: number[] = traced.nodes.map((n) => n.data ?? NaN);
  const added = new Expansion(nodes, data);
  const composites = new Map<number, Composite>();
  for (const id of order) {
    const n = traced.nodes[id];
    const composite = readCompositeOp(n.op);
    const raw = composite ?? readRawOp(n.op, n.exponent);
    if (raw.kind === 'unknown') {
      unknown.add(n.op);
      continue;
    }
    if (raw.kind === 'leaf') {
      if (n.children.length > 0)
        return { ok: false, reason: `a node${labelOf(n.label)} has operands but no op to say what it computes` };
      continue;
    }
    const valueOf = (k: number) => data[k];
    const resolved: Resolution | string =
      raw.kind === 'composite'
        ? resolveComposite(raw, n.children, data[id], valueOf, added)
        : raw.name === 'pow' && raw.exponent === undefined && n.children.length === 2
          ? resolveValuePow(n.children, data[id], valueOf, added)
          : resolveNode(raw.name, raw, n.children, data[id], valueOf);
    if (typeof resolved === 'string') return { ok: false, reason: `${resolved}${labelOf(n.label)}` };
    nodes[id] = resolved.node;
    if (resolved.inferred) inferred++;
    if (resolved.composite) composites.set(id, resolved.composite);
  }
  if (unknown.size > 0) {
    const shown = [...unknown].slice(0, 5).map((op) => `'${op.length > 30 ? `${op.slice(0, 29)}…` : op}'`);
    const more = unknown.size > 5 ? ` and ${unknown.size - 5} more` : '';
    return { ok: false, reason: `ops the bundled engine does not know: ${shown.join(', ')}${more}` };
  }
  const children = nodes.map((node, id) =>
    id < traced.nodes.length && !composites.has(id) ? traced.nodes[id].children : nodeOperands(node),
  );
  return {
    ok: true,
    graph: {
      nodes,
      tracedCount: traced.nodes.length,
      composites,
      data,
      userGrad: [...traced.nodes.map((n) => n.grad), ...added.ids.map(() => null)],
      // The added nodes go in before the composite that uses them (the same walk over the new children).
      order: composites.size === 0 ? order : (walk(traced.root, (id) => children[id], nodes.length, true) as number[]),
      children,
      root: traced.root,
      labels: [...traced.nodes.map((n) => n.label), ...added.ids.map(() => null)],
      inferredOperands: inferred,
    },
  };
}

function nodeOperands(node: CheckNode): number[] {
  return node.operands.flatMap((o) => ('node' in o ? [o.node] : []));
}

/** The nodes added by expansions, appended to the graph's arrays (their values from the bundled ops). */
class Expansion {
  readonly ids: number[] = [];
  constructor(
    private readonly nodes: CheckNode[],
    private readonly data: number[],
  ) {}

  /** Adds `op` of these operands; returns it as an operand. */
  add(op: OpName, operands: Operand[], exponent?: number): Operand {
    const node: CheckNode = { op, operands };
    if (exponent !== undefined) node.exponent = exponent;
    const values = operands.map((o) => ('node' in o ? this.data[o.node] : o.constant));
    const id = this.nodes.length;
    this.nodes.push(node);
    this.data.push(OPS[op].forward(values[0], exponent ?? values[1] ?? 0));
    this.ids.push(id);
    return { node: id };
  }
}

type Resolution = { node: CheckNode; inferred: boolean; composite?: Composite };

/**
 * sigmoid(x) = 1 / (1 + exp(−x)), as the core's parse desugars it (a div, so that a simulated pow
 * bug never matches a sigmoid); c ** x = exp(x · ln c) for a number c > 0.
 */
function resolveComposite(
  op: CompositeOp,
  children: number[],
  c: number,
  data: (k: number) => number,
  added: Expansion,
): Resolution | string {
  const what = op.name === 'sigmoid' ? 'sigmoid' : 'power of a number with a Value exponent';
  if (children.length !== 1) return `a ${what} with ${children.length} node operands`;
  const x: Operand = { node: children[0] };
  if (op.name === 'sigmoid') {
    const e = added.add('exp', [added.add('neg', [x])]);
    const node: CheckNode = { op: 'div', operands: [{ constant: 1 }, added.add('add', [{ constant: 1 }, e])] };
    return { node, inferred: false, composite: { name: 'sigmoid', operands: [x] } };
  }
  // The base: from the op string, else from the values (c = k ** x, so k = c ** (1/x)).
  const exponent = data(children[0]);
  let base = op.base;
  if (base === undefined) {
    if (!(c > 0))
      return `a ${what} whose value is ${short(c)}: its base is ≤ 0, and c ** x = exp(x · ln c) needs a base > 0`;
    if (exponent === 0) return `a ${what} whose base cannot be recovered from the values (its exponent is 0)`;
    base = nice(c ** (1 / exponent));
  }
  if (!(base > 0) || !Number.isFinite(base))
    return `a ${what} with base ${short(base)}: c ** x = exp(x · ln c) needs a base > 0`;
  const node: CheckNode = { op: 'exp', operands: [added.add('mul', [x, { constant: Math.log(base) }])] };
  return {
    node,
    inferred: op.base === undefined,
    composite: { name: 'power of a number', operands: [{ constant: base }, x] },
  };
}

/** A number in a reason: six significant digits, no trailing zeros (-2, 0.693147). */
function short(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** A base recovered from the values, as the program most likely wrote it: 2, not 2.0000000000000004. */
function nice(k: number): number {
  for (const candidate of [Math.round(k), Math.E])
    if (Math.abs(k - candidate) <= 1e-9 * Math.abs(candidate)) return candidate;
  return k;
}

/**
 * `a ** b` with both operands nodes (a port's `__pow__` that takes a Value): exp(b · log a) for
 * a > 0. A set of children keeps no order: the values say which is the base, and when both
 * orders give the value (2 ** 4 = 4 ** 2) the graph is refused rather than guessed.
 */
function resolveValuePow(
  children: number[],
  c: number,
  data: (k: number) => number,
  added: Expansion,
): Resolution | string {
  let [a, b] = children;
  const close = (x: number) => Math.abs(x - c) <= 1e-12 + SAME * Math.max(Math.abs(x), Math.abs(c));
  const asStored = close(data(a) ** data(b));
  const swapped = close(data(b) ** data(a));
  if (asStored && swapped && data(a) !== data(b))
    return `a power of two Values whose values cannot say which is the base (${short(data(a))} ** ${short(data(b))} = ${short(data(b))} ** ${short(data(a))})`;
  if (swapped && !asStored) [a, b] = [b, a];
  if (!(data(a) > 0))
    return `a power with a Value exponent whose base is ${short(data(a))}: its gradient for the exponent, a ** b · ln a, needs a base > 0`;
  const logA = added.add('log', [{ node: a }]);
  const node: CheckNode = { op: 'exp', operands: [added.add('mul', [{ node: b }, logA])] };
  return {
    node,
    inferred: false,
    composite: { name: 'power of two Values', operands: [{ node: a }, { node: b }] },
  };
}

/**
 * Why a node with an op has no inputs in the traced graph: the tracer did not find the field its
 * engine keeps them in. Such a node reads as a leaf, and a graph of it alone would "agree" with
 * anything: never checked, and the lens says it. null when every op node has its inputs.
 */
export function inputsNotFound(traced: TracedGraph, order = childrenFirstSkippingCycles(traced)): string | null {
  for (const id of order) {
    const n = traced.nodes[id];
    if (n.children.length > 0 || readRawOp(n.op, n.exponent).kind === 'leaf') continue;
    const op = n.op.trim();
    const shown = op.length > 30 ? `${op.slice(0, 29)}…` : op;
    return `the inputs of this \`${shown}\` node${labelOf(n.label)} were not found (fields tried: ${TRACE_CHILD_FIELDS.join(', ')})`;
  }
  return null;
}

function labelOf(label: string | null): string {
  return label ? ` ('${label.length > 30 ? `${label.slice(0, 29)}…` : label}')` : '';
}

type RawOpOf = Extract<ReturnType<typeof readRawOp>, { kind: 'op' }>;

function resolveNode(
  name: OpName,
  raw: RawOpOf,
  children: number[],
  c: number,
  data: (k: number) => number,
): { node: CheckNode; inferred: boolean } | string {
  const spec = OPS[name];
  if (name === 'pow') {
    if (children.length !== 1)
      return `a pow with ${children.length} node operands (the bundled engine's exponent is a constant)`;
    if (raw.exponent === undefined) return 'a pow whose exponent the tracer could not read';
    return { node: { op: name, operands: [{ node: children[0] }], exponent: raw.exponent }, inferred: false };
  }
  if (spec.arity === 1) {
    if (children.length !== 1) return `a ${name} with ${children.length} operands`;
    return { node: { op: name, operands: [{ node: children[0] }] }, inferred: false };
  }
  const close = (x: number) => Math.abs(x - c) <= 1e-12 + SAME * Math.max(Math.abs(x), Math.abs(c));
  if (children.length === 2) {
    let [x, y] = raw.reversed ? [children[1], children[0]] : children;
    // A set keeps no order: `a - b` may come back as {b, a}; the values say which it was.
    if (!close(spec.forward(data(x), data(y))) && close(spec.forward(data(y), data(x)))) [x, y] = [y, x];
    return { node: { op: name, operands: [{ node: x }, { node: y }] }, inferred: false };
  }
  if (children.length !== 1) return `a ${name} with ${children.length} operands`;
  const x = children[0];
  const a = data(x);
  // micrograd keeps its children in a set: `a + a` and `a * a` come back with `a` once.
  if (!raw.scalarOperand && close(spec.forward(a, a)))
    return { node: { op: name, operands: [{ node: x }, { node: x }] }, inferred: true };
  // A one-operand '-' is a negation in ports that spell it so.
  if (name === 'sub' && !raw.scalarOperand && close(-a))
    return { node: { op: 'neg', operands: [{ node: x }] }, inferred: false };
  // The other operand was a plain number: recovered from the values (c = a ∘ k).
  const constant = (k: number): { node: CheckNode; inferred: boolean } | string =>
    Number.isFinite(k)
      ? {
          node: { op: name, operands: raw.reversed ? [{ constant: k }, { node: x }] : [{ node: x }, { constant: k }] },
          inferred: true,
        }
      : `a ${name} whose other operand cannot be recovered from the values`;
  switch (name) {
    case 'add':
      return constant(c - a);
    case 'sub':
      return constant(raw.reversed ? c + a : a - c);
    case 'mul':
      return a === 0 ? `a mul by a number that cannot be recovered (its operand is 0)` : constant(c / a);
    case 'div':
      return c === 0 || raw.reversed ? `a div whose other operand cannot be recovered` : constant(a / c);
  }
  return `a ${name} with one operand`;
}

/**
 * Reachable nodes children-first (a DFS post-order, children in their stored order, as
 * micrograd's build_topo walks them), or null when the graph has a cycle. Iterative.
 */
export function childrenFirst(g: TracedGraph): number[] | null {
  return walk(g.root, (id) => g.nodes[id].children, g.nodes.length, true);
}

/** The same order for a graph the check could not resolve: an edge back into the walk is not followed. */
export function childrenFirstSkippingCycles(g: TracedGraph): number[] {
  return walk(g.root, (id) => g.nodes[id].children, g.nodes.length, false)!;
}

function walk(
  root: number,
  childrenOf: (id: number) => number[],
  count: number,
  refuseCycles: boolean,
): number[] | null {
  const state = new Uint8Array(count); // 0 new, 1 on the stack, 2 done
  const order: number[] = [];
  const stack: { id: number; next: number }[] = [{ id: root, next: 0 }];
  state[root] = 1;
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const children = childrenOf(top.id);
    if (top.next < children.length) {
      const child = children[top.next++];
      if (state[child] === 1 && refuseCycles) return null;
      if (state[child] === 0) {
        state[child] = 1;
        stack.push({ id: child, next: 0 });
      }
      continue;
    }
    stack.pop();
    state[top.id] = 2;
    order.push(top.id);
  }
  return order;
}
