// Calls into functions the file defines (issue 10, item 3): the parameters are bound to the call's
// arguments and the body's return is evaluated; a body with a loop or a branch, a recursion, or an
// outside name the call does not see as the body does is refused, never guessed.
import * as assert from 'assert';
import { analyzeText, type Lens } from '../../../src/core';
import { variableHover } from '../../../src/text/hoverMarkdown';
import { close, grad, JS, ok, only, PY } from './helpers';

function refusedWith(lens: Lens, code: string, message: RegExp): void {
  assert.strictEqual(lens.value, null);
  const error = lens.problems.find((p) => p.severity === 'error');
  assert.ok(error, 'an error');
  assert.strictEqual(error.code, code, error.message);
  assert.match(error.message, message);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('core: calls into functions the file defines', () => {
  it('a def with locals: the value and the gradients through the body', () => {
    const text = [
      'def neuron(x, w, b):',
      '    """One neuron."""',
      '    act = x * w + b',
      '    print(act)',
      '    return act.tanh()',
      'x = Value(2.0)',
      'w = Value(-0.5)',
      'b = Value(0.25)',
      'o = neuron(x, w, b)  # @grad',
    ].join('\n');
    const lens = ok(text, PY);
    const o = Math.tanh(2 * -0.5 + 0.25);
    close(lens.value, o);
    close(grad(lens, 'x'), -0.5 * (1 - o * o));
    close(grad(lens, 'w'), 2 * (1 - o * o));
    close(grad(lens, 'b'), 1 - o * o);
  });

  it('nested calls, lambdas and arrows; each call builds its own nodes', () => {
    const py = ['sig = lambda z: 1 / (1 + (-z).exp())', 'def mse(p, t):', '    d = p - t', '    return d ** 2'];
    const lens = ok([...py, 'a = Value(0.3)', 'l = mse(sig(a), 1.0) + mse(sig(a), 0.0)  # @grad'].join('\n'), PY);
    const s = sigmoid(0.3);
    close(lens.value, (s - 1) ** 2 + s ** 2);
    close(grad(lens, 'a'), (2 * (s - 1) + 2 * s) * s * (1 - s));
    const js = ['const sq = (v) => v.mul(v);', 'function twice(v) {', '  return sq(v).add(sq(v));', '}'];
    const jsLens = ok([...js, 'const a = new Value(3);', 'const y = twice(a.add(1)); // @grad'].join('\n'), JS);
    assert.strictEqual(jsLens.value, 32);
    assert.strictEqual(grad(jsLens, 'a'), 16);
  });

  it('a parameter is not the outer name of the same spelling; a global assigned after the def is read at the call', () => {
    const text = 'x = Value(10.0)\nf = lambda x: x * k\nk = Value(3.0)\ny = f(Value(2.0))  # @grad\n';
    const lens = ok(text, PY);
    assert.strictEqual(lens.value, 6);
    assert.strictEqual(grad(lens, 'k'), 2);
    assert.strictEqual(
      lens.variables.find((v) => v.name === 'x'),
      undefined,
    );
  });

  it('an outside name reassigned between the definition and the call: read as the call sees it', () => {
    const lens = ok('k = Value(2.0)\ndef f(x):\n    return x * k\nk = Value(5.0)\ny = f(Value(1.0))  # @grad\n', PY);
    assert.strictEqual(lens.value, 5);
  });

  it('a call from a function with a local of the same name as the body’s global is refused', () => {
    const text = 'k = Value(2.0)\ndef f(x):\n    return x * k\ndef g():\n    k = Value(7.0)\n    y = f(k)  # @grad\n';
    refusedWith(only(text, PY), 'parse', /^`f` reads `k` \(line 3\), which is not the `k` that this line sees/);
  });

  it('loops, branches and inner functions in the body are not statically knowable', () => {
    const loop =
      'def total(xs):\n    s = 0\n    for x in xs:\n        s = s + x\n    return s\na = Value(1.0)\ny = total(a)  # @grad\n';
    refusedWith(
      only(loop, PY),
      'unknowable',
      /^a call to `total` is not statically knowable: its body has a loop, a branch or an inner function \(line 4\)/,
    );
    const branch =
      'function f(x) {\n  if (x.data > 0) {\n    return x;\n  }\n  return x.neg();\n}\nconst a = new Value(1);\nconst y = f(a); // @grad\n';
    refusedWith(only(branch, JS), 'unknowable', /body has a loop, a branch/);
  });

  it('recursion is refused with the line of the recursive call', () => {
    const text = 'def f(x):\n    return f(x) * 2\na = Value(1.0)\ny = f(a)  # @grad\n';
    refusedWith(only(text, PY), 'unknowable', /it calls `f` again \(line 2\), and recursion is not followed/);
    const mutual = 'def f(x):\n    return g(x)\ndef g(x):\n    return f(x)\na = Value(1.0)\ny = f(a)  # @grad\n';
    refusedWith(only(mutual, PY), 'unknowable', /recursion is not followed/);
  });

  it('the wrong number of arguments, and a body statement the lens does not follow', () => {
    refusedWith(
      only('def f(x, y):\n    return x * y\na = Value(1.0)\nz = f(a)  # @grad\n', PY),
      'parse',
      /^`f` takes 2 arguments \(x, y\), and the call on line 4 gives 1/,
    );
    refusedWith(
      only('def f(x):\n    x.label = "x"\n    log_it(x)\n    return x\na = Value(1.0)\nz = f(a)  # @grad\n', PY),
      'unknowable',
      /its body runs a statement the lens does not follow \(line 3\)/,
    );
  });

  it('a domain error inside the body points into the body', () => {
    const text = 'def f(x):\n    return x.log()\na = Value(-1.0)\ny = f(a)  # @grad\n';
    const [lens] = analyzeText(text, PY);
    assert.strictEqual(lens.value, null);
    const error = lens.problems.find((p) => p.code === 'domain');
    assert.ok(error);
    assert.strictEqual(error.range.start.line, 1);
  });

  it('the same maths spelt inline and through a function gives the same value and gradients', () => {
    const inline = ok('a = Value(0.7)\nb = Value(-1.2)\ny = (a * b + a).tanh()  # @grad\n', PY);
    const called = ok(
      'def f(p, q):\n    return (p * q + p).tanh()\na = Value(0.7)\nb = Value(-1.2)\ny = f(a, b)  # @grad\n',
      PY,
    );
    assert.strictEqual(called.value, inline.value);
    assert.strictEqual(grad(called, 'a'), grad(inline, 'a'));
    assert.strictEqual(grad(called, 'b'), grad(inline, 'b'));
  });

  it('an annotation inside a body takes the arguments of the last call in the file', () => {
    const text = [
      'def f(x, w):',
      '    y = (x * w).tanh()  # @grad',
      '    return y',
      'a = Value(0.5)',
      'f(a, Value(2.0))',
      'out = f(a * 2, Value(-1.0))',
    ].join('\n');
    const [lens] = analyzeText(text, PY);
    close(lens.value, Math.tanh(-1));
    const x = lens.variables.find((v) => v.name === 'x')!;
    assert.strictEqual(x.value, 1);
    assert.strictEqual(x.definedBy, 'call');
    assert.strictEqual(x.definedAt.start.line, 5);
    close(x.grad, -(1 - Math.tanh(-1) ** 2));
    assert.match(variableHover(lens, x, 4), /from the call on line 6/);
    // A binding in the annotation wins over the call for its parameter.
    const bound = analyzeText(text.replace('# @grad', '# @grad w=3'), PY)[0];
    close(bound.value, Math.tanh(3));
  });

  it('no call, a call the lens cannot evaluate, or only a recursive call: the parameter asks for a binding', () => {
    const none = 'function f(x) {\n  const y = x.mul(2); // @grad\n  return y;\n}\n';
    assert.strictEqual(only(none, JS).value, null);
    const keyword = 'def f(x):\n    y = x * 2  # @grad\n    return y\nf(x=Value(1.0))\n';
    assert.strictEqual(only(keyword, PY).value, null);
    const random = 'def f(x):\n    y = x * 2  # @grad\n    return f(y)\nf(Value(random.random()))\n';
    assert.strictEqual(only(random, PY).value, null);
  });

  it('review cases: a reassigned parameter, a caller’s parameter as a free name, decorators, patterns', () => {
    const reassigned = 'def f(x):\n    x = x * 2.0\n    y = x * 3.0  # @grad\n    return y\nf(Value(1.0))\n';
    assert.strictEqual(only(reassigned, PY).value, null);
    const shadow =
      'k = Value(2.0)\ndef f(x):\n    return x * k\ndef g(k):\n    y = f(Value(1.0))  # @grad\n    return y\ng(Value(10.0))\n';
    refusedWith(only(shadow, PY), 'parse', /^`f` reads `k` \(line 3\), which is not the `k` that this line sees/);
    const decorated =
      'def twice(fn):\n    return fn\n@twice\ndef f(x):\n    return x * 3.0\na = Value(1.0)\ny = f(a)  # @grad\n';
    refusedWith(only(decorated, PY), 'unknowable', /it is decorated \(line 3\)/);
    const pattern =
      'const a = new Value(2);\nconst b = new Value(5);\nconst h = (x, { data: k }) => x.mul(k);\nconst y = h(a, b); // @grad\n';
    refusedWith(only(pattern, JS), 'parse', /destructures its parameters/);
  });
});
