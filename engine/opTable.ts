// The op table: each of the ten ops of the seed's summary table (op-derivatives.txt), declared once,
// in one shape. Everything that needs to know an op reads it from here: the parser (its spellings),
// the evaluator and the constant folder (forward and domain rule), the hover (title, formula,
// derivatives), the graph's edge labels and backward steps, `Value.op` and `opName`, the README's
// table (a unit test renders it from this one). The one deliberate second copy of the maths is the
// backward `switch` in value.ts, kept for speed and checked against `local` by a property test.
import { formatOperand as operand } from './errors';

/** How a symbolic derivative names things: the operands, the output, and pow's exponent. */
export interface Symbols {
  a: string;
  b: string;
  c: string;
  /** pow's exponent n, and n − 1, as text ('3' and '2', or 'n' and '(n−1)'). */
  n: string;
  nLess1: string;
}

interface OpShape {
  name: string;
  /**
   * The method spellings the parser accepts (`.mul(x)`, `.times(x)`); with `asFunction`, free
   * functions too (`exp(x)`, `mul(a, b)`, `Value.mul(a, b)`). One word each: the ports' names.
   */
  aliases: readonly string[];
  /** Also callable as a free function: `tanh(x)`, `math.exp(x)`, `pow(a, n)`, `add(a, b)`. */
  asFunction: boolean;
  /** What `Value.op` shows; pow appends its exponent ('**2'). */
  symbol: string;
  /** Numbers the op takes: `c = op(a)` or `c = op(a, b)`. pow's b is its constant exponent n. */
  arity: 1 | 2;
  /** The second operand is a constant exponent: not a node, and not differentiated. */
  exponent?: true;
  /** The hover's title and forward formula. */
  title: string;
  formula: string;
  forward: (a: number, b: number) => number;
  /** ∂c/∂a (and ∂c/∂b) at c = forward(a, b): one per differentiated operand. */
  local: readonly ((a: number, b: number, c: number) => number)[];
  /** The same derivatives in symbols, as the hover and the graph's edge labels show them. */
  localText: readonly ((s: Symbols) => string)[];
  /** Why c = op(a, b) is refused, beyond the rule every op shares (no NaN or ±Infinity; see `refusal`). */
  refuse?: (a: number, b: number, c: number) => string | undefined;
}

/**
 * tanh'(x) = 1 − c² for c = tanh x, with every digit right: from c while |c| < 0.5, where 1 − c²
 * loses nothing (and costs no exp), else from x as sech²x = 4e^(−2|x|)/(1 + e^(−2|x|))². The seed's
 * 1 − c² from the rounded c loses every digit past |x| ≈ 15: 77% off at 19, exactly 0 beyond 19.1.
 */
export function tanhDerivative(x: number, c: number): number {
  if (c > -0.5 && c < 0.5) return (1 - c) * (1 + c);
  const e = Math.exp(-2 * Math.abs(x));
  return (4 * e) / ((1 + e) * (1 + e));
}

/** n · a^(n−1); for n = 0 the function is constant, so 0 even at a = 0 (where 0 · 0^−1 is NaN). */
export function powDerivative(a: number, n: number): number {
  return n === 0 ? 0 : n * a ** (n - 1);
}

