// Bracket matching over a statement's tokens, shared by the readers of statement syntax.

import type { Token } from './tokens';

/**
 * The index of the bracket that closes the one at `open`, or -1 when nothing closes it. Round,
 * square and curly brackets nest together; only 'op' tokens count, so a bracket inside a string
 * is text.
 */
export function matching(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const x = tokens[k];
    if (x.kind !== 'op') continue;
    if (x.text === '(' || x.text === '[' || x.text === '{') depth++;
    else if ((x.text === ')' || x.text === ']' || x.text === '}') && --depth === 0) return k;
  }
  return -1;
}
