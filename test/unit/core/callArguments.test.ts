// Keyword arguments and default values in calls to functions the file defines (parameters.ts):
// Python binds keywords by name and evaluates a default once, where the `def` stands; JavaScript
// evaluates a default at the call, after the parameters before it. A wrong count, an unknown or
// repeated keyword, `*args`, or a default the lens cannot compute is refused with what is wrong.
import * as assert from 'assert';
import type { Lens } from '../../../src/core';
import { close, grad, JS, ok, only, PY } from './helpers';

function refusedWith(lens: Lens, message: RegExp): void {
  assert.strictEqual(lens.value, null);
  const errors = lens.problems.filter((p) => p.severity === 'error').map((p) => p.message);
  assert.ok(
    errors.some((m) => message.test(m)),
    errors.join('\n'),
  );
}

const AFFINE = ['def affine(x, w, b=0.5):', '    return w * x + b', "x = Value(2.0, label='x')"];

describe('core: keyword arguments and defaults in calls to functions of the file', () => {
  it('Python keyword arguments, in any order, with a default for the rest', () => {
    const y2 = ok([...AFFINE, 'y = affine(x, w=Value(-1.0))  # @grad'].join('\n'), PY);
    close(y2.value, -1.5);
    close(grad(y2, 'x'), -1);
    const y3 = ok([...AFFINE, 'w0 = Value(4.0)', 'y = affine(b=Value(1.0), w=w0, x=x)  # @grad'].join('\n'), PY);
    close(y3.value, 9);
    close(grad(y3, 'x'), 4);
    close(grad(y3, 'w0'), 2);
    const mse = ok(
      [
        'def mse(pred, target):',
        '    return (pred - target) ** 2',
        'x = Value(2.0)',
        'y = mse(target=x, pred=Value(5.0))  # @grad',
      ].join('\n'),
      PY,
    );
    close(mse.value, 9);
    close(grad(mse, 'x'), -6);
  });

  it('a Python default is evaluated where the def stands: a later `k = …` does not change it', () => {
    const text = [
      'k = Value(3.0)',
      'def with_default(t, c=k):',
      '    return t + c',
      'k = Value(7.0)',
      'x = Value(2.0)',
      'y = with_default(x) * with_default(x)  # @grad',
    ].join('\n');
    const lens = ok(text, PY);
    close(lens.value, 25);
    // One Value for the default (the k of 3.0), shared by both calls: (x + k)², ∂k = 2 · 5.
    close(grad(lens, 'k'), 10);
    close(grad(lens, 'x'), 10);
    // Given, the argument wins.
    close(ok(text.replace('with_default(x) * with_default(x)', 'with_default(x, k)'), PY).value, 9);
  });

  it('a JavaScript default is evaluated at the call, after the parameters before it', () => {
    const text = [
      'let k = new Value(3);',
      'const f = (p, t = k, u = p.mul(2)) => p.mul(t).add(u);',
      'k = new Value(7);',
      'const x = new Value(2);',
      'const y = f(x); // @grad',
    ].join('\n');
    const lens = ok(text, JS);
    // 2 · 7 + 4: the k of the call's time.
    close(lens.value, 18);
    close(grad(lens, 'x'), 9);
    const block = ok(
      'function g(p, t = 1) {\n  return p.mul(t);\n}\nconst x = new Value(2);\nconst y = g(x); // @grad\n',
      JS,
    );
    close(block.value, 2);
  });

  it('a Python default whose leaf is changed through `.data` before the call is not knowable', () => {
    const text = ['k = Value(3.0)', 'def f(t, c=k):', '    return t + c', 'k.data = 5.0', 'y = f(Value(1.0))  # @grad'];
    // The program's default is the k object, whose data is 5 by the call: 6, not the lens's 4.
    refusedWith(only(text.join('\n'), PY), /`k` is changed by `k\.data = …` on line 4, after its use in `f`/);
    const alias = [
      'k = Value(3.0)',
      'def f(t, c=k):',
      '    return t + c',
      'q = k',
      'q.data = 5.0',
      'y = f(Value(1.0))  # @grad',
    ];
    refusedWith(only(alias.join('\n'), PY), /`q` may be `k`.*\(a default of `f`\)/);
  });

  it('a wrong count or a wrong keyword is still refused, precisely', () => {
    refusedWith(
      only([...AFFINE, 'y = affine(x)  # @grad'].join('\n'), PY),
      /^the call on line 4 gives no argument for `w` of `affine`, which has no default$/,
    );
    refusedWith(
      only([...AFFINE, 'y = affine(x, x, x, x)  # @grad'].join('\n'), PY),
      /^`affine` takes 2 to 3 arguments \(x, w, b=…\), and the call on line 4 gives 4$/,
    );
    refusedWith(only([...AFFINE, 'y = affine(x, z=x)  # @grad'].join('\n'), PY), /`affine` has no parameter `z`/);
    refusedWith(only([...AFFINE, 'y = affine(x, x, x=x)  # @grad'].join('\n'), PY), /gives `x` of `affine` twice/);
    refusedWith(
      only([...AFFINE, 'y = affine(w=x, x)  # @grad'].join('\n'), PY),
      /a positional argument cannot follow a keyword argument/,
    );
    refusedWith(
      only('def f(a, *rest):\n    return a\nx = Value(1.0)\ny = f(x, x)  # @grad\n', PY),
      /`f` collects arguments in `\*rest`/,
    );
    refusedWith(
      only('def f(a, *, b):\n    return a * b\nx = Value(1.0)\ny = f(x, x)  # @grad\n', PY),
      /^`f` takes 1 positional argument \(a\), and the call on line 4 gives 2$/,
    );
    close(ok('def f(a, *, b):\n    return a * b\nx = Value(3.0)\ny = f(x, b=x)  # @grad\n', PY).value, 9);
    refusedWith(
      only('def f(a, /, b):\n    return a * b\nx = Value(3.0)\ny = f(a=x, b=x)  # @grad\n', PY),
      /`f` takes `a` by position only/,
    );
    refusedWith(
      only('const f = (p, t = 1) => p.mul(t);\nconst x = new Value(2);\nconst y = f(x, x, x); // @grad\n', JS),
      /`f` takes 1 to 2 arguments \(p, t=…\), and the call on line 3 gives 3/,
    );
    // In JavaScript `f(x, t = 2)` assigns a global t: no keyword.
    refusedWith(
      only('const f = (p, t = 1) => p.mul(t);\nconst x = new Value(2);\nconst y = f(x, t = 2); // @grad\n', JS),
      /unexpected `=`/,
    );
  });

  it('a default the lens cannot compute is refused only when a call needs it', () => {
    const text = ['def f(t, c=random.random()):', '    return t * c', 'x = Value(2.0)'];
    close(ok([...text, 'y = f(x, x)  # @grad'].join('\n'), PY).value, 4);
    refusedWith(only([...text, 'y = f(x)  # @grad'].join('\n'), PY), /the default of `c` of `f`/);
  });

  it('keywords and defaults in a call inside another function', () => {
    const text = [
      'def affine(x, w, b=0.5):',
      '    return w * x + b',
      'def neuron(x):',
      '    return affine(w=Value(-2.0), x=x).tanh()',
      'x = Value(1.0)',
      'y = neuron(x)  # @grad',
    ].join('\n');
    const lens = ok(text, PY);
    close(lens.value, Math.tanh(-1.5));
    close(grad(lens, 'x'), -2 * (1 - Math.tanh(-1.5) ** 2));
  });
});
