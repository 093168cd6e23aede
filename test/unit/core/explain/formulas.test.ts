// The symbolic partials of issue 11, item 1: for every op and every composite, the formula the
// explanation writes, read back with the lens's own numbers, is the gradient the engine computed;
// and the lines read the way the issue writes them.
import * as assert from 'assert';
import { analyzeText, type Lens, type VariableResult } from '../../../../src/core';
import { explanationLine, formulaText } from '../../../../src/core/explain';
import { ok } from '../helpers';
import { evaluateFormula } from './formulaEval';

const PY = { comments: 'hash' as const };

function envOf(lens: Lens) {
  const values = new Map<string, number>();
  const grads = new Map<string, number>();
  for (const v of lens.variables) {
    values.set(v.name, v.value);
    grads.set(v.name, v.grad);
  }
  if (lens.value !== null) values.set(lens.target, lens.value);
  return { values, grads };
}

function variable(lens: Lens, name: string): VariableResult {
  const found = lens.variables.find((v) => v.name === name);
  assert.ok(found, `no variable ${name}`);
  return found;
}

/** Every variable's formula, evaluated as written, equals its gradient. */
function checkFormulas(lens: Lens): void {
  const env = envOf(lens);
  for (const v of lens.variables) {
    const explanation = v.explanation;
    assert.ok(explanation, `${v.name} has no explanation`);
    const formula = formulaText(explanation);
    assert.ok(formula !== undefined, `${v.name} has no formula`);
    const read = evaluateFormula(formula, env);
    const scale = Math.max(1, Math.abs(v.grad));
    assert.ok(
      Math.abs(read - v.grad) <= 1e-9 * scale,
      `∂${lens.target}/∂${v.name} = ${formula} reads ${read}, the engine says ${v.grad}`,
    );
  }
}

const LEAVES = 'x = 0.7\ny = -1.3\n';

