// Gradient health notes: places in a lens's graph where gradients die, shrink or blow up, found
// from the numbers the backward pass left, each with its own problem code and setting, and the
// same sentence as the hover's "why" (why.ts).

import type { Value } from '../../../engine';
import type { Built, OpDraft } from '../evaluate';
import type { Span } from '../positions';
import type { GradcheckSummary, HealthOptions, ProblemCode, Severity } from '../types';
import { localFactor, localValue } from './factors';
import { desugared, type ExplainGraph, type Use } from './graphIndex';
import { partialSymbol } from './printing';
import { EXPLODING_PRODUCT, SATURATED_EXP_SLOPE, SATURATED_TANH_SLOPE, VANISHING_PRODUCT } from './thresholds';
import { compositeAround, describeFactor, reluInput, scientific } from './why';

export const DEFAULT_HEALTH: HealthOptions = {
  deadRelu: true,
  saturation: true,
  vanishingExploding: true,
  gradcheckKink: true,
};

export interface HealthNote {
  code: ProblemCode;
  severity: Severity;
  message: string;
  span: Span;
}

/** Factors of a vanishing or exploding path shown before `…`. */
const MAX_PATH_FACTORS = 6;

export function healthNotes(
  graph: ExplainGraph,
  built: Built,
  options: HealthOptions,
  gradcheck: GradcheckSummary | null,
): HealthNote[] {
  const notes: HealthNote[] = [];
  const atKink = options.gradcheckKink && gradcheck ? kinks(graph, built, gradcheck) : [];
  // A relu at exactly its kink gets the kink's note, which says more than "dead".
  if (options.deadRelu) notes.push(...deadRelus(graph, built, new Set(atKink.map((k) => k.draft))));
  if (options.saturation) notes.push(...saturated(graph, built));
  if (options.vanishingExploding) notes.push(...vanishingOrExploding(graph, built));
  notes.push(...atKink.map((k) => k.note));
  return notes;
}

/** Leaf variables once each, with the span of their first use in the lens. */
function leaves(built: Built): { name: string; value: Value; span: Span }[] {
  const seen = new Set<Value>();
  const found: { name: string; value: Value; span: Span }[] = [];
  for (const d of built.variables) {
    if (!d.leaf || !d.value || seen.has(d.value)) continue;
    seen.add(d.value);
    found.push({ name: d.name, value: d.value, span: d.occurrences[0] ?? d.definedAt });
  }
  return found;
}

/** A relu the user wrote (not one inside abs or max) whose input is at or below 0. */
function deadRelus(graph: ExplainGraph, built: Built, atKink: Set<OpDraft>): HealthNote[] {
  const dead = built.ops.filter(
    (draft) =>
      draft.op === 'relu' &&
      !desugared(draft.expr) &&
      draft.inputs[0].data <= 0 &&
      !atKink.has(draft) &&
      !graph.isConstant(draft.inputs[0]), // a constant input: nothing below it to train
  );
  // The same words in every lens through this relu's assignment (no ∂target/∂name): the
  // Problems view shows such a note once, not once per lens.
  const notes: HealthNote[] = [];
  for (const draft of dead) {
    notes.push({
      code: 'dead-relu',
      severity: 'info',
      message: `dead ReLU: ${describeFactor(graph, { draft, slot: 0 })} to anything that feeds it`,
      span: draft.opSpan,
    });
  }
  return notes;
}

function saturated(graph: ExplainGraph, built: Built): HealthNote[] {
  const notes: HealthNote[] = [];
  for (const draft of built.ops) {
    if ((draft.op !== 'tanh' && draft.op !== 'exp') || desugared(draft.expr)) continue;
    if (graph.isConstant(draft.inputs[0])) continue;
    const use: Use = { draft, slot: 0 };
    const slope = Math.abs(localValue(use));
    const flat =
      draft.op === 'tanh'
        ? slope < SATURATED_TANH_SLOPE
        : slope < SATURATED_EXP_SLOPE || slope > 1 / SATURATED_EXP_SLOPE;
    if (!flat) continue;
    const effect =
      slope < 1 ? 'gradients through it shrink by that factor' : 'gradients through it grow by that factor';
    notes.push({
      code: 'saturated',
      severity: 'info',
      message: `saturated ${draft.op}: ${describeFactor(graph, use)}; ${effect}`,
      span: draft.opSpan,
    });
  }
  return notes;
}

/**
 * The largest product of local derivatives over the paths from the output to each node, in log
 * space (a product of many small factors underflows a double long before it is 0). One pass over
 * the ops in reverse creation order, which visits every op after all the ops that use it.
 */
