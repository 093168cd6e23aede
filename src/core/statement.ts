// Statement forms: what is assigned (or returned), and where the expression is. The header is
// read for every statement of the document (cheap: a few tokens), the expression is parsed only
// when a lens needs it.

import type { BinaryName, Expr } from './ast';
import { BUDGETS, count } from './budgets';
import { AnalysisError, parseError } from './errors';
import { parseExpression } from './parser';
import type { Span } from './positions';
import type { CommentStyle, Statement, Token } from './tokens';

export interface StatementHeader {
  form: 'assign' | 'augmented' | 'return' | 'expression';
  /** The assigned name; `return`; or '' for a bare expression. */
  target: string;
  targetSpan: Span;
  /** Index of the expression's first token in `statement.tokens`. */
  exprIndex: number;
  /** For `+=` and the like: the operation and the operator's token. */
  augmented?: { op: BinaryName; token: Token };
}

export interface ParsedStatement extends StatementHeader {
  exprSpan: Span;
  expr?: Expr;
  error?: AnalysisError;
}

const AUGMENTED: Record<string, BinaryName> = { '+=': 'add', '-=': 'sub', '*=': 'mul', '/=': 'div', '**=': 'pow' };
const DECLARATIONS = new Set(['const', 'let', 'var']);

/** Reads the statement's form from its first tokens. */
export function readHeader(statement: Pick<Statement, 'tokens'>): StatementHeader {
  const tokens = statement.tokens;
  let i = 0;
  if (tokens[i]?.text === 'export' && DECLARATIONS.has(tokens[i + 1]?.text)) i++;
  const declared = tokens[i].kind === 'name' && DECLARATIONS.has(tokens[i].text) && tokens[i + 1]?.kind === 'name';
  if (declared) i++;
  const first = tokens[i];
  if (first.kind === 'name' && first.text === 'return' && !declared) {
    return { form: 'return', target: 'return', targetSpan: spanOf(first), exprIndex: i + 1 };
  }
  const next = tokens[i + 1];
  if (first.kind === 'name' && next?.kind === 'op') {
    const targetSpan = spanOf(first);
    if (next.text === '=' || next.text === ':=')
      return { form: 'assign', target: first.text, targetSpan, exprIndex: i + 2 };
    const op = AUGMENTED[next.text];
    if (op && !declared)
      return { form: 'augmented', target: first.text, targetSpan, exprIndex: i + 2, augmented: { op, token: next } };
    if (next.text === ':') {
      // `x: float = 2.0` and `const x: number = 2`: skip the type up to the `=` outside brackets.
      const equals = typedAssignment(tokens, i + 2);
      if (equals > 0) return { form: 'assign', target: first.text, targetSpan, exprIndex: equals + 1 };
    }
  }
  const start = tokens[0];
  return { form: 'expression', target: '', targetSpan: spanOf(start), exprIndex: 0 };
}

/** Whether a trailing annotation should prefer this statement: it assigns a name or returns. */
export function isAnnotatable(tokens: Token[]): boolean {
  return readHeader({ tokens }).form !== 'expression';
}

function typedAssignment(tokens: Token[], from: number): number {
  let depth = 0;
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k].text;
    if (t === '(' || t === '[' || t === '<' || t === '{') depth++;
    else if (t === ')' || t === ']' || t === '>' || t === '}') depth--;
    else if (t === '=' && depth === 0) return k;
    else if (tokens[k].kind === 'op' && t !== '.' && t !== ',' && t !== '|' && t !== '?' && t !== '&' && t !== '=>')
      return -1;
  }
  return -1;
}

/** Parses the statement's expression in `style`'s language; errors are returned, not thrown. */
export function parseStatement(
  statement: Statement,
  header: StatementHeader,
  text: string,
  style: CommentStyle,
  leaves?: ReadonlySet<string>,
  functions?: ReadonlyMap<string, string>,
): ParsedStatement {
  const tokens = statement.tokens;
  header = functionBody(tokens, header);
  const exprStart = tokens[header.exprIndex]?.start ?? statement.end;
  // Spelled out: an object spread here costs more than the whole expression parse.
  const parsed: ParsedStatement = {
    form: header.form,
    target: header.target,
    targetSpan: header.targetSpan,
    exprIndex: header.exprIndex,
    augmented: header.augmented,
    exprSpan: { start: exprStart, end: statement.end },
  };
  if (header.form === 'expression') parsed.target = text.slice(statement.start, statement.end).replace(/\s+/g, ' ');
  if (statement.oversized !== undefined) {
    const message = `too large to analyse: this statement has ${count(statement.oversized)} tokens (limit ${count(BUDGETS.statementTokens)}); split it into smaller assignments`;
    parsed.error = new AnalysisError('too-large', message, { start: statement.start, end: statement.end });
    return parsed;
  }
  try {
    if (header.exprIndex >= tokens.length) {
      const at = tokens[tokens.length - 1];
      throw parseError(
        header.form === 'return' ? '`return` needs an expression to differentiate' : 'expected an expression',
        { start: at.end, end: at.end },
      );
    }
    if (header.form === 'expression') rejectOtherAssignments(tokens);
    let expr = parseExpression(tokens, header.exprIndex, tokens.length, style === 'slash', leaves, functions);
    if (header.augmented) {
      // `c += e` means `c = c + (e)`: the `c` on the right reads the previous assignment.
      const { op, token } = header.augmented;
      const previous: Expr = {
        kind: 'name',
        name: header.target,
        start: header.targetSpan.start,
        end: header.targetSpan.end,
      };
      expr = {
        kind: 'binary',
        op,
        left: previous,
        right: expr,
        opSpan: spanOf(token),
        start: header.targetSpan.start,
        end: expr.end,
      };
    }
    parsed.expr = expr;
  } catch (err) {
    parsed.error =
      err instanceof AnalysisError
        ? err
        : parseError(`cannot parse this statement: ${String(err)}`, { start: statement.start, end: statement.end });
  }
  return parsed;
}

/**
 * `f = lambda x: x * x` and `const f = (x: number) => x * x`: the lens differentiates the body,
 * with the parameters given values by bindings.
 */
function functionBody(tokens: Token[], header: StatementHeader): StatementHeader {
  const body = functionBodyStart(tokens, header);
  return body < 0 ? header : { ...header, exprIndex: body };
}

/** Where the body of a one-expression function starts (after its `=>` or the lambda's `:`), or -1. */
export function functionBodyStart(tokens: Token[], header: StatementHeader): number {
  const first = tokens[header.exprIndex];
  if (!first) return -1;
  let depth = 0;
  for (let k = header.exprIndex; k < tokens.length; k++) {
    const t = tokens[k].text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    else if (depth === 0 && ((t === '=>' && tokens[k].kind === 'op') || (t === ':' && first.text === 'lambda')))
      return k + 1;
  }
  return -1;
}

/** `x.label = 'x'`, `a[0] = 1`, `a, b = 1, 2`: assignments the language cannot annotate. */
function rejectOtherAssignments(tokens: Token[]): void {
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    else if (depth === 0 && t.kind === 'op' && (t.text === '=' || AUGMENTED[t.text])) {
      const first = tokens[0];
      throw parseError(
        `only an assignment to a plain name can be annotated (\`name = expression\`); this one assigns to something else`,
        { start: first.start, end: t.end },
      );
    }
  }
}

function spanOf(t: Token): Span {
  return { start: t.start, end: t.end };
}
