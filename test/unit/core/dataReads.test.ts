// `x.data` inside an expression: the number x holds, a plain number in the program, through which
// no gradient flows (micrograd's `.data` is the float itself, detached from the graph).
import * as assert from 'assert';
import { close, grad, JS, ok, only, PY } from './helpers';

const LEAVES = "a = Value(2.0, label='a')\nb = Value(-3.0, label='b')\n";

describe('core: reading `.data` inside an expression', () => {
  it('is a constant: its number counts, its gradient is 0', () => {
    const k = ok(`${LEAVES}k = a.data * 3  # @grad`, PY);
    close(k.value, 6);
    close(grad(k, 'a'), 0);
    const y = ok(`${LEAVES}y = a * b.data  # @grad`, PY);
    close(y.value, -6);
    close(grad(y, 'a'), -3);
    close(grad(y, 'b'), 0);
    const js = ok(
      'const a = new Value(2);\nconst b = new Value(-3);\nconst y = a.mul(b.data).add(a.data * 2); // @grad',
      JS,
    );
    close(js.value, -2);
    close(grad(js, 'a'), -3);
  });

  it('follows `.data` updates, including one that reads the leaf itself', () => {
    const lens = ok(`${LEAVES}b.data = b.data - 0.5\nz = a * b  # @grad`, PY);
    close(lens.value, -7);
    close(grad(lens, 'a'), -3.5);
    close(ok(`${LEAVES}b.data += 1\nt1 = b.data\nw = t1 * a  # @grad`, PY).value, -4);
  });

  it('inside a function of the file: the argument, not the outer name', () => {
    const lens = ok(`${LEAVES}def f(x):\n    return x * x.data\nq = f(a)  # @grad`, PY);
    close(lens.value, 4);
    close(grad(lens, 'a'), 2);
  });

  it("is refused where it is not micrograd's float: a tensor, an expression, the object's own", () => {
    const torch = only('import torch\na = torch.tensor(2.0, requires_grad=True)\ny = a * a.data  # @grad', PY);
    assert.strictEqual(torch.value, null);
    assert.match(torch.problems[0].message, /`a\.data` is a tensor sharing `a`'s storage/);
    assert.strictEqual(only(`${LEAVES}y = (a * b).data  # @grad`, PY).value, null);
    assert.strictEqual(only('class V:\n    def f(self):\n        y = self.data * 2  # @grad', PY).value, null);
  });
});
