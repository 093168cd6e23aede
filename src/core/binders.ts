// Names a statement binds other than by `name = expression`: a loop variable, an import, a `with`
// or `except` target, a function's or a class's name, unpacking, a chained assignment, `:=` inside
// an expression, `++`, `%=`… The lens cannot compute these values, but a later use must not read
// an older plain assignment instead: scopes.ts records each one as an opaque assignment, and a
// lens that needs it says what binds the name and where. Read from the tokens alone, one pass a
// statement.
//
// Python 3 comprehension variables (`[x for x in xs]`) stay in the comprehension, so they bind
// nothing here; a `:=` inside one binds in the enclosing function, as Python does.
//
// Also here: the writes to a Value's `.data` (dataWritesOf), which change a Value in place.
// Through one plain name (`p.data += h`) the name is bound opaquely, like the others; scopes.ts
// works out which other Values such a write may change.

import { matching } from './brackets';
import type { StatementHeader } from './statement';
import type { Token } from './tokens';

export type BinderKind =
  | 'for'
  | 'with'
  | 'except'
  | 'catch'
  | 'import'
  | 'function'
  | 'class'
  | 'unpack'
  | 'chained'
  | 'list'
  | 'walrus'
  | 'update'
  | 'statement'
  | 'expression'
  | 'del'
  | 'loop'
  | 'data';

export interface Binder {
  /** The bound name; `*` for Python's `from m import *`. */
  name: string;
  kind: BinderKind;
  /** The module of an import; the operator of an update (`%=`, `++`). */
  detail?: string;
  /**
   * Where the variable lives: where an assignment to the name would put it ('assign'), in the
   * statement's own block ('here'), in its function (`var`), or in the block the statement opens
   * ('opened': `for (let i …) {`, `catch (e) {`).
   */
  home: 'assign' | 'here' | 'function' | 'opened';
  /** A JavaScript declaration: the name is declared in its home (block scoping, the dead zone). */
  how?: 'let' | 'const' | 'var';
}

export interface BinderOptions {
  python: boolean;
  javascript: boolean;
  /** The statement is the header of a function (`m(a = 1) {`): its parameter list writes nothing. */
  opensFunction: boolean;
}

const DECLARATIONS = new Set(['const', 'let', 'var']);
/** Operators that assign and that the statement forms do not read (`x %= 3`, `x ??= y`). */
const UPDATES = new Set(['//=', '%=', '@=', '&=', '|=', '^=', '<<=', '>>=', '>>>=', '&&=', '||=', '??=']);
/** Operators the statement forms read (`x = e`, `x += e`); inside another statement they still write. */
const ASSIGNS = new Set(['=', '+=', '-=', '*=', '/=', '**=']);
/** The tokens an operator of UPDATES is cut into by the scanner, first token first. */
const UPDATE_PARTS = new Set(['//', '%', '@', '&', '|', '^', '<', '>', '&&', '||', '??', '=', '<=', '>=']);
/** Words before a `(` that is no call: `if (`, `while (`. */
const NOT_CALLEE = new Set(['if', 'while', 'for', 'switch', 'catch', 'return', 'typeof', 'in', 'of', 'await', 'yield']);
/** Words before a JavaScript function or class declaration. */
const DECLARATION_PREFIXES = new Set(['export', 'default', 'declare', 'abstract', 'async']);

const NONE: Binder[] = [];

/**
 * Every name `tokens` binds other than its header's own assignment, each once; empty (and shared)
 * for most statements. This runs for every statement of the document: it allocates nothing then.
 */
export function bindersOf(tokens: Token[], header: StatementHeader, options: BinderOptions): Binder[] {
  const out = new Binders();
  if (options.python) pythonBinders(tokens, header, out);
  if (options.javascript) javascriptBinders(tokens, header, options, out);
  return out.list ?? NONE;
}

class Binders {
  list: Binder[] | undefined;

  add(name: string, kind: BinderKind, home: Binder['home'], detail?: string, how?: Binder['how']): void {
    if (this.list?.some((b) => b.name === name)) return;
    const binder: Binder = { name, kind, home };
    if (detail !== undefined) binder.detail = detail;
    if (how) binder.how = how;
    (this.list ??= []).push(binder);
  }
}

/** Scratch space of `writes` and of the JavaScript declarations, reused from statement to statement. */
const DECLARED = new Set<number>();
const GROUPS: { open: number; call: boolean; skip: boolean; mark: number }[] = [];
const FOUND: { name: string; kind: BinderKind; detail?: string }[] = [];

// ---------------------------------------------------------------------------------------------
// Python

