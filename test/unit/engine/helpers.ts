// Shared by the engine specs: a central difference, independent of the engine's own gradcheck,
// so the specs do not trust the code they test.
import * as assert from 'assert';

export function centralDifference(f: (x: number) => number, x: number, h = 1e-6): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

/** Asserts |actual - expected| <= atol + rtol·|expected| (numpy's allclose rule). */
export function assertClose(actual: number, expected: number, message: string, rtol = 1e-6, atol = 1e-8): void {
  assert.ok(Number.isFinite(actual), `${message}: got ${actual}`);
  assert.ok(
    Math.abs(actual - expected) <= atol + rtol * Math.abs(expected),
    `${message}: expected ${expected}, got ${actual} (difference ${Math.abs(actual - expected)})`,
  );
}
