// The @grad language, case by case: comment placements, statement forms, expression forms,
// precedence, resolution through reassignment, and bindings.
import * as assert from 'assert';
import { analyzeText } from '../../../src/core';
import { clearGradcheckMemo } from '../../../src/core/gradcheck';
import { OP_LIST } from '../../../engine';
import { close, grad, ok, only, textAt, value } from './helpers';

describe('core: annotations', () => {
  it('a trailing # annotation marks its own line', () => {
    const lens = ok('x = 3\ny = x * x  # @grad');
    assert.strictEqual(lens.line, 1);
    assert.strictEqual(lens.target, 'y');
    assert.strictEqual(lens.value, 9);
  });

  it('a leading annotation marks the statement directly below it', () => {
    const text = 'x = 3\n# @grad\ny = x + 1\nz = 5';
    const lens = ok(text);
    assert.strictEqual(lens.line, 2);
    assert.strictEqual(lens.value, 4);
    assert.strictEqual(textAt(text, lens.tagRange), '@grad');
  });

  it('// and /* */ comments, leading and trailing', () => {
    assert.strictEqual(value('const x = 2;\nconst y = x * 4; // @grad', { comments: 'slash' }), 8);
    assert.strictEqual(value('const x = 2;\n/* @grad */\nconst y = x * 5;', { comments: 'slash' }), 10);
    assert.strictEqual(value('const x = 2;\nconst y = x * 6; /* @grad */', { comments: 'slash' }), 12);
    assert.strictEqual(value('x = 2\n/* @grad */ y = x * 7'), 14);
  });

  it('ignores the tag inside string literals', () => {
    assert.deepStrictEqual(analyzeText('s = "# @grad"\nt = \'// @grad\'\nu = """\n# @grad\n"""'), []);
  });

  it('ignores the tag in prose, but keeps it before bindings', () => {
    assert.deepStrictEqual(analyzeText('# the @grad analysis explains this\nx = 1'), []);
    assert.strictEqual(value('y = 2 * w  # output @grad w=3'), 6);
  });

  it('a blank line between a leading annotation and code leaves it dangling (an error)', () => {
    const lens = only('# @grad\n\ny = 1');
    assert.strictEqual(lens.value, null);
    assert.match(lens.problems[0].message, /marks no statement/);
  });

  it('honours the comment style: # is not a comment in slash mode', () => {
    assert.deepStrictEqual(analyzeText('y = 1  # @grad', { comments: 'slash' }).length, 0);
    assert.deepStrictEqual(analyzeText('y = 1  // @grad', { comments: 'hash' }).length, 0);
  });

  it('a custom tag', () => {
    assert.strictEqual(value('y = 2 * 3  # @d', { tag: '@d' }), 6);
  });
});

