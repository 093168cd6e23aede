// The lens's gradcheck: the engine's central differences on a replay of the lens's own graph, with
// the named leaves as inputs. The replay walks the graph's topological order, so it is as
// iterative as the engine.

import { gradcheck, topoSort, Value } from '../../engine';
import { applyOp } from './evaluate';
import type { GradcheckOptions, GradcheckSummary, OpName } from './types';

export const DEFAULT_GRADCHECK: GradcheckOptions = { enabled: true, eps: 1e-6, rtol: 1e-3, atol: 1e-5, maxLeaves: 64 };

export function checkGradients(root: Value, leaves: { name: string; value: Value }[], options: GradcheckOptions): GradcheckSummary {
  const checked = leaves.slice(0, Math.max(0, options.maxLeaves));
  const order = topoSort(root);
  const position = new Map<Value, number>();
  order.forEach((v, k) => position.set(v, k));
  // The replay runs 2·leaves + 1 times per lens on every edit: operands and input slots are
  // resolved to indices once here, so that a replay allocates only its new Values.
  const first = new Int32Array(order.length);
  const second = new Int32Array(order.length);
  const input = new Int32Array(order.length).fill(-1);
  order.forEach((v, k) => {
    const [a, b] = v.children;
    first[k] = a === undefined ? -1 : position.get(a)!;
    second[k] = b === undefined ? -1 : position.get(b)!;
  });
  checked.forEach((leaf, k) => (input[position.get(leaf.value)!] = k));
  const replay = (inputs: Value[]): Value => {
    const made: Value[] = new Array(order.length);
    for (let k = 0; k < order.length; k++) {
      const original = order[k];
      if (input[k] >= 0) made[k] = inputs[input[k]];
      else if (first[k] < 0) made[k] = new Value(original.data); // fresh: gradcheck's backward must not touch the lens's graph
      else made[k] = applyOp(original.opName as OpName, made[first[k]], second[k] < 0 ? undefined : made[second[k]], original.exponent);
    }
    return made[order.length - 1];
  };
  const result = gradcheck(replay, checked.map((l) => l.value.data), {
    eps: options.eps,
    rtol: options.rtol,
    atol: options.atol,
    labels: checked.map((l) => l.name),
  });
  return {
    ok: result.ok,
    maxRelError: result.maxRelError,
    entries: result.entries.map((e) => {
      const entry: GradcheckSummary['entries'][number] = { name: checked[e.index].name, analytic: e.analytic, numeric: e.numeric, relError: e.relError, ok: e.ok };
      if (e.note !== undefined) entry.note = e.note;
      return entry;
    }),
    skipped: leaves.length - checked.length,
  };
}
