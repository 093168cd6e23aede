// The explanation as text, shared by the hover and the CLI's report:
//   ∂o/∂w1 = x1 · (1 − o²) = 2.0000 × 0.5000 = 1.0000
//   ∂b/∂a = 1 + 1 = 1.0000 (first a) + 1.0000 (second a) = 2.0000

import { formatSigned } from '../format';
import type { ChainTerm, Explanation } from '../types';
import { atom, partialSymbol } from './printing';

/** Uses listed with their numbers before "+ … (N more)". */
const MAX_LISTED = 6;

/**
 * The symbolic partial: the sum over uses of each use's product (`x1 · (1 − o²)`, `x + x`);
 * undefined where the products were not built (past MAX_FORMULAS variables of one lens).
 */
export function formulaText(explanation: Explanation): string | undefined {
  const { terms, paths } = explanation;
  if (terms.length === 0) return undefined;
  let text = '';
  terms.forEach((term, k) => {
    const product = productText(term);
    if (k === 0) text = term.negated ? `\u2212${product}` : product;
    else text += term.negated ? ` \u2212 ${product}` : ` + ${product}`;
  });
  const more = paths.length - terms.length;
  return more > 0 ? `${text} + … (${more} more uses)` : text;
}

function productText(term: ChainTerm): string {
  const { factors } = term;
  if (factors.length === 0) return '1';
  if (factors.length === 1) return term.negated ? atom(factors[0].text) : factors[0].text;
  let text = atom(factors[0].text);
  for (let k = 1; k < factors.length; k++) {
    const f = factors[k].text;
    // x · 1/y reads x/y.
    text += f.startsWith('1/') ? f.slice(1) : ` · ${atom(f)}`;
  }
  return text;
}

/** The product with numbers (`2.0000 × 0.5000`), or the uses' contributions with their names. */
export function numbersText(explanation: Explanation, precision: number): string | undefined {
  const { terms, paths } = explanation;
  const number = (x: number) => formatSigned(x, precision);
  if (paths.length === 1 && terms.length === 1) {
    const { factors, negated } = terms[0];
    if (factors.length < 2) return undefined; // the result says it
    const values = factors.map((f, k) => (k > 0 && f.value < 0 ? `(${number(f.value)})` : number(f.value)));
    return `${negated ? '\u2212' : ''}${values.join(' × ')}`;
  }
  if (paths.length < 2) return undefined;
  const listed = paths.slice(0, MAX_LISTED).map((p, k) => {
    const value = number(p.contribution);
    if (k === 0) return `${value} (${p.via})`;
    return value.startsWith('\u2212') ? `\u2212 ${value.slice(1)} (${p.via})` : `+ ${value} (${p.via})`;
  });
  const more = paths.length - listed.length;
  if (more > 0) listed.push(`+ … (${more} more uses)`);
  return listed.join(' ');
}

/** `∂o/∂w1 = x1 · (1 − o²) = 2.0000 × 0.5000 = 1.0000`: the whole line, parts that repeat dropped. */
export function explanationLine(
  target: string,
  name: string,
  grad: number,
  explanation: Explanation,
  precision: number,
): string {
  const formula = formulaText(explanation);
  const parts = formula === undefined ? [partialSymbol(target, name)] : [partialSymbol(target, name), formula];
  const numbers = numbersText(explanation, precision);
  if (numbers !== undefined) parts.push(numbers);
  const result = formatSigned(grad, precision);
  if (parts[parts.length - 1] !== result) parts.push(result);
  return parts.join(' = ');
}
