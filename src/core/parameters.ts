// A function's parameters as a call binds them: Python's keyword arguments (`affine(x, w=v)`),
// and default values for the parameters a call leaves out (`def f(t, c=k)`, `(p, t = 1) => …`).
// Python evaluates a default once, where the function is defined (`c=k` is the `k` above the
// `def`, even if `k` is assigned again before the call); JavaScript evaluates it at each call that
// leaves the parameter out, in the function's scope, after the parameters before it. Anything the
// lens cannot bind as the language would (`*args`, `**kwargs`, a keyword twice, a missing
// argument) is refused with what is wrong.

import { postOrder, type Expr, type InvokeNode } from './ast';
import { matching } from './brackets';
import { quote } from './quote';
import type { Token } from './tokens';

/** One parameter, as the defining statement writes it. */
export interface Parameter {
  name: string;
  /** The default's tokens `[from, to)` in the defining statement, if it has one. */
  default?: [number, number];
  /** Python: before a `/` (by position only), or after `*` (by keyword only). */
  positionalOnly?: boolean;
  keywordOnly?: boolean;
}

/** The parameter list of a defining statement, or why a call cannot be bound to it. */
export interface ParameterList {
  params: Parameter[];
  /** `*args`, `**kwargs`, `...rest`: as written, for the refusal. */
  collects?: string;
  /** `def` and `lambda`: defaults are evaluated once, at the definition. */
  python: boolean;
}

/** Where each parameter's value comes from in one call: an argument, or the parameter's default. */
export type Slot = { arg: number } | { default: number };

const MODIFIERS = new Set(['public', 'private', 'protected', 'readonly', 'override']);

/**
 * The parameters of the function statement `tokens` defines, read from its list, or undefined
 * when the list is not found or does not give the names `names` (scopes.ts's reading).
 */
export function parameterList(tokens: Token[], names: readonly string[]): ParameterList | undefined {
  const list = listRange(tokens);
  if (!list) return undefined;
  const [from, to, python] = list;
  const params: Parameter[] = [];
  let collects: string | undefined;
  const collectors = new Set<string>();
  let keywordOnly = false;
  let start = from;
  let depth = 0;
  const item = (a: number, b: number): void => {
    if (a >= b) return;
    let k = a;
    while (k < b && tokens[k].kind === 'name' && MODIFIERS.has(tokens[k].text) && tokens[k + 1]?.kind === 'name') k++;
    const first = tokens[k].text;
    if (tokens[k].kind === 'op' && (first === '*' || first === '**' || first === '.' || first === '...')) {
      if (k + 1 === b && first === '*') keywordOnly = true;
      else {
        collects ??= tokens
          .slice(k, b)
          .map((t) => t.text)
          .join('');
        const named = tokens.slice(k, b).find((t) => t.kind === 'name');
        if (named) collectors.add(named.text);
      }
      return;
    }
    if (tokens[k].kind === 'op' && first === '/') {
      for (const p of params) p.positionalOnly = true;
      return;
    }
    const param: Parameter = { name: first };
    if (keywordOnly) param.keywordOnly = true;
    let d = 0;
    for (let j = k + 1; j < b; j++) {
      const x = tokens[j];
      if (x.kind !== 'op') continue;
      if (x.text === '(' || x.text === '[' || x.text === '{' || x.text === '<') d++;
      else if (x.text === ')' || x.text === ']' || x.text === '}' || x.text === '>') d--;
      else if (d === 0 && x.text === '=') {
        param.default = [j + 1, b];
        break;
      }
    }
    params.push(param);
  };
  for (let k = from; k < to; k++) {
    const t = tokens[k];
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    else if (depth === 0 && t.text === ',') {
      item(start, k);
      start = k + 1;
    }
  }
  item(start, to);
  const named = names.filter((n) => !collectors.has(n));
  if (params.length !== named.length || params.some((p, k) => p.name !== named[k])) return undefined;
  return { params, collects, python };
}

