// Why a gradient is 0, or tiny next to the others: the factor that blocks it, in a sentence. A
// gradient is a sum over uses of (local derivative) × (the gradient of the op that uses it), so a
// zero comes from a local derivative of 0 (a relu at or below 0, a multiplication by 0), from a
// zero further up (followed there), from uses that cancel, or from a product that underflows.

import type { Value } from '../../../engine';
import type { Expr } from '../ast';
import { formatSigned } from '../format';
import { localFactor, localValue } from './factors';
import { desugared, type ExplainGraph, type Use } from './graphIndex';
import { contributionOf } from './paths';
import { atom, bare, partialSymbol } from './printing';
import { TINY_ABSOLUTE, TINY_RELATIVE } from './thresholds';

/** Reasons a sentence names before "and N more". */
const MAX_REASONS = 3;
/** Ops followed up a dominant path looking for its smallest factor. */
const MAX_WALK = 256;

type Blocker =
  | { kind: 'factor'; use: Use }
  | { kind: 'cancel'; node: Value }
  | { kind: 'underflow'; use: Use }
  | { kind: 'no-path'; node: Value };

export class WhyExplainer {
  private readonly blockers = new Map<Value, Blocker>();

  constructor(
    private readonly graph: ExplainGraph,
    /** The largest |gradient| among the lens's variables: "tiny" is next to it. */
    private readonly largest: number,
  ) {}

  /** The sentence for a variable whose gradient is 0 or tiny; null when it is neither. */
  why(v: Value, name: string): string | null {
    const graph = this.graph;
    if (v === graph.root) return null;
    const grad = v.grad;
    const partial = partialSymbol(graph.target, name);
    if (grad === 0) {
      const uses = graph.usesOf(v);
      if (uses.length === 0) return `${graph.target} does not depend on ${name}`;
      if (uses.some((use) => contributionOf(use) !== 0)) return `${partial} is 0: its uses cancel`;
      const reasons = unique(uses.map((use) => this.describe(this.blockerOfUse(use))));
      return `${partial} is 0: ${listed(reasons)}`;
    }
    const magnitude = Math.abs(grad);
    if (magnitude >= TINY_ABSOLUTE && magnitude >= TINY_RELATIVE * this.largest) return null;
    const smallest = this.smallestFactor(v);
    const size = `${partial} is tiny (${scientific(grad)})`;
    return smallest ? `${size}: ${describeFactor(graph, smallest)}` : size;
  }

  /** The blocker of one use whose contribution is 0. */
  private blockerOfUse(use: Use): Blocker {
    if (localValue(use) === 0) return { kind: 'factor', use };
    if (use.draft.output.grad === 0) return this.blockerOf(use.draft.output);
    return { kind: 'underflow', use };
  }

  /** Why a node's gradient is 0, following zeros up the graph (memoised: shared by every variable below). */
  blockerOf(start: Value): Blocker {
    const path: Value[] = [];
    let node = start;
    let found: Blocker | undefined;
    while (found === undefined) {
      const known = this.blockers.get(node);
      if (known) {
        found = known;
        break;
      }
      path.push(node);
      const uses = this.graph.usesOf(node);
      if (uses.length === 0) found = { kind: 'no-path', node };
      else if (uses.some((use) => contributionOf(use) !== 0)) found = { kind: 'cancel', node };
      else if (localValue(uses[0]) === 0) found = { kind: 'factor', use: uses[0] };
      else if (uses[0].draft.output.grad === 0 && uses[0].draft.output !== this.graph.root) node = uses[0].draft.output;
      else found = { kind: 'underflow', use: uses[0] };
    }
    for (const each of path) this.blockers.set(each, found);
    return found;
  }

  describe(blocker: Blocker): string {
    const graph = this.graph;
    switch (blocker.kind) {
      case 'factor':
        return describeFactor(graph, blocker.use);
      case 'cancel':
        return `the uses of ${graph.symbol(blocker.node)} cancel`;
      case 'underflow':
        return `the product of its factors underflows to 0 at ${graph.symbol(blocker.use.draft.output)}`;
      case 'no-path':
        return `${graph.target} does not depend on ${graph.symbol(blocker.node)}`;
    }
  }

  /** Up the path of largest contributions, the use whose local derivative is smallest in size. */
  private smallestFactor(v: Value): Use | undefined {
    let node = v;
    let smallest: Use | undefined;
    let smallestSize = 1;
    for (let steps = 0; node !== this.graph.root && steps < MAX_WALK; steps++) {
      const uses = this.graph.usesOf(node);
      if (uses.length === 0) break;
      let best = uses[0];
      let bestSize = Math.abs(contributionOf(best));
      for (const use of uses) {
        const size = Math.abs(contributionOf(use));
        if (size > bestSize) {
          best = use;
          bestSize = size;
        }
      }
      const local = Math.abs(localValue(best));
      if (local < smallestSize) {
        smallest = best;
        smallestSize = local;
      }
      node = best.draft.output;
    }
    return smallest;
  }
}

