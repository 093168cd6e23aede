// Resolution follows each language's scope rules, or refuses with a message that says why: a
// function's parameter never takes a value from outside the function, and a name assigned inside
// a function, a class body or a JavaScript block is never read from where the language cannot see it.
import * as assert from 'assert';
import { analyzeCells, analyzeSelection, analyzeText } from '../../../src/core';
import { grad, JS, ok, only, PY, range, unbound } from './helpers';
import {
  functionsWithLenses,
  strayClosers,
  sumBesideAssigningFunctions,
  sumInsideBlocks,
} from '../../bench/hostileInputs';

describe('core: a parameter takes no value from outside its function', () => {
  it('Python, the body indented below the def', () => {
    const text = 'x = 10.0\n\ndef square(x):\n    return x * x  # @grad\n';
    const message = unbound(only(text, PY), 'x');
    assert.strictEqual(message, '`x` is a parameter of `square`: give it a value with a binding: `# @grad x=1.0`');
  });

  it('Python, a one-line def with a trailing annotation', () => {
    const text = 'x = 10.0\ndef square(x): return x * x  # @grad\n';
    const lens = only(text, PY);
    assert.strictEqual(lens.target, 'return');
    unbound(lens, 'x', /^`x` is a parameter of `square`/);
    assert.strictEqual(ok('x = 10.0\ndef square(x): return x * x  # @grad x=3\n', PY).value, 9);
  });

  it('Python, a leading annotation above a one-line def marks its body', () => {
    assert.strictEqual(ok('x = 10.0\n# @grad x=2\ndef square(x): return x * x\n', PY).value, 4);
  });

  it('a binding gives the parameter its value, and globals still resolve inside the function', () => {
    const lens = ok('x = 10.0\nw = 3.0\ndef f(x):\n    return x * w  # @grad x=2\n', PY);
    assert.strictEqual(lens.value, 6);
    assert.strictEqual(grad(lens, 'w'), 2);
  });

  it('an assignment inside the function, above the use, gives the parameter its value', () => {
    assert.strictEqual(ok('x = 10.0\ndef f(x):\n    x = 2.0\n    return x * x  # @grad\n', PY).value, 4);
    assert.strictEqual(ok('x = 10.0\ndef f(x): x = 2.0; return x * x  # @grad\n', PY).value, 4);
  });

  it('through an assignment the lens expands, with the use named', () => {
    const lens = only('x = 10.0\ndef f(x):\n    h = x * 2\n    return h * h  # @grad\n', PY);
    unbound(lens, 'x', /^`x` is a parameter of `f`: give it a value with a binding: `# @grad x=1\.0`$/);
  });

  it("a nested function sees its enclosing function's parameters as parameters", () => {
    const text = 'x = 10.0\ndef outer(x):\n    def inner():\n        return x * 2  # @grad\n    return inner\n';
    unbound(only(text, PY), 'x', /^`x` is a parameter of `outer`/);
  });

  it('async def, defaults, *args, keyword-only and annotated parameters', () => {
    const text =
      'a = 1.0\nb = 1.0\nd = 1.0\nasync def f(a: float, b=2.0, *c, d: float = 3.0, **e) -> float:\n    return a * b * d  # @grad\n';
    const lens = only(text, PY);
    assert.deepStrictEqual(
      lens.problems.map((p) => p.name),
      ['a', 'b', 'd'],
    );
    for (const p of lens.problems) assert.match(p.message, /is a parameter of `f`/);
  });

  it('a Python lambda: its parameters too', () => {
    unbound(only('x = 10.0\nf = lambda x: x * x  # @grad\n', PY), 'x', /^`x` is a parameter of the lambda `f`/);
    assert.strictEqual(ok('x = 10.0\nf = lambda x: x * x  # @grad x=3\n', PY).value, 9);
  });

  it('after the function, module-level names resolve as before', () => {
    assert.strictEqual(ok('def f(x):\n    return x\nx = 5.0\ny = x * 2  # @grad\n', PY).value, 10);
    assert.strictEqual(ok('def f(x): return x\nx = 5.0\ny = x * 2  # @grad\n', PY).value, 10);
  });

  it('JavaScript: a function declaration', () => {
    const text = 'const x = 10.0;\nfunction square(x) { return x * x; // @grad\n}\n';
    const message = unbound(only(text, JS), 'x');
    assert.strictEqual(message, '`x` is a parameter of `square`: give it a value with a binding: `// @grad x=1.0`');
  });

  it('JavaScript: arrow functions with a block body, with an expression body, with one bare parameter', () => {
    unbound(
      only('const x = 10.0;\nconst f = (x) => {\n  return x * x; // @grad\n};\n', JS),
      'x',
      /^`x` is a parameter of `f`/,
    );
    unbound(
      only('const x = 10.0;\nconst f = (x: number): number => x * x; // @grad\n', JS),
      'x',
      /^`x` is a parameter of the arrow function `f`/,
    );
    unbound(
      only('let x = 10.0;\nconst f = x => x * x; // @grad\n', JS),
      'x',
      /^`x` is a parameter of the arrow function `f`/,
    );
    assert.strictEqual(ok('const x = 10.0;\nconst f = (x) => {\n  return x * x; // @grad x=3\n};\n', JS).value, 9);
    unbound(
      only('const x = 10.0;\nconst o = {\n  f: (x) => x * 2 // @grad\n};\n', JS),
      'x',
      /^`x` is a parameter of this arrow function/,
    );
    unbound(only('const x = 10.0;\nconst f = async <T>(x: T): Promise<number> => x * 2; // @grad\n', JS), 'x');
  });

  it('TypeScript: methods, constructors, getters-style shorthand and function expressions', () => {
    const method = 'const x = 10.0;\nclass A {\n  square(x: number): number {\n    return x * x; // @grad\n  }\n}\n';
    unbound(only(method, JS), 'x', /^`x` is a parameter of `square`/);
    const ctor =
      'const x = 10.0;\nclass A {\n  constructor(private x: number) {\n    const y = x * 2; // @grad\n  }\n}\n';
    unbound(only(ctor, JS), 'x', /^`x` is a parameter of `constructor`/);
    const expression = 'const x = 10.0;\nconst g = function (x) {\n  return x * 3; // @grad\n};\n';
    unbound(only(expression, JS), 'x', /^`x` is a parameter of `g`/);
    const shorthand = 'const x = 10.0;\nconst o = {\n  async twice(x) {\n    return x * 2; // @grad\n  },\n};\n';
    unbound(only(shorthand, JS), 'x', /^`x` is a parameter of `twice`/);
  });

  it('TypeScript: generic functions and methods', () => {
    unbound(
      only('const x = 10.0;\nfunction f<T>(x: number) {\n  return x * x; // @grad\n}\n', JS),
      'x',
      /^`x` is a parameter of `f`/,
    );
    const method =
      'const x = 10.0;\nclass A {\n  static square<T extends object, U = T>(x: number): number {\n    return x * x; // @grad\n  }\n}\n';
    unbound(only(method, JS), 'x', /^`x` is a parameter of `square`/);
  });

  it('JavaScript: the brace on its own line, and destructured and default parameters', () => {
    unbound(only('const x = 10.0;\nfunction f(x)\n{\n  return x * x; // @grad\n}\n', JS), 'x');
    const text =
      'const a = 1, b = 1, c = 1;\nfunction f({ a, b: c }, [d] = [], e = a) {\n  return a * c; // @grad\n}\n';
    assert.deepStrictEqual(
      only(text, JS).problems.map((p) => p.name),
      ['a', 'c'],
    );
  });

  it('with unknown comments (both), Python and JavaScript functions alike', () => {
    unbound(only('x = 10.0\ndef square(x): return x * x  # @grad\n'), 'x');
    unbound(only('const x = 10.0;\nfunction square(x) { return x * x; // @grad\n}\n'), 'x');
  });

  it('the existing TypeScript example: parameters through bindings', () => {
    const text = 'function f(p: number, q: number) {\n  const d = p - q;\n  return d * d; // @grad p=3 q=1\n}';
    assert.strictEqual(ok(text, JS).value, 4);
  });

  it('Differentiate Selection inside a function refuses the outer value too', () => {
    const text = 'x = 10.0\ndef square(x):\n    return x * x\n';
    const lens = analyzeSelection(text, range(2, 11, 16), PY);
    assert.deepStrictEqual(
      lens.problems.map((p) => [p.code, p.name]),
      [['unbound', 'x']],
    );
    assert.match(
      lens.problems[0].message,
      /^`x` is a parameter of `square`: give it a value with a binding: `x=1\.0`$/,
    );
    assert.strictEqual(analyzeSelection(text, range(2, 11, 16), { ...PY, bindings: { x: 3 } }).value, 9);
  });
});

