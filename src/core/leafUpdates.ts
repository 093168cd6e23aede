// `.data` updates of a leaf in straight-line code (issue 10, item 4): `p.data += h`,
// `w.data -= lr * k`, `x.data = 3.0`. The program changes the leaf in place, so every statement
// below that builds from it sees the new number; the lens follows that as a new value of the leaf.
// The right-hand side must be plain numbers, or a leaf's `.grad`: the sum of the `backward()` calls
// before it in straight-line code (backwardCalls.ts), or else not statically knowable.

import type { Expr } from './ast';
import { AnalysisError } from './errors';
import { parseExpression } from './parser';
import type { Span } from './positions';
import { quote } from './quote';
import type { CommentStyle, Statement, Token } from './tokens';

export interface LeafUpdate {
  name: string;
  op: '=' | '+=' | '-=' | '*=' | '/=';
  rhs: Expr;
  /** `p.data += h`, for the hover and messages. */
  span: Span;
  text: string;
}

const OPS = new Set(['=', '+=', '-=', '*=', '/=']);

/** Whether `statement` is `name.data op= expression`. */
export function isLeafUpdate(statement: Statement): boolean {
  const t = statement.tokens;
  return t.length > 4 && t[0].kind === 'name' && t[1].text === '.' && t[2].text === 'data' && OPS.has(t[3].text);
}

/** The update statement `statement` makes, or an error saying why the lens cannot follow it. */
export function readLeafUpdate(
  statement: Statement,
  text: string,
  style: CommentStyle,
  leaves: ReadonlySet<string>,
  functions: ReadonlyMap<string, string>,
): LeafUpdate | AnalysisError {
  const t = statement.tokens;
  const span = { start: statement.start, end: statement.end };
  const shown = `${t[0].text}.data ${t[3].text} …`;
  // `a.grad` on the right is read as one name, `a.grad`: the evaluation sums the backward() calls.
  const rhsTokens: Token[] = [];
  for (let k = 4; k < t.length; k++) {
    const token = t[k];
    if (token.kind === 'name' && t[k + 1]?.text === '.' && t[k + 2]?.text === 'grad' && t[k - 1]?.text !== '.') {
      rhsTokens.push({ kind: 'name', text: `${token.text}.grad`, start: token.start, end: t[k + 2].end });
      k += 2;
    } else rhsTokens.push(token);
  }
  try {
    const rhs = parseExpression(rhsTokens, 0, rhsTokens.length, style === 'slash', leaves, functions);
    return { name: t[0].text, op: t[3].text as LeafUpdate['op'], rhs, span, text: text.slice(span.start, span.end) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return new AnalysisError('parse', `${message} (in ${quote(shown)}, which changes the leaf)`, span);
  }
}

/** The leaf's number after the update. */
export function applyLeafUpdate(update: LeafUpdate, old: number, rhs: number): number {
  switch (update.op) {
    case '=':
      return rhs;
    case '+=':
      return old + rhs;
    case '-=':
      return old - rhs;
    case '*=':
      return old * rhs;
    case '/=':
      return old / rhs;
  }
}