/** One local derivative that blocks or shrinks a gradient, in words, with its numbers. */
export function describeFactor(graph: ExplainGraph, use: Use): string {
  const { draft, slot } = use;
  const local = localValue(use);
  const symbol = (v: Value) => graph.symbol(v);
  const a = draft.inputs[0];
  const A = bare(symbol(a));
  const C = bare(symbol(draft.output));
  const inside = compositeAround(graph, use);
  const prefix = inside === undefined ? '' : `inside ${inside}, `;
  let text: string;
  switch (draft.op) {
    case 'relu':
      text = `${reluInput(graph, a)} ${a.data <= 0 ? '≤ 0, so it passes no gradient' : '> 0, so it passes the gradient on'}`;
      break;
    case 'mul': {
      const other = draft.inputs[1 - slot];
      const mine = symbol(draft.inputs[slot]);
      text =
        other.data === 0
          ? `${mine} is multiplied by ${isNumber(symbol(other)) ? '0' : `${symbol(other)} = 0`} in ${C}`
          : `${mine} is multiplied by ${symbol(other)} = ${number(other.data)} in ${C}`;
      break;
    }
    case 'tanh':
      text = `tanh(${A}) is saturated at ${A} = ${number(a.data)}: ${localFactor(graph, use).text} = ${scientific(local)}`;
      break;
    case 'exp':
      text = `exp(${A}) = ${scientific(draft.output.data)} at ${A} = ${number(a.data)}, and its slope is its value`;
      break;
    case 'log':
      text = `log(${A}) is flat at ${A} = ${number(a.data)}: its slope 1/${atom(A)} = ${scientific(local)}`;
      break;
    case 'pow':
      text =
        draft.exponent === 0
          ? `${C} does not depend on ${A} at all (its exponent is 0)`
          : `${C} has slope ${localFactor(graph, use).text} = ${number(local)} at ${A} = ${number(a.data)}`;
      break;
    case 'div': {
      const b = draft.inputs[1];
      text =
        slot === 0
          ? `${C} divides by ${symbol(b)} = ${number(b.data)}`
          : a.data === 0
            ? `the numerator ${A} of ${C} is 0`
            : `${C} changes by ${localFactor(graph, use).text} = ${number(local)} with ${symbol(b)}`;
      break;
    }
    default:
      text = `∂${atom(C)}/∂${atom(symbol(draft.inputs[slot]))} = ${localFactor(graph, use).text} = ${number(local)}`;
  }
  return prefix + text;
}

/** `relu(n) gets n = −0.5000`. */
export function reluInput(graph: ExplainGraph, input: Value): string {
  const A = graph.symbol(input);
  return `relu(${bare(A)}) gets ${bare(A)} = ${number(input.data)}`;
}

/** The composite an op belongs to (`abs(x)` for its inner relu), by its outer node's text. */
export function compositeAround(graph: ExplainGraph, use: Use): string | undefined {
  let draft = use.draft;
  for (let steps = 0; steps < 16; steps++) {
    if (compositeOf(draft.expr) !== undefined) return graph.symbol(draft.output);
    if (!desugared(draft.expr)) return undefined; // an op the user wrote
    const above = graph.usesOf(draft.output);
    if (above.length !== 1) return undefined;
    draft = above[0].draft;
  }
  return undefined;
}

function compositeOf(e: Expr): string | undefined {
  return e.kind === 'unary' || e.kind === 'binary' || e.kind === 'call' ? e.composite : undefined;
}

/** Whether the large-gradient variables make `grad` tiny next to them, or it is tiny by itself. */
export function isTiny(grad: number, largest: number): boolean {
  const magnitude = Math.abs(grad);
  return magnitude !== 0 && (magnitude < TINY_ABSOLUTE || magnitude < TINY_RELATIVE * largest);
}

function number(x: number): string {
  return formatSigned(x, 4);
}

/** Two significant digits in exponent notation, for the small and large numbers of these sentences. */
export function scientific(x: number): string {
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && magnitude >= 1e-3 && magnitude < 1e4) return formatSigned(x, 4);
  return x.toExponential(1).replace(/-/g, '\u2212').replace('e+', 'e');
}

function isNumber(text: string): boolean {
  return /^\u2212?[0-9.]+$/.test(text);
}

function unique(texts: string[]): string[] {
  return [...new Set(texts)];
}

function listed(reasons: string[]): string {
  if (reasons.length <= MAX_REASONS) return reasons.join('; ');
  return `${reasons.slice(0, MAX_REASONS).join('; ')}; and ${reasons.length - MAX_REASONS} more`;
}
