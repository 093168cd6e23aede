// Where the step-through stands: the grads after the first `count` backward steps, replayed from
// the plan (0 everywhere, 1 at the output, then each step's `+=`). Pure, for the webview's
// controls and for tests.
import type { GraphView } from '../shared/graphView';

export function gradsAfter(view: GraphView, count: number): number[] {
  const grads = view.initialGrads.slice();
  const last = Math.min(Math.max(0, Math.floor(count)), view.steps.length);
  for (let i = 0; i < last; i++) {
    for (const c of view.steps[i].contributions) grads[c.child] = c.after;
  }
  return grads;
}

/** The positions whose grad changes at step `index` (0-based), each once. */
export function receiversOf(view: GraphView, index: number): number[] {
  const step = view.steps[index];
  return step ? [...new Set(step.contributions.map((c) => c.child))] : [];
}
