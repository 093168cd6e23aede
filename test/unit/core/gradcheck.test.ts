// The lens's gradcheck (src/core/gradcheck.ts runs the engine's on a replay of the lens): a step
// that scales with the leaf.
import * as assert from 'assert';
import { ok } from './helpers';

describe('core: gradcheck of a lens', () => {
  it('confirms 3*x at x = 1e8: the step grows with |x| (a fixed 1e-6 gave numeric 2.98)', () => {
    for (const x of ['1e8', '-1e8', '1e12']) {
      const lens = ok(`x = ${x}\ny = 3*x  # @grad`);
      const entry = lens.gradcheck?.entries[0];
      assert.strictEqual(lens.gradcheck?.ok, true, `x = ${x}: ${JSON.stringify(lens.gradcheck)}`);
      assert.ok(entry && entry.numeric !== null && Math.abs(entry.numeric - 3) < 1e-6, JSON.stringify(entry));
      assert.deepStrictEqual(lens.problems.map((p) => p.message), []);
    }
  });
});
