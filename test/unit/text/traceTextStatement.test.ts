// The hover's engine-check lines when the statement's own value disagrees: the recorded graph
// agreed with itself (no wrong entry, no likely bug), so these lines are all the hover has to
// say why the check failed; without them it read "gradients differ" and listed nothing.
import * as assert from 'assert';
import { engineCheckLines } from '../../../src/text/traceText';
import type { EngineCheck } from '../../../src/trace/protocol';

const RSUB: EngineCheck = {
  status: 'disagrees',
  reason: null,
  entries: [{ name: 'x', leaf: true, user: 2, engine: 2, numeric: 2, relError: 0, ok: true }],
  maxRelError: 0,
  forward: { ok: true, maxRelError: 0, note: null },
  likelyCause: null,
  rtol: 1e-6,
  statement: {
    status: 'disagrees',
    traced: 2,
    expected: 0,
    valueOk: false,
    inputs: [{ name: 'x', value: 0.5 }],
    gradients: [{ name: 'x', user: 2, expected: -2, numeric: -2, ok: false }],
    operator: { method: '__rsub__', what: 'reverse subtraction', mistake: 'it adds instead of subtracting' },
    message: 'your engine computed `1 - x * 2` = 2.0000, but with x = 0.5000 it is 0.0000',
  },
};

describe('text: the engine check lines for a statement that disagrees', () => {
  it('the value, the gradient and the operator, each with both numbers', () => {
    assert.deepStrictEqual(engineCheckLines(RSUB, 4), [
      'engine check ⚠  your engine’s value differs from the statement’s own',
      '  value: yours 2.0000, true 0.0000',
      '  x: yours 2.0000, true −2.0000, numeric −2.0000',
      'likely cause: the engine’s reverse subtraction (__rsub__): it adds instead of subtracting',
    ]);
  });

  it('a statement that agrees adds nothing to the lines', () => {
    const agrees: EngineCheck = {
      ...RSUB,
      status: 'agrees',
      statement: { ...RSUB.statement!, status: 'agrees', valueOk: true, gradients: [], operator: null, message: null },
    };
    assert.deepStrictEqual(engineCheckLines(agrees, 4), [
      'engine check ✓  your engine’s gradients match the bundled engine’s',
    ]);
  });
});
