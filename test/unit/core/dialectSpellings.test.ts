// The spellings of micrograd's dialects (test/fixtures/dialects/CATALOGUE.md): leaves by any of the
// ports' constructors and label styles, ops as operators, methods, free functions, aliases and
// static functions, composites desugared into the seed's ten ops, and constant-base powers. Each
// is checked against plain maths; a property checks that every spelling of the same maths agrees.
import * as assert from 'assert';
import * as fc from 'fast-check';
import type { AnalyzeOptions } from '../../../src/core';
import type { Expr } from '../../../src/core/ast';
import { parseExpression } from '../../../src/core/parser';
import { scan } from '../../../src/core/scanner';
import type { ScanResult } from '../../../src/core/tokens';
import { close, grad, ok, only } from './helpers';

const PY: AnalyzeOptions = { comments: 'hash' };
const JS: AnalyzeOptions = { comments: 'slash' };

/** The value and gradients of `y` over leaves a = 2 and b = -3, spelt by `leafA` and `leafB`. */
function twoLeaves(leafA: string, leafB: string, options: AnalyzeOptions): void {
  const semi = options === JS ? ';' : '';
  const comment = options === JS ? '//' : '#';
  // JavaScript has no operator overloading: on Values, only the methods.
  const y = options === JS ? 'a.mul(b).add(a)' : 'a * b + a';
  const text = `a = ${leafA}${semi}\nb = ${leafB}${semi}\ny = ${y}${semi}  ${comment} @grad`;
  const lens = ok(text, options);
  close(lens.value, 2 * -3 + 2);
  close(grad(lens, 'a'), -3 + 1);
  close(grad(lens, 'b'), 2);
}