function pythonBinders(tokens: Token[], header: StatementHeader, out: Binders): void {
  const a = tokens[0].text === 'async' && tokens.length > 1 ? 1 : 0;
  const first = tokens[a];
  walruses(tokens, header, out);
  switch (first.kind === 'name' ? first.text : '') {
    case 'for': {
      const inAt = atDepthZero(tokens, a + 1, 'in');
      if (inAt > 0) pythonTargets(tokens, a + 1, inAt, 'for', out);
      return;
    }
    case 'with':
    case 'except':
      asTargets(tokens, a + 1, first.text, out);
      return;
    case 'import':
      if (a === 0 && atDepthZero(tokens, 1, 'from') < 0 && atDepthZero(tokens, 1, '=') < 0) pythonImport(tokens, out);
      return;
    case 'from':
      if (a === 0) pythonFrom(tokens, out);
      return;
    case 'def':
    case 'class':
      if (tokens[a + 1]?.kind === 'name')
        out.add(tokens[a + 1].text, first.text === 'def' ? 'function' : 'class', 'assign');
      return;
    case 'del':
      pythonTargets(tokens, 1, tokens.length, 'del', out);
      return;
    case 'global':
    case 'nonlocal':
      return;
  }
  const update = updateAtStart(tokens);
  if (update) {
    out.add(tokens[0].text, 'update', 'assign', update);
    return;
  }
  // `p.data += h`: the leaf's value changes, as no assignment to `p` says.
  const op = tokens[3] && assignmentEndingAt(tokens, lastOperatorPart(tokens, 3));
  if (tokens[0].kind === 'name' && tokens[1]?.text === '.' && tokens[2]?.text === 'data' && op?.start === 3) {
    out.add(tokens[0].text, 'data', 'assign');
    return;
  }
  // `a, b = 1, 2` and `a = b = 1.0`: every part before a `=` outside brackets is a target, up to
  // a lambda (whose `=` are its defaults).
  let depth = 0;
  let segment = 0;
  let from = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'op') {
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
      else if (depth === 0 && t.text === '=') {
        if (segment > 0 || header.form !== 'assign') {
          const kind = tupleTarget(tokens, from, k) || segment === 0 ? 'unpack' : 'chained';
          pythonTargets(tokens, from, k, kind, out);
        }
        segment++;
        from = k + 1;
      }
    } else if (depth === 0 && t.kind === 'name' && t.text === 'lambda') return;
  }
}

/** `y = (x := 3) * 2`, `if (n := len(a)) > 1:`: every `:=` but a statement's own `x := e`. */
function walruses(tokens: Token[], header: StatementHeader, out: Binders): void {
  for (let k = 1; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== 'op' || t.text !== ':=' || tokens[k - 1].kind !== 'name') continue;
    if (k === header.exprIndex - 1 && header.form === 'assign') continue;
    out.add(tokens[k - 1].text, 'walrus', 'assign');
  }
}

/** Whether the target `tokens[from, to)` unpacks: `a, b`, `(a, b)`, `[a, *b]`, `*a`. */
function tupleTarget(tokens: Token[], from: number, to: number): boolean {
  const first = tokens[from]?.text;
  if (first === '(' || first === '[' || first === '*') return true;
  return atDepthZero(tokens, from, ',', to) >= 0;
}

/**
 * The names a target list binds: `i, (x, *rest)`; not an attribute or a subscript (`o.x`,
 * `a[i]`), nor a name inside a call or a subscript.
 */
function pythonTargets(tokens: Token[], from: number, to: number, kind: BinderKind, out: Binders): void {
  let blocked = 0;
  const groups: boolean[] = [];
  for (let k = from; k < to; k++) {
    const t = tokens[k];
    if (t.kind === 'op') {
      if (t.text === '(' || t.text === '[' || t.text === '{') {
        const grouping = t.text !== '{' && !(k > from && isOperand(tokens[k - 1]));
        groups.push(grouping);
        if (!grouping) blocked++;
      } else if (t.text === ')' || t.text === ']' || t.text === '}') {
        if (groups.pop() === false) blocked--;
      }
      continue;
    }
    if (t.kind !== 'name' || blocked > 0) continue;
    if (k > from && tokens[k - 1].text === '.') continue;
    const next = k + 1 < to ? tokens[k + 1].text : '';
    if (next === '.' || next === '(' || next === '[') continue;
    out.add(t.text, kind, 'assign');
  }
}

/** `with open(p) as f, lock:`, `with (a as x, b as (y, z)):`, `except E as e:`. */
function asTargets(tokens: Token[], from: number, keyword: string, out: Binders): void {
  const kind: BinderKind = keyword === 'with' ? 'with' : 'except';
  for (let k = from; k < tokens.length - 1; k++) {
    if (tokens[k].kind !== 'name' || tokens[k].text !== 'as') continue;
    const next = tokens[k + 1];
    if (next.kind === 'op' && (next.text === '(' || next.text === '[')) {
      const close = matching(tokens, k + 1);
      pythonTargets(tokens, k + 1, close < 0 ? tokens.length : close + 1, kind, out);
    } else pythonTargets(tokens, k + 1, k + 2, kind, out);
  }
}

/** `import a.b.c` binds `a`; `import m as x` binds `x`, from `m`. */
function pythonImport(tokens: Token[], out: Binders): void {
  let start = 1;
  for (let k = 1; k <= tokens.length; k++) {
    if (k < tokens.length && tokens[k].text !== ',') continue;
    const as = atDepthZero(tokens, start, 'as', k);
    if (as > 0 && tokens[as + 1]?.kind === 'name')
      out.add(tokens[as + 1].text, 'import', 'assign', joined(tokens, start, as));
    else if (tokens[start]?.kind === 'name') out.add(tokens[start].text, 'import', 'assign');
    start = k + 1;
  }
}

