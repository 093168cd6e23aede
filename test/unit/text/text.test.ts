// The extension's pure text builders (no vscode): CodeLens titles, hover Markdown and the local
// derivatives of the seed's table, on lenses from the real core.
import * as assert from 'assert';
import { analyzeText, type Lens, type OpSite } from '../../../src/core';
import { describeOp } from '../../../src/text/opDescriptions';
import { codeBlock, inlineCode, lensHover, opHover, variableHover } from '../../../src/text/hoverMarkdown';
import { opSymbol, tanhDerivative } from '../../../engine';
import { firstError } from '../../../src/core';
import { displayNumber, errorTitle, partial, valuesTitle } from '../../../src/text/lensTitle';

const NEURON = [
  'x1 = 2.0',
  'x2 = 0.0',
  'w1 = -3.0',
  'w2 = 1.0',
  'b = 6.8813735870195432',
  'n = x1*w1 + x2*w2 + b',
  'o = n.tanh()  # @grad',
].join('\n');

function onlyLens(text: string): Lens {
  const lenses = analyzeText(text, { comments: 'hash' });
  assert.strictEqual(lenses.length, 1);
  return lenses[0];
}

function site(op: OpSite['op'], inputs: number[], output: number, extra: Partial<OpSite> = {}): OpSite {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  return {
    op,
    symbol: opSymbol(op, extra.exponent),
    range,
    expressionRange: range,
    inputs,
    output,
    grad: 0.5,
    ...extra,
  };
}

describe('CodeLens titles', () => {
  it('lists the value, every gradient and the gradcheck, with real minus signs', () => {
    assert.strictEqual(
      valuesTitle(onlyLens(NEURON), 4, 8),
      'o = 0.7071 · ∂o/∂x1 = −1.5000 · ∂o/∂x2 = 0.5000 · ∂o/∂w1 = 1.0000 · ∂o/∂w2 = 0.0000 · ∂o/∂b = 0.5000 · ∂o/∂n = 0.5000 · ✓ gradcheck',
    );
  });

  it('ends a long list with "+N more"', () => {
    assert.strictEqual(
      valuesTitle(onlyLens(NEURON), 2, 3),
      'o = 0.71 · ∂o/∂x1 = −1.50 · ∂o/∂x2 = 0.50 · ∂o/∂w1 = 1.00 · +3 more · ✓ gradcheck',
    );
    assert.strictEqual(valuesTitle(onlyLens(NEURON), 4, 0), 'o = 0.7071 · +6 more · ✓ gradcheck');
  });

  it('omits the gradcheck when it is off', () => {
    const lens = analyzeText('a = 2.0\nb = a * a  # @grad', { comments: 'hash', gradcheck: { enabled: false } })[0];
    assert.strictEqual(valuesTitle(lens, 4, 8), 'b = 4.0000 · ∂b/∂a = 4.0000');
  });

  it('parenthesises a target that is an expression', () => {
    assert.strictEqual(partial('o', 'x1'), '∂o/∂x1');
    assert.strictEqual(partial('a*b', 'a'), '∂(a*b)/∂a');
  });

  it('formats numbers with U+2212 and never "-0"', () => {
    assert.strictEqual(displayNumber(-1.5, 4), '−1.5000');
    assert.strictEqual(displayNumber(-0, 4), '0.0000');
    assert.ok(!displayNumber(-1e-9, 4).includes('-'));
  });

  it('keeps an error lens short and on one line', () => {
    const lens = onlyLens(`r = ${'q'.repeat(200)} * 2  # @grad`);
    const problem = firstError(lens);
    assert.ok(problem);
    const title = errorTitle(lens, problem);
    assert.ok(title.startsWith('✗ r: '), title);
    assert.ok(title.length <= 90 && title.endsWith('…'), title);
  });
});

