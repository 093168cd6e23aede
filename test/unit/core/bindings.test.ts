// Bindings (src/core/bindings.ts and parseBindings): every name is a name, including the ones a
// plain JavaScript object treats specially.
import * as assert from 'assert';
import { analyzeSelection, parseBindings } from '../../../src/core';
import { range } from './helpers';

const SPECIAL = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('core: bindings', () => {
  it('parseBindings keeps __proto__, constructor, toString… as ordinary names', () => {
    const parsed = parseBindings(SPECIAL.map((name, k) => `${name}=${k + 1}`).join(', '));
    assert.ok('bindings' in parsed, JSON.stringify(parsed));
    assert.deepStrictEqual(Object.keys(parsed.bindings), SPECIAL);
    assert.deepStrictEqual(Object.values(parsed.bindings), [1, 2, 3, 4, 5, 6]);
    assert.strictEqual(Object.getOwnPropertyDescriptor(parsed.bindings, '__proto__')?.value, 1);
  });

  it('a name that was not bound is absent, not inherited from Object.prototype', () => {
    const parsed = parseBindings('x=1');
    assert.ok('bindings' in parsed);
    for (const name of SPECIAL) assert.strictEqual(parsed.bindings[name], undefined, name);
    assert.deepStrictEqual(Object.entries(parsed.bindings), [['x', 1]]);
  });

  it('bindings typed in the input box reach the selection, __proto__ included', () => {
    const parsed = parseBindings('__proto__=3, constructor=2');
    assert.ok('bindings' in parsed);
    // What the Differentiate Selection command does with them: merge, then analyse.
    const merged = { ...{}, ...parsed.bindings };
    const lens = analyzeSelection('y = __proto__ * constructor', range(0, 4, 27), { bindings: merged });
    assert.deepStrictEqual(lens.problems, []);
    assert.strictEqual(lens.value, 6);
  });
});