describe('core: statement forms', () => {
  const cases: [string, string, string, number][] = [
    ['name = expr', 'y = 2 * 3  # @grad', 'y', 6],
    ['name: type = expr', 'y: float = 2 * 3  # @grad', 'y', 6],
    ['const', 'const y = 2 * 3; // @grad', 'y', 6],
    ['let with a type', 'let y: number = 2 * 3; // @grad', 'y', 6],
    ['var', 'var y = 2 * 3 // @grad', 'y', 6],
    ['export const', 'export const y = 2 * 3; // @grad', 'y', 6],
    [':=', 'y := 2 * 3  # @grad', 'y', 6],
    ['return', 'return 2 * 3  # @grad', 'return', 6],
    ['bare expression', '2 * 3  # @grad', '2 * 3', 6],
  ];
  for (const [name, text, target, expected] of cases) {
    it(name, () => {
      const lens = ok(text);
      assert.strictEqual(lens.target, target);
      assert.strictEqual(lens.value, expected);
    });
  }

  it('augmented assignments read the previous value: += -= *= /=', () => {
    assert.strictEqual(value('c = 5\nc += 2  # @grad'), 7);
    assert.strictEqual(value('c = 5\nc -= 2  # @grad'), 3);
    assert.strictEqual(value('c = 5\nc *= 2  # @grad'), 10);
    assert.strictEqual(value('c = 5\nc /= 2  # @grad'), 2.5);
    assert.strictEqual(value('c = 5\nc **= 2  # @grad'), 25);
  });

  it('`c += c + 1` reads the previous c on both sides', () => {
    const lens = ok('c = 2\nc += c + 1  # @grad');
    assert.strictEqual(lens.value, 5);
    assert.strictEqual(grad(lens, 'c'), 2);
  });

  it('a lambda or an arrow function: the body, with bindings for the parameters', () => {
    const lambda = ok('f = lambda x: x * x  # @grad x=3');
    assert.strictEqual(lambda.value, 9);
    assert.strictEqual(grad(lambda, 'x'), 6);
    const arrow = ok('const f = (p: number) => (p - 1) ** 2; // @grad p=3', { comments: 'slash' });
    assert.strictEqual(arrow.value, 4);
    assert.strictEqual(grad(arrow, 'p'), 4);
  });

  it('target, expression and statement ranges', () => {
    const text = 'x = 1\nconst loss: number = x * 2; // @grad';
    const lens = ok(text, { comments: 'slash' });
    assert.strictEqual(textAt(text, lens.targetRange), 'loss');
    assert.strictEqual(textAt(text, lens.expressionRange), 'x * 2');
    assert.strictEqual(textAt(text, lens.statementRange), 'const loss: number = x * 2');
  });

  it('a statement continued across lines inside brackets', () => {
    const text = 'a = 1\nb = 2\n# @grad\nn = (a * 3 +\n     b * 4)\n';
    const lens = ok(text);
    assert.strictEqual(lens.value, 11);
    assert.strictEqual(lens.line, 3);
  });

  it('a statement continued after a trailing operator and a leading method call', () => {
    assert.strictEqual(value('a = 2\ny = a +\n  3  # @grad'), 5);
    assert.strictEqual(value('a = 0\ny = (a\n  .tanh())  # @grad'), 0);
    assert.strictEqual(value('a = 0\ny = a \\\n  + 1  # @grad'), 1);
  });

  it('several statements on a line; attribute assignments ignored', () => {
    const lens = ok("x1 = 2.0\nw1 = -3.0\nx1w1 = x1*w1; x1w1.label = 'x1*w1'  # @grad");
    assert.strictEqual(lens.target, 'x1w1');
    assert.strictEqual(lens.value, -6);
  });
});