describe('explain: symbolic partials, read back with the numbers', () => {
  const cases: [string, string][] = [
    ['add', 'x + y'],
    ['sub', 'x - y'],
    ['mul', 'x * y'],
    ['div', 'x / y'],
    ['pow 2', 'x ** 2'],
    ['pow 3', 'y ** 3'],
    ['pow 0.5', 'x ** 0.5'],
    ['pow -1', 'y ** -1'],
    ['pow -2', 'x ** -2'],
    ['pow 1', 'x ** 1 * y'],
    ['pow 0', 'x ** 0 + y'],
    ['neg', '-x * y'],
    ['exp', '(x * y).exp()'],
    ['log', '(x * x).log()'],
    ['relu above 0', 'x.relu() * y'],
    ['relu below 0', 'y.relu() * x'],
    ['tanh', '(x * y).tanh()'],
    ['sigmoid', 'sigmoid(x * y)'],
    ['softplus', 'softplus(x * y)'],
    ['abs', 'abs(y) * x'],
    ['max', 'max(x, y)'],
    ['min', 'min(x, y) * x'],
    ['square', 'square(x + y)'],
    ['cube', 'cube(y)'],
    ['sqrt', 'sqrt(x)'],
    ['reciprocal', 'reciprocal(y)'],
    ['leaky_relu', 'leaky_relu(y) + leaky_relu(x)'],
    ['sum', 'sum([x, y, x * y])'],
    ['mean', 'mean([x, y, x * y])'],
    ['constant-base power', '2 ** x'],
    ['a name used twice in one op', 'x * x'],
    ['a name used in several ops', 'x * y + x / y - x'],
  ];
  for (const [name, expr] of cases) {
    it(name, () => checkFormulas(ok(`${LEAVES}o = ${expr}  # @grad\n`, PY)));
  }

  it('through named intermediates, and uses of an intermediate', () => {
    checkFormulas(ok(`${LEAVES}n = x * y\nm = n.tanh()\no = m * n + m  # @grad\n`, PY));
  });

  it("micrograd's neuron reads as the issue writes it", () => {
    const lens = ok(
      [
        'x1 = 2.0',
        'x2 = 0.0',
        'w1 = -3.0',
        'w2 = 1.0',
        'b = 6.8813735870195432',
        'x1w1 = x1*w1',
        'x2w2 = x2*w2',
        'x1w1x2w2 = x1w1 + x2w2',
        'n = x1w1x2w2 + b',
        'o = n.tanh()  # @grad',
        '',
      ].join('\n'),
      PY,
    );
    const w1 = variable(lens, 'w1');
    assert.strictEqual(
      explanationLine(lens.target, 'w1', w1.grad, w1.explanation!, 4),
      '∂o/∂w1 = x1 · (1 − o²) = 2.0000 × 0.5000 = 1.0000',
    );
    const n = variable(lens, 'n');
    assert.strictEqual(explanationLine(lens.target, 'n', n.grad, n.explanation!, 4), '∂o/∂n = 1 − o² = 0.5000');
    checkFormulas(lens);
  });

  it('a variable used twice: each use and the sum', () => {
    const lens = ok('a = 3.0\nb = a + a  # @grad\n', PY);
    const a = variable(lens, 'a');
    assert.deepStrictEqual(a.explanation!.paths, [
      { via: 'first a', contribution: 1 },
      { via: 'second a', contribution: 1 },
    ]);
    assert.strictEqual(
      explanationLine('b', 'a', a.grad, a.explanation!, 4),
      '∂b/∂a = 1 + 1 = 1.0000 (first a) + 1.0000 (second a) = 2.0000',
    );
  });

  it('uses in different statements are named by what uses them', () => {
    const lens = ok('x = 2.0\np = x * 3\nq = x * 5\no = p + q  # @grad\n', PY);
    assert.deepStrictEqual(
      variable(lens, 'x').explanation!.paths.map((p) => p.via),
      ['first x in q', 'second x in p'], // the engine adds q's contribution first: q was made last
    );
  });

  it('signs are taken out in front, and factors of 1 are left out', () => {
    const lens = ok(`${LEAVES}n = x - y\no = -(n * 2)  # @grad\n`, PY);
    assert.strictEqual(formulaText(variable(lens, 'y').explanation!), '2');
    assert.strictEqual(formulaText(variable(lens, 'x').explanation!), '−2');
    checkFormulas(lens);
  });

  it('a long chain shows its first factors, then the gradient of a name further up', () => {
    const lines = ['x = 0.5', 'h0 = x * 1.01'];
    for (let k = 1; k <= 30; k++) lines.push(`h${k} = h${k - 1} * 1.01`);
    lines.push('o = h30  # @grad', '');
    const lens = analyzeText(lines.join('\n'), PY)[0];
    const formula = formulaText(variable(lens, 'x').explanation!) ?? '';
    assert.match(formula, /^1\.01 · 1\.01 · .* · ∂o\/∂h\d+$/);
    assert.ok(formula.length < 120, formula);
    checkFormulas(lens);
  });

  it('the output itself', () => {
    const lens = ok('x = 2.0\ny = x * 3\no = y  # @grad\n', PY);
    assert.deepStrictEqual(variable(lens, 'y').explanation!.paths, [{ via: 'y is the output', contribution: 1 }]);
    checkFormulas(lens);
  });

  it('TypeScript spellings read the same way', () => {
    const lens = ok('const a = new Value(2);\nconst b = new Value(-3);\nconst c = a.mul(b).add(a).tanh(); // @grad\n', {
      comments: 'slash',
    });
    checkFormulas(lens);
  });
});

describe('explain: atoms and parentheses', () => {
  it('wraps what needs it and strips only a pair around everything', async () => {
    const { atom, bare, isAtom } = await import('../../../../src/core/explain/printing');
    for (const text of ['x1', 'x²', 'tanh(n)', '(a + b)', '(x * w).tanh()', '[n > 0]', '∂o/∂n', '2.5'])
      assert.ok(isAtom(text), text);
    for (const text of ['a + b', 'x*w', '−x', '2·x', '(a) + (b)', '1 − o²']) assert.ok(!isAtom(text), text);
    assert.strictEqual(atom('1 − o²'), '(1 − o²)');
    assert.strictEqual(bare('(a + b)'), 'a + b');
    assert.strictEqual(bare('(x * w).tanh()'), '(x * w).tanh()');
    assert.strictEqual(bare('(a) + (b)'), '(a) + (b)');
  });
});
