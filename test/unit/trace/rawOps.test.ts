// The op strings of micrograd ports and PyTorch's grad_fn names, read as the bundled engine's ops;
// anything else is unknown (and the engine check is skipped), never guessed.
import * as assert from 'assert';
import { readCompositeOp, readRawOp } from '../../../src/trace/rawOps';

describe('trace: raw op strings', () => {
  it('reads the ports\u2019 spellings and PyTorch\u2019s names', () => {
    const table: [string, number | null, unknown][] = [
      ['', null, { kind: 'leaf' }],
      ['AccumulateGrad', null, { kind: 'leaf' }],
      ['+', null, { kind: 'op', name: 'add' }],
      ['*', null, { kind: 'op', name: 'mul' }],
      ['-', null, { kind: 'op', name: 'sub' }],
      ['/', null, { kind: 'op', name: 'div' }],
      ['**2', null, { kind: 'op', name: 'pow', exponent: 2 }],
      ['** -1', null, { kind: 'op', name: 'pow', exponent: -1 }],
      ['^0.5', null, { kind: 'op', name: 'pow', exponent: 0.5 }],
      ['**(3)', null, { kind: 'op', name: 'pow', exponent: 3 }],
      ['pow', 3, { kind: 'op', name: 'pow', exponent: 3 }],
      ['pow', null, { kind: 'op', name: 'pow' }],
      ['**', null, { kind: 'op', name: 'pow' }],
      ['ReLU', null, { kind: 'op', name: 'relu' }],
      ['relu', null, { kind: 'op', name: 'relu' }],
      ['tanh', null, { kind: 'op', name: 'tanh' }],
      ['exp', null, { kind: 'op', name: 'exp' }],
      ['log', null, { kind: 'op', name: 'log' }],
      ['neg', null, { kind: 'op', name: 'neg' }],
      ['times', null, { kind: 'op', name: 'mul' }],
      ['AddBackward0', null, { kind: 'op', name: 'add' }],
      ['AddBackward1', null, { kind: 'op', name: 'add', scalarOperand: true }],
      ['MulBackward0', null, { kind: 'op', name: 'mul' }],
      ['SubBackward0', null, { kind: 'op', name: 'sub' }],
      ['RsubBackward1', null, { kind: 'op', name: 'sub', reversed: true, scalarOperand: true }],
      ['DivBackward0', null, { kind: 'op', name: 'div' }],
      ['PowBackward0', 2, { kind: 'op', name: 'pow', exponent: 2 }],
      ['TanhBackward0', null, { kind: 'op', name: 'tanh' }],
      ['ExpBackward0', null, { kind: 'op', name: 'exp' }],
      ['ReluBackward0', null, { kind: 'op', name: 'relu' }],
      ['LogBackward0', null, { kind: 'op', name: 'log' }],
      ['NegBackward0', null, { kind: 'op', name: 'neg' }],
      ['ReciprocalBackward0', null, { kind: 'op', name: 'pow', exponent: -1 }],
    ];
    for (const [raw, exponent, expected] of table) assert.deepStrictEqual(readRawOp(raw, exponent), expected, raw);
  });

  it('anything else is unknown', () => {
    for (const raw of ['sigmoid', 'SumBackward0', 'MeanBackward0', 'matmul', '**x', '@', 'SigmoidBackward0', '**1e999'])
      assert.deepStrictEqual(readRawOp(raw), { kind: 'unknown' }, raw);
  });

  it('reads the composites the check expands: sigmoid and a number raised to a Value', () => {
    for (const raw of ['sigmoid', 'Sigmoid', 'sig', 'σ', 'logistic', 'SigmoidBackward0'])
      assert.deepStrictEqual(readCompositeOp(raw), { kind: 'composite', name: 'sigmoid' }, raw);
    for (const raw of ['rpow', '__rpow__', 'r**', 'PowBackward2'])
      assert.deepStrictEqual(readCompositeOp(raw), { kind: 'composite', name: 'rpow' }, raw);
    for (const [raw, base] of [
      ['2**', 2],
      ['2.5 **', 2.5],
      ['(-3)^', -3],
      ['1e-2**', 0.01],
    ] as const)
      assert.deepStrictEqual(readCompositeOp(raw), { kind: 'composite', name: 'rpow', base }, raw);
    for (const raw of ['**', '**2', 'pow', 'tanh', '', 'sigmoid2', 'x**', 'PowBackward1'])
      assert.strictEqual(readCompositeOp(raw), null, raw);
  });
});
