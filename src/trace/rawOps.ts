// The op strings that user engines store (`_op`, `op`, a grad_fn's class name), read as the
// bundled engine's ops (engine/opTable.ts). Only spellings seen in micrograd-style ports and in
// PyTorch are recognised; anything else is unknown, and the engine check says so rather than guess.

import type { OpName } from '../../engine';

/** What a raw op string says: a leaf, one of the bundled engine's ops, or nothing we know. */
export type RawOp =
  | { kind: 'leaf' }
  | {
      kind: 'op';
      name: OpName;
      /** pow: the exponent when the string carries it ('**2', '^0.5'). */
      exponent?: number;
      /**
       * PyTorch's `…Backward1` forms take a plain number as the second operand (`a * 2`), which
       * is not a node; `reversed` is `2 - a` (RsubBackward1) and `b - a` (RsubBackward0).
       */
      scalarOperand?: boolean;
      reversed?: boolean;
    }
  | { kind: 'unknown' };

/** Words and symbols, lower case, for each op. */
const SPELLINGS: Record<string, OpName> = {
  '+': 'add',
  add: 'add',
  plus: 'add',
  '*': 'mul',
  mul: 'mul',
  multiply: 'mul',
  times: 'mul',
  '-': 'sub',
  sub: 'sub',
  minus: 'sub',
  subtract: 'sub',
  '/': 'div',
  div: 'div',
  divide: 'div',
  truediv: 'div',
  '**': 'pow',
  '^': 'pow',
  pow: 'pow',
  power: 'pow',
  neg: 'neg',
  negate: 'neg',
  exp: 'exp',
  log: 'log',
  ln: 'log',
  relu: 'relu',
  tanh: 'tanh',
};

/** PyTorch's autograd function classes (grad_fn's type name without `Backward<k>`). */
const TORCH: Record<string, { name: OpName; reversed?: true }> = {
  add: { name: 'add' },
  sub: { name: 'sub' },
  rsub: { name: 'sub', reversed: true },
  mul: { name: 'mul' },
  div: { name: 'div' },
  pow: { name: 'pow' },
  neg: { name: 'neg' },
  exp: { name: 'exp' },
  log: { name: 'log' },
  relu: { name: 'relu' },
  tanh: { name: 'tanh' },
};

/** `**2`, `** -1`, `^0.5`, `**1e-3`: pow with the exponent in the string. */
const POW_WITH_EXPONENT = /^(?:\*\*|\^)\s*\(?\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*\)?$/i;

/** `AddBackward0`, `MulBackward1`: PyTorch's names; the digit says which overload. */
const TORCH_NAME = /^([A-Za-z]+)Backward(\d+)$/;

/** Reads `raw` (with a pow exponent given by the tracer in its own field, if any). */
export function readRawOp(raw: string, exponentField: number | null = null): RawOp {
  const s = raw.trim();
  // PyTorch's leaves hold an AccumulateGrad node when reached through next_functions.
  if (s === '' || s === 'AccumulateGrad') return { kind: 'leaf' };
  // 1/x: micrograd's x**-1, PyTorch's ReciprocalBackward0.
  if (/^(?:ReciprocalBackward\d+|reciprocal|recip)$/i.test(s)) return { kind: 'op', name: 'pow', exponent: -1 };
  const pow = POW_WITH_EXPONENT.exec(s);
  if (pow) {
    const exponent = Number(pow[1]);
    return Number.isFinite(exponent) ? { kind: 'op', name: 'pow', exponent } : { kind: 'unknown' };
  }
  const torch = TORCH_NAME.exec(s);
  if (torch) {
    const op = TORCH[torch[1].toLowerCase()];
    if (!op) return { kind: 'unknown' };
    const result: RawOp = { kind: 'op', name: op.name };
    if (op.reversed) result.reversed = true;
    // The overload 1 of add, sub, rsub, mul and div takes a Python number as its other operand.
    if (torch[2] === '1' && ['add', 'sub', 'mul', 'div'].includes(op.name)) result.scalarOperand = true;
    if (op.name === 'pow' && exponentField !== null) result.exponent = exponentField;
    return result;
  }
  const name = SPELLINGS[s.toLowerCase()];
  if (name === undefined) return { kind: 'unknown' };
  return name === 'pow' && exponentField !== null
    ? { kind: 'op', name, exponent: exponentField }
    : { kind: 'op', name };
}

/**
 * An op the bundled engine does not have but can compute from its own ten (./checkGraph.ts expands
 * the node into them): an engine's sigmoid, and a number raised to a Value (`2 ** x` recorded as
 * one node, micrograd ports' `__rpow__`, PyTorch's PowBackward2). `base` when the op string
 * carries the number (`2**`); else it is recovered from the values. A pow of two Values (`a ** b`)
 * is read by readRawOp as pow; its two node operands say the exponent is a Value.
 */
export type CompositeOp = { kind: 'composite'; name: 'sigmoid' } | { kind: 'composite'; name: 'rpow'; base?: number };

const SIGMOID = /^(?:sigmoid|sig|σ|logistic|SigmoidBackward\d+)$/i;
const RPOW = /^(?:rpow|__rpow__|r\*\*|PowBackward2)$/i;
/** `2**`, `2 ^`, `(2)**`: the number is the base, the node operand the exponent. */
const RPOW_WITH_BASE = /^\(?\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*\)?\s*(?:\*\*|\^)$/i;

/** Reads `raw` as one of the composites; null for anything else (readRawOp's ops included). */
export function readCompositeOp(raw: string): CompositeOp | null {
  const s = raw.trim();
  if (SIGMOID.test(s)) return { kind: 'composite', name: 'sigmoid' };
  if (RPOW.test(s)) return { kind: 'composite', name: 'rpow' };
  const withBase = RPOW_WITH_BASE.exec(s);
  if (withBase) {
    const base = Number(withBase[1]);
    if (Number.isFinite(base)) return { kind: 'composite', name: 'rpow', base };
  }
  return null;
}
