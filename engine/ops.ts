// Free-function forms of every op. They take a Value or a plain number in any position, so the
// number-first forms (`2 - a` is `sub(2, a)`, `1 / a` is `div(1, a)`) are expressible.
import { OPS, type OpName } from './opTable';
import { Value } from './value';

/**
 * One op by its name in the table: the Value method of that name (`a.mul(b)`, `a.pow(n)`,
 * `a.tanh()`), so its arithmetic and its refusals. The one step every replay uses: the analysis,
 * its gradcheck, the trace's engine check and the graph view's plot.
 */
export function applyOp(op: OpName, a: Value, b: Value | undefined, exponent?: number): Value {
  const spec = OPS[op];
  if (!spec) throw new Error(`the engine has no op '${String(op)}'`);
  if (spec.arity === 2 && !spec.exponent && !b) throw new Error(`${op} needs two operands`);
  const method = a[op] as (this: Value, operand?: Value | number) => Value;
  return method.call(a, spec.exponent ? exponent : b);
}

function value(x: Value | number, op: string): Value {
  if (x instanceof Value) return x;
  if (typeof x === 'number') return new Value(x);
  throw new TypeError(`${op} expects a Value or a number, got ${x === null ? 'null' : typeof x}`);
}

export function add(a: Value | number, b: Value | number): Value {
  return value(a, 'add').add(b);
}

export function sub(a: Value | number, b: Value | number): Value {
  return value(a, 'sub').sub(b);
}

export function mul(a: Value | number, b: Value | number): Value {
  return value(a, 'mul').mul(b);
}

export function div(a: Value | number, b: Value | number): Value {
  return value(a, 'div').div(b);
}

/** `a ** n` for a constant n; a Value exponent is a TypeError. */
export function pow(a: Value | number, n: number): Value {
  return value(a, 'pow').pow(n);
}

export function neg(a: Value | number): Value {
  return value(a, 'neg').neg();
}

export function exp(a: Value | number): Value {
  return value(a, 'exp').exp();
}

export function log(a: Value | number): Value {
  return value(a, 'log').log();
}

export function relu(a: Value | number): Value {
  return value(a, 'relu').relu();
}

export function tanh(a: Value | number): Value {
  return value(a, 'tanh').tanh();
}
