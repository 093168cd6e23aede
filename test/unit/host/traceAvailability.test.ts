// Where Trace Gradients refuses to run, and what it says (src/host/trace/availability.ts).
import * as assert from 'assert';
import { traceRefusal, type TraceConditions } from '../../../src/host/trace/availability';

const LANGUAGES = new Set(['python', 'typescript']);
const OK: TraceConditions = {
  runnerUnavailable: undefined,
  trusted: true,
  mode: 'onCommand',
  target: { scheme: 'file', languageId: 'python', name: 'neuron.py' },
};

describe('trace availability', () => {
  it('runs a saved Python file in a trusted desktop workspace', () => {
    assert.strictEqual(traceRefusal(OK, LANGUAGES), undefined);
    assert.strictEqual(traceRefusal({ ...OK, mode: 'onSave' }, LANGUAGES), undefined);
  });

  it('says why it cannot run: the web, Restricted Mode, mode off, virtual and unsaved files, other languages', () => {
    const why = (conditions: Partial<TraceConditions>) => traceRefusal({ ...OK, ...conditions }, LANGUAGES);
    assert.strictEqual(why({ runnerUnavailable: 'not in the web' })?.reason, 'not in the web');
    assert.match(why({ trusted: false })!.reason, /Restricted Mode/);
    assert.strictEqual(why({ trusted: false })!.trust, true);
    assert.strictEqual(why({ mode: 'off' })!.setting, 'gradientLens.trace.mode');
    assert.match(why({ target: undefined })!.reason, /Open a file or notebook/);
    assert.match(
      why({ target: { scheme: 'vscode-vfs', languageId: 'python', name: 'a.py' } })!.reason,
      /virtual workspace/,
    );
    assert.match(
      why({ target: { scheme: 'untitled', languageId: 'python', name: 'Untitled-1' } })!.reason,
      /not saved/,
    );
    assert.match(why({ target: { scheme: 'file', languageId: 'rust', name: 'a.rs' } })!.reason, /not rust/);
  });
});