describe('core: expressions', () => {
  const cases: [string, number][] = [
    ['1.5e2', 150],
    ['2E-1', 0.2],
    ['.5', 0.5],
    ['1_000', 1000],
    ['0x10', 16],
    ['(1 + 2) * 3', 9],
    ['1 + 2 * 3', 7],
    ['7 - 2 - 1', 4],
    ['8 / 2 / 2', 2],
    ['2 ** 3 ** 2', 512],
    ['-2 ** 2', -4],
    ['(-2) ** 2', 4],
    ['2 ** -1', 0.5],
    ['+3 - -2', 5],
    ['--2', 2],
    ['exp(0)', 1],
    ['log(1)', 0],
    ['relu(-3)', 0],
    ['tanh(0)', 0],
    ['math.exp(0) + Math.log(1) + np.tanh(0) + numpy.exp(0) + torch.relu(2)', 4],
    ['Math.pow(2, 10)', 1024],
    ['pow(3, 2)', 9],
    ['Math.PI', Math.PI],
    ['Value(2.0).exp().log()', 2],
    ["Value(2.0, label='x').relu().tanh()", Math.tanh(2)],
    ['new Value(2).pow(3).neg()', -8],
    ['Value(2).add(1).sub(0.5).mul(4).div(2)', 5],
  ];
  for (const [expr, expected] of cases) {
    it(expr, () => close(value(`y = ${expr}  # @grad`), expected, 1e-12));
  }

  it('PyTorch leaves and conversions: torch.Tensor([2.0]).double(), torch.tensor(2.0, requires_grad=True)', () => {
    const lens = ok(
      'x = torch.Tensor([2.0]).double(); x.requires_grad = True\nz = torch.tensor(3.0, requires_grad=True, dtype=torch.float64)\ny = torch.tanh(x * z).item()  # @grad',
    );
    close(lens.value, Math.tanh(6));
    assert.deepStrictEqual(
      lens.variables.map((v) => v.name),
      ['x', 'z'],
    );
  });

  it('-a**2 is -(a**2), with the gradient to match', () => {
    const lens = ok('a = 3\ny = -a**2  # @grad');
    assert.strictEqual(lens.value, -9);
    assert.strictEqual(grad(lens, 'a'), -6);
  });

  it("every spelling in the engine's op table: a method, and a function where the table says so", () => {
    for (const op of OP_LIST) {
      const operand = op.exponent ? '3' : 'b';
      const expected = op.forward(0.5, op.exponent ? 3 : 1.5);
      for (const alias of op.aliases) {
        const method = op.arity === 1 ? `a.${alias}()` : `a.${alias}(${operand})`;
        const lens = ok(`a = 0.5\nb = 1.5\ny = ${method}  # @grad`);
        close(lens.value, expected, 1e-15);
        assert.deepStrictEqual(
          lens.ops.map((site) => site.op),
          [op.name],
          method,
        );
        const call = op.arity === 1 ? `${alias}(a)` : `${alias}(a, ${operand})`;
        if (op.asFunction) close(value(`a = 0.5\nb = 1.5\ny = ${call}  # @grad`), expected, 1e-15);
        else
          assert.strictEqual(only(`a = 0.5\nb = 1.5\ny = ${call}  # @grad`).value, null, `${call} is not a function`);
      }
    }
  });

  it('micrograd methods on names', () => {
    const lens = ok('a = Value(0.5)\ny = a.exp().tanh().relu()  # @grad');
    const t = Math.tanh(Math.exp(0.5));
    close(lens.value, t);
    close(grad(lens, 'a'), (1 - t * t) * Math.exp(0.5));
  });
});