describe('core: a name assigned inside a function, a class or a block stays there', () => {
  it("Python: another function's local is not read outside it", () => {
    const text = 'x = 1.0\n\ndef other():\n    w = 3.0\n    return w\n\nq = w * 2  # @grad\n';
    const message = unbound(only(text, PY), 'w');
    assert.strictEqual(
      message,
      '`w` is assigned only inside `other` (line 4), which this line cannot see: give it a value with a binding: `# @grad w=1.0`',
    );
  });

  it("Python: a nested function reads its enclosing function's locals (closures)", () => {
    const text = 'def outer():\n    w = 3.0\n    def inner():\n        return w * 2  # @grad\n    return inner\n';
    assert.strictEqual(ok(text, PY).value, 6);
  });

  it("Python: a class body's names are visible in the class body, not in its methods", () => {
    assert.strictEqual(ok('class A:\n    a = 2.0\n    b = a * 3  # @grad\n', PY).value, 6);
    const method = 'class A:\n    w = 2.0\n    def m(self):\n        return w * 3  # @grad\n';
    unbound(
      only(method, PY),
      'w',
      /^`w` is assigned only in the body of class `A` \(line 2\), which this line cannot see/,
    );
    unbound(only('class A:\n    w = 2.0\nq = w * 2  # @grad\n', PY), 'w', /in the body of class `A`/);
  });

  it('Python: a name assigned anywhere in a function is local to it, so the outer one is not read before', () => {
    const text = 'x = 1.0\ndef f():\n    y = x * 2  # @grad\n    x = 3.0\n';
    unbound(
      only(text, PY),
      'x',
      /^`x` is assigned in `f` only below this line \(line 4\), so Python makes it local to `f`/,
    );
    const declared = 'x = 1.0\ndef f():\n    global x\n    y = x * 2  # @grad\n    x = 3.0\n';
    assert.strictEqual(ok(declared, PY).value, 2);
  });

  it('a local that reads itself before any assignment: Python and JavaScript both refuse', () => {
    unbound(
      only('x = 1.0\ndef f():\n    x += 1  # @grad\n', PY),
      'x',
      /^`x` is assigned in `f` only by this line itself \(line 3\)/,
    );
    unbound(
      only('const x = 1;\n{\n  let x = x + 1; // @grad\n}\n', JS),
      'x',
      /^`x` is declared with `let` only by this line itself \(line 3\)/,
    );
  });

  it("Python: a class body sees the module; a method's nested function sees the method, not the class", () => {
    assert.strictEqual(ok('w = 2.0\nclass A:\n    b = w * 3  # @grad\n', PY).value, 6);
    const text =
      'def make():\n    k = 2.0\n    class A:\n        k = 5.0\n        def m(self):\n            return k * 3  # @grad\n    return A\n';
    assert.strictEqual(ok(text, PY).value, 6);
  });

  it('Python: if, for, while and with blocks are no scope', () => {
    assert.strictEqual(ok('if True:\n    w = 3.0\nq = w * 2  # @grad\n', PY).value, 6);
    assert.strictEqual(ok('def f():\n    if True:\n        w = 3.0\n    return w * 2  # @grad\n', PY).value, 6);
  });

  it('JavaScript: let and const are block-scoped', () => {
    const text = 'if (ready) {\n  const w = 2.0;\n}\nconst q = w * 2; // @grad\n';
    unbound(only(text, JS), 'w', /^`w` is declared only inside the block at line 1, which this line cannot see/);
    assert.strictEqual(ok('let x = 1;\n{\n  let x = 2;\n  const y = x * 3; // @grad\n}\n', JS).value, 6);
    assert.strictEqual(ok('let x = 1;\n{\n  let x = 2;\n}\nconst z = x * 3; // @grad\n', JS).value, 3);
  });

  it('JavaScript: a let or const used above its declaration in its block has no value (the temporal dead zone)', () => {
    const text = 'let x = 1;\n{\n  const y = x * 3; // @grad\n  let x = 2;\n}\n';
    unbound(only(text, JS), 'x', /^`x` is declared with `let` only below this line \(line 4\)/);
  });

  it('JavaScript: var is function-scoped', () => {
    const inside = 'function f() {\n  if (ready) {\n    var w = 2;\n  }\n  return w * 3; // @grad\n}\n';
    assert.strictEqual(ok(inside, JS).value, 6);
    unbound(
      only('function other() {\n  var w = 2;\n}\nconst q = w * 2; // @grad\n', JS),
      'w',
      /^`w` is assigned only inside `other` \(line 2\)/,
    );
  });

  it('JavaScript: an assignment without a declaration writes the variable it names, inside its function', () => {
    assert.strictEqual(ok('let x = 1;\n{\n  x = 2;\n}\nconst y = x * 3; // @grad\n', JS).value, 6);
    // Under an `if`, it may not run: the value depends on the condition.
    unbound(
      only('let x = 1;\nif (ready) {\n  x = 2;\n}\nconst y = x * 3; // @grad\n', JS),
      'x',
      /under the `if` on line 2/,
    );
    assert.strictEqual(ok('let x = 1;\nfunction f() {\n  x = 2;\n  return x * 3; // @grad\n}\n', JS).value, 6);
    // Outside the function, the value depends on whether and when the function runs.
    unbound(
      only('let x = 1;\nfunction f() {\n  x = 2;\n}\nconst y = x * 3; // @grad\n', JS),
      'x',
      /^`x` is assigned by `f`, which does not declare it \(line 3\): its value depends on whether, when and how often it runs/,
    );
    // A callback that updates an outer variable: outside, and inside before the update, unknowable.
    const cb =
      'let w = new Value(2);\n[1, 2].forEach(() => {\n  const a = w.mul(1); // @grad\n  w = w.mul(2);\n});\nconst y = w.mul(3); // @grad\n';
    const [inside, outside] = analyzeText(cb, JS);
    assert.strictEqual(inside.value, null);
    assert.strictEqual(outside.value, null);
    assert.match(
      outside.problems[0].message,
      /assigned by the callback passed to `forEach` on line 2, which does not declare it/,
    );
  });

  it("JavaScript: a closure reads its enclosing function's locals", () => {
    const text =
      'class A {\n  m(x: number) {\n    const k = 2;\n    const g = () => {\n      return k * 3; // @grad\n    };\n  }\n}\n';
    assert.strictEqual(ok(text, JS).value, 6);
  });

  it('JavaScript: class fields are not plain names, in the class or outside it', () => {
    const text = 'class A {\n  w = 2.0;\n  m() {\n    return w * 3; // @grad\n  }\n}\n';
    unbound(only(text, JS), 'w', /^`w` is a field of class `A` \(line 2\), not a variable, which this line cannot see/);
    unbound(only('class A {\n  w = 2.0;\n}\nconst q = w * 2; // @grad\n', JS), 'w', /field of class `A`/);
  });

  it('JavaScript: a declaration without a value hides the outer name', () => {
    unbound(only('const x = 1;\n{\n  let x;\n  const y = x * 3; // @grad\n}\n', JS), 'x');
  });

  it('notebook cells share the module scope; a function in one cell hides its locals from the next', () => {
    const lenses = analyzeCells(['x = 2.0\ndef f():\n    w = 3.0', 'y = x * w  # @grad'], PY);
    const lens = lenses[1][0];
    unbound(lens, 'w', /^`w` is assigned only inside `f` \(cell 1, line 3\)/);
    assert.strictEqual(analyzeCells(['x = 2.0', 'y = x * 3  # @grad'], PY)[1][0].value, 6);
  });

  // How long these take is measured by `npm run bench` (hostile inputs); here, what they give.
  it('scopes cost no rescan per lookup: a thousand functions with a lens each', () => {
    const lenses = analyzeText(functionsWithLenses(1000).text, PY);
    assert.strictEqual(lenses.length, 1000);
    assert.strictEqual(lenses[999].value, 2 * 999);
  });

  it('hostile nesting: ten thousand open blocks and stray closers', () => {
    const text =
      '{'.repeat(10_000) +
      '\nconst y = x * 2; // @grad\n' +
      '}'.repeat(20_000) +
      '\nconst x = 1;\nconst z = x * 2; // @grad\n';
    const lenses = analyzeText(text, JS);
    assert.strictEqual(lenses.length, 2);
    assert.strictEqual(lenses[0].problems[0].code, 'unbound');
    assert.strictEqual(lenses[1].value, 2);
    const deep =
      Array.from({ length: 5000 }, (_, k) => `${' '.repeat(k)}def f${k}(x${k}):`).join('\n') +
      `\n${' '.repeat(5000)}return x0 * 2  # @grad x0=1\n`;
    assert.strictEqual(ok(deep, PY).value, 2);
  });

  it('hostile: a long expression deep inside ten thousand scopes reads a module-level name without walking them each time', () => {
    assert.strictEqual(ok(sumInsideBlocks(10_000).text, JS).value, 20_000);
    assert.strictEqual(ok(sumBesideAssigningFunctions(5000).text, JS).value, 40_000);
  });

  it('hostile: stray closers below thousands of open Python blocks (unknown language) cost no walk each', () => {
    assert.strictEqual(ok(strayClosers(3000).text).value, 2);
  });
});

