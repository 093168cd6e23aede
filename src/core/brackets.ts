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

/**
 * The tokens between the bracket at `open` and the bracket that closes it, as [index, depth]:
 * depth 0 is the list's own level (`a, b` in `(a, b)`), 1 inside a bracket in it, and so on. The
 * brackets themselves are not among them; any closing bracket at depth 0 ends the list. For a
 * header's parameter list: `def f(self, x=(1, 2))`, `add(other) {`.
 */
export function* insideBrackets(tokens: readonly Token[], open: number): Generator<[number, number]> {
  let depth = 0;
  for (let k = open + 1; k < tokens.length; k++) {
    const text = tokens[k].text;
    if (text === '(' || text === '[' || text === '{') depth++;
    else if (text === ')' || text === ']' || text === '}') {
      if (depth === 0) return;
      depth--;
    } else yield [k, depth];
  }
}