function largestPaths(built: Built): { log: Map<Value, number>; via: Map<Value, Use> } {
  const log = new Map<Value, number>([[built.root, 0]]);
  const via = new Map<Value, Use>();
  for (let k = built.ops.length - 1; k >= 0; k--) {
    const draft = built.ops[k];
    const base = log.get(draft.output);
    if (base === undefined || base === -Infinity) continue;
    for (let slot = 0; slot < draft.inputs.length; slot++) {
      const use = { draft, slot };
      const candidate = base + Math.log(Math.abs(localValue(use)));
      const input = draft.inputs[slot];
      const known = log.get(input);
      if (known === undefined || candidate > known) {
        log.set(input, candidate);
        via.set(input, use);
      }
    }
  }
  return { log, via };
}

function vanishingOrExploding(graph: ExplainGraph, built: Built): HealthNote[] {
  const notes: HealthNote[] = [];
  const all = leaves(built);
  // A vanishing gradient is below 1e−6 and an exploding one above 1e6 (a path can only be as small
  // or as large where the sum is, unless its uses cancel): the path search runs only then.
  const outside = (g: number) => Math.abs(g) < VANISHING_PRODUCT || Math.abs(g) > EXPLODING_PRODUCT;
  if (!all.some((leaf) => outside(leaf.value.grad))) return notes;
  const { log, via } = largestPaths(built);
  for (const leaf of all) {
    const best = log.get(leaf.value);
    // −∞: every path has a factor of exactly 0 (a dead relu, a product with 0): "why" says which.
    if (best === undefined || best === -Infinity || leaf.value === built.root || !outside(leaf.value.grad)) continue;
    const vanishing = best < Math.log(VANISHING_PRODUCT);
    if (!vanishing && !(best > Math.log(EXPLODING_PRODUCT))) continue;
    const partial = partialSymbol(graph.target, leaf.name);
    const limit = vanishing ? `below ${scientific(VANISHING_PRODUCT)}` : `above ${scientific(EXPLODING_PRODUCT)}`;
    const message =
      `${vanishing ? 'vanishing' : 'exploding'} gradient: ${partial} = ${scientific(leaf.value.grad)}; ` +
      `along its largest path the local derivatives multiply to ${power(best)} (${limit}): ${pathFactors(graph, leaf.value, via)}`;
    notes.push({
      code: vanishing ? 'vanishing-gradient' : 'exploding-gradient',
      severity: 'warning',
      message,
      span: leaf.span,
    });
  }
  return notes;
}

/** `2 × (1 − h1² = 8.2e−9) × 9 × …`: the factors of a path other than 1, variable side first. */
function pathFactors(graph: ExplainGraph, start: Value, via: Map<Value, Use>): string {
  const shown: string[] = [];
  let node = start;
  let hidden = 0;
  for (let steps = 0; node !== graph.root && steps < 100_000; steps++) {
    const use = via.get(node);
    if (!use) break;
    const factor = localFactor(graph, use);
    if (factor.value !== 1) {
      const literal = /^[0-9.]+$/.test(factor.text);
      if (shown.length < MAX_PATH_FACTORS)
        shown.push(literal ? factor.text : `(${factor.text} = ${scientific(factor.value)})`);
      else hidden++;
    }
    node = use.draft.output;
  }
  return hidden > 0 ? `${shown.join(' × ')} × … (${hidden} more)` : shown.join(' × ');
}

/** e^x as a number, or as a power of ten where the double underflows or overflows. */
function power(logValue: number): string {
  const value = Math.exp(logValue);
  if (value !== 0 && Number.isFinite(value)) return scientific(value);
  return `10^${Math.round(logValue / Math.LN10)}`.replace(/-/g, '\u2212');
}

/**
 * A gradcheck taken where a relu's input is 0 (or where the gradcheck itself found a kink): the
 * one-sided slopes differ there, so the finite difference cannot confirm the analytic gradient.
 */
function kinks(graph: ExplainGraph, built: Built, gradcheck: GradcheckSummary): { draft: OpDraft; note: HealthNote }[] {
  const relus = built.ops.filter((d) => d.op === 'relu' && !graph.isConstant(d.inputs[0]));
  if (relus.length === 0) return [];
  let at = relus.filter((d) => d.inputs[0].data === 0);
  const foundKink = gradcheck.entries.some((e) => e.note !== undefined && /kink/.test(e.note));
  if (at.length === 0 && foundKink) {
    const nearest = Math.min(...relus.map((d) => Math.abs(d.inputs[0].data)));
    at = relus.filter((d) => Math.abs(d.inputs[0].data) === nearest);
  }
  return at.map((draft: OpDraft) => {
    const a = draft.inputs[0];
    const inside = compositeAround(graph, { draft, slot: 0 });
    const where = `${inside === undefined ? '' : `inside ${inside}, `}${reluInput(graph, a)}`;
    const exact = a.data === 0;
    const note: HealthNote = {
      code: 'gradcheck-kink',
      severity: 'info',
      message:
        `gradcheck at a kink: ${where}${exact ? '' : ', within the finite difference’s step of 0'}, where relu’s slope jumps from 0 to 1; ` +
        'the engine takes the slope 0 there (as PyTorch does), and a finite difference across the kink gives neither side',
      span: draft.opSpan,
    };
    return { draft, note };
  });
}
