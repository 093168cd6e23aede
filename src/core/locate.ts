// What is under the cursor in a lens: a variable (any occurrence, or where it is defined) or an
// operator / function name. For the hover.

import type { Lens, OpSite, Position, Range, VariableResult } from './types';

export type Located = { kind: 'variable'; variable: VariableResult; range: Range } | { kind: 'op'; op: OpSite };

export function locate(lens: Lens, pos: Position): Located | undefined {
  // Half-open first (the character under the cursor); then a cursor just after a name or operator.
  return find(lens, pos, false) ?? find(lens, pos, true);
}

function find(lens: Lens, pos: Position, endInclusive: boolean): Located | undefined {
  for (const variable of lens.variables) {
    for (const range of variable.occurrences) {
      if (contains(range, pos, endInclusive)) return { kind: 'variable', variable, range };
    }
    if (contains(variable.definedAt, pos, endInclusive))
      return { kind: 'variable', variable, range: variable.definedAt };
  }
  for (const op of lens.ops) {
    if (contains(op.range, pos, endInclusive)) return { kind: 'op', op };
  }
  return undefined;
}

/** Ranges in another notebook cell never match. */
function contains(r: Range, p: Position, endInclusive: boolean): boolean {
  if (r.cell !== undefined) return false;
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd =
    p.line < r.end.line ||
    (p.line === r.end.line && (endInclusive ? p.character <= r.end.character : p.character < r.end.character));
  return afterStart && beforeEnd;
}