describe('core: resolution', () => {
  it('the micrograd neuron: values, gradients, leaves first then intermediates', () => {
    const text = [
      "x1 = Value(2.0, label='x1')",
      "x2 = Value(0.0, label='x2')",
      "w1 = Value(-3.0, label='w1')",
      "w2 = Value(1.0, label='w2')",
      "b = Value(6.8813735870195432, label='b')",
      "x1w1 = x1*w1; x1w1.label = 'x1*w1'",
      "x2w2 = x2*w2; x2w2.label = 'x2*w2'",
      "x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'",
      "n = x1w1x2w2 + b; n.label = 'n'",
      'o = n.tanh()  # @grad',
    ].join('\n');
    const lens = ok(text);
    close(lens.value, Math.SQRT1_2, 1e-12);
    assert.deepStrictEqual(
      lens.variables.map((v) => v.name),
      ['x1', 'x2', 'w1', 'w2', 'b', 'x1w1', 'x2w2', 'x1w1x2w2', 'n'],
    );
    assert.deepStrictEqual(
      lens.variables.map((v) => v.leaf),
      [true, true, true, true, true, false, false, false, false],
    );
    close(grad(lens, 'x1'), -1.5);
    close(grad(lens, 'x2'), 0.5);
    close(grad(lens, 'w1'), 1);
    close(grad(lens, 'w2'), 0);
    close(grad(lens, 'n'), 0.5);
    assert.strictEqual(lens.gradcheck?.ok, true);
    assert.strictEqual(textAt(text, lens.variables[0].definedAt), 'x1');
  });

  it('a name used twice is one node: x*x gives 2x', () => {
    const lens = ok('x = 3\ny = x * x  # @grad');
    assert.strictEqual(grad(lens, 'x'), 6);
    assert.strictEqual(lens.variables[0].occurrences.length, 2);
  });

  it('an intermediate used twice shares its sub-graph', () => {
    const lens = ok('x = 2\nh = x * 3\ny = h + h  # @grad');
    assert.strictEqual(grad(lens, 'x'), 6);
    assert.strictEqual(grad(lens, 'h'), 2);
    assert.strictEqual(lens.graph?.nodes.filter((n) => n.op === '*').length, 1);
  });

  it('a reassigned name resolves to the assignment nearest above its use', () => {
    const lens = ok('a = 1\nb = a * 10\na = 2\nc = a + b  # @grad');
    assert.strictEqual(lens.value, 12);
    const as = lens.variables.filter((v) => v.name === 'a');
    assert.deepStrictEqual(
      as.map((v) => [v.value, v.grad]),
      [
        [1, 10],
        [2, 1],
      ],
    );
  });

  it('assignments below the lens do not count', () => {
    const lens = only('y = x * 2  # @grad\nx = 5');
    assert.strictEqual(lens.problems[0].code, 'unbound');
  });

  it('bindings give values, with commas or spaces, and win over assignments', () => {
    assert.strictEqual(value('y = x * w  # @grad x=2, w=-3'), -6);
    assert.strictEqual(value('y = x * w  # @grad x=2 w=-3'), -6);
    const lens = ok('x = 100\nh = x + 1\ny = h * 2  # @grad x=1');
    assert.strictEqual(lens.value, 4);
    const x = lens.variables.find((v) => v.name === 'x')!;
    assert.strictEqual(x.definedBy, 'binding');
    assert.strictEqual(x.grad, 2);
  });

  it('a binding on an intermediate makes it a leaf', () => {
    const lens = ok('x = 1\nn = x * 5\ny = n * n  # @grad n=3');
    assert.strictEqual(lens.value, 9);
    assert.deepStrictEqual(
      lens.variables.map((v) => v.name),
      ['n'],
    );
  });

  it('function parameters through bindings (TypeScript)', () => {
    const text = 'function f(p: number, q: number) {\n  const d = p - q;\n  return d * d; // @grad p=3 q=1\n}';
    const lens = ok(text, { comments: 'slash' });
    assert.strictEqual(lens.value, 4);
    assert.strictEqual(grad(lens, 'p'), 4);
    assert.strictEqual(grad(lens, 'q'), -4);
  });

  it('an unused broken assignment is not an error', () => {
    assert.strictEqual(value('junk = foo(1) ^ 2\nx = 2\ny = x * 2  # @grad'), 4);
  });

  it('a constant expression assignment is a leaf', () => {
    const lens = ok('lr = 1 / 10\ny = lr * 5  # @grad');
    assert.strictEqual(lens.variables[0].leaf, true);
    close(lens.value, 0.5);
  });

  it('ops carry inputs, output and grad, also inside expanded assignments', () => {
    const text = 'x1 = 2\nw1 = -3\nx1w1 = x1*w1\no = x1w1.tanh()  # @grad';
    const lens = ok(text);
    const mul = lens.ops.find((o) => o.op === 'mul')!;
    assert.strictEqual(textAt(text, mul.range), '*');
    assert.strictEqual(textAt(text, mul.expressionRange), 'x1*w1');
    assert.deepStrictEqual(mul.inputs, [2, -3]);
    assert.strictEqual(mul.output, -6);
    close(mul.grad, 1 - Math.tanh(-6) ** 2);
    const tanh = lens.ops.find((o) => o.op === 'tanh')!;
    assert.strictEqual(textAt(text, tanh.range), 'tanh');
    assert.strictEqual(tanh.grad, 1);
  });

  it('the graph: topological order, kinds, labels, ranges', () => {
    const text = 'x = 2\ny = x * 3 + 1  # @grad';
    const lens = ok(text);
    const g = lens.graph!;
    assert.strictEqual(g.output, g.nodes.length - 1);
    for (const n of g.nodes) for (const c of n.children) assert.ok(c < n.id);
    assert.deepStrictEqual(
      g.nodes.map((n) => n.kind),
      ['leaf', 'constant', 'intermediate', 'constant', 'intermediate'],
    );
    assert.strictEqual(g.nodes[0].label, 'x');
    assert.strictEqual(g.nodes[g.output].label, 'y');
    assert.strictEqual(textAt(text, g.nodes[1].range!), '3');
  });

  it('a memoised gradcheck equals a fresh one, and follows the leaf values', () => {
    const text = 'a = 0.3\nb = -1.2\ny = (a * b).tanh() / (a + 2)  # @grad';
    clearGradcheckMemo();
    const fresh = ok(text).gradcheck;
    assert.deepStrictEqual(ok(text).gradcheck, fresh);
    const moved = ok(text.replace('a = 0.3', 'a = 0.5')).gradcheck!;
    assert.notStrictEqual(moved.entries[0].analytic, fresh!.entries[0].analytic);
    const renamed = ok(text.replace(/\ba\b/g, 'q')).gradcheck!;
    assert.deepStrictEqual(
      renamed.entries.map((e) => e.name),
      ['q', 'b'],
    );
  });

  it('gradcheck reports each leaf', () => {
    const lens = ok('a = 0.3\nb = -1.2\ny = (a * b).exp() / (a + 2)  # @grad');
    assert.deepStrictEqual(
      lens.gradcheck?.entries.map((e) => [e.name, e.ok]),
      [
        ['a', true],
        ['b', true],
      ],
    );
    assert.strictEqual(lens.gradcheck?.skipped, 0);
    assert.strictEqual(only('y = 2 * w  # @grad w=1', { gradcheck: { enabled: false } }).gradcheck, null);
  });
});

