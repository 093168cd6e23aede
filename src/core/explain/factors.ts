// One factor of the chain rule: the local derivative of an op with respect to one operand, in the
// statement's names (the op table's `localText`, given the graph's symbols) and as a number (the
// op table's `local`, the same function the engine's backward pass is checked against).

import { OPS, type Value } from '../../../engine';
import type { OpDraft } from '../evaluate';
import type { Use, ExplainGraph } from './graphIndex';
import { atom, constantText, exponentText } from './printing';

export interface LocalFactor {
  /** `x1`, `1 − o²`, `[n > 0]`, `2·x`; '1' and '−1' for the constant ones. */
  text: string;
  /** ∂output/∂operand at the op's numbers. */
  value: number;
}

/** The value of ∂c/∂operand for one use, as the op table computes it. */
export function localValue(use: Use): number {
  const { draft, slot } = use;
  const op = OPS[draft.op];
  const a = draft.inputs[0].data;
  const b = op.exponent ? (draft.exponent ?? Number.NaN) : (draft.inputs[1]?.data ?? 0);
  return op.local[slot](a, b, draft.output.data);
}

export function localFactor(graph: ExplainGraph, use: Use): LocalFactor {
  return graph.factor(use, (each) => ({ text: localText(graph, each.draft, each.slot), value: localValue(each) }));
}

function localText(graph: ExplainGraph, draft: OpDraft, slot: number): string {
  const op = OPS[draft.op];
  const name = (v: Value | undefined) => (v === undefined ? '' : graph.atomSymbol(v));
  const n = draft.exponent ?? Number.NaN;
  // pow's n·a^(n−1) is constant for n = 0 and 1: a person writes 0 and 1.
  if (op.exponent && (n === 0 || n === 1)) return String(n);
  const text = op.localText[slot]({
    a: name(draft.inputs[0]),
    b: name(draft.inputs[1]),
    c: name(draft.output),
    n: atom(constantText(n)),
    nLess1: constantText(n - 1),
  });
  return op.exponent ? tidyPower(text.replace(/-/g, '\u2212'), n - 1) : text.replace(/-/g, '\u2212');
}

/** `2·x^1` is `2·x`, `3·x^2` is `3·x²`, `(−1)·x^−2` is `−x⁻²`, `0.5·x^−0.5` is `0.5·x^(−0.5)`. */
function tidyPower(text: string, less: number): string {
  const caret = text.lastIndexOf('^');
  if (caret < 0) return text;
  const base = text.slice(0, caret);
  const power = less === 1 ? base : base + exponentText(less);
  // A leading (−2)· reads −2·; (−1)· reads −.
  return power
    .replace(/^1·/, '')
    .replace(/^\(\u22121\)·/, '\u2212')
    .replace(/^\((\u2212[^()]*)\)·/, '$1·');
}
