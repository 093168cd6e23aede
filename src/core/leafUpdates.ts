// `.data` updates of a leaf in straight-line code (issue 10, item 4): `p.data += h`,
// `w.data -= lr * k`, `x.data = 3.0`. The program changes the leaf in place, so every statement
// below that builds from it sees the new number; the lens follows that as a new value of the leaf.
// The right-hand side must be plain numbers: a `.grad` there depends on which `backward()` calls
// ran, which the lens does not model, so it says so instead of guessing.

import type { Expr } from './ast';
import { AnalysisError } from './errors';
import { parseExpression } from './parser';
import type { Span } from './positions';
import { quote } from './quote';
import type { CommentStyle, Statement } from './tokens';

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
  const readsGrad = t.some((token, k) => token.text === 'grad' && t[k - 1]?.text === '.');
  if (readsGrad)
    return new AnalysisError(
      'unknowable',
      `${quote(shown)} reads a \`.grad\`, whose value depends on which \`backward()\` calls ran before it: not statically knowable; Trace Gradients runs the program and reads it`,
      span,
    );
  try {
    const rhs = parseExpression(t, 4, t.length, style === 'slash', leaves, functions);
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
