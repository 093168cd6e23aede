// Assignments that bind several names, split by the scanner into one plain assignment per name
// when that is what the program does:
//   - Python's `u, v = Value(1.0), Value(2.0)` (also in brackets) and JavaScript's
//     `const [u, v] = [new Value(1), new Value(2)]`: as many names as values, none starred, and
//     no value reading a name assigned before it in the list (the program evaluates every value
//     first: `a, b = b, a` swaps), so `u = Value(1.0)` then `v = Value(2.0)` is the same;
//   - the chained `h1 = h2 = Value(1.25)` and `a = b = x.mul(2)`: the value once, then each other
//     name the same Value (`h2 = h1`), as the program does.
// Anything else is left whole, and binders.ts says what binds its names.

import { matching } from './brackets';
import type { CommentStyle, Token } from './tokens';

export interface AssignmentPieces {
  /** One statement's tokens per name, in the order the lens resolves them. */
  pieces: Token[][];
  /** The piece an annotation on the whole statement marks. */
  annotated: number;
}

const DECLARATIONS = new Set(['const', 'let', 'var']);
/** Words that are no name to assign. */
const KEYWORDS = new Set([
  'None',
  'True',
  'False',
  'lambda',
  'not',
  'and',
  'or',
  'in',
  'is',
  'await',
  'yield',
  'this',
  'null',
  'undefined',
  'true',
  'false',
  'new',
  'typeof',
  'void',
  'delete',
]);

/**
 * The pieces `tokens` splits into (see the file's comment), or undefined to keep it whole.
 * `annotated`: the statement carries an annotation (an unpacking then stays whole, and is refused
 * as the target of a lens). `callsFileFunction`: whether a name is a function the file defines
 * above, whose body might read a name the statement assigns.
 */
export function splitAssignment(
  tokens: Token[],
  style: CommentStyle,
  annotated: boolean,
  callsFileFunction: (name: string) => boolean,
): AssignmentPieces | undefined {
  const equals = topLevelEquals(tokens);
  if (equals.length === 0) return undefined;
  if (equals.length >= 2) return chained(tokens, equals, style);
  if (annotated) return undefined;
  return unpacking(tokens, equals[0], style, callsFileFunction);
}

/** The `=` outside brackets, or none when the statement is a lambda with defaults and the like. */
function topLevelEquals(tokens: Token[]): number[] {
  const found: number[] = [];
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'name' && depth === 0 && (t.text === 'lambda' || t.text === 'def' || t.text === 'function'))
      return [];
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    else if (depth === 0 && t.text === '=>') return [];
    else if (depth === 0 && t.text === '=') found.push(k);
  }
  return found;
}

function isName(t: Token | undefined): t is Token {
  return t?.kind === 'name' && !KEYWORDS.has(t.text) && !DECLARATIONS.has(t.text);
}

/** `a = b = e` (also `const a = b = e`): `a = e`, then `b = a`. */
function chained(tokens: Token[], equals: number[], style: CommentStyle): AssignmentPieces | undefined {
  const declared = style !== 'hash' && DECLARATIONS.has(tokens[0].text) ? 1 : 0;
  // Every target a plain name: `a = o.x = e` and `a[0] = b = e` stay whole.
  if (equals[0] !== declared + 1 || !isName(tokens[declared])) return undefined;
  for (let i = 1; i < equals.length; i++)
    if (equals[i] !== equals[i - 1] + 2 || !isName(tokens[equals[i] - 1])) return undefined;
  const last = equals[equals.length - 1];
  if (last + 1 >= tokens.length) return undefined;
  const first = tokens[declared];
  const end = tokens[tokens.length - 1].end;
  const pieces: Token[][] = [[...tokens.slice(0, declared + 2), ...tokens.slice(last + 1)]];
  for (let i = 1; i < equals.length; i++) {
    const alias: Token = { kind: 'name', text: first.text, start: end, end };
    pieces.push([tokens[equals[i] - 1], tokens[equals[i]], alias]);
  }
  return { pieces, annotated: 0 };
}

/** `u, v = A, B`, `(u, v) = (A, B)`, `[u, v] = [A, B]`, `const [u, v] = [A, B]`. */
function unpacking(
  tokens: Token[],
  equals: number,
  style: CommentStyle,
  callsFileFunction: (name: string) => boolean,
): AssignmentPieces | undefined {
  const read = readUnpacking(tokens, equals, style, callsFileFunction);
  if (!read || typeof read === 'string') return undefined;
  const { declared, targets, values } = read;
  const equal = tokens[equals];
  const pieces = targets.map(([target], i): Token[] => {
    const [from, to] = values[i];
    const at = tokens[from].start;
    const here = tokens[target].start;
    const declaration = declared ? [i === 0 ? tokens[0] : { ...tokens[0], start: here, end: here }] : [];
    return [
      ...declaration,
      tokens[target],
      i === 0 ? equal : { ...equal, start: at, end: at },
      ...tokens.slice(from, to),
    ];
  });
  return { pieces, annotated: 0 };
}

