// What a Value accepts from a caller: a label is a string or nothing, a grad a finite number.
// Anything else is refused where it enters, not later where a graph export trips over it.
import * as assert from 'assert';
import { DomainError, Value } from '../../../engine';

describe('engine Value: labels and grads from callers', () => {
  it('takes a string label or none, in the constructor and the setter', () => {
    assert.strictEqual(new Value(2, 'x').label, 'x');
    assert.strictEqual(new Value(2).label, undefined);
    assert.strictEqual(new Value(2, undefined).label, undefined);
    const v = new Value(2, 'x');
    v.label = 'y';
    assert.strictEqual(v.label, 'y');
    v.label = undefined;
    assert.strictEqual(v.label, undefined);
  });

  it('refuses a label that is not a string, with a TypeError naming what it got', () => {
    for (const bad of [123, null, {}, ['x'], Symbol('x'), true]) {
      assert.throws(
        () => new Value(2, bad as unknown as string),
        (err: Error) => err instanceof TypeError && /label must be a string/.test(err.message),
        String(typeof bad),
      );
      const v = new Value(2, 'x');
      assert.throws(() => {
        v.label = bad as unknown as string;
      }, TypeError);
      assert.strictEqual(v.label, 'x', 'a refused label leaves the old one');
    }
  });

  it('takes a finite grad; refuses a non-number (TypeError) and NaN or ±Infinity (DomainError)', () => {
    const v = new Value(2, 'x');
    v.grad = 0.5;
    assert.strictEqual(v.grad, 0.5);
    for (const bad of ['1', null, undefined, {}, 1n]) {
      assert.throws(
        () => {
          v.grad = bad as unknown as number;
        },
        (err: Error) => err instanceof TypeError && /grad must be a number/.test(err.message),
        String(bad),
      );
    }
    for (const bad of [NaN, Infinity, -Infinity]) {
      assert.throws(
        () => {
          v.grad = bad;
        },
        (err: Error) => err instanceof DomainError && err.op === 'value' && /finite/.test(err.message),
        String(bad),
      );
    }
    assert.strictEqual(v.grad, 0.5, 'a refused grad leaves the old one');
  });
});
