// "Plot against x", the picture the micrograd lecture begins with, on the user's own graph: the
// output as a function of one leaf near its value, the tangent whose slope is the gradient, and
// the finite-difference estimates of that slope for a few step sizes h. Every number comes from
// evaluating the graph again on the engine's own Values (engine/value.ts: the same arithmetic,
// and the same refusals, as the lens), with the leaf moved and everything else as it was; values
// that do not depend on the leaf are taken as they are. A point the engine refuses (log of a
// negative number, division by zero) is a gap with its reason, never a made-up number. Pure.
import { opFromSymbol } from '../../engine/opTable';
import { applyOp } from '../../engine/ops';
import { Value } from '../../engine/value';
import type { GraphView } from '../shared/graphView';
import { childrenFirst, fedBy, operandsOf } from './reach';

/** The output at one value of the leaf, or why the engine refuses to compute it there. */
export type Evaluation = { ok: true; value: number } | { ok: false; reason: string };

/** Step sizes of the finite differences: from coarse to below where rounding takes over. */
export const STEP_SIZES = [1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8, 1e-10] as const;
/** Points along the curve. */
export const SAMPLES = 121;

/** Re-evaluates the view's graph with the leaf at `position` set to x. */
export function evaluatorFor(view: GraphView, position: number): (x: number) => Evaluation {
  const operands = operandsOf(view);
  const depends = fedBy(view, position);
  const order = childrenFirst(view, operands).filter((p) => depends[p]);
  const ops = order.map((p) => (view.nodes[p].op === '' ? undefined : opFromSymbol(view.nodes[p].op)));
  return (x) => {
    const values = new Map<number, Value>();
    const valueOf = (p: number): Value => values.get(p) ?? new Value(view.nodes[p].data);
    try {
      order.forEach((p, i) => {
        if (p === position) return void values.set(p, new Value(x));
        const known = ops[i];
        if (!known) throw new Error(`${view.nodes[p].name} has an op the engine does not know: '${view.nodes[p].op}'`);
        const [a, b] = operands[p].map(valueOf);
        values.set(p, applyOp(known.op.name, a, b, known.exponent));
      });
      return { ok: true, value: valueOf(view.output).data };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  };
}

export interface FiniteDifference {
  h: number;
  /** (f(x + h) − f(x)) / h, or null where f(x + h) is refused. */
  forward: number | null;
  /** (f(x + h) − f(x − h)) / 2h, or null where either is refused. */
  central: number | null;
}

export interface Plot {
  /** The leaf's position, name and value; the output's name and value there. */
  leaf: number;
  x0: number;
  y0: number;
  /** ∂output/∂leaf from the backward pass: the tangent's slope. */
  slope: number;
  xs: number[];
  /** The output at each x; null where the engine refuses it. */
  ys: Array<number | null>;
  /** Why points are missing, each reason once (at most three). */
  gaps: string[];
  differences: FiniteDifference[];
}

/** Why a plot cannot be drawn. */
export interface PlotProblem {
  problem: string;
}

/**
 * The plot of the output against the leaf at `position`, over x0 ± max(1, |x0|). Refused when
 * the value is not a leaf, or when evaluating the graph again at x0 does not give the output's
 * value (then this graph cannot be re-evaluated faithfully, and no curve is better than a wrong one).
 */
export function plotAgainst(view: GraphView, position: number, samples = SAMPLES): Plot | PlotProblem {
  const leaf = view.nodes[position];
  if (!leaf || leaf.kind !== 'leaf') return { problem: 'only a variable (a leaf of the graph) can be plotted against' };
  const f = evaluatorFor(view, position);
  const x0 = leaf.data;
  const y0 = view.nodes[view.output].data;
  const at0 = f(x0);
  if (!at0.ok) return { problem: `the graph cannot be evaluated again at ${leaf.name} = ${x0}: ${at0.reason}` };
  if (at0.value !== y0)
    return {
      problem: `evaluating the graph again at ${leaf.name} = ${x0} gives ${at0.value}, not the lens's ${y0}: no plot rather than a wrong one`,
    };
  const half = Math.max(1, Math.abs(x0));
  const xs = Array.from({ length: samples }, (_, i) => x0 - half + (2 * half * i) / (samples - 1));
  if (samples % 2 === 1) xs[(samples - 1) / 2] = x0; // exactly x0 in the middle, whatever the rounding
  const gaps: string[] = [];
  const ys = xs.map((x) => {
    const y = f(x);
    if (y.ok) return y.value;
    if (gaps.length < 3 && !gaps.includes(y.reason)) gaps.push(y.reason);
    return null;
  });
  return { leaf: position, x0, y0, slope: leaf.grad, xs, ys, gaps, differences: finiteDifferences(f, x0, y0) };
}

/** One-sided and central differences at x0 for each step size (what the lecture computes by hand). */
export function finiteDifferences(
  f: (x: number) => Evaluation,
  x0: number,
  y0: number,
  steps: readonly number[] = STEP_SIZES,
): FiniteDifference[] {
  return steps.map((h) => {
    const up = f(x0 + h);
    const down = f(x0 - h);
    return {
      h,
      forward: up.ok ? (up.value - y0) / h : null,
      central: up.ok && down.ok ? (up.value - down.value) / (2 * h) : null,
    };
  });
}

/** About `count` round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}
