// The rest of the public API: notebooks, Differentiate Selection, the bindings input box, the
// hover's locate, DOT and the shared number formatter.
import * as assert from 'assert';
import { analyzeCells, analyzeSelection, formatNumber, lensToDot, locate, parseBindings } from '../../../src/core';
import { close, ok, range, textAt } from './helpers';

describe('core: analyzeCells', () => {
  it('names resolve through the cells above; ranges are relative to each cell', () => {
    const cells = ['x = 2\nw = -3', 'n = x * w', 'y = n.tanh()  # @grad'];
    const lenses = analyzeCells(cells);
    assert.deepStrictEqual(
      lenses.map((l) => l.length),
      [0, 0, 1],
    );
    const lens = lenses[2][0];
    assert.strictEqual(lens.line, 0);
    assert.deepStrictEqual(lens.targetRange, range(0, 0, 1));
    close(lens.value, Math.tanh(-6));
    const x = lens.variables.find((v) => v.name === 'x')!;
    assert.deepStrictEqual(x.definedAt, { ...range(0, 0, 1), cell: 0 });
    const n = lens.variables.find((v) => v.name === 'n')!;
    assert.strictEqual(n.definedAt.cell, 1);
  });

  it('cells below do not count, and no statement runs across cells', () => {
    const lenses = analyzeCells(['y = (x  # @grad x=1', ') * 2']);
    assert.strictEqual(lenses[0][0].problems[0].code, 'parse');
    const later = analyzeCells(['y = z * 2  # @grad', 'z = 1']);
    assert.strictEqual(later[0][0].problems[0].code, 'unbound');
  });
});

describe('core: analyzeSelection', () => {
  const text = 'x1 = 2.0\nw1 = -3.0\nn = x1*w1 + 1\no = n.tanh()  # @grad';

  it('a selected sub-expression resolves names from above the selection', () => {
    const lens = analyzeSelection(text, range(2, 4, 9));
    assert.strictEqual(lens.target, 'x1*w1');
    assert.strictEqual(lens.value, -6);
    assert.deepStrictEqual(
      lens.variables.map((v) => [v.name, v.grad]),
      [
        ['x1', -3],
        ['w1', 2],
      ],
    );
  });

  it('a whole annotated line', () => {
    const lens = analyzeSelection(text, range(3, 0, 20));
    assert.strictEqual(lens.target, 'o');
    close(lens.value, Math.tanh(-5));
  });

  it('a selection on the line of its own assignment reads the earlier value', () => {
    const lens = analyzeSelection('c = 1\nc = c * 3', range(1, 4, 9));
    assert.strictEqual(lens.value, 3);
  });

  it('missing values give unbound problems with the name; bindings fill them', () => {
    const missing = analyzeSelection('y = a * b', range(0, 4, 9));
    assert.deepStrictEqual(
      missing.problems.map((p) => [p.code, p.name]),
      [
        ['unbound', 'a'],
        ['unbound', 'b'],
      ],
    );
    assert.match(missing.problems[0].message, /above the selection/);
    const given = analyzeSelection('y = a * b', range(0, 4, 9), { bindings: { a: 2, b: 5 } });
    assert.strictEqual(given.value, 10);
  });

  it('given bindings win over the annotation, prelude cells supply names', () => {
    const lens = analyzeSelection('y = a * b  # @grad a=1 b=1', range(0, 0, 26), { bindings: { a: 3 } });
    assert.strictEqual(lens.value, 3);
    const withPrelude = analyzeSelection('y = a * 2', range(0, 4, 9), { prelude: ['a = 4'] });
    assert.strictEqual(withPrelude.value, 8);
    assert.strictEqual(withPrelude.variables[0].definedAt.cell, 0);
  });

  it('an empty selection is an error, not a throw', () => {
    const lens = analyzeSelection('   \n', range(0, 0, 2));
    assert.strictEqual(lens.value, null);
    assert.match(lens.problems[0].message, /select an expression/);
  });
});

