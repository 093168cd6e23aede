// The gradcheck memo (src/core/gradcheck.ts) is bounded by its estimated bytes, evicts the least
// recently used entry first, keeps a lens's entry from one analysis to the next, and never lets two
// different graphs share an entry.
import * as assert from 'assert';
import { Value } from '../../../engine';
import { analyzeText } from '../../../src/core';
import { BUDGETS } from '../../../src/core/budgets';
import { checkGradients, clearGradcheckMemo, DEFAULT_GRADCHECK, gradcheckMemoStats } from '../../../src/core/gradcheck';

/**
 * A chain of `links` steps `y = tanh(y · a + b)` with 16-digit constants, so that its memo key is
 * long (about 60 characters a step); `check(k)` sets its leaf `x` to 100 + k, which changes the
 * key and nothing else.
 */
function chain(links: number): { x: Value; check: (k: number) => void } {
  const x = new Value(0.5);
  let y = x;
  for (let i = 0; i < links; i++)
    y = y
      .mul(0.1234567890123456 + i * 1e-12)
      .add(0.7654321098765432)
      .tanh();
  const root = y;
  return {
    x,
    check: (k: number) => {
      x.data = 100 + k; // three digits for k < 900: every key has the same length

      checkGradients(root, [{ name: 'x', value: x }], DEFAULT_GRADCHECK);
    },
  };
}

/** Whether checking `k` was answered from the memo. */
function hit(check: (k: number) => void, k: number): boolean {
  const before = gradcheckMemoStats().hits;
  check(k);
  return gradcheckMemoStats().hits > before;
}

describe('core: the gradcheck memo', () => {
  beforeEach(clearGradcheckMemo);
  after(clearGradcheckMemo);

  it('a lens analysed twice reuses its entry, and an edited lens adds one', () => {
    const text = 'a = 0.3\nb = -1.2\ny = (a * b).tanh() / (a + 2)  # @grad';
    const first = analyzeText(text)[0].gradcheck;
    const once = gradcheckMemoStats();
    assert.deepStrictEqual([once.entries, once.hits, once.misses], [1, 0, 1]);
    const second = analyzeText(text)[0].gradcheck;
    const twice = gradcheckMemoStats();
    assert.deepStrictEqual([twice.entries, twice.hits, twice.misses], [1, 1, 1]);
    assert.strictEqual(twice.bytes, once.bytes);
    assert.deepStrictEqual(second, first);
    analyzeText(text.replace('b = -1.2', 'b = -1.3'));
    assert.deepStrictEqual([gradcheckMemoStats().entries, gradcheckMemoStats().misses], [2, 2]);
  });

  it('large keys stay within the byte budget, and the least recently used entry goes first', () => {
    const { check } = chain(2500); // 10,000 nodes: a key of about 150 KB
    check(0);
    const size = gradcheckMemoStats().bytes;
    assert.ok(size > 100_000 && size < 250_000, `one entry is ${size} bytes`);
    const fits = Math.floor(BUDGETS.gradcheckMemoBytes / size);
    const n = fits + 5;
    assert.ok(n < 900, 'keys of one length');
    for (let k = 1; k < n; k++) {
      check(k);
      if (k === fits - 1) assert.ok(hit(check, 0), 'entry 0 is still there before the memo is full');
      const { bytes } = gradcheckMemoStats();
      assert.ok(bytes <= BUDGETS.gradcheckMemoBytes, `${bytes} bytes after ${k + 1} entries`);
    }
    const full = gradcheckMemoStats();
    assert.strictEqual(full.entries, fits);
    assert.strictEqual(full.bytes, fits * size);
    // Recency, oldest first: 1 … fits-1, 0 (touched), fits … n-1. The five oldest, 1 to 5, went.
    assert.ok(hit(check, 0), 'entry 0 was used recently, so it stays');
    assert.ok(hit(check, 6), 'entry 6 is the oldest kept');
    assert.ok(hit(check, n - 1), 'the newest entry is kept');
    assert.ok(!hit(check, 5), 'entry 5 was evicted');
    assert.ok(gradcheckMemoStats().bytes <= BUDGETS.gradcheckMemoBytes);
  });

  it("one huge lens's key is a few bytes per node", () => {
    // The graph of `x{i} = x{i-1} * 0.9999 + 0.0001` over 20,000 lines: 80,000 nodes. Its key was
    // 0.9 MB with absolute operand positions; with distances back it is about 0.6 MB.
    const x = new Value(0.5);
    let y = x;
    for (let i = 1; i < 20_000; i++) y = y.mul(0.9999).add(0.0001);
    checkGradients(y, [{ name: 'x', value: x }], DEFAULT_GRADCHECK);
    const { bytes } = gradcheckMemoStats();
    assert.ok(bytes < 80_000 * 8, `${bytes} bytes for 80,000 nodes`);
  });

  it('graphs that differ in a constant, an exponent, the order of operands or the sign of zero never share an entry', () => {
    const variants = [
      'x = 0.5\ny = x * 3 - x ** 2  # @grad',
      'x = 0.5\ny = x * 3.0000000000000004 - x ** 2  # @grad',
      'x = 0.5\ny = x * 3 - x ** 3  # @grad',
      'x = 0.5\ny = x ** 2 - x * 3  # @grad',
      'x = 0.5\ny = x * 3 - x ** 2 + 0.0  # @grad',
      'x = 0.5\ny = x * 3 - x ** 2 + -0.0  # @grad',
      'x = -0.0\ny = x * 3 - x ** 2  # @grad',
      'x = 0.0\ny = x * 3 - x ** 2  # @grad',
    ];
    const checks = variants.map((text) => analyzeText(text)[0].gradcheck);
    const stats = gradcheckMemoStats();
    assert.deepStrictEqual([stats.hits, stats.misses, stats.entries], [0, variants.length, variants.length]);
    assert.notDeepStrictEqual(checks[0], checks[2]);
    assert.notDeepStrictEqual(checks[0], checks[3]);
  });
});
