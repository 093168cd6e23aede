// How many operands the methods of the document's own classes take: `add(other)` in
// `class Value { add(other) {…} }` or `def add(self, other):`. Some ports make `add` and `mul`
// variadic (`x.add(2, x)` is x + 2 + x there), most do not: where the class is in the file, its
// definition decides, and a call with more operands than it takes is refused, not summed (the
// program ignores them in JavaScript, and Python raises).

import { insideBrackets } from './brackets';
import type { ScopeMark, Statement, Token } from './tokens';

/**
 * Method name → the number of operands after the receiver, for the methods of the document's leaf
 * classes (`leafClasses`: the classes that store their first argument as data). Only theirs: a
 * helper class's `add(item)` says nothing of the Value's. Where two leaf classes differ, or one
 * takes any number, the smallest fixed count decides: a call past it is refused, never summed.
 */
export function methodAritiesOf(
  statements: readonly Statement[],
  scopes: readonly ScopeMark[],
  leafClasses: ReadonlySet<string>,
): Map<string, number> {
  const arities = new Map<string, number>();
  for (const statement of statements) {
    const header = methodHeader(statement.tokens);
    const owner = header && classOf(statement, statements, scopes);
    if (!header || owner === undefined || !leafClasses.has(owner)) continue;
    const count = operandCount(statement.tokens, header.open, header.python);
    if (count === undefined) continue;
    arities.set(header.name, Math.min(count, arities.get(header.name) ?? count));
  }
  return arities;
}

/** `add(o) {`, `async add(o) {`, `def add(self, o):`: the name and the index of its `(`. */
function methodHeader(tokens: readonly Token[]): { name: string; open: number; python: boolean } | undefined {
  let k = 0;
  if (tokens[k]?.text === 'async') k++;
  const python = tokens[k]?.text === 'def';
  if (python) k++;
  // `static add(a, b)` is a static op (`Value.add(a, b)`), not a method.
  if (tokens[k]?.kind !== 'name' || tokens[k].text === 'static' || tokens[k + 1]?.text !== '(') return undefined;
  return { name: tokens[k].text, open: k + 1, python };
}

/** The name of the class whose body the statement is in, if it is one. */
export function classOf(
  statement: Statement,
  statements: readonly Statement[],
  scopes: readonly ScopeMark[],
): string | undefined {
  const scope = scopes[statement.scope];
  const owner = scope && scope.header >= 0 ? statements[scope.header].tokens : undefined;
  const k = owner ? owner.findIndex((t, i) => i < 3 && t.text === 'class') : -1;
  return k >= 0 && owner![k + 1]?.kind === 'name' ? owner![k + 1].text : undefined;
}

/** The parameters after `self`, or undefined when any is a rest parameter (`...xs`, `*xs`) or has a default. */
function operandCount(tokens: readonly Token[], open: number, python: boolean): number | undefined {
  let count = 0;
  let empty = true;
  for (const [k, depth] of insideBrackets(tokens, open)) {
    if (depth > 0) continue;
    const text = tokens[k].text;
    if (text === '...' || text === '.' || text === '*' || text === '**' || text === '=') return undefined;
    if (text === ',') continue;
    if (tokens[k - 1].text === '(' || tokens[k - 1].text === ',') {
      count++;
      empty = false;
    }
  }
  if (empty) return 0;
  return python ? count - 1 : count;
}

/**
 * The names a Python leaf class of the document defines (`def __rmul__`, `__radd__ = __add__`,
 * `Value.tanh = tanh` at module level), for the operators and methods a lens may use: the
 * lecture's first Value has no `__rmul__`, and there `2 * a` raises a TypeError. Undefined when a
 * leaf class can get names the file does not show: a base class, `__getattr__`, or no leaf class.
 */
export function leafClassNamesOf(
  statements: readonly Statement[],
  scopes: readonly ScopeMark[],
  leafClasses: ReadonlySet<string>,
): ReadonlySet<string> | undefined {
  if (leafClasses.size === 0) return undefined;
  const names = new Set<string>();
  let found = false;
  for (const statement of statements) {
    const t = statement.tokens;
    if (t[0]?.text === 'class' && leafClasses.has(t[1]?.text ?? '')) {
      found = true;
      // `class Value(Base):` inherits names this file may not show (`(object)` and `()` add none).
      if (t[2]?.text === '(' && !(t[3]?.text === ')' || (t[3]?.text === 'object' && t[4]?.text === ')')))
        return undefined;
      continue;
    }
    // `Value.tanh = tanh`: a method attached after the class.
    if (leafClasses.has(t[0]?.text ?? '') && t[1]?.text === '.' && t[2]?.kind === 'name' && t[3]?.text === '=') {
      names.add(t[2].text);
      continue;
    }
    const owner = classOf(statement, statements, scopes);
    if (owner === undefined || !leafClasses.has(owner)) continue;
    const header = methodHeader(t);
    const name = header?.python ? header.name : t[0]?.kind === 'name' && t[1]?.text === '=' ? t[0].text : undefined;
    if (name === '__getattr__' || name === '__getattribute__') return undefined;
    if (name !== undefined) names.add(name);
  }
  return found ? names : undefined;
}
