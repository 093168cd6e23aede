// How many operands the methods of the document's own classes take: `add(other)` in
// `class Value { add(other) {…} }` or `def add(self, other):`. Some ports make `add` and `mul`
// variadic (`x.add(2, x)` is x + 2 + x there), most do not: where the class is in the file, its
// definition decides, and a call with more operands than it takes is refused, not summed (the
// program ignores them in JavaScript, and Python raises).

import type { ScopeMark, Statement, Token } from './tokens';

/** Method name → the number of operands after the receiver, for methods with a fixed count. */
export function methodAritiesOf(statements: readonly Statement[], scopes: readonly ScopeMark[]): Map<string, number> {
  const arities = new Map<string, number>();
  const variadic = new Set<string>();
  for (const statement of statements) {
    const header = methodHeader(statement.tokens);
    if (!header || !insideClass(statement, statements, scopes)) continue;
    const count = operandCount(statement.tokens, header.open, header.python);
    if (count === undefined || variadic.has(header.name)) {
      variadic.add(header.name);
      arities.delete(header.name);
    } else if (arities.get(header.name) !== count && arities.has(header.name)) {
      // Two classes disagree: neither decides.
      variadic.add(header.name);
      arities.delete(header.name);
    } else arities.set(header.name, count);
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

/** The statement's enclosing scope is a class body. */
function insideClass(statement: Statement, statements: readonly Statement[], scopes: readonly ScopeMark[]): boolean {
  const scope = scopes[statement.scope];
  const owner = scope && scope.header >= 0 ? statements[scope.header].tokens : undefined;
  return owner !== undefined && owner.slice(0, 3).some((t) => t.text === 'class');
}

/** The parameters after `self`, or undefined when any is a rest parameter (`...xs`, `*xs`) or has a default. */
function operandCount(tokens: readonly Token[], open: number, python: boolean): number | undefined {
  let depth = 0;
  let count = 0;
  let empty = true;
  for (let k = open + 1; k < tokens.length; k++) {
    const text = tokens[k].text;
    if (text === '(' || text === '[' || text === '{') depth++;
    else if (text === ')' || text === ']' || text === '}') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0) {
      if (text === '...' || text === '.' || text === '*' || text === '**' || text === '=') return undefined;
      if (text === ',') continue;
      if (tokens[k - 1].text === '(' || tokens[k - 1].text === ',') {
        count++;
        empty = false;
      }
    }
  }
  if (empty) return 0;
  return python ? count - 1 : count;
}