/** `from .pkg.m import (a, b as x)`; `from m import *` binds any name (`*`). */
function pythonFrom(tokens: Token[], out: Binders): void {
  const at = atDepthZero(tokens, 1, 'import');
  if (at < 0) return;
  const module = joined(tokens, 1, at);
  for (let k = at + 1; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.text === '*' && t.kind === 'op') out.add('*', 'import', 'assign', module);
    if (t.kind !== 'name') continue;
    if (tokens[k + 1]?.text === 'as') continue;
    out.add(t.text, 'import', 'assign', module);
  }
}

// ---------------------------------------------------------------------------------------------
// JavaScript and TypeScript

function javascriptBinders(tokens: Token[], header: StatementHeader, options: BinderOptions, out: Binders): void {
  // A label (`outer: for (…)`) stands before a loop.
  let k = tokens[0].kind === 'name' && tokens[1]?.text === ':' && tokens.length > 2 ? 2 : 0;
  const label = k;
  while (k < tokens.length - 1 && DECLARATION_PREFIXES.has(tokens[k].text) && tokens[k].kind === 'name') k++;
  const first = tokens[k];
  const declared = DECLARED;
  if (declared.size > 0) declared.clear();
  if (first.kind !== 'name') {
    writes(tokens, header, options, declared, undefined, out);
    return;
  }
  let loop: Loop | undefined;
  switch (first.text) {
    case 'import':
      if (k === 0) javascriptImport(tokens, out);
      return;
    case 'function': {
      let j = k + 1;
      if (tokens[j]?.text === '*') j++;
      if (tokens[j]?.kind === 'name') out.add(tokens[j].text, 'function', 'here');
      break;
    }
    case 'class':
      if (tokens[k + 1]?.kind === 'name' && tokens[k + 1].text !== 'extends' && tokens[k + 1].text !== 'implements')
        out.add(tokens[k + 1].text, 'class', 'here');
      break;
    case 'const':
    case 'let':
    case 'var':
      if (tokens[k + 1]?.kind === 'name' || isPatternOpen(tokens[k + 1]))
        declarators(tokens, k + 1, tokens.length, first.text, 'here', true, declared, out);
      break;
    case 'catch':
      if (tokens[k + 1]?.text === '(') {
        const close = matching(tokens, k + 1);
        if (close > 0) bindingTarget(tokens, k + 2, close, 'catch', 'opened', 'let', declared, out);
      }
      break;
    case 'for':
    case 'while':
      if (k === label) loop = loopHeader(tokens, k, declared, out);
      break;
  }
  writes(tokens, header, options, declared, loop, out);
}

interface Loop {
  open: number;
  close: number;
  /** What a write inside the parentheses is: the `for` loop's, or the `while` condition's. */
  inside: BinderKind;
}

/** `for (const x of xs)`, `for (let i = 0, j; …)`, `for (x in o)`, `for await (…)`, `while (…)`. */
function loopHeader(tokens: Token[], k: number, declared: Set<number>, out: Binders): Loop | undefined {
  let open = k + 1;
  if (tokens[open]?.text === 'await') open++;
  if (tokens[open]?.text !== '(') return undefined;
  const close = matching(tokens, open);
  if (close < 0) return undefined;
  if (tokens[k].text === 'while') return { open, close, inside: 'expression' };
  const p = open + 1;
  // The first clause ends at its `;`, or the target at its `of`/`in`.
  let end = p;
  for (let depth = 0; end < close; end++) {
    const t = tokens[end];
    if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
    else if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) depth--;
    else if (depth === 0 && (t.text === ';' || (t.kind === 'name' && (t.text === 'of' || t.text === 'in')))) break;
  }
  const keyword = tokens[p]?.text;
  if (tokens[p]?.kind === 'name' && DECLARATIONS.has(keyword) && p + 1 < end) {
    const home = keyword === 'var' ? 'function' : 'opened';
    declarators(tokens, p + 1, end, keyword, home, false, declared, out, 'for');
  } else if (end < close && tokens[end].text !== ';') {
    bindingTarget(tokens, p, end, 'for', 'assign', undefined, declared, out);
  }
  return { open, close, inside: 'for' };
}

/**
 * `a = 1, b = 2` and `{ a, b: c } = o, [d] = e` after `let`: the names each declarator binds.
 * The first plain name is the statement's own (`readHeader` and the declarations read it).
 */
