// At the end of the run, each site's last execution becomes a TracedSite: its value, its graph, and
// the gradients of the USER'S engine. The gradients are taken without disturbing anything: the
// leaves get back the data they had at that execution, every reachable node's grad is saved and
// zeroed, the user's own `backward()` runs on the target (its output silenced), the grads are read,
// and every grad and datum is put back exactly as it was.

import { childrenOf, describeValue, exponentOf, finite, isNode, labelOf, opOf, reachable, type Node } from './duck';
import { memberNames } from './members';
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
    return {
      kind: 'number',
      value: finite(value),
      note: nonFiniteNote(value, 'the value'),
      variables: [],
      graph: null,
    };
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
  const namedNodes = new Set<Node>([value]);
  for (const [name, node] of last.names) {
    const id = ids.get(node);
    if (id === undefined || id === 0 || named.has(name) || name === site.target) continue;
    named.add(name);
    namedNodes.add(node);
    variables.push({ name, node: id, leaf: traced[id].children.length === 0 });
  }
  for (const [name, node] of memberNames(last.holders, ids, namedNodes)) {
    const id = ids.get(node)!;
    variables.push({ name, node: id, leaf: traced[id].children.length === 0 });
  }
  const dataNote = nonFiniteNote(value.data, "the value's `data`");
  return {
    kind: 'value',
    value: finite(value.data),
    note: dataNote && grads.note ? joinNotes(dataNote, grads.note) : (dataNote ?? grads.note),
    variables,
    graph: { root: 0, nodes: traced },
    ...(grads.noBackward ? { noBackward: true } : {}),
  };
}

/**
 * What a number that is not finite is, in words: a NaN in JavaScript is most often `Math.tanh(v)`
 * or `v * 2` on a Value object, which JavaScript turns into NaN without an error.
 */
function nonFiniteNote(x: unknown, what: string): string | null {
  if (typeof x !== 'number' || Number.isFinite(x)) return null;
  if (Number.isNaN(x))
    return `${what} is NaN: in JavaScript, \`Math.*\` functions and arithmetic operators (\`*\`, \`+\`) on an object such as a Value give NaN; call the engine's own ops (\`v.tanh()\`, \`v.mul(w)\`)`;
  return `${what} is ${x > 0 ? '' : '-'}Infinity`;
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
): { data: unknown[]; values: unknown[] | null; note: string | null; noBackward?: boolean } {
  const savedGrads = nodes.map((node) => saveField(node, 'grad'));
  const savedData = leaves ? leaves.leaves.map((leaf) => saveField(leaf, 'data')) : [];
  const restore = () => {
    nodes.forEach((node, k) => restoreField(node, 'grad', savedGrads[k]));
    if (leaves) leaves.leaves.forEach((leaf, k) => restoreField(leaf, 'data', savedData[k]));
  };
  let snapshotNote = leaves
    ? null
    : `gradients taken with the leaves' data at the end of the run, which may differ from the last execution's (${leavesMissing ?? 'not kept'})`;
  try {
    if (leaves) {
      const unset = putBackData(leaves);
      if (unset)
        snapshotNote = `gradients taken with the leaves' data at the end of the run, which may differ from the last execution's (the tracer could not set \`data\` back: ${unset})`;
    }
    const data = nodes.map((node) => node.data);
    if (typeof root.backward !== 'function') {
      const stepOnly = typeof root._backward === 'function';
      return { data, values: null, note: stepOnly ? NO_BACKWARD_STEP_NOTE : NO_BACKWARD_NOTE, noBackward: true };
    }
    const unsettable = zeroGrads(nodes);
    if (unsettable) return { data, values: null, note: unsettable };
    const backward = () => silenced(() => (root.backward as () => unknown).call(root));
    let threw = backward();
    // An engine whose backward() does not seed its output (the program sets `L.grad = 1` before
    // `L.backward()`) leaves the output's gradient at 0, and every other one with it: run it again
    // with the output seeded as the program does. Not seeded first: an engine that adds its own
    // seed (`self.grad += 1`) would then double every gradient.
    if (!threw && root.grad === 0) {
      zeroGrads(nodes);
      root.grad = 1;
      threw = backward();
    }
    if (threw) return { data, values: null, note: `its backward() threw: ${messageOf(threw.error)}` };
    const values = nodes.map((node) => node.grad);
    const note = values.some((g) => finite(g) === null) ? 'some gradients are not finite numbers' : null;
    return { data, values, note: snapshotNote ? joinNotes(note, snapshotNote) : note };
  } finally {
    restore();
  }
}

/** Puts the leaves' data back as at the last execution; the error of the first that cannot be set, else null. */
function putBackData(leaves: NonNullable<NonNullable<SiteRecord['last']>['leaves']>): string | null {
  let unset: string | null = null;
  leaves.leaves.forEach((leaf, k) => {
    if (leaf.data === leaves.data[k]) return;
    try {
      leaf.data = leaves.data[k];
    } catch (err) {
      unset ??= messageOf(err);
    }
  });
  return unset;
}

/** The note for a value without a backward() method: a free function `backward(root)` is not called. */
const NO_BACKWARD_NOTE =
  'the value has no backward() method: no gradients from your engine (a free function `backward(root)` is not called by the tracer)';
const NO_BACKWARD_STEP_NOTE =
  'the value has no backward() method: no gradients from your engine (it has a `_backward`, the step of one node: the tracer calls only a whole backward())';

/**
 * Sets every node's grad to 0; null, or the note when a node's `grad` cannot be set (a getter
 * without a setter, a frozen object): then the user's backward() cannot be run from a clean state.
 */
function zeroGrads(nodes: Node[]): string | null {
  for (const node of nodes) {
    try {
      node.grad = 0;
    } catch (err) {
      return `the tracer could not set the gradient (\`grad\`) to 0 to run your backward(): ${messageOf(err)}`;
    }
  }
  return null;
}

interface Saved {
  own: boolean;
  value: unknown;
}

function saveField(node: Node, field: string): Saved {
  return { own: Object.prototype.hasOwnProperty.call(node, field), value: node[field] };
}

function restoreField(node: Node, field: string, saved: Saved): void {
  try {
    if (saved.own || saved.value !== undefined) {
      if (node[field] !== saved.value) node[field] = saved.value;
    } else delete node[field];
  } catch {
    // A field without a setter was never changed (zeroGrads stopped at it): nothing to put back.
  }
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