describe('core: number literals follow the language', () => {
  /** The parse error of `y = <literal> * 1`, in the file's comment style. */
  function refused(literal: string, comments: 'hash' | 'slash' | 'both'): string {
    const lens = only(comments === 'slash' ? `const y = ${literal} * 1; // @grad` : `y = ${literal} * 1  # @grad`, {
      comments,
    });
    assert.strictEqual(lens.value, null, `${literal} was read as a number`);
    assert.strictEqual(lens.problems[0].code, 'parse');
    return lens.problems[0].message;
  }
  const js = (text: string) => value(`const y = ${text}; // @grad`, { comments: 'slash' });
  const py = (text: string) => value(`y = ${text}  # @grad`, { comments: 'hash' });

  it("JavaScript's legacy octal 017 (15, an error in strict mode and TypeScript) is refused, not read as 17", () => {
    assert.strictEqual(refused('017', 'slash'), '`017` is a legacy octal literal: write 15 or 0o17');
    assert.match(refused('00', 'slash'), /legacy octal/);
  });

  it('JavaScript: 08, 09 and 08.5 (leading zeros) are refused', () => {
    assert.match(refused('08', 'slash'), /^`08` has a leading zero.*: write 8$/);
    assert.match(refused('09', 'slash'), /: write 9$/);
    assert.match(refused('08.5', 'slash'), /: write 8\.5$/);
    assert.match(refused('017.5', 'slash'), /: write 17\.5$/);
  });

  it('Python: 017 and 08 are SyntaxErrors; floats and zeros with leading zeros are fine', () => {
    assert.match(refused('017', 'hash'), /^`017` is a SyntaxError in Python.*: write 17, or 0o17 for octal$/);
    assert.match(refused('08', 'hash'), /SyntaxError in Python.*: write 8$/);
    assert.strictEqual(py('017.5'), 17.5);
    assert.strictEqual(py('017e1'), 170);
    assert.strictEqual(py('00'), 0);
    assert.strictEqual(py('0_0 + 1'), 1);
  });

  it('with unknown comments (both), what either language refuses is refused', () => {
    assert.match(
      refused('017', 'both'),
      /^`017` is a legacy octal literal in JavaScript \(15\) and an error in Python/,
    );
    assert.match(refused('08', 'both'), /leading zero/);
    assert.match(refused('017.5', 'both'), /leading zero/);
    assert.match(refused('00', 'both'), /legacy octal/);
    assert.match(refused('0x_1F', 'both'), /misplaced `_`/);
  });

  it('misplaced underscores are errors in both languages', () => {
    for (const style of ['hash', 'slash', 'both'] as const) {
      for (const literal of ['1__0', '1_', '1_.5', '1._5', '1e_3', '1_e3', '2.5_', '0b_1_', '0x1F_']) {
        assert.match(refused(literal, style), /misplaced `_`/, `${literal} (${style})`);
      }
    }
    assert.match(refused('0x_1F', 'slash'), /misplaced `_`/);
    assert.match(refused('0_1', 'slash'), /misplaced `_`/);
    assert.match(refused('0_1', 'both'), /misplaced `_`/);
    assert.match(refused('0_1', 'hash'), /SyntaxError in Python/);
  });

  it("0o17, 0x1F, 0b101, 1_000, 1e3, .5, 1e1_0 and Python's 0x_1F keep working", () => {
    for (const [text, expected] of [
      ['0o17', 15],
      ['0x1F', 31],
      ['0b101', 5],
      ['1_000', 1000],
      ['1e3', 1000],
      ['.5', 0.5],
      ['1e1_0', 1e10],
      ['0x1_F', 31],
      ['1_0.2_5', 10.25],
      ['0', 0],
      ['0.5', 0.5],
      ['1.e3', 1000],
    ] as const) {
      assert.strictEqual(js(text), expected, `${text} (JavaScript)`);
      assert.strictEqual(py(text), expected, `${text} (Python)`);
      assert.strictEqual(value(`y = ${text}  # @grad`), expected, `${text} (both)`);
    }
    assert.strictEqual(py('0x_1F'), 31);
  });
});

