// The lens's gradcheck (src/core/gradcheck.ts runs the engine's on a replay of the lens): a step
// that scales with the leaf, and a numeric estimate that is not finite is never a pass.
import * as assert from 'assert';
import { analyzeText } from '../../../src/core';
import { NO_PAINT, textReport } from '../../../src/core/report';
import { buildGraphView } from '../../../src/graph/graphView';
import { MessageType, parseToWebview, type ShowMessage } from '../../../src/shared/protocol';
import { ok, only } from './helpers';

describe('core: gradcheck of a lens', () => {
  it('confirms 3*x at x = 1e8: the step grows with |x| (a fixed 1e-6 gave numeric 2.98)', () => {
    for (const x of ['1e8', '-1e8', '1e12']) {
      const lens = ok(`x = ${x}\ny = 3*x  # @grad`);
      const entry = lens.gradcheck?.entries[0];
      assert.strictEqual(lens.gradcheck?.ok, true, `x = ${x}: ${JSON.stringify(lens.gradcheck)}`);
      assert.ok(entry && entry.numeric !== null && Math.abs(entry.numeric - 3) < 1e-6, JSON.stringify(entry));
      assert.deepStrictEqual(
        lens.problems.map((p) => p.message),
        [],
      );
    }
  });

  it('an estimate that overflows is "could not check" with a note: never ✓, never a NaN error', () => {
    // Both tanh are saturated at x = 0 (the analytic gradient is finite), but within the step the
    // sum climbs from −2e303 to 2e303, so every difference quotient overflows.
    const text = 'x = 0.0\ny = tanh(1e9*(x + 1e-7))*1e303 + tanh(1e9*(x - 1e-7))*1e303  # @grad';
    const lens = only(text);
    const check = lens.gradcheck;
    assert.ok(check, JSON.stringify(lens.problems));
    assert.strictEqual(check.ok, false);
    assert.ok(Number.isFinite(check.maxRelError), `maxRelError ${check.maxRelError}`);
    const [entry] = check.entries;
    assert.strictEqual(entry.ok, false);
    assert.strictEqual(entry.numeric, null);
    assert.match(entry.note ?? '', /not finite/);
    assert.ok(
      lens.problems.some((p) => p.code === 'gradcheck' && p.severity === 'warning' && /not finite/.test(p.message)),
      JSON.stringify(lens.problems),
    );

    const report = textReport('steep.py', analyzeText(text, { comments: 'hash' }), NO_PAINT);
    assert.match(report, /gradcheck FAILED \(max rel\. error \d/, report);
    assert.doesNotMatch(report, /NaN/, report);

    // The graph panel can send it: the protocol requires a finite maxRelError.
    const message: ShowMessage = {
      type: MessageType.Show,
      revision: 1,
      target: 'y',
      documentUri: 'file:///steep.py',
      line: 1,
      value: lens.value,
      gradcheck: check,
      view: buildGraphView(lens.graph!),
    };
    assert.ok(parseToWebview(JSON.parse(JSON.stringify(message))), 'a valid show message');
  });
});