describe("core: identifiers are the language's names", () => {
  it('Python folds identifiers by NFKC: 𝑥 is x, ﬁle is file', () => {
    const lens = ok('𝑥 = 2.0\ny = x * 3  # @grad\n', PY);
    assert.strictEqual(lens.value, 6);
    assert.strictEqual(grad(lens, 'x'), 3);
    assert.strictEqual(ok('x = 2.0\ny = 𝑥 * 3  # @grad\n', PY).value, 6);
    assert.strictEqual(ok('ﬁle = 2.0\ny = file * 3  # @grad\n', PY).value, 6);
    assert.strictEqual(ok('y = 𝑥 * 3  # @grad x=2\n', PY).value, 6);
    assert.strictEqual(ok('x = 1.0\n𝑥 = 2.0\ny = x * 3  # @grad\n', PY).value, 6);
  });

  it('JavaScript and TypeScript keep 𝑥 and x apart', () => {
    unbound(only('const 𝑥 = 2.0;\nconst y = x * 3; // @grad\n', JS), 'x', /^`x` has no value/);
    assert.strictEqual(ok('const x = 1.0;\nconst 𝑥 = 2.0;\nconst y = x * 3; // @grad\n', JS).value, 3);
  });

  it('with unknown comments (both), a name the two languages read differently is refused', () => {
    const message = unbound(only('x = 1.0\n𝑥 = 2.0\ny = x * 3  # @grad\n'), 'x');
    assert.match(message, /^`x` and `𝑥` \(line 2\) are one name in Python and two in JavaScript/);
    unbound(only('x = 2.0\ny = 𝑥 * 3  # @grad\n'), '𝑥', /are one name in Python and two in JavaScript/);
    // Spelled one way throughout, both languages agree.
    assert.strictEqual(ok('ℓ = 2.0\ny = ℓ * 3  # @grad\n').value, 6);
    assert.strictEqual(ok('x = 2.0\ny = x * 3  # @grad\n').value, 6);
  });
});
