// Constant folding on plain numbers: exponents (which must not depend on a variable) and the data
// of `Value(…)`. Each op is the engine's op table's (forward and domain rule), so a constant obeys
// the same domain rules as a Value, with the same messages, and cannot smuggle in a NaN either.

import { OPS, refusal, type OpName } from '../../engine';
import { postOrder, type Expr } from './ast';
import { AnalysisError } from './errors';
import type { ProblemCode } from './types';

/** Children including a pow's exponent: folding walks everything. */
function allChildren(e: Expr): Expr[] {
  if (e.kind === 'unary') return [e.operand];
  if (e.kind === 'binary') return [e.left, e.right];
  if (e.kind === 'call') return [e.arg];
  if (e.kind === 'invoke') return e.args;
  return [];
}

/** The first name inside `e` (or call into a function of the file), if any (iterative). */
export function firstName(e: Expr): Expr | undefined {
  // Fast paths for the common leaves: `2.0`, `-3`, `Value(2.0, label='x')`.
  if (e.kind === 'num') return undefined;
  if (e.kind === 'name') return e;
  if (e.kind === 'leaf' && e.data.kind === 'num') return undefined;
  return postOrder(e, allChildren).find(
    (n) => n.kind === 'name' || n.kind === 'invoke' || (n.kind === 'leaf' && firstName(n.data)),
  );
}

/**
 * The number `e` denotes. `valueOf` gives the names that hold plain numbers; `onName` says what any
 * other name here means: an error with its code and message.
 */
export function fold(
  e: Expr,
  onName: (name: string) => { code: ProblemCode; message: string },
  valueOf?: (name: string) => number | undefined,
): number {
  if (e.kind === 'num') return foldNode(e, [], onName);
  const stack: number[] = [];
  for (const n of postOrder(e, allChildren)) {
    const known = n.kind === 'name' ? valueOf?.(n.name) : undefined;
    stack.push(known ?? foldNode(n, stack, onName));
  }
  return stack[0];
}

/** One node's number; its operands are on top of `stack` (post-order), and are popped. */
function foldNode(n: Expr, stack: number[], onName: (name: string) => { code: ProblemCode; message: string }): number {
  switch (n.kind) {
    case 'num':
      return finite(n.value, n, () => `the number ${String(n.value)} is not finite: it is too large for a double`);
    case 'name': {
      const { code, message } = onName(n.name);
      throw new AnalysisError(code, message, n);
    }
    case 'leaf':
      return fold(n.data, onName);
    case 'unary': {
      const a = stack.pop()!;
      return n.op === 'neg' ? viaTable('neg', a, 0, n) : a;
    }
    case 'call':
      return viaTable(n.fn, stack.pop()!, 0, n);
    case 'invoke':
      // firstName finds calls, so a constant is never one: only a misuse of fold gets here.
      throw new AnalysisError('parse', `a call to ${n.fn}(…) is not a constant`, { start: n.start, end: n.end });
    case 'binary': {
      const b = stack.pop()!;
      const a = stack.pop()!;
      return viaTable(n.op, a, b, n);
    }
  }
}

/** The engine's own op on plain numbers: its maths and its domain rules, with no second copy here. */
function viaTable(name: OpName, a: number, b: number, at: Expr): number {
  const op = OPS[name];
  const c = op.forward(a, b);
  const refused = refusal(op, a, b, c);
  if (refused !== undefined) throw domain(refused, at);
  return c;
}

function finite(x: number, at: Expr, message: () => string): number {
  if (!Number.isFinite(x)) throw domain(message(), at);
  return x;
}

function domain(message: string, at: Expr): AnalysisError {
  return new AnalysisError('domain', message, { start: at.start, end: at.end });
}
