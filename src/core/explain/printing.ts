// How the explanation writes things: numbers in formulas, operands as atoms, the derivative
// symbol. Text only; which names a node gets is graphIndex.ts's business.

import { clip } from '../quote';

/** The most characters of an unnamed sub-expression that a formula shows (then `…`). */
export const SYMBOL_LIMIT = 40;

/** A constant as a formula writes it: shortest exact text, a real minus sign. */
export function constantText(x: number): string {
  const text = String(x);
  return text.includes('-') ? text.replace(/-/g, '\u2212') : text;
}

/**
 * Whether `text` can be multiplied, squared or negated without parentheses: a number, a partial,
 * or text with no operator and no space outside its parentheses and brackets (`x1`, `x²`,
 * `tanh(n)`, `(a + b)`, `(x * w).tanh()`, `[n > 0]`).
 */
export function isAtom(text: string): boolean {
  if (text === '') return false;
  if (/^[0-9.]+(e[+\u2212]?[0-9]+)?$/.test(text)) return true;
  if (text.startsWith('∂')) return !text.includes(' ');
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth === 0 && ' +-\u2212*/·^<>=,'.includes(ch)) return false;
  }
  return depth === 0;
}

/** `text` without one pair of parentheses around all of it: `relu((a + b))` reads `relu(a + b)`. */
export function bare(text: string): string {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0 && i < text.length - 1) return text; // `(x * w).tanh()`
  }
  return text.slice(1, -1);
}

/** `text`, parenthesised unless it is an atom. */
export function atom(text: string): string {
  return isAtom(text) ? text : `(${text})`;
}

/** A user's expression text on one line, clipped for a formula. */
export function oneLine(text: string): string {
  return clip(text.replace(/\s+/g, ' ').trim(), SYMBOL_LIMIT);
}

/** `∂o/∂x`, with a target or name that is not a plain name parenthesised: `∂(a*b)/∂a`. */
export function partialSymbol(target: string, name: string): string {
  return `∂${plainOrWrapped(target)}/∂${plainOrWrapped(name)}`;
}

function plainOrWrapped(name: string): string {
  return /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name) ? name : `(${name})`;
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '\u2212': '⁻',
};

/** An integer exponent as superscript (`²`, `⁻¹`); anything else as `^(0.5)`. */
export function exponentText(n: number): string {
  const text = constantText(n);
  if (Number.isInteger(n) && Math.abs(n) < 1000) return [...text].map((ch) => SUPERSCRIPT[ch]).join('');
  return `^${atom(text)}`;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/** `first`, `second`, … `tenth`, then `11th`, `12th`, `21st`, … */
export function ordinal(k: number): string {
  if (k <= ORDINALS.length) return ORDINALS[k - 1];
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
  return `${k}${suffix}`;
}
