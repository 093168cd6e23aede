// Assignments that bind several names (assignments.ts): unpacking a list of values written out,
// one per name, and chained assignments, which give every name the same Value. What the program
// does differently (a swap, a starred target, values not written out) stays refused, and says why.
import * as assert from 'assert';
import { close, grad, JS, ok, only, PY, unbound } from './helpers';

describe('core: unpacking and chained assignments', () => {
  it('Python tuple unpacking of leaves, bare, in parentheses or brackets, with labels', () => {
    for (const line of [
      "a, b = Value(2.0, label='a'), Value(-3.0, label='b')",
      '(a, b) = (Value(2.0), Value(-3.0))',
      '[a, b] = [Value(2.0), Value(-3.0)]',
      'a, b = (Value(2.0), Value(-3.0))',
    ]) {
      const lens = ok(`${line}\ny = a * b + a  # @grad\n`, PY);
      close(lens.value, -4);
      close(grad(lens, 'a'), -2);
      close(grad(lens, 'b'), 2);
    }
  });

  it('JavaScript array destructuring of an array written out', () => {
    for (const text of [
      'const [u, v] = [new Value(1), new Value(2)];\nconst y = u.mul(v).add(u); // @grad\n',
      'let u, v;\n[u, v] = [new Value(1), new Value(2)];\nconst y = u.mul(v).add(u); // @grad\n',
    ]) {
      const lens = ok(text, JS);
      close(lens.value, 3);
      close(grad(lens, 'u'), 3);
      close(grad(lens, 'v'), 1);
    }
  });

  it('a chained assignment: every name is the same Value, so the gradients add up', () => {
    const py = ok("h1 = h2 = Value(1.25, label='h')\nhh = h1 * h2  # @grad\n", PY);
    close(py.value, 1.5625);
    close(grad(py, 'h1'), 2.5);
    close(grad(py, 'h2'), 2.5);
    const js = ok('const x = new Value(3);\nlet b;\nconst a = b = x.mul(2);\nconst y = a.mul(b); // @grad\n', JS);
    close(js.value, 36);
    close(grad(js, 'x'), 24);
    // The value is computed once, before any name is assigned: `b` on the right is the old one.
    const old = ok('b = Value(2.0)\na = b = b * 3\ny = a + b  # @grad\n', PY);
    close(old.value, 12);
  });

  it('an annotated chained assignment is the lens of its value', () => {
    const lens = ok('x = Value(2.0)\na = b = x * 3  # @grad\n', PY);
    close(lens.value, 6);
    close(grad(lens, 'x'), 3);
  });

  it('a swap, a starred target, a count that differs, values not written out: refused, with why', () => {
    unbound(
      only('a = Value(1.0)\nb = Value(5.0)\na, b = b, a\ny = a * 2  # @grad\n', PY),
      'a',
      /^`a` is unpacked on line 3 \(a value reads `a`, which the statement assigns too: the program reads the old one\)/,
    );
    unbound(
      only('a, *b = Value(2.0), Value(-3.0), Value(1.0)\ny = a * 2  # @grad\n', PY),
      'a',
      /unpacked on line 1 \(a starred item\)/,
    );
    unbound(only('a, b = Value(2.0), Value(-3.0), Value(1.0)\ny = a * 2  # @grad\n', PY), 'a', /\(2 names, 3 values\)/);
    unbound(only('a, b = pair\ny = a * 2  # @grad\n', PY), 'a', /not written out one per name/);
    unbound(
      only('const [u, ...v] = [new Value(1), new Value(2)];\nconst y = u.mul(2); // @grad\n', JS),
      'u',
      /rest element/,
    );
    unbound(
      only('const [u, v, w] = [new Value(1), new Value(2)];\nconst y = u.mul(2); // @grad\n', JS),
      'u',
      /3 names, 2 values/,
    );
    unbound(
      only('let a = new Value(1);\nlet b = new Value(5);\n[a, b] = [b, a];\nconst y = a.mul(2); // @grad\n', JS),
      'a',
      /reads the old one/,
    );
  });

  it('a value that calls a function of the file, which may read a name assigned before it, is refused', () => {
    const text = ['a = Value(1.0)', 'def f():', '    return a * 2', 'a, b = Value(3.0), f()', 'y = b * 1  # @grad'];
    unbound(only(text.join('\n') + '\n', PY), 'b', /a value calls `f`/);
  });

  it('the comma of JavaScript is no unpacking: `a, b = 1, 2` assigns b only', () => {
    // In JavaScript this is `a, (b = 1), 2`; the lens does not read it as Python's unpacking.
    const lens = only('let a = new Value(10);\nlet b;\na, b = 1, 2;\nconst y = a.mul(2); // @grad\n', JS);
    assert.ok(lens.value === null || lens.value === 20, String(lens.value));
  });
});