interface Unpacking {
  declared: number;
  targets: [number, number][];
  values: [number, number][];
}

/**
 * An unpacking the lens can split, or why not (a phrase for the message), or undefined when
 * `tokens` is no unpacking of a list of names (`{ a } = o`, `a = 1`).
 */
function readUnpacking(
  tokens: Token[],
  equals: number,
  style: CommentStyle,
  callsFileFunction: (name: string) => boolean,
): Unpacking | string | undefined {
  const declared = style !== 'hash' && DECLARATIONS.has(tokens[0].text) ? 1 : 0;
  const bracketsOnly = style !== 'hash';
  const targets = items(tokens, declared, equals, bracketsOnly);
  if (typeof targets === 'string') return targets;
  if (!targets || targets.length < 2 || !targets.every(([from, to]) => to === from + 1 && isName(tokens[from])))
    return undefined;
  const values = items(tokens, equals + 1, tokens.length, bracketsOnly);
  if (values === undefined || typeof values === 'string' || values.length === 1)
    return 'its values are not written out one per name';
  if (values.some(([from, to]) => to === from)) return undefined;
  if (targets.length !== values.length) return `${targets.length} names, ${values.length} values`;
  const names = targets.map(([from]) => tokens[from].text);
  if (new Set(names).size !== names.length) return 'a name is assigned twice';
  for (let i = 1; i < values.length; i++) {
    const [from, to] = values[i];
    for (let k = from; k < to; k++) {
      const t = tokens[k];
      if (t.kind !== 'name' || tokens[k - 1]?.text === '.') continue;
      // A value that reads a name assigned before it in the list reads the old one.
      if (names.slice(0, i).includes(t.text))
        return `a value reads \`${t.text}\`, which the statement assigns too: the program reads the old one`;
      if (t.text === 'lambda') return undefined;
      if (tokens[k + 1]?.text === '(' && callsFileFunction(t.text))
        return `a value calls \`${t.text}\`, which may read a name the statement assigns`;
    }
  }
  return { declared, targets, values };
}

/**
 * Why the unpacking in `tokens` is not split into one assignment per name, for the message of a
 * name it binds: `a starred target`, `3 names, 2 values`; undefined when there is nothing to add.
 */
export function unpackingReason(
  tokens: Token[],
  style: CommentStyle,
  callsFileFunction: (name: string) => boolean,
): string | undefined {
  const equals = topLevelEquals(tokens);
  if (equals.length !== 1) return undefined;
  const read = readUnpacking(tokens, equals[0], style, callsFileFunction);
  return typeof read === 'string' ? read : undefined;
}

/**
 * The items of a list in `tokens[from, to)`, split at its commas: bare (`a, b`, Python only) or in
 * one pair of brackets around it all (`(a, b)`, `[a, b]`); `[from, to)` ranges, or undefined.
 */
function items(
  tokens: Token[],
  from: number,
  to: number,
  bracketsOnly: boolean,
): [number, number][] | string | undefined {
  const open = tokens[from]?.text;
  if ((open === '(' || open === '[') && matching(tokens, from) === to - 1) {
    if (bracketsOnly && open !== '[') return undefined;
    from++;
    to--;
  } else if (bracketsOnly) return undefined;
  const out: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let k = from; k < to; k++) {
    const t = tokens[k];
    if (t.kind === 'op' && (t.text === '*' || t.text === '**') && k === start) return 'a starred item';
    if (t.kind === 'op' && (t.text === '...' || t.text === '.') && k === start) return 'a rest element';
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    else if (depth === 0 && t.text === ',') {
      out.push([start, k]);
      start = k + 1;
    } else if (depth === 0 && t.text === ':' && bracketsOnly) return undefined;
  }
  out.push([start, to]);
  return out;
}

/**
 * Whether one of `statements` defines a function called `name`: `def name`, `function name`, or
 * an assignment of a lambda, an arrow or a function expression to it.
 */
export function definesFunction(statements: readonly { tokens: Token[] }[], name: string): boolean {
  return statements.some(({ tokens }) => {
    for (let k = 0; k < tokens.length && k < 4; k++) {
      if (tokens[k].kind !== 'name' || tokens[k].text !== name) continue;
      const before = tokens[k - 1]?.text;
      if (before === 'def' || before === 'function') return true;
      if (tokens[k + 1]?.text === '=' || tokens[k + 1]?.text === ':')
        return tokens.some((t) => t.text === 'lambda' || t.text === '=>' || t.text === 'function');
    }
    return false;
  });
}