function declarators(
  tokens: Token[],
  from: number,
  to: number,
  keyword: string,
  home: Binder['home'],
  firstIsHeader: boolean,
  declared: Set<number>,
  out: Binders,
  kind?: BinderKind,
): void {
  const how = keyword as Binder['how'];
  let k = from;
  let index = 0;
  while (k < to) {
    let end: number;
    const t = tokens[k];
    if (isPatternOpen(t)) {
      end = matching(tokens, k);
      if (end < 0 || end >= to) return;
      bindingTarget(tokens, k, end + 1, kind ?? 'unpack', home, how, declared, out);
    } else if (t.kind === 'name') {
      end = k;
      declared.add(k);
      if (!(firstIsHeader && index === 0)) out.add(t.text, kind ?? 'list', home, undefined, how);
    } else return;
    // Past the type annotation and the initializer, to the next declarator.
    let depth = 0;
    let angle = 0;
    let k2 = end + 1;
    for (; k2 < to; k2++) {
      const x = tokens[k2];
      if (x.kind !== 'op') continue;
      if (x.text === '(' || x.text === '[' || x.text === '{') depth++;
      else if (x.text === ')' || x.text === ']' || x.text === '}') depth--;
      else if (x.text === '<') angle++;
      else if (x.text === '>' && angle > 0) angle--;
      else if (x.text === '=') angle = 0;
      else if (depth === 0 && angle === 0 && x.text === ',') break;
    }
    k = k2 + 1;
    index++;
  }
}

/** A name or a destructuring pattern in `tokens[from, to)`: `x`, `{ a, b: c = 1, ...d }`, `[e, , f]`. */
function bindingTarget(
  tokens: Token[],
  from: number,
  to: number,
  kind: BinderKind,
  home: Binder['home'],
  how: Binder['how'],
  declared: Set<number>,
  out: Binders,
): void {
  if (from >= to) return;
  if (tokens[from].kind === 'name') {
    declared.add(from);
    out.add(tokens[from].text, kind, home, undefined, how);
    return;
  }
  if (!isPatternOpen(tokens[from])) return;
  const close = matching(tokens, from);
  if (close < 0 || close >= to) return;
  declared.add(close);
  for (const name of patternNames(tokens, from, close)) out.add(name, kind, home, undefined, how);
}

/** The names a destructuring pattern `tokens[open..close]` binds (not its keys, nor its defaults). */
function patternNames(tokens: Token[], open: number, close: number): string[] {
  const names: string[] = [];
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k];
    if (t.kind !== 'name') continue;
    const before = tokens[k - 1].text;
    const after = tokens[k + 1].text;
    const spread = before === '.' && tokens[k - 2]?.text === '.' && tokens[k - 3]?.text === '.';
    const starts = before === '{' || before === '[' || before === ',' || before === ':' || spread;
    if (starts && (after === ',' || after === '}' || after === ']' || after === '=')) names.push(t.text);
  }
  return names;
}

/** `import d, { a, b as x } from 'm'`, `import * as ns from 'm'`, `import type { T } from 'm'`, `import q = require('m')`. */
function javascriptImport(tokens: Token[], out: Binders): void {
  const from = atDepthZero(tokens, 1, 'from');
  const equals = atDepthZero(tokens, 1, '=');
  if (from > 0) {
    const module = moduleName(tokens[from + 1]);
    for (let k = 1; k < from; k++) {
      const t = tokens[k];
      if (t.kind !== 'name') continue;
      const next = tokens[k + 1]?.text;
      if (t.text === 'type' && k === 1 && next !== 'from' && next !== ',') continue;
      if (next === 'as' || t.text === 'as' || (t.text === 'type' && tokens[k - 1]?.text === '{')) continue;
      out.add(t.text, 'import', 'here', module);
    }
  } else if (equals === 2 && tokens[1].kind === 'name') {
    const require = tokens[3]?.text === 'require' ? moduleName(tokens[5]) : joined(tokens, 3, tokens.length);
    out.add(tokens[1].text, 'import', 'here', require);
  }
}