/** `[from, to)` of the parameter list, and whether it is Python's; undefined if none is found. */
function listRange(tokens: Token[]): [number, number, boolean] | undefined {
  let k = 0;
  while (k < tokens.length && tokens[k].kind === 'name' && (tokens[k].text === 'async' || tokens[k].text === 'export'))
    k++;
  if (tokens[k]?.text === 'def') return group(tokens, k + 2, true);
  const lambda = tokens.findIndex((t) => t.kind === 'name' && t.text === 'lambda');
  if (lambda >= 0) {
    let depth = 0;
    for (let j = lambda + 1; j < tokens.length; j++) {
      const x = tokens[j].text;
      if (x === '(' || x === '[' || x === '{') depth++;
      else if (x === ')' || x === ']' || x === '}') depth--;
      else if (depth === 0 && x === ':') return [lambda + 1, j, true];
    }
    return undefined;
  }
  const fn = tokens.findIndex((t) => t.kind === 'name' && t.text === 'function');
  if (fn >= 0) {
    let j = fn + 1;
    if (tokens[j]?.text === '*') j++;
    if (tokens[j]?.kind === 'name') j++;
    if (tokens[j]?.text === '<') {
      let depth = 0;
      for (; j < tokens.length; j++) {
        if (tokens[j].text === '<') depth++;
        else if (tokens[j].text === '>' && --depth === 0) break;
      }
      j++;
    }
    return group(tokens, j, false);
  }
  // An arrow: the group in parentheses right before its `=>` (or before its return type's `:`).
  const arrow = tokens.findIndex((t) => t.kind === 'op' && t.text === '=>');
  if (arrow < 0) return undefined;
  if (tokens[arrow - 1]?.kind === 'name') return [arrow - 1, arrow, false];
  let depth = 0;
  for (let j = arrow - 1; j >= 0; j--) {
    const x = tokens[j];
    if (x.kind !== 'op') continue;
    if (x.text === ')' || x.text === ']' || x.text === '}') depth++;
    else if ((x.text === '(' || x.text === '[' || x.text === '{') && --depth === 0) {
      if (x.text !== '(') return undefined;
      const after = tokens[matching(tokens, j) + 1]?.text;
      if (after === '=>' || after === ':') return group(tokens, j, false);
    }
  }
  return undefined;
}

function group(tokens: Token[], open: number, python: boolean): [number, number, boolean] | undefined {
  if (tokens[open]?.text !== '(') return undefined;
  const close = matching(tokens, open);
  return close < 0 ? undefined : [open + 1, close, python];
}

/**
 * Where each parameter of `name` gets its value in the call `node`, as the language binds it, or
 * the refusal. `line` labels the call (`line 12`). A parameter the call gives no argument for
 * takes its default (`{ default: k }`); without one, the call is refused.
 */
export function bindArguments(
  name: string,
  list: ParameterList,
  node: InvokeNode,
  line: string,
): { slots: Slot[] } | { refused: string } {
  const called = quote(name);
  const { params } = list;
  if (list.collects !== undefined)
    return { refused: `${called} collects arguments in ${quote(list.collects)}, which the lens does not follow` };
  const slots: (Slot | undefined)[] = params.map(() => undefined);
  const keywords = node.keywords ?? [];
  let position = 0;
  for (let a = 0; a < node.args.length; a++) {
    const keyword = keywords[a];
    if (keyword === undefined) {
      while (position < params.length && params[position].keywordOnly) position = params.length;
      if (position >= params.length) return { refused: tooMany(called, list, node.args.length, line) };
      slots[position++] = { arg: a };
      continue;
    }
    const k = params.findIndex((p) => p.name === keyword);
    if (k < 0) return { refused: `${called} has no parameter ${quote(keyword)} (the call on ${line})` };
    if (params[k].positionalOnly)
      return { refused: `${called} takes ${quote(keyword)} by position only (the call on ${line})` };
    if (slots[k]) return { refused: `the call on ${line} gives ${quote(keyword)} of ${called} twice` };
    slots[k] = { arg: a };
  }
  const missing = params.filter((p, k) => !slots[k] && !p.default).map((p) => p.name);
  if (missing.length > 0) {
    if (!params.some((p) => p.default) && keywords.length === 0)
      return { refused: tooMany(called, list, node.args.length, line) };
    const which = missing.map((m) => quote(m)).join(', ');
    return {
      refused: `the call on ${line} gives no argument for ${which} of ${called}, which ${missing.length === 1 ? 'has' : 'have'} no default`,
    };
  }
  return { slots: slots.map((slot, k) => slot ?? { default: k }) };
}

/**
 * The refusal for a call with too many positional arguments, or too few where no parameter has a
 * default and no argument is named: the count is then what is wrong, said as arityRefusal
 * (calls.ts) says it: "`f` takes 2 arguments (x, y), and the call on line 4 gives 1".
 */
function tooMany(called: string, list: ParameterList, given: number, line: string): string {
  const positional = list.params.filter((p) => !p.keywordOnly);
  const n = positional.length;
  const required = positional.filter((p) => !p.default).length;
  const what = positional.length < list.params.length ? 'positional argument' : 'argument';
  const takes = required === n ? `${n} ${what}${n === 1 ? '' : 's'}` : `${required} to ${n} ${what}s`;
  const names = positional.map((p) => (p.default ? `${p.name}=…` : p.name)).join(', ');
  return `${called} takes ${takes} (${names}), and the call on ${line} gives ${given}`;
}

/** The names a default reads that are not earlier parameters (JavaScript's defaults see those). */
export function defaultReads(expr: Expr, earlier: readonly string[]): { name: string; node: Expr }[] {
  const out: { name: string; node: Expr }[] = [];
  for (const n of postOrder(expr))
    if (n.kind === 'name' && !earlier.includes(n.name)) out.push({ name: n.name, node: n });
  return out;
}
