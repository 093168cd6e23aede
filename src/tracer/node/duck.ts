// What an autodiff node looks like, by duck typing only (never by class name): a numeric `data`
// and a `grad` field, operands in one of the ports' child fields, an op and a label.

import { TRACE_CHILD_FIELDS, TRACE_ENTRY_FIELDS } from '../../trace/protocol';

const OP_FIELDS = ['_op', 'op'] as const;
const LABEL_FIELDS = ['label', 'name'] as const;
/** Fields some ports keep a pow node's exponent in. */
const EXPONENT_FIELDS = ['exponent', '_exponent', 'power', '_power'] as const;

export type Node = Record<string, unknown>;

/** A node: an object with a numeric `data` and a `grad` field (a number, or not set yet). */
export function isNode(value: unknown): value is Node {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Node;
  return typeof v.data === 'number' && 'grad' in v;
}

/** The operands, in the engine's own order; only the ones that are nodes (or hold one: see entryNode). */
export function childrenOf(node: Node): Node[] {
  for (const field of TRACE_CHILD_FIELDS) {
    const held = node[field];
    if (held === undefined || held === null) continue;
    if (held instanceof Set || Array.isArray(held)) {
      const out: Node[] = [];
      for (const entry of held) {
        const child = entryNode(entry);
        if (child) out.push(child);
      }
      return out;
    }
  }
  return [];
}

/** An input entry's node: the entry itself, the first of a [node, gradFn] pair, or an entry object's field. */
function entryNode(entry: unknown): Node | null {
  if (isNode(entry)) return entry;
  if (Array.isArray(entry)) return entry.length > 0 && isNode(entry[0]) ? entry[0] : null;
  if (typeof entry !== 'object' || entry === null) return null;
  for (const field of TRACE_ENTRY_FIELDS) {
    const held = (entry as Node)[field];
    if (isNode(held)) return held;
  }
  return null;
}

export function opOf(node: Node): string {
  for (const field of OP_FIELDS) {
    const op = node[field];
    if (typeof op === 'string') return op;
  }
  return '';
}

export function labelOf(node: Node): string | null {
  for (const field of LABEL_FIELDS) {
    const label = node[field];
    if (typeof label === 'string' && label !== '') return label;
  }
  return null;
}

/** A pow-like node's exponent: from its op string (`**2`, `^-1`, `pow(3)`) or from a field. */
export function exponentOf(node: Node, op: string): number | null {
  const m = /^(?:\*\*|\^|pow\(?)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\)?$/i.exec(op.trim());
  if (m) return Number(m[1]);
  if (!/pow|\*\*|\^/i.test(op)) return null;
  for (const field of EXPONENT_FIELDS) {
    const value = node[field];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

/** A number for the result: null where it is not a finite number. */
export function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Every node reachable from `root` (root first, depth-first), or null past `limit` nodes. */
export function reachable(root: Node, limit: number): Node[] | null {
  const seen = new Set<Node>([root]);
  const order: Node[] = [root];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of childrenOf(node)) {
      if (seen.has(child)) continue;
      if (order.length >= limit) return null;
      seen.add(child);
      order.push(child);
      stack.push(child);
    }
  }
  return order;
}

/** How a value that is not a node reads in a note: "an Array", "a string", "undefined". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an Array of ${value.length}`;
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name ? `a ${name} without a numeric \`data\` and a \`grad\` field` : 'an object';
  }
  return `a ${typeof value}`;
}
