// "Not statically knowable" is a first-class answer (issue 10, item 6): a value that exists only
// when the program runs gets no number, and a message that names the construct, the name it makes,
// and where that comes from, instead of a syntax error.
import * as assert from 'assert';
import { analyzeText, type Lens } from '../../../src/core';
import { JS, PY } from './helpers';

function unknowable(lens: Lens, message: RegExp): void {
  assert.strictEqual(lens.value, null);
  const errors = lens.problems.filter((p) => p.severity === 'error');
  assert.ok(errors.length > 0, 'an error');
  assert.strictEqual(errors[0].code, 'unknowable', errors[0].message);
  assert.match(errors[0].message, message);
  assert.match(errors[0].message, /not statically knowable; Trace Gradients runs the program and reads it/);
}

describe('core: not statically knowable', () => {
  it('a generator over a list of random weights: the loop, the list, and where the list comes from', () => {
    const text = [
      'import random',
      'w = [Value(random.uniform(-1, 1)) for _ in range(2)]',
      'x = [Value(2.0), Value(-1.0)]',
      'act = sum((wi*xi for wi, xi in zip(w, x)), Value(0.0))  # @grad',
      'out = act.tanh()  # @grad',
    ].join('\n');
    const [act, out] = analyzeText(text, PY);
    unknowable(
      act,
      /^`act` is computed in a loop \(a generator over `zip\(w, x\)`\), where `w` \(line 2\) comes from `random\.uniform\(…\)`, a random number/,
    );
    assert.strictEqual(act.problems[0].range.start.line, 3);
    // Through an assignment the lens uses: the same reason, and where.
    unknowable(out, /^`act` is computed in a loop .*\(in the assignment to `act`, which this lens uses\)$/);
  });

  it('list functions, random numbers, instances and array loops', () => {
    const py =
      'xs = load()\nn = len(xs)  # @grad\nb = Value(random.gauss(0, 1))  # @grad\nmodel = MLP(2, [4, 1])\ny = model(xs)  # @grad\n';
    const [n, b, y] = analyzeText(py, PY);
    unknowable(n, /^`n` uses `len\(…\)` over a list the program builds/);
    unknowable(b, /^`b` comes from `random\.gauss\(…\)`, a random number/);
    unknowable(y, /^`y` calls `model`, an instance of `MLP` \(line 4\): calling it runs its methods/);
    const js =
      'const w = new Value(Math.random() * 2 - 1); // @grad\nconst s = xs.reduce((a, b) => a.add(b)); // @grad\n';
    const [w, s] = analyzeText(js, JS);
    unknowable(w, /^`w` comes from `Math\.random\(…\)`, a random number/);
    unknowable(s, /^`s` is computed by `xs\.reduce\(…\)`, a loop over an array/);
  });

  it("a field of the object a method runs on, and a method of an instance of the file's class", () => {
    const py = [
      'from engine import Value',
      'class Neuron:',
      '    def __call__(self, x):',
      '        act = self.w[0] * x + self.b  # @grad',
      '        return act',
      'class MLP:',
      '    def parameters(self):',
      '        return []',
      'model = MLP()',
      'p0 = model.parameters()[0]',
      'y = p0 * 2  # @grad',
    ].join('\n');
    const [act, y] = analyzeText(py, PY);
    unknowable(act, /^`act` reads `self\.w`, a field of the object this method runs on/);
    unknowable(y, /`p0` calls `model\.parameters\(…\)`, a method of `model`, an instance of `MLP` \(line 9\)/);
    const js = 'class Lin {\n  forward(x) {\n    const y = this.w.mul(x); // @grad\n    return y;\n  }\n}\n';
    unknowable(analyzeText(js, JS)[0], /^`y` reads `this\.w`/);
  });

  it('what can be known still is: a list written out, a named helper that is no instance', () => {
    const [s] = analyzeText('k = Value(3.0)\ns = sum([k, k * k, Value(1.0)])  # @grad\n', PY);
    assert.strictEqual(s.value, 13);
    // A plain syntax error stays one.
    const [bad] = analyzeText('a = Value(1.0)\ny = a % 2  # @grad\n', PY);
    assert.strictEqual(bad.problems[0].code, 'parse');
  });
});
