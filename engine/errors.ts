// The one error type for "this number has left the op's domain". It extends RangeError so that
// callers who only know the built-ins still catch it as a range problem.

/** Thrown instead of ever producing a NaN or ±Infinity, forward or backward. */
export class DomainError extends RangeError {
  /** The op that failed, by its name: 'div', 'log', 'pow', 'exp', 'add', … or 'value'. */
  readonly op: string;
  /** The operand values the op saw (for pow: base, then exponent). */
  readonly operands: number[];

  constructor(op: string, operands: number[], message: string) {
    super(message);
    this.name = 'DomainError';
    this.op = op;
    this.operands = operands;
  }
}

/** How numbers appear in error messages: short, and negatives in parentheses where they are operands. */
export function formatOperand(x: number): string {
  return x < 0 || Object.is(x, -0) ? `(${String(x)})` : String(x);
}