// In the engine's op-code order (value.ts's `Op`: a unit test checks it).
const TABLE = [
  {
    name: 'add',
    aliases: ['add', 'plus'],
    asFunction: true,
    symbol: '+',
    arity: 2,
    title: 'addition',
    formula: 'c = a + b',
    forward: (a, b) => a + b,
    local: [() => 1, () => 1],
    localText: [() => '1', () => '1'],
  },
  {
    name: 'sub',
    aliases: ['sub', 'minus', 'subtract'],
    asFunction: true,
    symbol: '-',
    arity: 2,
    title: 'subtraction',
    formula: 'c = a − b',
    forward: (a, b) => a - b,
    local: [() => 1, () => -1],
    localText: [() => '1', () => '−1'],
  },
  {
    name: 'mul',
    aliases: ['mul', 'multiply', 'times'],
    asFunction: true,
    symbol: '*',
    arity: 2,
    title: 'multiplication',
    formula: 'c = a · b',
    forward: (a, b) => a * b,
    local: [(_a, b) => b, (a) => a],
    localText: [({ b }) => b, ({ a }) => a],
  },
  {
    name: 'div',
    aliases: ['div', 'divide', 'truediv'],
    asFunction: true,
    symbol: '/',
    arity: 2,
    title: 'division',
    formula: 'c = a / b',
    forward: (a, b) => a / b,
    // −(a/b)/b, not −a/(b·b): b·b underflows to 0 for |b| < 1e-162 and the derivative to −∞.
    local: [(_a, b) => 1 / b, (a, b) => -(a / b) / b],
    localText: [({ b }) => `1/${b}`, ({ a, b }) => `−${a}/${b}²`],
    refuse: (a, b) => (b === 0 ? `division by zero: ${operand(a)} / ${operand(b)}` : undefined),
  },
  {
    name: 'pow',
    aliases: ['pow', 'power'],
    asFunction: true,
    symbol: '**',
    arity: 2,
    exponent: true,
    title: 'power (constant exponent)',
    formula: 'c = aⁿ',
    forward: (a, n) => a ** n,
    local: [(a, n) => powDerivative(a, n)],
    localText: [({ a, n, nLess1 }) => `${n}·${a}^${nLess1}`],
    refuse: (a, n, c) =>
      !Number.isFinite(n)
        ? `pow needs a finite exponent: ${operand(a)} ** ${String(n)}`
        : !Number.isFinite(c)
          ? `pow gives ${String(c)}: ${operand(a)} ** ${operand(n)}`
          : undefined,
  },
  {
    name: 'neg',
    aliases: ['neg', 'negate'],
    asFunction: true,
    symbol: 'neg',
    arity: 1,
    title: 'negation',
    formula: 'c = −a',
    forward: (a) => -a,
    local: [() => -1],
    localText: [() => '−1'],
  },
  {
    name: 'exp',
    aliases: ['exp'],
    asFunction: true,
    symbol: 'exp',
    arity: 1,
    title: 'exponential',
    formula: 'c = eᵃ',
    forward: (a) => Math.exp(a),
    local: [(_a, _b, c) => c],
    localText: [({ c }) => c],
    refuse: (a, _b, c) =>
      Number.isFinite(c) ? undefined : `exp overflows: exp(${String(a)}) is beyond the largest double`,
  },
  {
    name: 'log',
    aliases: ['log'],
    asFunction: true,
    symbol: 'log',
    arity: 1,
    title: 'natural logarithm',
    formula: 'c = ln(a)',
    forward: (a) => Math.log(a),
    local: [(a) => 1 / a],
    localText: [({ a }) => `1/${a}`],
    refuse: (a) => (a > 0 ? undefined : `log of a non-positive number: log(${String(a)})`),
  },
  {
    name: 'relu',
    aliases: ['relu'],
    asFunction: true,
    symbol: 'relu',
    arity: 1,
    title: 'ReLU',
    formula: 'c = max(0, a)',
    forward: (a) => (a > 0 ? a : 0),
    local: [(a) => (a > 0 ? 1 : 0)], // ReLU'(0) = 0, as PyTorch
    localText: [({ a }) => `[${a} > 0]`],
  },
  {
    name: 'tanh',
    aliases: ['tanh'],
    asFunction: true,
    symbol: 'tanh',
    arity: 1,
    title: 'tanh',
    formula: 'c = tanh(a)',
    forward: (a) => Math.tanh(a),
    local: [(a, _b, c) => tanhDerivative(a, c)], // 1 − c², without its cancellation
    localText: [({ c }) => `1 − ${c}²`],
  },
] as const satisfies readonly OpShape[];

/** The engine's op names: 'add', 'sub', 'mul', 'div', 'pow', 'neg', 'exp', 'log', 'relu', 'tanh'. */
export type OpName = (typeof TABLE)[number]['name'];
/** Ops of one number (`c = op(a)`), and of two (`c = op(a, b)`, with pow's b its exponent). */
export type UnaryOpName = Extract<(typeof TABLE)[number], { arity: 1 }>['name'];
export type BinaryOpName = Extract<(typeof TABLE)[number], { arity: 2 }>['name'];

export interface OpSpec extends Readonly<OpShape> {
  readonly name: OpName;
}

/** Every op, in the engine's op-code order. */
export const OP_LIST: readonly OpSpec[] = TABLE;

/** Every op by name. */
export const OPS: { readonly [K in OpName]: OpSpec } = Object.fromEntries(OP_LIST.map((op) => [op.name, op])) as Record<
  OpName,
  OpSpec
>;

/**
 * The message refusing c = op(a, b), or undefined when c is allowed: the op's own rule first, then
 * the one every op shares, that no op gives a NaN or ±Infinity (BLUEPRINT.md, "Domain policy").
 */
export function refusal(op: OpSpec, a: number, b: number, c: number): string | undefined {
  const own = op.refuse?.(a, b, c);
  if (own !== undefined || Number.isFinite(c)) return own;
  const call = op.arity === 1 ? `${op.name}(${String(a)})` : `${operand(a)} ${op.symbol} ${operand(b)}`;
  return `${op.name} overflows: ${call} = ${String(c)}`;
}

/** The symbol a graph shows for an op ('*', '**2', 'tanh'): what `Value.op` gives its node. */
export function opSymbol(name: OpName, exponent?: number): string {
  const op = OPS[name];
  return op.exponent && exponent !== undefined ? op.symbol + String(exponent) : op.symbol;
}

/** The op a display symbol names ('*' → mul, '**2' → pow with exponent 2); undefined for none. */
export function opFromSymbol(symbol: string): { op: OpSpec; exponent?: number } | undefined {
  for (const op of OP_LIST) {
    if (symbol === op.symbol) return op.exponent ? undefined : { op };
    if (op.exponent && symbol.startsWith(op.symbol)) {
      const exponent = Number(symbol.slice(op.symbol.length));
      // Only what opSymbol writes: '**2', '**-0.5', '**1e-7' (not '** 2' or '**0x10').
      if (Number.isFinite(exponent) && op.symbol + String(exponent) === symbol) return { op, exponent };
    }
  }
  return undefined;
}