describe('core: dialect spellings of a leaf', () => {
  it('Python: Value, Scalar, Tensor, keyword, positional, options and fourth-argument labels', () => {
    for (const [a, b] of [
      ['Value(2.0)', 'Value(-3.0)'],
      ["Value(2.0, label='a')", "Value(-3.0, name='b')"],
      ["Value(2.0, 'a')", "Value(data=-3.0, label='b')"],
      ["Value(2.0, (), '', 'a')", "Value(-3.0, [], '')"],
      ["Scalar(2.0, label='a')", 'Tensor(-3.0, requires_grad=True)'],
      ['Tensor([2.0], requires_grad=True)', 'torch.tensor(-3.0, requires_grad=True, dtype=torch.float64)'],
      ['Var(1.0 + 1.0)', 'Variable(-3)'],
    ])
      twoLeaves(a, b, PY);
  });

  it('by shape: a number first from a class-like name or after new, or any name with a label', () => {
    for (const [a, b] of [
      ['Node(2.0)', 'new Dual(-3)'],
      ["scalar(2, { label: 'a' })", "mk(-3, 'b')"],
    ])
      twoLeaves(a, b, JS);
    twoLeaves("val(2.0, label='a')", 'Num(-3.0)', PY);
    // Never by shape: an op, a network's class, a class of the file that stores no data, no number first.
    for (const text of ['y = Neuron(2) * 3  # @grad', 'y = mk(2) * 3  # @grad', 'y = Node(a) * 3  # @grad'])
      assert.strictEqual(only(text, PY).value, null, text);
    assert.strictEqual(ok('a = Value(2.0)\ny = tanh(2) * a  # @grad', PY).value, 2 * Math.tanh(2));
  });

  it('PyTorch: a tensor without requires_grad=True is a constant, with no gradient', () => {
    const text =
      'import torch\nx = torch.tensor(2.0)\nw = torch.tensor(-3.0, requires_grad=True)\ny = x * w + torch.tensor(1.0)  # @grad\n';
    const lens = ok(text, PY);
    assert.strictEqual(lens.value, -5);
    assert.deepStrictEqual(
      lens.variables.map((v) => [v.name, v.grad]),
      [['w', 2]],
    );
    const off = ok(
      'import torch\nw = torch.tensor(-3.0, requires_grad=False)\nv = Value(2.0)\ny = w * v  # @grad\n',
      PY,
    );
    assert.deepStrictEqual(
      off.variables.map((v) => v.name),
      ['v'],
    );
    // Without torch in the file, a port's own `Tensor` is a leaf like any other.
    assert.strictEqual(ok('a = Tensor(2.0)\ny = a * 3  # @grad\n', PY).variables.length, 1);
  });

  it('JavaScript: new or not, options objects, factories, static factories', () => {
    for (const [a, b] of [
      ['new Value(2)', 'new Value(-3)'],
      ["new Value(2, { label: 'a' })", "v(-3, { label: 'b' })"],
      ["new Value({ data: 2, label: 'a' })", "new Scalar(-3, 'b')"],
      ["V.W(2, 'a')", "V.C(-3, 'b')"],
      ['Value.from(2)', 'ensureValue(-3)'],
      ['new autodiff.Value(2)', "new Value(-3, [], '', 'b')"],
      ["new Value(2, 'a', true)", 'new Value({ data: -3, requiresGrad: false })'],
    ])
      twoLeaves(a, b, JS);
  });

  it('an inline leaf keeps its label, whichever way it is given', () => {
    const labelled = (lens: ReturnType<typeof ok>): { grad: number } | undefined =>
      lens.graph?.nodes.find((n) => n.label === 'x');
    for (const leaf of [
      "Value(2.0, label='x')",
      "Value(2.0, name='x')",
      "Value(2.0, 'x')",
      "Value(2.0, (), '', 'x')",
    ]) {
      const lens = ok(`y = ${leaf} * 3  # @grad`, PY);
      close(lens.value, 6);
      close(labelled(lens)?.grad ?? NaN, 3);
    }
    const lens = ok("const y = new Value(2, { label: 'x' }).mul(3); // @grad", JS);
    close(labelled(lens)?.grad ?? NaN, 3);
  });

  it('only a string literal is a label: children or an unknown argument are refused', () => {
    for (const text of [
      'y = Value(2.0, (a, b)) * 3  # @grad a=1, b=2',
      "y = Value(2.0, children=(), label='x') * 3  # @grad",
      "y = Value(2.0, op='+') * 3  # @grad",
      'y = Value() * 3  # @grad',
    ])
      assert.strictEqual(only(text, PY).value, null, text);
    assert.strictEqual(only('const y = new Date(2).mul(3); // @grad', JS).value, null);
    assert.strictEqual(only('const y = new Value(2, { prev: [a] }).mul(3); // @grad a=1', JS).value, null);
  });

  it('a class or function of the document that stores its first argument as data', () => {
    const py = [
      'class Num:',
      "    def __init__(self, data, _children=(), _op=''):",
      '        self.data = data',
      '        self.grad = 0.0',
      '    def __add__(self, other):',
      '        return Num(self.data + other.data)',
      '    def __mul__(self, other):',
      '        return Num(self.data * other.data)',
      '',
      "a = Num(2.0, label='a')",
      'y = a * Num(-3.0) + a  # @grad',
    ].join('\n');
    close(ok(py, PY).value, -4);
    close(grad(ok(py, PY), 'a'), -2);
    // Stored under a condition of the constructor, too.
    const guarded = py.replace('        self.data = data', '        if True:\n            self.data = data');
    close(ok(guarded, PY).value, -4);
    const js = [
      'class Num {',
      '  constructor(data, label) {',
      '    this.data = data;',
      '  }',
      '}',
      'function Dual(data) {',
      '  this.data = data;',
      '}',
      "const a = new Num(2, 'a');",
      'const y = a.mul(new Dual(-3)).add(a); // @grad',
    ].join('\n');
    close(ok(js, JS).value, -4);
    // A class storing something else as data is not a leaf constructor.
    const other = ['class Box:', '    def __init__(self, data):', '        self.data = 0', 'y = Box(2.0) * 3  # @grad'];
    assert.strictEqual(only(other.join('\n'), PY).value, null);
  });

  it('more names from the setting leafConstructors', () => {
    const text = 'a = Ag.scalar(2.0)\ny = a * Dual(3.0)  # @grad';
    assert.strictEqual(only(text, PY).value, null);
    const lens = ok(text, { ...PY, leafConstructors: ['Ag.scalar', 'Dual'] });
    close(lens.value, 6);
    close(grad(lens, 'a'), 3);
  });
});

/** `y` over a = 0.5 and b = 1.5, in JavaScript. */
function js(expr: string): ReturnType<typeof ok> {
  return ok(`const a = new Value(0.5);\nconst b = new Value(1.5);\nconst y = ${expr}; // @grad`, JS);
}

