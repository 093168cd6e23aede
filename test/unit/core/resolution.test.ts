// Resolution follows each language's scope rules, or refuses with a message that says why: a
// function's parameter never takes a value from outside the function, and a name assigned inside
// a function, a class body or a JavaScript block is never read from where the language cannot see it.
import * as assert from 'assert';
import { analyzeSelection, type AnalyzeOptions, type Lens } from '../../../src/core';
import { grad, ok, only, range } from './helpers';

const PY: AnalyzeOptions = { comments: 'hash' };
const JS: AnalyzeOptions = { comments: 'slash' };

/** The lens's one error: an 'unbound' problem for `name` (so the "Add binding" quick fix applies). */
function unbound(lens: Lens, name: string, message?: RegExp): string {
  const errors = lens.problems.filter((p) => p.severity === 'error');
  assert.deepStrictEqual(
    errors.map((p) => [p.code, p.name]),
    [['unbound', name]],
    errors.map((p) => p.message).join('\n'),
  );
  assert.strictEqual(lens.value, null);
  if (message) assert.match(errors[0].message, message);
  return errors[0].message;
}

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
