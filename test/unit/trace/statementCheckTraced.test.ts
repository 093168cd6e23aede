// The statement check with the real tracers: learner engines whose operators record a wrong graph
// (test/fixtures/trace/python/operator_bugs.py, test/fixtures/trace/ts/sub_swapped.js). Before the
// check, each of these sites showed its wrong number with "engine check ok" and "✓ gradcheck",
// because the graph check rebuilds the graph the engine recorded. The right engine's sites, one
// reading a plain number and one in a training loop, must stay quiet.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { TraceOutcome, TracedLens } from '../../../src/trace/protocol';
import { DIST_TRACERS, FIXTURES, traceFile, works } from './realTracers';

/** The lens of the statement assigning `target`. */
function lensOf(outcome: TraceOutcome, target: string): TracedLens {
  const lens = outcome.lenses.find((l) => l.target === target);
  assert.ok(lens, `a lens for ${target}: ${outcome.lenses.map((l) => l.target).join(', ')}`);
  return lens;
}

function warning(lens: TracedLens): string | undefined {
  return lens.problems.find((p) => p.code === 'engine-check')?.message;
}

describe('trace: the statement check with the Python tracer', function () {
  this.timeout(60_000);
  let outcome: TraceOutcome;

  before(async function () {
    if (!works('python3')) this.skip();
    outcome = await traceFile(path.join(FIXTURES, 'python', 'operator_bugs.py'));
    assert.strictEqual(outcome.finished, true, outcome.stderr);
  });

  it('`1 - x * 2` through an `__rsub__` that adds: both numbers, `__rsub__` named, no ✓', () => {
    const r = lensOf(outcome, 'r');
    assert.strictEqual(r.value, 2);
    assert.strictEqual(r.trace.engineCheck?.status, 'disagrees');
    assert.strictEqual(r.gradcheck?.ok, false);
    assert.match(
      warning(r) ?? '',
      /your engine computed `1 - x \* 2` = 2\.0000, but with x = 0\.5000 it is 0\.0000: check the engine's reverse subtraction \(`__rsub__`\)/,
    );
  });

  it('each operator bug named by its method', () => {
    const named = ['q', 'n', 'm'].map((t) => lensOf(outcome, t).trace.engineCheck?.statement?.operator?.method);
    assert.deepStrictEqual(named, ['__rtruediv__', '__neg__', '__rmul__']);
    for (const t of ['q', 'n', 'm']) assert.strictEqual(lensOf(outcome, t).trace.engineCheck?.status, 'disagrees');
  });

  it('a right engine stays quiet: reflected operators, a plain-number name, a training loop', () => {
    const fine = lensOf(outcome, 'fine');
    assert.strictEqual(fine.trace.engineCheck?.status, 'agrees');
    assert.strictEqual(fine.trace.engineCheck?.statement?.status, 'agrees');
    // `h` is a plain number, which the trace has no node for: not checked, not warned.
    const nudged = lensOf(outcome, 'nudged');
    assert.strictEqual(nudged.trace.engineCheck?.statement, undefined);
    assert.strictEqual(warning(nudged), undefined);
    // Checked once, at the last of its five executions, with `w` as it was there.
    const loss = lensOf(outcome, 'loss');
    assert.strictEqual(loss.trace.executions, 5);
    assert.strictEqual(loss.trace.engineCheck?.statement?.status, 'agrees');
    assert.strictEqual(warning(loss), undefined);
  });
});

describe('trace: the statement check with the Node tracer', function () {
  this.timeout(60_000);

  before(function () {
    if (!works('node') || !fs.existsSync(path.join(DIST_TRACERS, 'node.js'))) this.skip();
  });

  it("a `sub` that returns other − this: named by the port's own method; the right site is quiet", async () => {
    const outcome = await traceFile(path.join(FIXTURES, 'ts', 'sub_swapped.js'));
    const d = lensOf(outcome, 'd');
    assert.strictEqual(d.trace.engineCheck?.status, 'disagrees');
    assert.strictEqual(d.trace.engineCheck?.statement?.operator?.method, 'sub');
    assert.match(warning(d) ?? '', /`a\.sub\(b\)` = -2\.0000, but with a = 3\.0000, b = 1\.0000 it is 2\.0000/);
    const right = lensOf(outcome, 'right');
    assert.strictEqual(right.trace.engineCheck?.status, 'agrees');
    assert.strictEqual(warning(right), undefined);
  });
});