function expectJs(expr: string, value: number, da: number | undefined, db?: number): void {
  const lens = js(expr);
  close(lens.value, value, 1e-12);
  if (da !== undefined) close(grad(lens, 'a'), da, 1e-12);
  if (db !== undefined) close(grad(lens, 'b'), db, 1e-12);
}

describe('core: dialect spellings of an op', () => {
  it('free functions, methods and static functions, by every alias', () => {
    const a = 0.5;
    const b = 1.5;
    for (const name of ['add', 'plus'])
      for (const e of [`${name}(a, b)`, `a.${name}(b)`, `Value.${name}(a, b)`]) expectJs(e, a + b, 1, 1);
    for (const name of ['sub', 'minus', 'subtract'])
      for (const e of [`${name}(a, b)`, `a.${name}(b)`, `V.${name}(a, b)`]) expectJs(e, a - b, 1, -1);
    for (const name of ['mul', 'multiply', 'times'])
      for (const e of [`${name}(a, b)`, `a.${name}(b)`, `Value.${name}(a, b)`]) expectJs(e, a * b, b, a);
    for (const name of ['div', 'divide', 'truediv'])
      for (const e of [`${name}(a, b)`, `a.${name}(b)`, `Value.${name}(a, b)`]) expectJs(e, a / b, 1 / b, -a / b / b);
    for (const name of ['pow', 'power'])
      for (const e of [`${name}(a, 3)`, `a.${name}(3)`, `Value.${name}(a, 3)`]) expectJs(e, a ** 3, 3 * a * a);
    for (const name of ['neg', 'negate'])
      for (const e of [`${name}(a)`, `a.${name}()`, `Value.${name}(a)`]) expectJs(e, -a, -1);
    expectJs('exp(a)', Math.exp(a), Math.exp(a));
    expectJs('Value.log(a)', Math.log(a), 1 / a);
    expectJs('V.tanh(a)', Math.tanh(a), 1 - Math.tanh(a) ** 2);
    expectJs('relu(a)', a, 1);
  });

  it('variadic add and mul, a trailing label of a static op, numbers as operands', () => {
    expectJs('add(a, b, a)', 2.5, 2, 1);
    expectJs('mul(a, b, 2)', 1.5, 3, 1);
    expectJs('a.add(2, b)', 4, 1, 1);
    expectJs("Value.add(a, b, 'c')", 2, 1, 1);
    expectJs("Value.div(10, a, 'g')", 20, -40);
    expectJs('pow(b, new Value(3))', 3.375, undefined, 3 * 1.5 * 1.5);
  });

  it('a variable called like a namespace is still a method receiver: v.add(b)', () => {
    const lens = ok(
      'const v = new Value(0.5);\nconst b = new Value(1.5);\nconst y = v.add(b).mul(V.exp(v)); // @grad',
      JS,
    );
    close(lens.value, 2 * Math.exp(0.5), 1e-12);
    const variadic = ok('const v = new Value(0.5);\nconst b = new Value(1.5);\nconst y = v.add(b, b); // @grad', JS);
    close(variadic.value, 3.5);
    close(grad(variadic, 'v'), 1);
  });
});

const sig = (x: number): number => 1 / (1 + Math.exp(-x));

