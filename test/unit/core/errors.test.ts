// Every error the analysis reports, checked for its code, its message and its exact range.
import * as assert from 'assert';
import { analyzeText, type Lens } from '../../../src/core';
import { only, textAt } from './helpers';

/** The lens's first problem, checked for its code, the text under its range and its message. */
function expectProblem(text: string, code: string, under: string, message: RegExp, comments?: 'hash' | 'slash'): Lens {
  const lens = only(text, { comments });
  const p = lens.problems[0];
  assert.ok(p, 'expected a problem');
  assert.strictEqual(p.code, code, p.message);
  assert.match(p.message, message);
  assert.strictEqual(textAt(text, p.range), under);
  if (p.severity === 'error') assert.strictEqual(lens.value, null);
  return lens;
}

describe('core: errors', () => {
  it('`^` says to use ** for powers', () => {
    expectProblem('y = a^2  # @grad a=1', 'parse', '^', /use \*\* for powers/);
  });

  it('a function outside the language, at its name', () => {
    expectProblem(
      'y = sin(a)  # @grad a=1',
      'parse',
      'sin',
      /`sin\(…\)` is not supported: the functions are neg, exp, log, relu, tanh, add, sub, mul, div and pow, their aliases, and composites such as sigmoid and max/,
    );
    expectProblem('y = math.sin(a)  # @grad a=1', 'parse', 'math.sin', /not supported/);
    expectProblem(
      'y = a.sin()  # @grad a=1',
      'parse',
      'sin',
      /^`\.sin\(\)` is not supported: the methods are \.neg\(\) \.exp\(\) \.log\(\) \.relu\(\) \.tanh\(\) \.add\(\) \.sub\(\) \.mul\(\) \.div\(\) \.pow\(\) \(and their aliases and composites\)$/,
    );
    expectProblem(
      'y = a + "x"  # @grad a=1',
      'parse',
      '"x"',
      /^a string is not a number: the @grad language has \+ - \* \/ \*\*, neg exp log relu tanh add sub mul div pow, and Value\(…\)$/,
    );
  });

  it('other constructs outside the language, at their token', () => {
    expectProblem('y = a % 2  # @grad a=1', 'parse', '%', /remainder/);
    expectProblem('y = a // 2  # @grad a=1', 'parse', '//', /floor division/, 'hash');
    expectProblem("y = a * 'x'  # @grad a=1", 'parse', "'x'", /a string is not a number/);
    expectProblem('y = a[0]  # @grad a=1', 'parse', '[', /unexpected `\[`/);
    expectProblem('y = (a  # @grad a=1', 'parse', '(', /missing `\)`/);
    expectProblem('y = a)  # @grad a=1', 'parse', ')', /unmatched `\)`/);
    expectProblem('y = a +  # @grad a=1', 'parse', '', /expected an expression/);
    expectProblem('y = tanh(a, a)  # @grad a=1', 'parse', 'tanh', /takes one argument/);
    expectProblem(
      'y = (a * 2).data  # @grad a=1',
      'parse',
      '(a * 2).data',
      /attribute `\.data` is not supported: assign the value to a plain name above, or give it a binding/,
    );
    expectProblem('y = this.w * 2  // @grad', 'parse', 'this.w', /attribute `\.w`/, 'slash');
  });

  it('an unbound name names itself and says how to give it a value', () => {
    const lens = expectProblem(
      'x = 1\ny = x * z  # @grad',
      'unbound',
      'z',
      /^`z` has no value: assign it above this line or add a binding: `# @grad z=1\.0`$/,
    );
    assert.strictEqual(lens.problems[0].name, 'z');
  });

  it('the unbound advice keeps the existing bindings and the comment style', () => {
    expectProblem('y = x * z  # @grad x=2', 'unbound', 'z', /`# @grad x=2, z=1\.0`/);
    expectProblem('const y = x * z; // @grad x=2', 'unbound', 'z', /`\/\/ @grad x=2, z=1\.0`/, 'slash');
  });

  it('every unbound name is reported once, with its first occurrence', () => {
    const lens = only('y = a * b + a  # @grad');
    assert.deepStrictEqual(
      lens.problems.map((p) => p.name),
      ['a', 'b'],
    );
  });

  it('an unbound name inside an expanded assignment points there and says which use', () => {
    const text = 'h = q * 2\ny = h + 1  # @grad';
    expectProblem(text, 'unbound', 'q', /`q` has no value: assign it above its use in `h`/);
  });

  it('a broken assignment that a lens uses: the error points at it and names it', () => {
    expectProblem('q = foo(2)\ny = q * 2  # @grad', 'parse', 'foo', /in the assignment to `q`, which this lens uses/);
  });

  it('a pow with a variable exponent: "exponent must be a constant"', () => {
    expectProblem('n = 3\ny = x ** n  # @grad x=2', 'non-constant-exponent', 'n', /^exponent must be a constant/);
    expectProblem('y = pow(x, x + 1)  # @grad x=2', 'non-constant-exponent', 'x + 1', /exponent must be a constant/);
    expectProblem('y = x.pow(x)  # @grad x=2', 'non-constant-exponent', 'x', /exponent must be a constant/);
  });

  it('log of a non-positive number, at the log(...) sub-expression', () => {
    expectProblem('x = 0\ny = 2 * log(x) + 1  # @grad', 'domain', 'log(x)', /^log of a non-positive number: log\(0\)$/);
    expectProblem('x = 1\ny = (x - 1).log()  # @grad', 'domain', '(x - 1).log()', /log\(0\)/);
  });

  it('division by zero names the operands', () => {
    expectProblem('x = 2\nd = x - 2\ny = x / d  # @grad', 'domain', 'x / d', /^division by zero: 2 \/ 0$/);
  });

  it('overflow and non-finite powers are domain errors, never Infinity or NaN', () => {
    expectProblem('y = exp(x)  # @grad x=1000', 'domain', 'exp(x)', /exp overflows/);
    expectProblem('y = x ** 0.5  # @grad x=-4', 'domain', 'x ** 0.5', /pow/);
    expectProblem('y = x * 1e400  # @grad x=1', 'domain', '1e400', /not finite/);
    expectProblem('y = x * 1e200 * 1e200  # @grad x=1', 'domain', 'x * 1e200 * 1e200', /overflows/);
  });

  it("constants (exponents, Value(...) data) obey the engine's domain rules, at the sub-expression", () => {
    expectProblem('y = x ** (1 / 0)  # @grad x=2', 'domain', '(1 / 0)', /^division by zero: 1 \/ 0$/);
    expectProblem('y = x ** log(-1)  # @grad x=2', 'domain', 'log(-1)', /^log of a non-positive number: log\(-1\)$/);
    expectProblem('c = Value(exp(1000))\ny = c + 1  # @grad', 'domain', 'exp(1000)', /exp overflows/);
    expectProblem('y = x ** (10 ** 400)  # @grad x=2', 'domain', '(10 ** 400)', /pow gives Infinity/);
    assert.strictEqual(only('y = x ** (2 ** 3 - relu(-1) + tanh(0) * exp(0))  # @grad x=2').value, 256);
  });

  it('a non-finite gradient is a domain error at its op', () => {
    expectProblem('y = (x ** 0.5) * 2  # @grad x=0', 'domain', '(x ** 0.5)', /gradient of pow is not finite/);
  });

  it('bad bindings in the annotation, at the binding', () => {
    expectProblem('y = x * 2  # @grad x=abc', 'parse', 'x=abc', /expected name=number/);
    expectProblem('y = x * 2  # @grad x=1 x=2', 'parse', 'x=2', /bound twice/);
  });

  it('gradcheck mismatch is a warning: relu at its kink', () => {
    const lens = expectProblem(
      'x = 0\ny = relu(x)  # @grad',
      'gradcheck',
      '@grad',
      /gradcheck: analytic and numeric gradients disagree: ∂y\/∂x.*kink/,
    );
    assert.strictEqual(lens.problems[0].severity, 'warning');
    assert.strictEqual(lens.value, 0);
    assert.strictEqual(lens.gradcheck?.ok, false);
  });

  it('nesting deeper than the limit is an error, not a stack overflow', () => {
    expectProblem(
      `y = ${'('.repeat(10000)}x${')'.repeat(10000)}  # @grad x=1`,
      'parse',
      '(',
      /expression nested too deeply/,
    );
    expectProblem(`y = ${'-'.repeat(10000)}x  # @grad x=1`, 'parse', '-', /nested too deeply/);
    expectProblem(`y = x${' ** x'.repeat(5000)}  # @grad x=1`, 'parse', '**', /nested too deeply/);
  });

  it('a lens with an error still carries its ranges and target', () => {
    const text = 'y = log(z)  # @grad';
    const lens = only(text);
    assert.strictEqual(lens.target, 'y');
    assert.strictEqual(textAt(text, lens.targetRange), 'y');
    assert.strictEqual(textAt(text, lens.expressionRange), 'log(z)');
    assert.strictEqual(textAt(text, lens.tagRange), '@grad');
    assert.strictEqual(lens.graph, null);
  });

  it('an annotation on a statement that is not an expression', () => {
    const lens = only('def f(x):  # @grad\n  return x');
    assert.strictEqual(lens.problems[0].code, 'parse');
  });

  it('errors come before warnings; each lens stands alone', () => {
    const lenses = analyzeText('a = log(0)\ny = a  # @grad\nz = 2 * 2  # @grad');
    assert.strictEqual(lenses[0].value, null);
    assert.strictEqual(lenses[1].value, 4);
  });
});
