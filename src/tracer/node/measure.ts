// At the end of the run, each site's last execution becomes a TracedSite: its value, its graph, and
// the gradients of the USER'S engine. The gradients are taken without disturbing anything: the
// leaves get back the data they had at that execution, every reachable node's grad is saved and
// zeroed, the user's own `backward()` runs on the target (its output silenced), the grads are read,
// and every grad and datum is put back exactly as it was.

import { childrenOf, describeValue, exponentOf, finite, isNode, labelOf, opOf, reachable, type Node } from './duck';
import type { SiteRecord } from './recorder';
import type { SiteRequest, TracedNode, TracedSite, TracedValue, TracedVariable } from './wire';

export function measureSite(site: SiteRequest, record: SiteRecord, graphNodeLimit: number): TracedSite {
  const base = {
    id: site.id,
    executions: record.executions,
    history: record.history,
    historyStride: record.historyStride,
  };
  if (!record.last) return { ...base, last: null };
  let last: TracedValue;
  try {
    last = measureLast(site, record.last, graphNodeLimit);
  } catch (err) {
    last = unsupported(`the tracer could not read this value: ${messageOf(err)}`);
  }
  return { ...base, last };
}

function measureLast(site: SiteRequest, last: NonNullable<SiteRecord['last']>, limit: number): TracedValue {
  const { value } = last;
  const what = site.target ? `\`${site.target}\`` : 'the value';
  if (typeof value === 'number') {
    return { kind: 'number', value: finite(value), note: null, variables: [], graph: null };
  }
  if (!isNode(value)) return unsupported(`${what} is ${describeValue(value)}`);
  const nodes = reachable(value, limit);
  if (!nodes) {
    return {
      kind: 'value',
      value: finite(value.data),
      note: `its graph has more than ${limit} nodes (the graph node limit): no graph and no gradients`,
      variables: [],
      graph: null,
    };
  }
  const grads = userGradients(value, nodes, last.leaves, last.leavesMissing);
  const ids = new Map<Node, number>(nodes.map((node, k) => [node, k]));
  const traced: TracedNode[] = nodes.map((node, k) => {
    const op = opOf(node);
    return {
      id: k,
      data: finite(grads.data[k]),
      grad: grads.values ? finite(grads.values[k]) : null,
      op,
      label: labelOf(node),
      children: childrenOf(node).map((child) => ids.get(child)!),
      exponent: exponentOf(node, op),
    };
  });
  const variables: TracedVariable[] = [];
  const named = new Set<string>();
  for (const [name, node] of last.names) {
    const id = ids.get(node);
    if (id === undefined || id === 0 || named.has(name) || name === site.target) continue;
    named.add(name);
    variables.push({ name, node: id, leaf: traced[id].children.length === 0 });
  }
  return {
    kind: 'value',
    value: finite(value.data),
    note: grads.note,
    variables,
    graph: { root: 0, nodes: traced },
  };
}

/**
 * d(root)/d(node) for each node, from the user's own backward(), and each node's data as it was at
 * the last execution (the leaves' from the snapshot), leaving every grad and datum as it was.
 */
function userGradients(
  root: Node,
  nodes: Node[],
  leaves: NonNullable<SiteRecord['last']>['leaves'],
  leavesMissing: string | null,
): { data: unknown[]; values: unknown[] | null; note: string | null } {
  const savedGrads = nodes.map((node) => saveField(node, 'grad'));
  const savedData = leaves ? leaves.leaves.map((leaf) => saveField(leaf, 'data')) : [];
  const restore = () => {
    nodes.forEach((node, k) => restoreField(node, 'grad', savedGrads[k]));
    if (leaves) leaves.leaves.forEach((leaf, k) => restoreField(leaf, 'data', savedData[k]));
  };
  const snapshotNote = leaves
    ? null
    : `gradients taken with the leaves' data at the end of the run, which may differ from the last execution's (${leavesMissing ?? 'not kept'})`;
  try {
    if (leaves) leaves.leaves.forEach((leaf, k) => (leaf.data = leaves.data[k]));
    const data = nodes.map((node) => node.data);
    if (typeof root.backward !== 'function') {
      return { data, values: null, note: 'the value has no backward() method: no gradients' };
    }
    for (const node of nodes) node.grad = 0;
    const threw = silenced(() => (root.backward as () => unknown).call(root));
    if (threw) return { data, values: null, note: `its backward() threw: ${messageOf(threw.error)}` };
    const values = nodes.map((node) => node.grad);
    const note = values.some((g) => finite(g) === null) ? 'some gradients are not finite numbers' : null;
    return { data, values, note: snapshotNote ? joinNotes(note, snapshotNote) : note };
  } finally {
    restore();
  }
}

interface Saved {
  own: boolean;
  value: unknown;
}

function saveField(node: Node, field: string): Saved {
  return { own: Object.prototype.hasOwnProperty.call(node, field), value: node[field] };
}

function restoreField(node: Node, field: string, saved: Saved): void {
  if (saved.own || saved.value !== undefined) node[field] = saved.value;
  else delete node[field];
}

/** Runs `fn` with the process's stdout and stderr muted: the traced run must print what the program prints. */
function silenced(fn: () => unknown): { error: unknown } | null {
  const out = process.stdout.write;
  const err = process.stderr.write;
  const mute = (() => true) as typeof process.stdout.write;
  process.stdout.write = mute;
  process.stderr.write = mute;
  try {
    fn();
    return null;
  } catch (error) {
    return { error };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

function unsupported(note: string): TracedValue {
  return { kind: 'unsupported', value: null, note, variables: [], graph: null };
}

function joinNotes(a: string | null, b: string): string {
  return a ? `${a}; ${b}` : b;
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
