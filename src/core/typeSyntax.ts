// TypeScript's expression syntax that changes no value, erased from a statement's tokens before
// anything reads them: `x as T`, `x satisfies T`, the non-null `x!`, the cast `<T>x` (in .ts
// files only: in .tsx it is JSX), type arguments `f<number>(x)` (in TypeScript files), and the
// optional chaining `a?.mul(b)`, which is `a.mul(b)` on the Values a lens can compute. In plain
// JavaScript `as`, `satisfies` and a postfix `!` are syntax errors, so erasing them there changes
// no program that runs. Only slash-comment files: Python's `as` (`with … as f`, `import … as m`)
// is no expression.

import { matching } from './brackets';
import type { Token } from './tokens';

/** What the file's language allows beyond JavaScript's expressions (see AnalyzeOptions.language). */
export interface TypeDialect {
  /** `<T>x`: TypeScript outside JSX. */
  casts: boolean;
  /** `f<number>(x)`: TypeScript, with or without JSX. */
  typeArguments: boolean;
}

/** The dialect of a VS Code language id: `typescript`, `typescriptreact`, anything else. */
export function typeDialectOf(language: string | undefined): TypeDialect {
  return {
    casts: language === 'typescript',
    typeArguments: language === 'typescript' || language === 'typescriptreact',
  };
}

/** Words after which an expression starts, though they are names: `return !x`, `typeof <T>x`. */
const EXPRESSION_KEYWORDS = new Set([
  'return',
  'typeof',
  'void',
  'delete',
  'await',
  'yield',
  'in',
  'of',
  'instanceof',
  'new',
  'case',
  'throw',
  'else',
  'do',
  'extends',
  'const',
  'let',
  'var',
  'export',
  'default',
]);
/** Words whose `(…)` holds a condition, not an operand: `if (c) !x`. */
const HEADER_KEYWORDS = new Set(['if', 'while', 'for', 'with', 'switch', 'catch']);
/** Type operators before a type: `keyof T`, `typeof x`, `readonly T[]`, `unique symbol`. */
const TYPE_PREFIXES = new Set(['keyof', 'typeof', 'readonly', 'unique', 'infer']);
/** Operators after `x as T` that bind tighter than `as`: `a + b as T * c` is `(a + b) * c`. */
const TIGHTER = new Set(['+', '-', '*', '/', '%', '**']);

/**
 * The statement's tokens with TypeScript's value-preserving syntax erased; `tokens` itself when
 * there is none. Import and export lists (`import { a as b }`) are left as they are.
 */
export function eraseTypeSyntax(tokens: Token[], dialect: TypeDialect): Token[] {
  if (!tokens.some(mayErase)) return tokens;
  const first = tokens[0].text;
  if (first === 'import' || (first === 'export' && (tokens[1]?.text === '{' || tokens[1]?.text === '*'))) return tokens;
  const out: Token[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const next = tokens[k + 1];
    if (t.kind === 'name' && (t.text === 'as' || t.text === 'satisfies') && endsOperand(out)) {
      const end = typeEnd(tokens, k + 1, 0);
      if (end > k + 1) {
        const after = tokens[end];
        // `as` binds looser than arithmetic: what follows applies to the whole left side.
        if (after?.kind === 'op' && TIGHTER.has(after.text)) parenthesise(out, tokens[end - 1].end);
        k = end - 1;
        continue;
      }
    } else if (t.kind === 'op' && t.text === '!' && endsOperand(out) && !closesHeader(out)) {
      continue;
    } else if (t.kind === 'op' && t.text === '?.' && next?.kind === 'name') {
      out.push({ kind: 'op', text: '.', start: t.start, end: t.end });
      continue;
    } else if (t.kind === 'op' && t.text === '<' && (dialect.casts || dialect.typeArguments)) {
      const end = angleEnd(tokens, k, 0);
      const operand = tokens[end];
      if (end > 0 && dialect.casts && !endsOperand(out) && operand && startsOperand(operand)) {
        k = end - 1;
        continue;
      }
      if (end > 0 && dialect.typeArguments && out[out.length - 1]?.kind === 'name' && endsOperand(out)) {
        if (operand?.text === '(') {
          k = end - 1;
          continue;
        }
      }
    }
    out.push(t);
  }
  return out;
}

function mayErase(t: Token): boolean {
  if (t.kind === 'op') return t.text === '!' || t.text === '?.' || t.text === '<';
  return t.kind === 'name' && (t.text === 'as' || t.text === 'satisfies');
}

/** Whether the last token kept ends an operand: a name, a number, a string, `)` or `]`. */
function endsOperand(out: Token[]): boolean {
  const last = out[out.length - 1];
  if (!last) return false;
  if (last.kind === 'num' || last.kind === 'str') return true;
  if (last.kind === 'name') return !EXPRESSION_KEYWORDS.has(last.text);
  return last.text === ')' || last.text === ']';
}

