// Which calls make a leaf. A leaf is recognised by its shape — a constructor or factory called with
// a number first (`Value(2.0)`, `new Scalar(2)`, `v(3, { label: 'x' })`) — but only for the names
// known to make one: the ports' own (the list below, from test/fixtures/dialects/CATALOGUE.md), the
// `gradientLens.leafConstructors` setting, and the classes and functions the document itself
// defines whose body stores their first parameter as `data` (`self.data = data`, `this.data = data`).

import { insideBrackets } from './brackets';
import type { ScopeMark, Statement, Token } from './tokens';

/**
 * The class and factory names micrograd ports use for a leaf. A dotted name is a static factory
 * (`Value.from(2)`, `V.W(0.8, 'w')`); the part before the dot is also a namespace of static ops
 * (`Value.add(a, b)`, `V.sigmoid(x)`).
 */
export const DEFAULT_LEAF_CONSTRUCTORS: readonly string[] = [
  'Value',
  'Scalar',
  'Tensor',
  'Var',
  'Variable',
  'ValueExt',
  'V',
  'v',
  'ensureValue',
  'Value.from',
  'V.W',
  'V.C',
  'torch.tensor',
  'torch.Tensor',
];

/**
 * The leaf constructors of one document, and the names that are never leaves there: the classes
 * it defines that do not store their first argument as data (`Box(2.0)` is no leaf by its shape).
 */
export interface LeafNames extends ReadonlySet<string> {
  readonly notLeaves?: ReadonlySet<string>;
  /** The operands each method of the document's own classes takes, where fixed (methodArity.ts). */
  readonly methodArity?: ReadonlyMap<string, number>;
  /** The names the document's Python leaf classes define, when the file shows them all (methodArity.ts). */
  readonly classNames?: ReadonlySet<string>;
}

/** The leaf constructors for one document: the defaults, the setting's, and the document's own. */
export function leafConstructorSet(
  fromSettings: readonly string[] = [],
  fromDocument: readonly string[] = [],
  otherClasses: ReadonlySet<string> = new Set(),
  methodArity: ReadonlyMap<string, number> = new Map(),
  classNames?: ReadonlySet<string>,
): LeafNames {
  const names = new Set([...DEFAULT_LEAF_CONSTRUCTORS, ...fromSettings, ...fromDocument].filter(isDottedName));
  const notLeaves = new Set([...otherClasses].filter((name) => !names.has(name)));
  return Object.assign(names, { notLeaves, methodArity, classNames });
}

function isDottedName(name: string): boolean {
  return /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)?$/.test(name);
}

const RECEIVERS = new Set(['self', 'this']);

/**
 * The names of the classes and functions defined in the document whose body stores their first
 * parameter as `data`: `class Value: def __init__(self, data, …): self.data = data`, JavaScript's
 * `class Value { constructor(data, …) { this.data = data } }`, and the prototype style
 * `function Value(data, …) { this.data = data }` (or `var Value = function (data) …`).
 */
export function leafConstructorsOf(statements: readonly Statement[], scopes: readonly ScopeMark[]): string[] {
  const found = new Set<string>();
  for (const statement of statements) {
    const t = statement.tokens;
    // `self.data = data` / `this.data = data;`
    if (t.length < 5 || !RECEIVERS.has(t[0].text) || t[1].text !== '.' || t[2].text !== 'data') continue;
    if (t[3].text !== '=' || t[4].kind !== 'name' || (t.length > 5 && t[5].text !== ';')) continue;
    const fn = enclosingHeader(statement.scope, statements, scopes);
    if (!fn) continue;
    const params = parameters(fn.header.tokens);
    if (params[0] !== t[4].text) continue;
    const name = constructorName(fn.header.tokens, fn.scope, statements, scopes);
    if (name) found.add(name);
  }
  return [...found];
}

/** Words that open a block which is no function or class: `if x:`, `with f:`, `} else {`. */
const CONTROL_BLOCKS = new Set([
  'if',
  'elif',
  'else',
  'for',
  'while',
  'do',
  'with',
  'try',
  'except',
  'catch',
  'finally',
  'match',
  'case',
  'switch',
  'async',
]);

/** The innermost scope at or above `scope` opened by a function or class header, with that statement. */
function enclosingHeader(
  scope: number,
  statements: readonly Statement[],
  scopes: readonly ScopeMark[],
): { header: Statement; scope: number } | undefined {
  for (let s = scope; s >= 0; s = scopes[s].parent) {
    const mark = scopes[s];
    const header = mark.header >= 0 ? statements[mark.header] : undefined;
    if (header && !isControlBlock(header.tokens)) return { header, scope: s };
    if (mark.opener === 'module') return undefined;
  }
  return undefined;
}

/** `if x:`, `} else {`, `async with f:`; not `async def f():`. */
function isControlBlock(tokens: readonly Token[]): boolean {
  const first = tokens[0]?.text;
  if (first === 'async') return tokens[1]?.text !== 'def' && tokens[1]?.text !== 'function';
  return CONTROL_BLOCKS.has(first);
}

/** The parameter names of a function header, `self`/`this` excluded: `def f(self, data, op='')` → [data, op]. */
function parameters(tokens: readonly Token[]): string[] {
  const open = tokens.findIndex((t) => t.text === '(');
  if (open < 0) return [];
  const names: string[] = [];
  let expectName = true;
  for (const [k, depth] of insideBrackets(tokens, open)) {
    const text = tokens[k].text;
    if (depth === 0 && text === ',') expectName = true;
    else if (expectName && tokens[k].kind === 'name') {
      if (!RECEIVERS.has(text)) names.push(text);
      expectName = false;
    } else expectName = false;
  }
  return names;
}

/** The class a constructor builds (`__init__`, `constructor`), or the function's own name. */
function constructorName(
  header: readonly Token[],
  scope: number,
  statements: readonly Statement[],
  scopes: readonly ScopeMark[],
): string | undefined {
  const texts = header.map((t) => t.text);
  const def = texts.indexOf('def');
  const isInit = (def >= 0 && texts[def + 1] === '__init__') || texts[0] === 'constructor';
  if (isInit) {
    const parent = scopes[scope].parent;
    const owner = parent >= 0 ? enclosingHeader(parent, statements, scopes) : undefined;
    if (!owner) return undefined;
    const names = owner.header.tokens.map((t) => t.text);
    const cls = names.indexOf('class');
    return cls >= 0 && owner.header.tokens[cls + 1]?.kind === 'name' ? names[cls + 1] : undefined;
  }
  if (def >= 0) return header[def + 1]?.kind === 'name' ? texts[def + 1] : undefined;
  const fn = texts.indexOf('function');
  if (fn < 0) return undefined;
  if (header[fn + 1]?.kind === 'name') return texts[fn + 1];
  // `var Value = function (data) …`, `const Value = function (data) …`
  const eq = texts.indexOf('=');
  return eq > 0 && eq < fn && header[eq - 1].kind === 'name' ? texts[eq - 1] : undefined;
}
