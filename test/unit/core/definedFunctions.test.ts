// Functions defined in the file: never a wrong number without a warning.
// 1. A free-function call whose name the file defines (`def square(x): …`) is that function, not
//    the built-in composite or op of that name (calls.test.ts tests the calls themselves).
// 2. A lens inside a function reads a free variable when the function is called: refused when
//    the variable is assigned again after the function is defined.
import * as assert from 'assert';
import type { Lens } from '../../../src/core';
import { JS, ok, only, PY } from './helpers';

function refused(lens: Lens, code: string, message: RegExp, name?: string): void {
  const errors = lens.problems.filter((p) => p.severity === 'error');
  assert.deepStrictEqual(
    errors.map((p) => p.code),
    [code],
    errors.map((p) => p.message).join('\n'),
  );
  assert.strictEqual(lens.value, null);
  assert.match(errors[0].message, message);
  if (name !== undefined) assert.strictEqual(errors[0].name, name);
}

describe('core: a call to a function the file defines under an op or composite name', () => {
  it('is that function, run on its arguments, not the op: Python def, lambda; JavaScript function, arrow', () => {
    assert.strictEqual(ok('def square(x):\n    return x*x*x\na = 2.0\ny = square(a)  # @grad\n', PY).value, 8);
    assert.strictEqual(ok('relu = lambda x: x * 2\na = -2.0\ny = relu(a)  # @grad\n', PY).value, -4);
    assert.strictEqual(
      ok('function sigmoid(x) {\n  return x;\n}\nconst a = 2;\nconst y = sigmoid(a); // @grad\n', JS).value,
      2,
    );
    assert.strictEqual(ok('const tanh = (x) => x * 3;\nconst a = 2;\nconst y = tanh(a); // @grad\n', JS).value, 6);
    // In an assignment the lens uses, too.
    assert.strictEqual(ok('def exp(x):\n    return x\na = 2.0\nb = exp(a)\ny = b * 2  # @grad\n', PY).value, 4);
    // A nested def.
    assert.strictEqual(
      ok('def outer():\n    def square(x):\n        return x\n    a = 2.0\n    y = square(a)  # @grad\n', PY).value,
      2,
    );
  });

  it('methods, method calls and module-qualified calls still work', () => {
    const port = 'class Value:\n    def tanh(self):\n        pass\n    def exp(self):\n        pass\n';
    assert.strictEqual(ok(`${port}a = Value(0.0)\ny = tanh(a)  # @grad\n`, PY).value, 0);
    assert.strictEqual(ok(`${port}a = Value(0.0)\ny = a.exp()  # @grad\n`, PY).value, 1);
    const def = 'def exp(x):\n    return x\n';
    assert.strictEqual(ok(`${def}a = Value(0.0)\ny = a.exp()  # @grad\n`, PY).value, 1);
    assert.strictEqual(ok(`${def}a = 0.0\ny = math.exp(a)  # @grad\n`, PY).value, 1);
    const js =
      'class Value {\n  tanh() {\n    return 1;\n  }\n}\nconst a = new Value(0);\nconst y = a.tanh(); // @grad\n';
    assert.strictEqual(ok(js, JS).value, 0);
  });
});

describe('core: a lens inside a function reads a free variable assigned again later', () => {
  it('Python: assigned again after the def', () => {
    refused(
      only('w = 1.0\ndef f():\n    y = w * 2  # @grad\nw = 5.0\nf()\n', PY),
      'unbound',
      /^`w` is assigned again on line 4, after `f` is defined: inside `f` its value depends on when `f` is called/,
      'w',
    );
    // Not assigned again: fine.
    assert.strictEqual(ok('w = 1.0\ndef f():\n    y = w * 2  # @grad\nf()\n', PY).value, 2);
    // A local of the function is not free.
    assert.strictEqual(ok('w = 1.0\ndef f():\n    w = 3.0\n    y = w * 2  # @grad\nw = 5.0\n', PY).value, 6);
    // A binding still works.
    assert.strictEqual(ok('w = 1.0\ndef f():\n    y = w * 2  # @grad w=4\nw = 5.0\n', PY).value, 8);
  });

  it('Python: a `.data` write after the def', () => {
    refused(
      only('w = Value(1.0)\ndef f():\n    y = w * 2  # @grad\nw.data = 5.0\n', PY),
      'unbound',
      /`w` is assigned again on line 4, after `f` is defined/,
      'w',
    );
  });

  it('JavaScript: function, arrow, inline callback', () => {
    refused(
      only('let w = 1;\nfunction f() {\n  const y = w * 2; // @grad\n}\nw = 5;\nf();\n', JS),
      'unbound',
      /`w` is assigned again on line 5, after `f` is defined/,
      'w',
    );
    refused(
      only('let w = 1;\nconst f = () => {\n  const y = w * 2; // @grad\n};\nw = 5;\n', JS),
      'unbound',
      /`w` is assigned again on line 5/,
      'w',
    );
    // An inline callback's body is not read as statements yet: refused, with no number.
    assert.strictEqual(
      only('let w = 1;\nxs.forEach((x) => {\n  const y = w * 2; // @grad\n});\nw = 5;\n', JS).value,
      null,
    );
    assert.strictEqual(ok('const w = 1;\nfunction f() {\n  const y = w * 2; // @grad\n}\nf();\n', JS).value, 2);
  });
});