describe('core: composites, desugared into the seed ops', () => {
  it('sigmoid, softplus, abs, square, cube, sqrt, reciprocal, leaky_relu', () => {
    const a = 0.5;
    for (const e of ['sigmoid(a)', 'sig(a)', 'a.sigmoid()', 'V.sigmoid(a)', 'torch.sigmoid(a)'])
      expectJs(e, sig(a), sig(a) * (1 - sig(a)));
    expectJs('a.softplus()', Math.log(1 + Math.exp(a)), sig(a));
    expectJs('abs(neg(a))', a, 1);
    expectJs('a.neg().abs()', a, 1);
    expectJs('V.square(a)', a * a, 2 * a);
    expectJs('a.cube()', a ** 3, 3 * a * a);
    expectJs('sqrt(b)', Math.sqrt(1.5), undefined, 0.5 / Math.sqrt(1.5));
    expectJs('reciprocal(b)', 1 / 1.5, undefined, -1 / 1.5 ** 2);
    expectJs('a.neg().leaky_relu(0.1)', -0.05, -0.1);
    expectJs('leaky_relu(a.neg())', -0.005, -0.01);
  });

  it('max and min, as functions, static and torch functions: the gradient goes to the one chosen', () => {
    for (const e of ['max(a, b)', 'maximum(a, b)', 'V.max(a, b)', 'torch.max(a, b)', 'a.max(b)'])
      expectJs(e, 1.5, 0, 1);
    for (const e of ['min(a, b)', 'V.min(a, b)', 'a.minimum(b)']) expectJs(e, 0.5, 1, 0);
    const tie = ok('a = Value(1.0)\nb = Value(1.0)\ny = max(a, b)  # @grad', PY);
    close(grad(tie, 'a'), 1);
    close(grad(tie, 'b'), 0);
  });

  it('sum and mean over a list written out', () => {
    for (const e of ['sum([a, b, a])', 'Value.Sum([a, b, a])']) expectJs(e, 2.5, 2, 1);
    expectJs('V.mean([a, b, new Value(1)])', 1, 1 / 3, 1 / 3);
    const lens = ok("k = Value(3.0, label='k')\nk2 = k * k\ns3 = sum([k, k2, Value(1.0)])  # @grad", PY);
    close(lens.value, 13);
    close(grad(lens, 'k'), 7);
    assert.strictEqual(only('y = sum(x for x in xs)  # @grad', PY).value, null);
    assert.strictEqual(only('y = sum([])  # @grad', PY).value, null);
  });

  it('abs at 0 has the gradient of relu at 0', () => {
    const lens = ok('x = Value(0.0)\ny = x.abs()  # @grad', PY);
    close(lens.value, 0);
    close(grad(lens, 'x'), 0);
  });

  it('keeps the composite name on its outermost node', () => {
    assert.strictEqual(parsed('y = sigmoid(x)').composite, 'sigmoid');
    assert.strictEqual(parsed('y = x.abs()').composite, 'abs');
    assert.strictEqual(parsed('y = 2 ** x').composite, 'constant-base pow');
    assert.strictEqual(parsed('y = x ** 2').composite, undefined);
  });
});

describe('core: a constant base raised to a variable', () => {
  it('is exp(x · ln c): math.e ** x, 2 ** x, Math.E ** x, Math.pow(2, x), pow(new Value(2), x)', () => {
    const x = 0.7;
    for (const [text, options] of [
      ['x = Value(0.7)\ny = math.e ** x  # @grad', PY],
      ['x = Value(0.7)\ny = Math.E ** x  # @grad', PY],
    ] as const) {
      const lens = ok(text, options);
      close(lens.value, Math.exp(x), 1e-12);
      close(grad(lens, 'x'), Math.exp(x), 1e-12);
    }
    for (const [text, options] of [
      ['x = Value(0.7)\ny = 2 ** x  # @grad', PY],
      // JavaScript's operators and Math take numbers: x is a plain number there.
      ['const x = 0.7;\nconst y = Math.pow(2, x); // @grad', JS],
      ['const x = new Value(0.7);\nconst y = pow(new Value(2), x); // @grad', JS],
      ['const x = 0.7;\nconst y = (1 + 1) ** x; // @grad', JS],
    ] as const) {
      const lens = ok(text, options);
      close(lens.value, 2 ** x, 1e-12);
      close(grad(lens, 'x'), 2 ** x * Math.log(2), 1e-12);
    }
    const lens = ok('x = Value(0.7)\ny = Value(-1.1)\nz = 0.5 ** (x * y)  # @grad', PY);
    close(lens.value, 0.5 ** (0.7 * -1.1), 1e-12);
    close(grad(lens, 'x'), 0.5 ** (0.7 * -1.1) * Math.log(0.5) * -1.1, 1e-12);
  });

  it('refuses a base that is not positive, and a variable base with a variable exponent', () => {
    assert.match(only('x = Value(0.7)\ny = (-2) ** x  # @grad', PY).problems[0].message, /positive base/);
    assert.strictEqual(only('x = Value(0.7)\ny = 0 ** x  # @grad', PY).value, null);
    assert.strictEqual(
      only('x = Value(0.7)\nb = Value(2.0)\ny = b ** x  # @grad', PY).problems[0].code,
      'non-constant-exponent',
    );
  });
});