function startsOperand(t: Token): boolean {
  if (t.kind === 'num' || t.kind === 'str') return true;
  if (t.kind === 'name') return true;
  return t.text === '(' || t.text === '[';
}

/** Whether the last token kept is the `)` of `if (…)`, `while (…)`…: a `!` after it is a `not`. */
function closesHeader(out: Token[]): boolean {
  if (out[out.length - 1]?.text !== ')') return false;
  let depth = 0;
  for (let k = out.length - 1; k >= 0; k--) {
    const x = out[k];
    if (x.kind !== 'op') continue;
    if (x.text === ')' || x.text === ']' || x.text === '}') depth++;
    else if ((x.text === '(' || x.text === '[' || x.text === '{') && --depth === 0)
      return k > 0 && out[k - 1].kind === 'name' && HEADER_KEYWORDS.has(out[k - 1].text);
  }
  return false;
}

/**
 * Wraps the left side of an erased `as` in synthetic, zero-width parentheses: back to the start
 * of the statement's expression, an open bracket, or a `,`, `=`, `=>`, `:` or `?` outside brackets.
 */
function parenthesise(out: Token[], end: number): void {
  let depth = 0;
  let k = out.length - 1;
  for (; k >= 0; k--) {
    const x = out[k];
    if (x.kind === 'name' && depth === 0 && EXPRESSION_KEYWORDS.has(x.text)) break;
    if (x.kind !== 'op') continue;
    if (x.text === ')' || x.text === ']' || x.text === '}') depth++;
    else if (x.text === '(' || x.text === '[' || x.text === '{') {
      if (depth-- === 0) break;
    } else if (depth === 0 && (x.text === ',' || x.text === '=>' || x.text === ':' || x.text === '?' || isAssign(x)))
      break;
  }
  const from = k + 1;
  const at = out[from]?.start ?? end;
  out.splice(from, 0, { kind: 'op', text: '(', start: at, end: at });
  out.push({ kind: 'op', text: ')', start: end, end });
}

function isAssign(t: Token): boolean {
  return t.text === '=' || (t.text.length > 1 && t.text.endsWith('=') && !/^[=!<>]=*$/.test(t.text));
}

/**
 * Type arguments nested deeper than this are not read as types: no real type nests so deep, and
 * `x < x < x …` (thousands of comparisons) must cost neither the stack nor quadratic time.
 */
const MAX_TYPE_DEPTH = 32;

/** The index after a type starting at `k` (`Value`, `A | null`, `Array<V>[]`, `(a: T) => R`), or -1. */
function typeEnd(tokens: Token[], k: number, depth: number): number {
  if (depth > MAX_TYPE_DEPTH) return -1;
  if (tokens[k]?.text === '|' || tokens[k]?.text === '&') k++;
  for (;;) {
    k = typeMember(tokens, k, depth);
    if (k < 0) return -1;
    const x = tokens[k]?.text;
    if (x !== '|' && x !== '&') return k;
    k++;
  }
}

function typeMember(tokens: Token[], k: number, depth: number): number {
  while (tokens[k]?.kind === 'name' && TYPE_PREFIXES.has(tokens[k].text) && tokens[k + 1]?.kind === 'name') k++;
  const t = tokens[k];
  if (!t) return -1;
  if (t.kind === 'name') {
    k++;
    while (tokens[k]?.text === '.' && tokens[k + 1]?.kind === 'name') k += 2;
    if (tokens[k]?.text === '<') {
      k = angleEnd(tokens, k, depth + 1);
      if (k < 0) return -1;
    }
  } else if (t.kind === 'num' || t.kind === 'str') k++;
  else if (t.text === '(' || t.text === '[' || t.text === '{') {
    const close = matching(tokens, k);
    if (close < 0) return -1;
    k = close + 1;
    if (t.text === '(' && tokens[k]?.text === '=>') return typeEnd(tokens, k + 1, depth + 1);
  } else return -1;
  while (tokens[k]?.text === '[') {
    const close = matching(tokens, k);
    if (close < 0) return -1;
    k = close + 1;
  }
  return k;
}

/**
 * The index after the `>` that closes type brackets opened at `open` (`<Value>`, `<A<B>, C[]>`),
 * or -1 when what is inside is not a list of types.
 */
function angleEnd(tokens: Token[], open: number, depth: number): number {
  let k = open + 1;
  for (;;) {
    k = typeEnd(tokens, k, depth);
    if (k < 0) return -1;
    const x = tokens[k]?.text;
    if (x === '>') return k + 1;
    if (x !== ',') return -1;
    k++;
  }
}
