// The lens's gradcheck: the engine's central differences on a replay of the lens's own graph, with
// the named leaves as inputs. The replay walks the graph's topological order, so it is as
// iterative as the engine.
//
// Results are memoised by the graph's exact structure and numbers: the extension re-analyses the
// whole document on every edit, and a gradcheck (2·leaves + 1 forward passes) is the largest part
// of a lens's cost, while most lenses are unchanged from one edit to the next.

import { gradcheck, topoSort, Value, type GradcheckResult } from '../../engine';
import { applyOp } from './evaluate';
import type { GradcheckOptions, GradcheckSummary, OpName } from './types';

export const DEFAULT_GRADCHECK: GradcheckOptions = { enabled: true, eps: 1e-6, rtol: 1e-3, atol: 1e-5, maxLeaves: 64 };

/** The graph as index arrays: operands and input slots resolved once for every replay. */
interface IndexedGraph {
  order: Value[];
  first: Int32Array;
  second: Int32Array;
  /** The input slot of a checked leaf, else -1. */
  input: Int32Array;
}

const MEMO_SIZE = 4096;
const memo = new Map<string, GradcheckResult>();

/** Forgets every memoised gradcheck (for benchmarks of the cold path). */
export function clearGradcheckMemo(): void {
  memo.clear();
}

export function checkGradients(
  root: Value,
  leaves: { name: string; value: Value }[],
  options: GradcheckOptions,
): GradcheckSummary {
  const checked = leaves.slice(0, Math.max(0, options.maxLeaves));
  const graph = indexGraph(
    root,
    checked.map((l) => l.value),
  );
  const key = signature(graph, options);
  let result = memo.get(key);
  if (result)
    memo.delete(key); // re-inserted below: the Map's order is the recency order
  else
    result = run(
      graph,
      checked.map((l) => l.value.data),
      options,
    );
  memo.set(key, result);
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  return {
    ok: result.ok,
    maxRelError: result.maxRelError,
    entries: result.entries.map((e) => {
      const entry: GradcheckSummary['entries'][number] = {
        name: checked[e.index].name,
        analytic: e.analytic,
        numeric: e.numeric,
        relError: e.relError,
        ok: e.ok,
      };
      if (e.note !== undefined) entry.note = e.note;
      return entry;
    }),
    skipped: leaves.length - checked.length,
  };
}

function indexGraph(root: Value, inputs: Value[]): IndexedGraph {
  const order = topoSort(root);
  const position = new Map<Value, number>();
  order.forEach((v, k) => position.set(v, k));
  const first = new Int32Array(order.length);
  const second = new Int32Array(order.length);
  const input = new Int32Array(order.length).fill(-1);
  order.forEach((v, k) => {
    const [a, b] = v.children;
    first[k] = a === undefined ? -1 : position.get(a)!;
    second[k] = b === undefined ? -1 : position.get(b)!;
  });
  inputs.forEach((leaf, k) => (input[position.get(leaf)!] = k));
  return { order, first, second, input };
}

/** Everything the gradcheck's outcome depends on: settings, ops, wiring, constants, input values. */
function signature({ order, first, second, input }: IndexedGraph, options: GradcheckOptions): string {
  const parts: string[] = [`${options.eps},${options.rtol},${options.atol}`];
  for (let k = 0; k < order.length; k++) {
    const v = order[k];
    if (input[k] >= 0) parts.push(`i${input[k]}=${v.data}`);
    else if (first[k] < 0) parts.push(`c${v.data}`);
    else parts.push(`${v.op}(${first[k]},${second[k]})`);
  }
  return parts.join(';');
}

function run(
  { order, first, second, input }: IndexedGraph,
  inputs: number[],
  options: GradcheckOptions,
): GradcheckResult {
  const replay = (leaves: Value[]): Value => {
    const made: Value[] = new Array(order.length);
    for (let k = 0; k < order.length; k++) {
      const original = order[k];
      if (input[k] >= 0) made[k] = leaves[input[k]];
      else if (first[k] < 0)
        made[k] = new Value(original.data); // fresh: gradcheck's backward must not touch the lens's graph
      else
        made[k] = applyOp(
          original.opName as OpName,
          made[first[k]],
          second[k] < 0 ? undefined : made[second[k]],
          original.exponent,
        );
    }
    return made[order.length - 1];
  };
  return gradcheck(replay, inputs, { eps: options.eps, rtol: options.rtol, atol: options.atol });
}