describe('Hover Markdown', () => {
  it('names the composite an op belongs to, and the seed ops it is made of', () => {
    const [lens] = analyzeText('a = Value(0.5)\ny = sigmoid(a)  # @grad\n', { comments: 'hash' });
    assert.deepStrictEqual(
      lens.ops.map((op) => op.composite?.name),
      ['sigmoid', 'sigmoid', 'sigmoid', 'sigmoid'],
    );
    const header = opHover(lens, lens.ops[3], 'sigmoid', 4).split('\n')[0];
    assert.match(
      header,
      /`sigmoid` · sigmoid, a composite of the seed's ops \(neg, exp, add, div; the graph shows each\)/,
    );
    const [plain] = analyzeText('a = Value(0.5)\ny = a.tanh()  # @grad\n', { comments: 'hash' });
    assert.strictEqual(plain.ops[0].composite, undefined);
  });

  it('describes a leaf: value, gradient, kind and where it is defined', () => {
    const lens = onlyLens(NEURON);
    const x1 = lens.variables.find((variable) => variable.name === 'x1')!;
    const text = variableHover(lens, x1, 4);
    // The gradient comes with its chain rule (issue 11): the formula, the numbers, the result.
    for (const part of [
      'x1 = 2.0000',
      '∂o/∂x1 = w1 · (1 − o²) = −3.0000 × 0.5000 = −1.5000',
      'leaf',
      'assigned on line 1',
    ])
      assert.ok(text.includes(part), text);
  });

  it('lists every variable and the gradcheck in the lens hover', () => {
    const text = lensHover(onlyLens(NEURON), 4);
    assert.strictEqual((text.match(/∂o\/∂/g) ?? []).length, 6, text);
    for (const part of [
      'o = 0.7071',
      '∂o/∂w2 = 0.0000    (w2 = 1.0000, leaf)',
      '∂o/∂n = 0.5000    (n = 0.8814, intermediate)',
      'gradcheck ✓',
    ]) {
      assert.ok(text.includes(part), `${part} missing in\n${text}`);
    }
  });

  it("fills the seed's local derivative of * with the operands", () => {
    const text = opHover(onlyLens(NEURON), site('mul', [2, 3], 6), '*', 4);
    for (const part of ['c = a · b', '∂c/∂a = b = 3.0000', '∂c/∂b = a = 2.0000', '∂o/∂a += 3.0000 × 0.5000 = 1.5000']) {
      assert.ok(text.includes(part), `${part} missing in\n${text}`);
    }
  });

  it('keeps untrusted text inert: inline code and fences outgrow any backticks', () => {
    assert.strictEqual(inlineCode('a`b'), '``a`b``');
    assert.strictEqual(inlineCode('`x'), '`` `x ``');
    const block = codeBlock(['```', 'x']);
    assert.ok(block.startsWith('````text\n') && block.endsWith('\n````'), block);
  });
});

describe("Local derivatives in the hover (the seed's table)", () => {
  const cases: Array<[OpSite, Array<[string, number]>]> = [
    [
      site('add', [2, 3], 5),
      [
        ['1', 1],
        ['1', 1],
      ],
    ],
    [
      site('sub', [2, 3], -1),
      [
        ['1', 1],
        ['−1', -1],
      ],
    ],
    [site('neg', [2], -2), [['−1', -1]]],
    [
      site('mul', [2, 3], 6),
      [
        ['b', 3],
        ['a', 2],
      ],
    ],
    [
      site('div', [6, 3], 2),
      [
        ['1/b', 1 / 3],
        ['−a/b²', -2 / 3],
      ],
    ],
    [site('pow', [2], 8, { exponent: 3 }), [['3·a^2', 12]]],
    [site('exp', [0], 1), [['c', 1]]],
    [site('log', [4], Math.log(4)), [['1/a', 0.25]]],
    [site('relu', [0], 0), [['[a > 0]', 0]]],
    [site('relu', [2], 2), [['[a > 0]', 1]]],
    [site('tanh', [0.5], Math.tanh(0.5)), [['1 − c²', tanhDerivative(0.5, Math.tanh(0.5))]]],
    // Hostile input: the value is sech²(a), right where 1 − c² has lost its digits (2.2e-16 at 19) …
    [site('tanh', [19], Math.tanh(19)), [['1 − c²', tanhDerivative(19, Math.tanh(19))]]],
    // … and ∂c/∂b = −(a/b)/b, where −a/b² underflowed to −Infinity for |b| < 1e-162.
    [
      site('div', [1e-170, 1e-170], 1),
      [
        ['1/b', 1e170],
        ['−a/b²', -1e170],
      ],
    ],
  ];
  for (const [op, expected] of cases) {
    it(`${op.op}(${op.inputs.join(', ')})`, () => {
      assert.deepStrictEqual(
        describeOp(op).derivatives.map((each) => [each.formula, each.value]),
        expected,
      );
    });
  }

  it('tanh at 19: the digits shown are sech²(19) = 1.2557e-16, not 1 − c² = 2.2204e-16', () => {
    const [derivative] = describeOp(site('tanh', [19], Math.tanh(19))).derivatives;
    assert.ok(Math.abs(derivative.value - 1.2556531168192118e-16) <= 1e-30, String(derivative.value));
  });
});
