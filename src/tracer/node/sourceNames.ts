// The identifiers of a JavaScript/TypeScript source, for the probes' "names in scope": JavaScript
// cannot list a scope's variables at run time, so each probe reads a fixed list of candidate names
// (each in its own try/catch) and keeps those bound to autodiff nodes. A light tokenizer is
// enough: the list may hold extra names (a property key, a type), which then read as a
// ReferenceError or a non-node and are skipped.

/** Words that can never be read as a variable (and some that are a SyntaxError in strict code). */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await async of get set from as type ' +
    'declare namespace module abstract readonly keyof infer is asserts satisfies override accessor unique never ' +
    'unknown any number string boolean symbol bigint object undefined arguments eval'
  ).split(' '),
);

/** Globals that are never an autodiff node: reading them in every probe would only cost time. */
const NEVER_NODES = new Set(
  (
    'console Math JSON Object Array Number String Boolean Symbol BigInt Map Set WeakMap WeakSet Promise Error ' +
    'TypeError RangeError Date RegExp require exports process globalThis window document setTimeout setInterval ' +
    'clearTimeout clearInterval setImmediate queueMicrotask Buffer Infinity NaN isNaN isFinite parseFloat parseInt ' +
    'describe test it expect beforeEach afterEach beforeAll afterAll React __dirname __filename __gradlens'
  ).split(' '),
);

export interface SourceNames {
  /** Every identifier that may name a variable, in first-seen order, imported names excluded. */
  names: string[];
  /** Names bound by an `import` (reading one in a probe would keep a type-only import alive). */
  imported: Set<string>;
}

interface Ident {
  name: string;
  start: number;
  /** Preceded by `.` or `?.`: a property, never a variable. */
  member: boolean;
}

/** The identifiers of `source[from, to)` (the whole text by default), in order. */
export function identifiers(source: string, from = 0, to = source.length): Ident[] {
  const out: Ident[] = [];
  let i = from;
  let lastSignificant = ''; // the previous token's text, for the regex-or-divide question
  const templateDepth: number[] = []; // brace depth at each open `${`
  let braceDepth = 0;
  while (i < to) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') {
      const nl = source.indexOf('\n', i);
      i = nl < 0 ? to : nl;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      i = close < 0 ? to : close + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      i = skipString(source, i, c, to);
      lastSignificant = 'str';
      continue;
    }
    if (
      c === '`' ||
      (c === '}' && templateDepth.length > 0 && templateDepth[templateDepth.length - 1] === braceDepth)
    ) {
      if (c === '}') templateDepth.pop();
      const end = skipTemplate(source, i + 1, to);
      if (end.interpolation) {
        templateDepth.push(braceDepth);
        i = end.at + 2;
        lastSignificant = '(';
      } else {
        i = end.at + 1;
        lastSignificant = 'str';
      }
      continue;
    }
    if (c === '/' && regexAllowedAfter(lastSignificant)) {
      i = skipRegex(source, i, to);
      lastSignificant = 'str';
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < to && isIdentPart(source[j])) j++;
      const name = source.slice(i, j);
      out.push({ name, start: i, member: lastSignificant === '.' || lastSignificant === '?.' });
      lastSignificant = RESERVED.has(name) && name !== 'this' ? 'kw:' + name : 'id';
      i = j;
      continue;
    }
    if (c >= '0' && c <= '9') {
      let j = i + 1;
      while (j < to && /[\w.]/.test(source[j])) j++;
      i = j;
      lastSignificant = 'num';
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '{') braceDepth++;
    if (c === '}') braceDepth--;
    if (c === '?' && source[i + 1] === '.') {
      lastSignificant = '?.';
      i += 2;
      continue;
    }
    lastSignificant = c;
    i++;
  }
  return out;
}

/** The candidate names of a whole source. */
export function sourceNames(source: string): SourceNames {
  const idents = identifiers(source);
  const imported = importedNames(source, idents);
  const seen = new Set<string>();
  const names: string[] = [];
  for (const id of idents) {
    if (id.member || seen.has(id.name) || !isCandidate(id.name) || imported.has(id.name)) continue;
    seen.add(id.name);
    names.push(id.name);
  }
  return { names, imported };
}

/** The names a site's own statement reads (imported ones included: the statement reads them anyway). */
export function statementNames(source: string, start: number, end: number): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const id of identifiers(source, start, end)) {
    if (id.member || seen.has(id.name) || !isCandidate(id.name)) continue;
    seen.add(id.name);
    names.push(id.name);
  }
  return names;
}

export function isCandidate(name: string): boolean {
  return !RESERVED.has(name) && !NEVER_NODES.has(name) && /^[A-Za-z_$][\w$]*$/.test(name);
}

/** Whether the source uses `import`/`export` statements (then it needs the imports transform). */
export function usesModuleSyntax(source: string): boolean {
  for (const id of identifiers(source)) {
    if (id.member || (id.name !== 'import' && id.name !== 'export')) continue;
    const lineStart = source.lastIndexOf('\n', id.start - 1) + 1;
    if (source.slice(lineStart, id.start).trim() !== '') continue;
    const next = source.slice(id.start + id.name.length).match(/^\s*(\S)/);
    // `import(` and `import.meta` are expressions, legal in CommonJS too.
    if (id.name === 'import' && next && (next[1] === '(' || next[1] === '.')) continue;
    return true;
  }
  return false;
}

/** Names bound by `import a, { b as c, type D } from …`, `import * as e from …`, `import f = require(…)`. */
function importedNames(source: string, idents: Ident[]): Set<string> {
  const names = new Set<string>();
  for (let k = 0; k < idents.length; k++) {
    const id = idents[k];
    if (id.member || id.name !== 'import') continue;
    const next = source.slice(id.start + 6).match(/^\s*(\S)/);
    if (next && (next[1] === '(' || next[1] === '.')) continue;
    for (let m = k + 1; m < idents.length && m < k + 200; m++) {
      const name = idents[m].name;
      if (name === 'from' || name === 'require') break;
      if (name === 'as' || name === 'type' || name === 'import') continue;
      names.add(name);
    }
  }
  return names;
}

function isIdentStart(c: string): boolean {
  return /[A-Za-z_$]/.test(c) || (c > '\x7f' && /\p{ID_Start}/u.test(c));
}

function isIdentPart(c: string): boolean {
  return /[\w$]/.test(c) || (c > '\x7f' && /\p{ID_Continue}/u.test(c));
}

function skipString(source: string, i: number, quote: string, to: number): number {
  let j = i + 1;
  while (j < to && source[j] !== quote && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** From inside a template literal: where it ends (`), or where a `${` opens. */
function skipTemplate(source: string, i: number, to: number): { at: number; interpolation: boolean } {
  let j = i;
  while (j < to) {
    if (source[j] === '\\') j += 2;
    else if (source[j] === '`') return { at: j, interpolation: false };
    else if (source[j] === '$' && source[j + 1] === '{') return { at: j, interpolation: true };
    else j++;
  }
  return { at: to, interpolation: false };
}

function regexAllowedAfter(last: string): boolean {
  if (last === '' || last.startsWith('kw:')) return last !== 'kw:this';
  if (last === 'id' || last === 'num' || last === 'str') return false;
  return last !== ')' && last !== ']' && last !== '}';
}

function skipRegex(source: string, i: number, to: number): number {
  let j = i + 1;
  let inClass = false;
  while (j < to && source[j] !== '\n') {
    const c = source[j];
    if (c === '\\') j++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) break;
    j++;
  }
  j++;
  while (j < to && /[a-z]/.test(source[j])) j++;
  return j;
}
