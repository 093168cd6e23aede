// How the editor lays traced lenses over the static ones (src/host/trace/mergeTraced.ts, pure).
import * as assert from 'assert';
import { analyzeText, type Lens } from '../../../src/core';
import { mergeTraced } from '../../../src/host/trace/mergeTraced';
import type { TracedLens } from '../../../src/trace/protocol';

const SOURCE = 'a = 2.0\nb = a * 3.0  # @grad\nc = b + 1.0  # @grad\n';

function lenses(text = SOURCE): Lens[] {
  return analyzeText(text, { comments: 'hash' });
}

function traceOf(lens: Lens, reached: boolean, value: number | null): TracedLens {
  return {
    ...lens,
    value,
    problems: reached
      ? []
      : [
          {
            code: 'trace-unreached',
            severity: 'info',
            message: 'the run never reached this line',
            range: lens.statementRange,
          },
        ],
    trace: {
      executions: reached ? 3 : 0,
      history: reached ? [1, 2, 3] : [],
      historyStride: 1,
      reached,
      at: 5,
      engineCheck: null,
      kind: reached ? 'value' : null,
      note: null,
    },
  };
}

describe('merging traced lenses into the static ones', () => {
  it('replaces each site by its traced lens while the text is unchanged', () => {
    const current = lenses();
    const traced = [traceOf(current[0], true, 42), traceOf(current[1], true, 43)];
    const merged = mergeTraced(current, traced, false);
    assert.deepStrictEqual(
      merged.map((lens) => lens.value),
      [42, 43],
    );
    assert.strictEqual(merged[0], traced[0]);
  });

  it('keeps the static result of a site the run never reached, and says so', () => {
    const current = lenses();
    const merged = mergeTraced(current, [traceOf(current[0], true, 42), traceOf(current[1], false, null)], false);
    assert.strictEqual(merged[1].value, 7, 'the static value of c = 2*3 + 1');
    assert.strictEqual((merged[1] as TracedLens).trace.reached, false);
    assert.deepStrictEqual(
      merged[1].problems.map((problem) => problem.code),
      ['trace-unreached'],
    );
  });

  it('moves stale lenses to where their sites are after an edit, and marks them', () => {
    const traced = lenses().map((lens, index) => traceOf(lens, true, 40 + index));
    const edited = lenses('# a comment\n\n' + SOURCE);
    const merged = mergeTraced(edited, traced, true) as TracedLens[];
    assert.deepStrictEqual(
      merged.map((lens) => [lens.line, lens.value, lens.trace.stale]),
      [
        [3, 40, true],
        [4, 41, true],
      ],
    );
    assert.deepStrictEqual(merged[0].tagRange, edited[0].tagRange);
    assert.strictEqual(
      merged[0].variables[0].occurrences[0].start.line,
      edited[0].variables[0].occurrences[0].start.line,
    );
  });

  it('pairs sites by target after sites were added or removed, and leaves a new site static', () => {
    const traced = lenses().map((lens, index) => traceOf(lens, true, 40 + index));
    const edited = lenses('a = 2.0\nz = a * 5.0  # @grad\nc = a + 1.0  # @grad\n');
    const merged = mergeTraced(edited, traced, true);
    assert.strictEqual(merged[0], edited[0], 'z was not traced: its static lens');
    assert.strictEqual(merged[1].value, 41, 'c keeps its traced value, stale');
  });

  it("shows the trace's own lenses when the static analysis has none", () => {
    const traced = lenses().map((lens) => traceOf(lens, true, 1));
    assert.strictEqual(mergeTraced([], traced, false).length, 2);
    assert.strictEqual(mergeTraced([], traced, true).length, 0);
  });
});
