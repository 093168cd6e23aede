// A variable's gradient as the chain rule builds it: one contribution per use (the paths, summing
// to the gradient exactly as the engine sums them), and for the first uses the product of local
// derivatives from the variable up to the output, in the statement's names.

import type { Value } from '../../../engine';
import type { ChainTerm, Factor, PathContribution } from '../types';
import { localFactor, localValue } from './factors';
import type { ExplainGraph, Use } from './graphIndex';
import { ordinal, partialSymbol } from './printing';

/** Uses whose product is written out; the others are in `paths` with their numbers only. */
export const MAX_TERMS = 6;
/** Factors of a product before it stops at the next named value, as `∂o/∂n`. */
const MAX_FACTORS = 6;
/** Ops walked for one product whatever the names (a long unnamed chain stops at its symbol). */
const MAX_STEPS = 48;

/** What one use adds to the gradient: (∂op/∂operand) · ∂target/∂op, the engine's product. */
export function contributionOf(use: Use): number {
  // + 0: a −0 (0 times a negative gradient) reads 0; the engine's running sum is never −0, so
  // adding 0 or −0 to it gives the same.
  return localValue(use) * use.draft.output.grad + 0;
}

/** The engine's sum: the first contribution replaces the old grad (+ 0 makes −0 into 0), the others add. */
export function engineSum(contributions: readonly number[]): number {
  if (contributions.length === 0) return 0;
  let sum = contributions[0] + 0;
  for (let k = 1; k < contributions.length; k++) sum += contributions[k];
  return sum;
}

export function pathsOf(graph: ExplainGraph, v: Value, name: string): PathContribution[] {
  if (v === graph.root) return [{ via: `${name} is the output`, contribution: 1 }];
  const uses = graph.usesOf(v);
  const consumers = uses.map((use) => graph.symbol(use.draft.output));
  const oneConsumer = consumers.every((each) => each === consumers[0]);
  return uses.map((use, k) => {
    const which = uses.length > 1 ? `${ordinal(k + 1)} ${name}` : name;
    return {
      via: oneConsumer && uses.length > 1 ? which : `${which} in ${consumers[k]}`,
      contribution: contributionOf(use),
    };
  });
}

export function termsOf(graph: ExplainGraph, v: Value): ChainTerm[] {
  if (v === graph.root) return [{ factors: [], negated: false }];
  return graph
    .usesOf(v)
    .slice(0, MAX_TERMS)
    .map((use) => chainTerm(graph, use));
}

/** The product for one use: its local derivative, then the single path above it while there is one. */
function chainTerm(graph: ExplainGraph, use: Use): ChainTerm {
  const term: ChainTerm = { factors: [], negated: false };
  add(term, localFactor(graph, use));
  let node = use.draft.output;
  for (let steps = 0; node !== graph.root; steps++) {
    const long = steps >= MAX_STEPS || (term.factors.length >= MAX_FACTORS && graph.isNamed(node));
    if (long || graph.useCount(node) !== 1) {
      // A value used more than once (or far up a long chain): its own gradient, as backprop does.
      term.factors.push({ text: partialSymbol(graph.target, graph.symbol(node)), value: node.grad });
      break;
    }
    const [above] = graph.usesOf(node);
    add(term, localFactor(graph, above));
    node = above.draft.output;
  }
  return term;
}

/** Adds a factor as a person writes the product: no factor of 1, signs taken out in front. */
function add(term: ChainTerm, factor: Factor): void {
  if (factor.text === '1') return;
  if (factor.text === '\u22121') {
    term.negated = !term.negated;
    return;
  }
  if (factor.text.startsWith('\u2212')) {
    term.negated = !term.negated;
    term.factors.push({ text: factor.text.slice(1), value: -factor.value });
    return;
  }
  term.factors.push(factor);
}
