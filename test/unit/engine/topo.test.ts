// The topological sort's visit stamps (engine/topo.ts): two Int32 stamps per sort, so the counter
// reaches the Int32 limit after 2^30 sorts in one process. The test moves the counter close to the
// limit through the internal hook instead of sorting a billion times.
import * as assert from 'assert';
import { Value } from '../../../engine';
import { setSortEpoch, SORT_EPOCH_LIMIT, topoSort } from '../../../engine/topo';

/** a, b, c = a·b, d = c + a: the sort must give each node once, operands first. */
function diamond(): { order: string[]; root: Value } {
  const a = new Value(1, 'a');
  const b = new Value(2, 'b');
  const c = a.mul(b);
  c.label = 'c';
  const d = c.add(a);
  d.label = 'd';
  return { order: ['a', 'b', 'c', 'd'], root: d };
}

function sorted(root: Value): (string | undefined)[] {
  return topoSort(root).map((v) => v.label);
}

describe('engine topological sort: visit stamps', () => {
  afterEach(() => setSortEpoch(0));

  it('keeps sorting correctly across the Int32 limit of its stamps', () => {
    const { order, root } = diamond();
    setSortEpoch(SORT_EPOCH_LIMIT - 6);
    for (let k = 0; k < 8; k++) assert.deepStrictEqual(sorted(root), order, `sort ${k} around the limit`);
  });

  it('does not mistake a stamp left before the wrap for a visit of a later sort', () => {
    // A graph sorted right after a start (stamps 2 and 3) and not since: after the counter wraps,
    // the first sorts reuse those numbers, which must not read as "already visited".
    const { order, root } = diamond();
    setSortEpoch(0);
    assert.deepStrictEqual(sorted(root), order);
    const other = diamond();
    setSortEpoch(SORT_EPOCH_LIMIT - 2);
    assert.deepStrictEqual(sorted(other.root), other.order);
    assert.deepStrictEqual(sorted(root), order, 'the old graph after the wrap');
    assert.deepStrictEqual(sorted(root), order);
    assert.deepStrictEqual(sorted(other.root), other.order);
  });

  it('backward() and zeroGrad() still work after the wrap', () => {
    const x = new Value(3, 'x');
    const y = x.mul(x).add(x);
    setSortEpoch(SORT_EPOCH_LIMIT - 2);
    y.backward();
    assert.strictEqual(x.grad, 7);
    y.zeroGrad();
    assert.strictEqual(x.grad, 0);
    y.backward();
    assert.strictEqual(x.grad, 7);
  });
});