function parsed(statement: string): Expr & { composite?: string } {
  const result: ScanResult = { statements: [], dangling: [], scopes: [] };
  scan(statement, 0, statement.length, 'hash', '@grad', result);
  const tokens = result.statements[0].tokens;
  return parseExpression(tokens, tokens.findIndex((t) => t.text === '=') + 1, tokens.length);
}

// The property: random expressions over a, b, c, each rendered in one spelling per node, agree
// with the operator spelling (or are refused alike).
type Tree = { leaf: 'a' | 'b' | 'c' } | { op: string; args: Tree[]; n?: number };

const UNARY = ['neg', 'exp', 'log', 'relu', 'tanh'];
const BINARY = ['add', 'sub', 'mul', 'div'];
const ALIASES: Record<string, string[]> = {
  add: ['add', 'plus'],
  sub: ['sub', 'minus', 'subtract'],
  mul: ['mul', 'multiply', 'times'],
  div: ['div', 'divide', 'truediv'],
  pow: ['pow', 'power'],
  neg: ['neg', 'negate'],
  exp: ['exp'],
  log: ['log'],
  relu: ['relu'],
  tanh: ['tanh'],
};
const OPERATOR: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/' };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ leaf: fc.constantFrom<'a' | 'b' | 'c'>('a', 'b', 'c') }),
    fc.record({ op: fc.constantFrom(...UNARY), args: fc.tuple(tie('tree')) }),
    fc.record({ op: fc.constantFrom(...BINARY), args: fc.tuple(tie('tree'), tie('tree')) }),
    fc.record({ op: fc.constant('pow'), args: fc.tuple(tie('tree')), n: fc.constantFrom(2, 3, -1, 0.5) }),
  ),
})).tree;

type Spelling = 'operator' | 'method' | 'function' | 'static';

function render(t: Tree, pick: (k: number) => number): string {
  if ('leaf' in t) return t.leaf;
  const spellings: Spelling[] = ['operator', 'method', 'function', 'static'];
  const spelling = spellings[pick(4)];
  const aliases = ALIASES[t.op];
  const name = aliases[pick(aliases.length)];
  const args = t.args.map((arg) => render(arg, pick));
  if (t.op === 'pow') args.push(String(t.n));
  if (spelling === 'method') return `(${args[0]}).${name}(${args.slice(1).join(', ')})`;
  if (spelling === 'function') return `${name}(${args.join(', ')})`;
  if (spelling === 'static') return `Value.${name}(${args.join(', ')})`;
  return operatorForm(t.op, args);
}

function operatorForm(op: string, args: string[]): string {
  if (op === 'pow') return `(${args[0]}) ** (${args[1]})`;
  if (op === 'neg') return `(-(${args[0]}))`;
  if (OPERATOR[op]) return `((${args[0]}) ${OPERATOR[op]} (${args[1]}))`;
  // Python's `math.exp` takes no Value (a TypeError): the engine's function is the reference.
  return `${op}(${args[0]})`;
}

function operatorsOnly(t: Tree): string {
  if ('leaf' in t) return t.leaf;
  const args = t.args.map(operatorsOnly);
  if (t.op === 'pow') args.push(String(t.n));
  return operatorForm(t.op, args);
}

describe('core: every spelling of the same maths agrees (property)', () => {
  it('operators, methods, free functions, static functions and aliases give the same value and gradients', () => {
    fc.assert(
      fc.property(tree, fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), (t, picks) => {
        let k = 0;
        const pick = (n: number): number => picks[k++ % picks.length] % n;
        const leaves = 'a = Value(0.5)\nb = Value(1.5)\nc = Value(-0.75)\n';
        const want = only(`${leaves}y = ${operatorsOnly(t)}  # @grad`, PY);
        const got = only(`${leaves}y = ${render(t, pick)}  # @grad`, PY);
        if (want.value === null) {
          assert.strictEqual(got.value, null);
          return;
        }
        assert.ok(got.value !== null, got.problems.map((p) => p.message).join('; '));
        assert.strictEqual(got.value, want.value);
        for (const name of ['a', 'b', 'c']) {
          const w = want.variables.find((v) => v.name === name);
          if (w) assert.strictEqual(grad(got, name), w.grad, name);
        }
      }),
      { numRuns: 200 },
    );
  });
});