describe("core: a unary operator before `**`'s base follows the language", () => {
  const js = { comments: 'slash' } as const;

  it('JavaScript refuses -x ** 2 (a SyntaxError there) and says how to write it', () => {
    for (const text of [
      'const y = -x ** 2; // @grad',
      'const y = -(x) ** 2; // @grad',
      'const y = x ** -x ** 2; // @grad',
      'const y = 1 - -x ** 2; // @grad',
    ]) {
      const lens = only(`const x = 3;\n${text}`, js);
      assert.strictEqual(lens.value, null, text);
      assert.strictEqual(lens.problems[0].code, 'parse');
      assert.match(lens.problems[0].message, /write \(-x\) \*\* 2 or -\(x \*\* 2\)$/, text);
    }
    assert.match(
      only('const y = +x ** 2; // @grad x=3', js).problems[0].message,
      /unary `\+`.*write \(\+x\) \*\* 2 or \+\(x \*\* 2\)$/,
    );
    assert.match(only('const y = -2 ** 2; // @grad', js).problems[0].message, /SyntaxError in JavaScript/);
  });

  it('JavaScript: the parenthesised forms, and a negative exponent, are fine', () => {
    assert.strictEqual(value('const x = 3;\nconst y = (-x) ** 2; // @grad', js), 9);
    assert.strictEqual(value('const x = 3;\nconst y = -(x ** 2); // @grad', js), -9);
    close(value('const x = 3;\nconst y = x ** -2; // @grad', js), 1 / 9);
    assert.strictEqual(value('const x = 3;\nconst y = 1 - x ** 2; // @grad', js), -8);
  });

  it('Python (and an unknown language, where only Python accepts it) reads -x**2 as -(x**2)', () => {
    assert.strictEqual(value('x = 3\ny = -x**2  # @grad', { comments: 'hash' }), -9);
    assert.strictEqual(value('x = 3\ny = -x**2  # @grad'), -9);
    close(value('x = 3\ny = x ** -2 ** 2  # @grad', { comments: 'hash' }), 3 ** -4);
  });
});
