// TypeScript's expression syntax that changes no value (typeSyntax.ts): `as`, `satisfies`, the
// non-null `!`, the cast `<T>x` (.ts only), type arguments, and `?.` on a Value. It is erased
// before the lens reads a statement, so one `as` in a leaf's assignment no longer breaks every
// lens that uses the leaf; what stays outside the language is still refused.
import * as assert from 'assert';
import { analyzeText, type AnalyzeOptions } from '../../../src/core';
import { close, grad, JS, ok, only, PY } from './helpers';

const TS: AnalyzeOptions = { comments: 'slash', language: 'typescript' };
const TSX: AnalyzeOptions = { comments: 'slash', language: 'typescriptreact' };

function refused(text: string, options: AnalyzeOptions, message: RegExp): void {
  const lens = only(text, options);
  assert.strictEqual(lens.value, null);
  const errors = lens.problems.filter((p) => p.severity === 'error').map((p) => p.message);
  assert.ok(
    errors.some((m) => message.test(m)),
    errors.join('\n'),
  );
}

describe('core: TypeScript syntax that does not change a value', () => {
  it('`as` in a leaf, a chain of `as`, and `satisfies`', () => {
    const text = [
      'const a = new Value(2) as Value;',
      'const b = new Value(-3) as unknown as Value;',
      'const c = (a.mul(a) satisfies Value).add(b);',
      'const y = c.mul(b as Value); // @grad',
    ].join('\n');
    for (const options of [TS, JS]) {
      const lens = ok(text, options);
      // (a² + b) · b = (4 − 3) · −3
      close(lens.value, -3);
      close(grad(lens, 'a'), 2 * 2 * -3);
      close(grad(lens, 'b'), 4 + 2 * -3);
    }
  });

  it('`as` binds looser than arithmetic: `a + b as V * c` is (a + b) · c', () => {
    const lens = ok(
      // Numbers: on Values JavaScript's operators give NaN (the lens refuses them).
      'const a = 2;\nconst b = 3;\nconst c = 4;\nconst y = a + b as number * c; // @grad\n',
      TS,
    );
    close(lens.value, 20);
    close(grad(lens, 'c'), 5);
    close(grad(lens, 'a'), 4);
  });

  it('the non-null `!` and optional chaining on a Value', () => {
    const text = [
      'const a: Value = new Value(2.0);',
      'const b = new Value(-3.0);',
      'const d = a!.mul(b!).add(a!); // @grad',
    ].join('\n');
    const lens = ok(text, TS);
    close(lens.value, -4);
    close(grad(lens, 'a'), -2);
    close(grad(lens, 'b'), 2);
    const chained = ok('const a = new Value(2.0);\nconst b = new Value(-3.0);\nconst y = a?.mul(b); // @grad\n', TS);
    close(chained.value, -6);
    close(grad(chained, 'a'), -3);
  });

  it('a `!` that is a `not` stays one: `return !x` and `if (c) !x` are refused, not erased', () => {
    refused('function f(x) {\n  return !x; // @grad x=1\n}\n', TS, /unexpected `!`/);
    refused('const x = new Value(1);\nconst y = !x; // @grad\n', TS, /unexpected `!`/);
  });

  it('the cast `<Value>a` in a .ts file, never in .tsx (JSX) nor in plain JavaScript', () => {
    const text = 'const a = new Value(2.0);\nconst y = (<Value>a).mul(3); // @grad\n';
    const lens = ok(text, TS);
    close(lens.value, 6);
    close(grad(lens, 'a'), 3);
    refused(text, TSX, /unexpected `<`/);
    refused(text, JS, /unexpected `<`/);
  });

  it('type arguments of a call to a function of the file, in TypeScript only', () => {
    const text = [
      'function twice<T>(x: Value): Value {',
      '  return x.mul(2);',
      '}',
      'const a = new Value(1.5);',
      'const y = twice<Value>(a).add(twice<number>(a)); // @grad',
    ].join('\n');
    for (const options of [TS, TSX]) {
      const lens = ok(text, options);
      close(lens.value, 6);
      close(grad(lens, 'a'), 4);
    }
    // In JavaScript `f < A > (x)` compares: no number.
    refused(text, JS, /unexpected `<`/);
  });

  it('import lists keep their `as`; the renamed import is still a name without a value', () => {
    const lens = only("import { a as b } from './m';\nconst y = b.mul(2); // @grad\n", TS);
    assert.strictEqual(lens.value, null);
    assert.match(lens.problems[0].message, /imported/);
  });

  it('Python is untouched: `with … as f` binds f opaquely, `x as y` is no expression', () => {
    const lens = only("x = 1.0\nwith open('p') as x:\n    pass\ny = x * 2  # @grad\n", PY);
    assert.strictEqual(lens.value, null);
    assert.match(lens.problems[0].message, /`with` statement/);
    refused('x = Value(1.0)\ny = x as z  # @grad\n', PY, /unexpected `as`/);
  });

  it('the held-out file: every lens that only used TypeScript syntax now has its number', () => {
    const text = [
      "import { Value } from './engine';",
      'const a: Value = new Value(2.0);',
      'const b = new Value(-3.0) as Value;',
      'const c = new Value(10.0);',
      'const e: Value = a.mul(b); // @grad',
      'const d = a!.mul(b).add(c); // @grad',
      'const L3 = /* @grad */ (a.mul(a) satisfies Value).add(b);',
      'const L4 = (<Value>a).mul(3); // @grad',
      'const L7 = a?.mul(b); // @grad',
    ].join('\n');
    const values = analyzeText(text, TS).map((l) => l.value);
    assert.deepStrictEqual(values, [-6, 4, 1, 6, -6]);
  });
});