function moduleName(t: Token | undefined): string | undefined {
  if (!t) return undefined;
  return t.kind === 'str' ? t.text.replace(/^['"`]|['"`]$/g, '') : t.text;
}

/**
 * Assignments inside the statement that are not its own: `x++`, `x %= 3`, `a = b = 1`,
 * `[a, b] = [b, a]`, `if (ready) b = 3`, `vs.forEach((v) => (t += v))`. Not a parameter's
 * default (`(a = 1) => a`, `function f(b = 1)`), not an object literal's or a pattern's
 * (`{ c = 1 }`), not a Python keyword argument when the language is not known (`f(x=1)`).
 */
function writes(
  tokens: Token[],
  header: StatementHeader,
  options: BinderOptions,
  declared: Set<number>,
  loop: Loop | undefined,
  out: Binders,
): void {
  const own = header.form === 'assign' || header.form === 'augmented' ? header.exprIndex - 1 : -1;
  const groups = GROUPS;
  const found = FOUND;
  let lastOpen = -1;
  let lastClose = -1;
  const n = tokens.length;
  for (let k = 0; k < n; k++) {
    const t = tokens[k];
    if (t.kind !== 'op') {
      // A Python lambda's `=` are its defaults (only when the language is not known).
      if (options.python && groups.length === 0 && t.text === 'lambda') break;
      continue;
    }
    const x = t.text;
    if (x === '(' || x === '[' || x === '{') {
      const prev = tokens[k - 1];
      const call = prev !== undefined && isOperand(prev) && !NOT_CALLEE.has(prev.text);
      const params =
        x === '(' &&
        prev !== undefined &&
        (prev.text === 'function' ||
          prev.text === '*' ||
          (prev.kind === 'name' && (tokens[k - 2]?.text === 'function' || tokens[k - 2]?.text === '*')));
      const object = x === '{' && !(prev && (prev.text === '=>' || prev.text === ')'));
      groups.push({ open: k, call, skip: params || object, mark: found.length });
      continue;
    }
    if (x === ')' || x === ']' || x === '}') {
      const group = groups.pop();
      if (!group) continue;
      if (x === ')' && isParameterList(tokens, k, options.opensFunction)) found.length = group.mark;
      lastOpen = group.open;
      lastClose = k;
      continue;
    }
    const inside: BinderKind | undefined =
      loop === undefined
        ? undefined
        : k > loop.open && k < loop.close
          ? loop.inside
          : k > loop.close
            ? 'loop'
            : undefined;
    if ((x === '+' || x === '-') && tokens[k + 1]?.text === x && tokens[k + 1].start === t.end) {
      // `x++`, `++x`: JavaScript's increments (this reads JavaScript only; in Python `++x` is +(+x)).
      const prev = tokens[k - 1];
      const target =
        prev?.kind === 'name' && tokens[k - 2]?.text !== '.'
          ? k - 1
          : tokens[k + 2]?.kind === 'name' && tokens[k + 3]?.text !== '.'
            ? k + 2
            : -1;
      if (target >= 0) found.push({ name: tokens[target].text, kind: inside ?? 'update', detail: x + x });
      k++;
      continue;
    }
    const op = assignmentEndingAt(tokens, k);
    if (!op || k === own) continue;
    const group = groups[groups.length - 1];
    if (group?.skip) continue;
    if (group?.call && op.text === '=' && options.python) continue;
    const target = op.start - 1;
    const tt = tokens[target];
    if (!tt) continue;
    if (tt.kind === 'name') {
      if (declared.has(target)) continue;
      const before = tokens[target - 1];
      // `p.data += h`: the value of `p` changes.
      if (tt.text === 'data' && before?.text === '.' && tokens[target - 2]?.kind === 'name') {
        if (tokens[target - 3]?.text !== '.') found.push({ name: tokens[target - 2].text, kind: 'data' });
        continue;
      }
      if (before && (before.text === '.' || before.text === '?.' || DECLARATIONS.has(before.text))) continue;
      let kind: BinderKind;
      if (inside) kind = inside;
      else if (op.text !== '=' && target === 0) kind = 'update';
      else if (before && assignmentEndingAt(tokens, target - 1)) kind = 'chained';
      else kind = groups.length > 0 ? 'expression' : 'statement';
      found.push({ name: tt.text, kind, detail: op.text });
    } else if ((tt.text === ']' || tt.text === '}') && lastClose === target && !declared.has(target)) {
      // `[a, b] = [b, a]`, `({ a } = o)`; not a subscript (`a[0] = 1`).
      if (lastOpen > 0 && isOperand(tokens[lastOpen - 1])) continue;
      for (const name of patternNames(tokens, lastOpen, target)) found.push({ name, kind: inside ?? 'unpack' });
    }
  }
  groups.length = 0;
  if (found.length === 0) return;
  for (const f of found) out.add(f.name, f.kind, 'assign', f.kind === 'update' ? f.detail : undefined);
  found.length = 0;
}

/** Whether the `(…)` closed at `close` holds parameters: it is followed by `=>`, or opens a function. */
function isParameterList(tokens: Token[], close: number, opensFunction: boolean): boolean {
  const next = tokens[close + 1];
  if (next?.text === '=>') return true;
  if (opensFunction && (next === undefined || next.text === ':')) return true;
  if (next?.text !== ':') return false;
  // `(a = 1): number => a`: a return type, then the arrow.
  for (let k = close + 2, depth = 0; k < tokens.length && k < close + 64; k++) {
    const x = tokens[k].text;
    if (x === '(' || x === '[' || x === '{') depth++;
    else if (x === ')' || x === ']' || x === '}') {
      if (--depth < 0) return false;
    } else if (depth === 0 && x === '=>') return true;
    else if (depth === 0 && (x === ',' || x === ';' || x === '=')) return false;
  }
  return false;
}

/** The assignment operator whose last token is `tokens[k]`, with the index of its first. */
function assignmentEndingAt(tokens: Token[], k: number): { text: string; start: number } | undefined {
  const t = tokens[k];
  if (!t || t.kind !== 'op') return undefined;
  if (ASSIGNS.has(t.text) && t.text !== '=') return { text: t.text, start: k };
  if (t.text !== '=' && t.text !== '<=' && t.text !== '>=') return undefined;
  // `%=` is `%` `=`, `>>=` is `>` `>=`: the scanner cuts them, adjacent.
  let text = t.text;
  let start = k;
  while (start > 0) {
    const prev = tokens[start - 1];
    if (prev.kind !== 'op' || prev.end !== tokens[start].start || !UPDATE_PARTS.has(prev.text)) break;
    if (!UPDATES.has(prev.text + text) && !(prev.text === '>' && text === '>=')) break;
    text = prev.text + text;
    start--;
  }
  if (text === '=') return { text, start };
  return UPDATES.has(text) ? { text, start } : undefined;
}

/** The last of the adjacent operator tokens from `k` (an operator cut in parts: `%` `=`). */
function lastOperatorPart(tokens: Token[], k: number): number {
  while (k + 1 < tokens.length && k < 6 && tokens[k + 1].kind === 'op' && tokens[k + 1].start === tokens[k].end) {
    if (!UPDATE_PARTS.has(tokens[k + 1].text)) break;
    k++;
  }
  return k;
}

/** `x //= 3`, `x %= 3`, `x >>= 1` at a statement's start: the operator. */
function updateAtStart(tokens: Token[]): string | undefined {
  if (tokens[0].kind !== 'name' || tokens[1]?.kind !== 'op') return undefined;
  for (let k = 1; k < tokens.length && k < 5 && tokens[k].kind === 'op'; k++) {
    const op = assignmentEndingAt(tokens, k);
    if (op) return op.start === 1 && UPDATES.has(op.text) ? op.text : undefined;
  }
  return undefined;
}

function isPatternOpen(t: Token | undefined): boolean {
  return t !== undefined && t.kind === 'op' && (t.text === '{' || t.text === '[');
}

/** A token after which `(` or `[` is a call or a subscript. */
function isOperand(t: Token): boolean {
  return t.kind === 'name' || t.kind === 'str' || t.text === ')' || t.text === ']';
}

/** The first `text` outside brackets in `tokens[from, to)`, or -1. */
function atDepthZero(tokens: Token[], from: number, text: string, to = tokens.length): number {
  let depth = 0;
  for (let k = from; k < to; k++) {
    const t = tokens[k];
    if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
    else if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) depth--;
    else if (depth === 0 && t.text === text && t.kind !== 'str') return k;
  }
  return -1;
}

/** The tokens' text without spaces: a dotted module name (`.pkg.m`). */
function joined(tokens: Token[], from: number, to: number): string {
  let text = '';
  for (let k = from; k < to; k++) text += tokens[k].text;
  return text;
}

// ---------------------------------------------------------------------------------------------
// Writes to a Value's `.data`

/**
 * A write to a Value's `.data`, which changes the Value in place: every name that holds it sees
 * the change. `p.data += h`, `self.w.data = 0`, `params[i].data -= …`, `a.data, b.data = 1, 2`,
 * `p.data++`, `p['data'] = 1`, `setattr(p, 'data', 1)`.
 */
export interface DataWrite {
  /** The object whose `.data` is written, as written: `p`, `self.w`, `params[i]`. */
  target: string;
  /** The object when it is one plain name. */
  name?: string;
  /** How the message quotes the write: `p.data += …`, `p.data++`, `setattr(p, 'data', …)`. */
  text: string;
  /** A call writes it (`w.sub_(g)`, `setattr(p, 'data', 1)`), not an assignment to `.data`. */
  call?: boolean;
  /**
   * The statement binds names of its own (an arrow function's or a lambda's parameters, a
   * comprehension's variables): `name` may be one of them rather than the variable it resolves to.
   */
  inline: boolean;
}

const DATA_WRITES_NONE: DataWrite[] = [];
const DATA_KEYS = new Set(["'data'", '"data"', '`data`']);
/**
 * The fields other ports keep their number in (`value`, `_data`, PascalCase `Data`, `val`): a
 * write to one may change a Value in place as `.data` does, so the lens never ignores it; it does
 * not follow it either (the field may be something else in the user's class): not knowable.
 */
const DATA_LIKE_FIELDS = new Set(['value', '_value', '_data', 'Data', 'val']);
/** `Object.assign(p, …)`, `Object.defineProperty(p, …)`, `Object.defineProperties(p, …)`: writes into `p`. */
const OBJECT_WRITERS = new Set(['assign', 'defineProperty', 'defineProperties']);
/** Statements whose commas separate declarators, not targets: `let a = p.data, b = 2`. */
const NOT_TARGET_LISTS = new Set(['const', 'let', 'var', 'for', 'import', 'export']);

/**
 * Every `.data` write of a statement; empty (and shared) for most statements. Increments (`p.data++`)
 * are JavaScript's only: in Python `p.data ++x` is an addition.
 */
export function dataWritesOf(tokens: Token[], options: Pick<BinderOptions, 'javascript'>): DataWrite[] {
  let out: DataWrite[] | undefined;
  let lastEquals = -2;
  const n = tokens.length;
  for (let k = 0; k < n; k++) {
    const t = tokens[k];
    if (t.kind === 'name' && t.text === 'setattr' && tokens[k + 1]?.text === '(' && tokens[k - 1]?.text !== '.') {
      const write = setattrWrite(tokens, k);
      if (write) (out ??= []).push({ ...write, call: true, inline: isInline(tokens) });
      continue;
    }
    if (options.javascript && t.text === 'Object' && tokens[k + 1]?.text === '.' && tokens[k - 1]?.text !== '.') {
      const write = objectWrite(tokens, k);
      if (write) (out ??= []).push({ ...write, call: true, inline: isInline(tokens) });
      continue;
    }
    if (k < 2) continue;
    // The object ends at `last`; the write's operator, if the key is written.
    let last = k - 2;
    let key: string;
    let op: string | undefined;
    let dataLike = false;
    if (t.kind === 'name' && DATA_LIKE_FIELDS.has(t.text) && tokens[k - 1].text === '.') {
      key = `.${t.text}`;
      op = writeAfter(tokens, k + 1, options.javascript);
      dataLike = true;
    } else if (t.kind === 'name' && t.text === 'data' && tokens[k - 1].text === '.') {
      key = '.data';
      op = writeAfter(tokens, k + 1, options.javascript);
      // `w.data[0] = 1`: an element of a tensor's data.
      if (op === undefined && tokens[k + 1]?.text === '[') {
        const close = matching(tokens, k + 1);
        if (close > 0) op = writeAfter(tokens, close + 1, options.javascript);
        if (op !== undefined) key = '.data[…]';
      }
    } else if (t.kind === 'str' && DATA_KEYS.has(t.text) && tokens[k - 1].text === '[' && tokens[k + 1]?.text === ']') {
      // `p['data'] = 1` in JavaScript; in Python only through `p.__dict__['data']` or `vars(p)['data']`.
      if (
        !options.javascript &&
        tokens[k - 2].text !== '__dict__' &&
        !(tokens[k - 2].text === ')' && isVarsCall(tokens, k - 2))
      )
        continue;
      key = `[${t.text}]`;
      op = writeAfter(tokens, k + 2, options.javascript);
    } else if (isInPlaceMethod(tokens, k)) {
      // Torch's in-place methods: `w.sub_(lr * w.grad)`, `w.data.zero_()`; not on a gradient.
      if (tokens[last].text === 'data' && tokens[last - 1]?.text === '.') last -= 2;
      if (tokens[last]?.text === 'grad' && tokens[last - 1]?.text === '.') continue;
      key = `${joined(tokens, last + 1, k + 1)}(…)`;
      op = '';
    } else continue;
    if (last < 0) continue;
    const from = chainStart(tokens, last);
    if (from < 0) continue;
    if (op === undefined && options.javascript && isIncrement(tokens, from - 2))
      op = tokens[from - 1].text + tokens[from - 1].text;
    if (op === undefined) {
      // A target among others: `a.data, b.data = 1, 2`, `[a.data] = [1]`, `a = b.data = 0`.
      const next = tokens[k + 1]?.text;
      if (key !== '.data' || (next !== ',' && next !== ')' && next !== ']' && next !== '}')) continue;
      if (lastEquals === -2) lastEquals = lastTargetListEnd(tokens);
      if (k > lastEquals || !inTargetPosition(tokens, from)) continue;
      op = '=';
    }
    const name = from === last && tokens[from].kind === 'name' ? tokens[from].text : undefined;
    const target = joined(tokens, from, last + 1);
    const text = op === '' || op === '++' || op === '--' ? `${target}${key}${op}` : `${target}${key} ${op} …`;
    const write: DataWrite = { target, text, inline: isInline(tokens) };
    if (name !== undefined) write.name = name;
    // A field that may hold the number: a write the lens does not follow, like a call's.
    if (op === '' || dataLike) write.call = true;
    (out ??= []).push(write);
  }
  return out ?? DATA_WRITES_NONE;
}

/** Torch's in-place methods that keep the values: flags, not data. */
const KEEPS_VALUES = new Set(['requires_grad_', 'share_memory_', 'detach_', 'retain_grad_']);

/** `.name_(` at `tokens[k]`: a method whose name ends with `_`, torch's spelling of an in-place change. */
function isInPlaceMethod(tokens: Token[], k: number): boolean {
  const t = tokens[k];
  if (t.kind !== 'name' || t.text.length < 2 || t.text.charCodeAt(t.text.length - 1) !== 95 /* _ */) return false;
  if (tokens[k - 1].text !== '.' || tokens[k + 1]?.text !== '(' || t.text.startsWith('_')) return false;
  return !KEEPS_VALUES.has(t.text);
}

/** `vars(p)` closing at `close`. */
function isVarsCall(tokens: Token[], close: number): boolean {
  const open = openerOf(tokens, close);
  return open > 0 && tokens[open - 1].text === 'vars';
}

/** The assignment operator (`=`, `+=`, `//=`…) or JavaScript increment starting at `tokens[j]`, if any. */
function writeAfter(tokens: Token[], j: number, javascript: boolean): string | undefined {
  const t = tokens[j];
  if (!t || t.kind !== 'op') return undefined;
  if (javascript && isIncrement(tokens, j)) return t.text + t.text;
  // `self.data: float = data`: an annotated target.
  if (t.text === ':') return atDepthZero(tokens, j, '=') > 0 && isStatementStartTarget(tokens, j) ? '=' : undefined;
  let text = '';
  for (let k = j; k < tokens.length && k < j + 4; k++) {
    const x = tokens[k];
    if (x.kind !== 'op' || (k > j && x.start !== tokens[k - 1].end)) break;
    text += x.text;
    if (ASSIGNS.has(text) || UPDATES.has(text)) return text;
    if (k === j && !UPDATE_PARTS.has(x.text)) break;
  }
  return undefined;
}

/** `++` or `--` as two adjacent tokens at `j`. */
function isIncrement(tokens: Token[], j: number): boolean {
  const t = tokens[j];
  return (
    t !== undefined &&
    (t.text === '+' || t.text === '-') &&
    tokens[j + 1]?.text === t.text &&
    tokens[j + 1].start === t.end
  );
}

/** The first token of the object expression ending at `tokens[last]`: `self.w`, `params[i]`, `f(x).w`, `(p)`; -1 if none. */
function chainStart(tokens: Token[], last: number): number {
  let j = last;
  for (;;) {
    const t = tokens[j];
    if (!t) return -1;
    if (t.kind === 'op' && (t.text === ')' || t.text === ']')) {
      const open = openerOf(tokens, j);
      if (open < 0) return -1;
      const prev = tokens[open - 1];
      // A call or a subscript goes on with its callee; parentheses alone start the object.
      if (prev && isOperand(prev) && !NOT_CALLEE.has(prev.text)) {
        j = open - 1;
        continue;
      }
      return open;
    }
    if (t.kind === 'name' || t.kind === 'str' || t.kind === 'num') {
      const prev = tokens[j - 1]?.text;
      if ((prev === '.' || prev === '?.') && j >= 2) {
        j -= 2;
        continue;
      }
      return j;
    }
    return -1;
  }
}

/** The index of the bracket that opens the one that closes at `close`, or -1. */
function openerOf(tokens: Token[], close: number): number {
  let depth = 0;
  for (let k = close; k >= 0; k--) {
    const t = tokens[k];
    if (t.kind !== 'op') continue;
    if (t.text === ')' || t.text === ']' || t.text === '}') depth++;
    else if ((t.text === '(' || t.text === '[' || t.text === '{') && --depth === 0) return k;
  }
  return -1;
}

/**
 * The last `=` outside brackets of a statement whose targets may be lists (`a.data, b.data = …`);
 * -1 for a declaration (`let a = p.data, b = 2`) or a loop header, and none past a lambda.
 */
function lastTargetListEnd(tokens: Token[]): number {
  if (NOT_TARGET_LISTS.has(tokens[0].text)) return -1;
  let depth = 0;
  let found = -1;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'op') {
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
      else if (depth === 0 && t.text === '=') found = k;
    } else if (depth === 0 && t.kind === 'name' && t.text === 'lambda') break;
  }
  return found;
}

