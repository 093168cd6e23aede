// The lens's gradcheck: the engine's central differences on a replay of the lens's own graph, with
// the named leaves as inputs. The replay walks the graph's topological order, so it is as
// iterative as the engine.
//
// Results are memoised by the graph's exact structure and numbers: the extension re-analyses the
// whole document on every edit, and a gradcheck (2·leaves + 1 forward passes) is the largest part
// of a lens's cost, while most lenses are unchanged from one edit to the next. The memo is bounded
// by its estimated heap bytes (BUDGETS.gradcheckMemoBytes), not by its number of entries: the key
// is the whole graph, so one version of a 20,000-line lens is 0.6 MB, and an entry cap
// alone let every edit of such a lens add that much until thousands of versions were kept.

import { applyOp, gradcheck, topoSort, Value, type GradcheckResult } from '../../engine';
import { BUDGETS } from './budgets';
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

interface MemoEntry {
  result: GradcheckResult;
  /** Estimated heap bytes of the entry, key included (entryBytes). */
  bytes: number;
}

/**
 * Keyed by the full signature, never by a hash of it: a Map compares the whole key on a hit, so
 * two graphs can share an entry only if they are the same graph, and no collision can show another
 * lens's gradcheck. A key has one part per node, and a lens has at most the nodes of its own
 * statement (BUDGETS.statementTokens) and of those it expands (BUDGETS.lensNodes): 250,000 parts
 * of at most about 35 characters (a pow with a 17-digit exponent), under 9 MB, within the memo's
 * budget; remember() refuses an entry larger than the whole budget anyway.
 * Insertion order is recency order: a hit is moved to the end, eviction takes from the front.
 */
const memo = new Map<string, MemoEntry>();
let memoBytes = 0;
let memoHits = 0;
let memoMisses = 0;

/**
 * Estimated bytes of a Map slot, the MemoEntry and the result object with its entries array, and
 * of one result entry (an object of seven fields and its boxed numbers), measured with
 * `process.memoryUsage().heapUsed` on Node 20 and rounded up.
 */
const ENTRY_OVERHEAD_BYTES = 256;
const RESULT_ENTRY_BYTES = 144;

/**
 * One entry's heap: the key is ASCII (numbers, op symbols, separators), so V8 keeps it as a
 * one-byte string; a note may be any text, so two bytes per character.
 */
function entryBytes(key: string, result: GradcheckResult): number {
  let bytes = ENTRY_OVERHEAD_BYTES + key.length;
  for (const e of result.entries) bytes += RESULT_ENTRY_BYTES + 2 * (e.note?.length ?? 0);
  return bytes;
}

/** Forgets every memoised gradcheck (for benchmarks of the cold path, and tests). */
export function clearGradcheckMemo(): void {
  memo.clear();
  memoBytes = 0;
  memoHits = 0;
  memoMisses = 0;
}

/** The memo's size and use since the last clear: for tests and benchmarks. */
export function gradcheckMemoStats(): { entries: number; bytes: number; hits: number; misses: number } {
  return { entries: memo.size, bytes: memoBytes, hits: memoHits, misses: memoMisses };
}

/** Looks a signature up, making a hit the most recently used entry. */
function recall(key: string): GradcheckResult | undefined {
  const entry = memo.get(key);
  if (entry === undefined) {
    memoMisses++;
    return undefined;
  }
  memoHits++;
  memo.delete(key);
  memo.set(key, entry);
  return entry.result;
}

/**
 * Keeps a result, then evicts the least recently used entries until the memo is within its
 * budget. An entry larger than the whole budget is not kept: it would evict everything, itself last.
 */
function remember(key: string, result: GradcheckResult): void {
  const bytes = entryBytes(key, result);
  if (bytes > BUDGETS.gradcheckMemoBytes) return;
  memo.set(key, { result, bytes });
  memoBytes += bytes;
  for (const [oldest, entry] of memo) {
    if (memoBytes <= BUDGETS.gradcheckMemoBytes) break;
    memo.delete(oldest);
    memoBytes -= entry.bytes;
  }
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
  let result = recall(key);
  if (result === undefined) {
    result = run(
      graph,
      checked.map((l) => l.value.data),
      options,
    );
    remember(key, result);
  }
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

/**
 * Everything the gradcheck's outcome depends on: settings, ops (pow's with its exponent), wiring,
 * constants, input values. Operands are written as distances back from their node, which are
 * small in the usual chains, so the key is about half as long as with absolute positions. Every
 * part starts with a letter or an op symbol and ends at the next `;`, so the key reads back
 * unambiguously.
 */
function signature({ order, first, second, input }: IndexedGraph, options: GradcheckOptions): string {
  const parts: string[] = [`${options.eps},${options.rtol},${options.atol}`];
  for (let k = 0; k < order.length; k++) {
    const v = order[k];
    if (input[k] >= 0) parts.push(`i${input[k]}=${exact(v.data)}`);
    else if (first[k] < 0) parts.push(`c${exact(v.data)}`);
    else if (second[k] < 0) parts.push(`${v.op}(${k - first[k]})`);
    else parts.push(`${v.op}(${k - first[k]},${k - second[k]})`);
  }
  return parts.join(';');
}

/** A number as the shortest text that reads back as it, -0 included (String(-0) is "0"). */
function exact(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
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
