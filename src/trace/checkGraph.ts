// A traced graph made checkable: each node's raw op read as a bundled-engine op, its operands
// resolved (a Python set of children has no order, a `Backward1` op has a plain number for one
// operand, micrograd's `a + a` keeps `a` once), and an order children-first from the root.
// When that cannot be done with certainty the graph is refused with the reason, never guessed.

import { OPS, type OpName } from '../../engine';
import { TRACE_CHILD_FIELDS, type TracedGraph } from './protocol';
import { readRawOp } from './rawOps';

/** An operand: another node, or a plain number the engine's op took (not a node). */
export type Operand = { node: number } | { constant: number };

export interface CheckNode {
  /** null for a leaf. */
  op: OpName | null;
  operands: Operand[];
  /** pow's constant exponent. */
  exponent?: number;
}

export interface CheckGraph {
  /** By the traced node ids. */
  nodes: CheckNode[];
  /** The user's forward values, by id. */
  data: number[];
  /** The user's gradients, by id (null where the tracer had none). */
  userGrad: (number | null)[];
  /** Every node reachable from the root, children before parents, root last. */
  order: number[];
  /** The node ids each node was stored with, in the engine's own order (for simulating its walk). */
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
  for (const id of order) {
    const n = traced.nodes[id];
    const raw = readRawOp(n.op, n.exponent);
    if (raw.kind === 'unknown') {
      unknown.add(n.op);
      continue;
    }
    if (raw.kind === 'leaf') {
      if (n.children.length > 0)
        return { ok: false, reason: `a node${labelOf(n.label)} has operands but no op to say what it computes` };
      continue;
    }
    const data = (k: number) => traced.nodes[k].data as number;
    const resolved = resolveNode(raw.name, raw, n.children, data(id), data);
    if (typeof resolved === 'string') return { ok: false, reason: `${resolved}${labelOf(n.label)}` };
    nodes[id] = resolved.node;
    if (resolved.inferred) inferred++;
  }
  if (unknown.size > 0) {
    const shown = [...unknown].slice(0, 5).map((op) => `'${op.length > 30 ? `${op.slice(0, 29)}…` : op}'`);
    const more = unknown.size > 5 ? ` and ${unknown.size - 5} more` : '';
    return { ok: false, reason: `ops the bundled engine does not know: ${shown.join(', ')}${more}` };
  }
  return {
    ok: true,
    graph: {
      nodes,
      data: traced.nodes.map((n) => n.data ?? NaN),
      userGrad: traced.nodes.map((n) => n.grad),
      order,
      children: traced.nodes.map((n) => n.children),
      root: traced.root,
      labels: traced.nodes.map((n) => n.label),
      inferredOperands: inferred,
    },
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
  return walkChildrenFirst(g, true);
}

/** The same order for a graph the check could not resolve: an edge back into the walk is not followed. */
export function childrenFirstSkippingCycles(g: TracedGraph): number[] {
  return walkChildrenFirst(g, false)!;
}

function walkChildrenFirst(g: TracedGraph, refuseCycles: boolean): number[] | null {
  const state = new Uint8Array(g.nodes.length); // 0 new, 1 on the stack, 2 done
  const order: number[] = [];
  const stack: { id: number; next: number }[] = [{ id: g.root, next: 0 }];
  state[g.root] = 1;
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const children = g.nodes[top.id].children;
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