/** Whether the object at `from` sits in a target list: every bracket around it groups (no call, no subscript). */
function inTargetPosition(tokens: Token[], from: number): boolean {
  let depth = 0;
  for (let k = from - 1; k >= 0; k--) {
    const t = tokens[k];
    if (t.kind !== 'op') continue;
    if (t.text === ')' || t.text === ']' || t.text === '}') depth++;
    else if (t.text === '(' || t.text === '[' || t.text === '{') {
      if (depth > 0) depth--;
      else if (k > 0 && isOperand(tokens[k - 1]) && !NOT_CALLEE.has(tokens[k - 1].text)) return false;
    }
  }
  return true;
}

/** Whether `tokens[0, end)` is one object expression, the statement's target: `self.data: float = …`. */
function isStatementStartTarget(tokens: Token[], end: number): boolean {
  return chainStart(tokens, end - 1) === 0;
}

/** `setattr(p, 'data', v)`: the object written, if the name is `'data'`. */
function setattrWrite(tokens: Token[], k: number): Omit<DataWrite, 'inline'> | undefined {
  const comma = atDepthZero(tokens, k + 2, ',');
  const close = matching(tokens, k + 1);
  if (comma < 0 || close < 0 || comma > close) return undefined;
  if (!DATA_KEYS.has(tokens[comma + 1]?.text) || tokens[comma + 2]?.text !== ',') return undefined;
  const target = joined(tokens, k + 2, comma);
  const write: Omit<DataWrite, 'inline'> = { target, text: `setattr(${target}, ${tokens[comma + 1].text}, …)` };
  if (comma === k + 3 && tokens[k + 2].kind === 'name') write.name = tokens[k + 2].text;
  return write;
}

/** `Object.assign(p, { data: 4 })` at `tokens[k]` (`Object`): the object written, as setattrWrite. */
function objectWrite(tokens: Token[], k: number): Omit<DataWrite, 'inline'> | undefined {
  const method = tokens[k + 2];
  if (!method || !OBJECT_WRITERS.has(method.text) || tokens[k + 3]?.text !== '(') return undefined;
  const close = matching(tokens, k + 3);
  const comma = atDepthZero(tokens, k + 4, ',');
  if (close < 0 || comma < 0 || comma > close) return undefined;
  const target = joined(tokens, k + 4, comma);
  const write: Omit<DataWrite, 'inline'> = { target, text: `Object.${method.text}(${target}, …)` };
  if (comma === k + 5 && tokens[k + 4].kind === 'name') write.name = tokens[k + 4].text;
  return write;
}

/** Whether the statement binds names of its own: an arrow function, a lambda, a comprehension, a function expression. */
function isInline(tokens: Token[]): boolean {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (
      t.kind === 'op'
        ? t.text === '=>'
        : t.kind === 'name' && (t.text === 'lambda' || t.text === 'function' || (t.text === 'for' && k > 0))
    )
      return true;
  }
  return false;
}