describe('core: parseBindings', () => {
  it('commas or spaces, signs and exponents', () => {
    // The record has no prototype (see bindings.test.ts): compare its entries.
    const entries = (text: string) =>
      Object.entries((parseBindings(text) as { bindings: Record<string, number> }).bindings);
    assert.deepStrictEqual(entries('z=1.0, w=-3'), [
      ['z', 1],
      ['w', -3],
    ]);
    assert.deepStrictEqual(entries('z=1 w=2'), [
      ['z', 1],
      ['w', 2],
    ]);
    assert.deepStrictEqual(entries(' a = 1e-3 ,b=+.5 '), [
      ['a', 0.001],
      ['b', 0.5],
    ]);
    assert.deepStrictEqual(entries(''), []);
  });

  it('errors say what is wrong', () => {
    assert.match((parseBindings('z') as { error: string }).error, /expected name=number, got `z`/);
    assert.match((parseBindings('z=abc') as { error: string }).error, /expected name=number/);
    assert.match((parseBindings('z=1e999') as { error: string }).error, /not a finite number/);
    assert.match((parseBindings('z=1 z=2') as { error: string }).error, /bound twice/);
  });
});

describe('core: locate', () => {
  const text = 'x1 = 2\nw1 = -3\nx1w1 = x1*w1\no = x1w1.tanh()  # @grad';
  const lens = ok(text);

  it('a variable occurrence, its definition, and a cursor just after it', () => {
    const at = locate(lens, { line: 2, character: 8 });
    assert.ok(at && at.kind === 'variable');
    assert.strictEqual(at.variable.name, 'x1');
    assert.strictEqual(textAt(text, at.range), 'x1');
    const def = locate(lens, { line: 0, character: 1 });
    assert.ok(def && def.kind === 'variable' && def.variable.name === 'x1');
    const after = locate(lens, { line: 3, character: 8 });
    assert.ok(after && after.kind === 'variable' && after.variable.name === 'x1w1');
  });

  it('an operator inside an expanded assignment, and a method name', () => {
    const mul = locate(lens, { line: 2, character: 9 });
    assert.ok(mul && mul.kind === 'op');
    assert.strictEqual(mul.op.op, 'mul');
    assert.deepStrictEqual(mul.op.inputs, [2, -3]);
    const tanh = locate(lens, { line: 3, character: 10 });
    assert.ok(tanh && tanh.kind === 'op' && tanh.op.op === 'tanh');
  });

  it('nothing under the cursor', () => {
    assert.strictEqual(locate(lens, { line: 3, character: 18 }), undefined);
  });
});

describe('core: lensToDot and formatNumber', () => {
  it('DOT in draw_dot style, constants quieter', () => {
    const dot = lensToDot(ok('x = 2\ny = x * 3  # @grad'));
    assert.match(dot, /^digraph \{/);
    assert.match(dot, /\bn0 \[label="\{ x \| data 2\.0000 \| grad 3\.0000 \}", shape=record, style=bold\];/);
    assert.match(
      dot,
      /\bn1 \[label="\{ {2}\| data 3\.0000 \| grad 2\.0000 \}", shape=record, color=gray50, fontcolor=gray40\];/,
    );
    assert.match(dot, /\bn2op \[label="\*"\];/);
    assert.match(dot, /\bn0 -> n2op;/);
    assert.match(lensToDot(ok('x = 2\ny = x * 3  # @grad'), 1), /data 2\.0 \| grad 3\.0/);
  });

  it('DOT for a lens with an error says why', () => {
    const dot = lensToDot(analyzeSelection('y = log(0)', range(0, 4, 10)));
    assert.match(dot, /label=".*log of a non-positive number/);
  });

  it('formatNumber: 4 decimals by default, exponent form when fixed would hide the number', () => {
    assert.strictEqual(formatNumber(0.70710678), '0.7071');
    assert.strictEqual(formatNumber(-1.5), '-1.5000');
    assert.strictEqual(formatNumber(2, 2), '2.00');
    assert.strictEqual(formatNumber(-0.00001), '-1.0000e-5');
    assert.strictEqual(formatNumber(-0), '0.0000');
    assert.strictEqual(formatNumber(-0.00004, 2), '-4.00e-5');
    assert.strictEqual(formatNumber(1e20), '1.0000e+20');
  });
});
