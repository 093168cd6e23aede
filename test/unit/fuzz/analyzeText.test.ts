// Fuzzing analyzeText (issue "Hostile and extreme input"): generated micrograd-style Python and
// TypeScript, mutated with control characters, bidi overrides, unmatched brackets and very long
// tokens; long lines; deep nesting. Every run returns lenses that keep the invariants of
// invariants.ts, within a time budget, and the heap comes back after a collection. Fixed seeds:
// a failure names its seed and path; FUZZ_SCALE=10 searches ten times as long, FUZZ_SEED=k elsewhere.
import * as assert from 'assert';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeText } from '../../../src/core';
import { clearGradcheckMemo } from '../../../src/core/gradcheck';
import {
  checkLenses,
  checkHeapGrowth,
  heapMark,
  LARGE_RUN_MS,
  runs,
  seed,
  shown,
  SMALL_RUN_MS,
  timed,
} from './invariants';
import { deepNesting, edits, longLine, mutate, mutated, source, type Source, type Style } from './sources';

const ROOT = path.join(__dirname, '..', '..', '..', '..');

function analyse({ text, style }: Source, budgetMs: number): void {
  const lenses = timed(`analyzeText(${shown(text)}, ${style})`, budgetMs, () => analyzeText(text, { comments: style }));
  checkLenses(lenses, text);
}

describe('fuzz: analyzeText', function () {
  this.timeout(120_000);
  let heapBefore = 0;

  before(() => (heapBefore = heapMark()));

  after(() => checkHeapGrowth(heapBefore));

  it('generated Python and TypeScript sources', () => {
    fc.assert(
      fc.property(source, (s) => analyse(s, SMALL_RUN_MS)),
      { numRuns: runs(400), seed: seed(101) },
    );
  });

  it('generated sources, mutated: control characters, U+202E, NUL, unmatched brackets, long tokens', () => {
    fc.assert(
      fc.property(mutated(8), (s) => analyse(s, SMALL_RUN_MS)),
      { numRuns: runs(600), seed: seed(102) },
    );
  });

  it('a gradcheck from the memo, shared by many sources, equals a fresh one', () => {
    fc.assert(
      fc.property(fc.array(mutated(3), { minLength: 2, maxLength: 4 }), (sources) => {
        const warm = sources.map((s) => analyzeText(s.text, { comments: s.style }).map((l) => l.gradcheck));
        sources.forEach((s, k) => {
          clearGradcheckMemo();
          const fresh = analyzeText(s.text, { comments: s.style }).map((l) => l.gradcheck);
          assert.deepStrictEqual(warm[k], fresh, `gradchecks of ${shown(s.text)}`);
        });
      }),
      { numRuns: runs(150), seed: seed(107) },
    );
  });

  it('the example files, mutated', () => {
    const files = ['examples/micrograd_neuron.py', 'examples/errors.py', 'examples/loss.ts'];
    const texts = files.map((f) => ({
      text: fs.readFileSync(path.join(ROOT, f), 'utf8'),
      style: (f.endsWith('.ts') ? 'slash' : 'hash') as Style,
    }));
    fc.assert(
      fc.property(fc.constantFrom(...texts), edits(12), fc.boolean(), (s, list, both) =>
        analyse({ text: mutate(s.text, list), style: both ? 'both' : s.style }, SMALL_RUN_MS),
      ),
      { numRuns: runs(400), seed: seed(103) },
    );
  });

  it('random strings of any code unit, alone and before an annotation', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.constantFrom<Style>('hash', 'slash', 'both'),
        (t, style) => {
          analyse({ text: t, style }, SMALL_RUN_MS);
          analyse({ text: `${t} = x * 2  # @grad x=1 // @grad x=1`, style }, SMALL_RUN_MS);
        },
      ),
      { numRuns: runs(300), seed: seed(104) },
    );
  });

  it('long lines: sums, chains, comments, strings, numbers, statements, bindings and names', () => {
    fc.assert(
      fc.property(longLine, edits(3), (s, list) =>
        analyse({ text: mutate(s.text, list), style: s.style }, LARGE_RUN_MS),
      ),
      { numRuns: runs(24), seed: seed(105) },
    );
  });

  it('deep nesting: brackets, calls, methods, minus, powers, unclosed openers, across lines', () => {
    fc.assert(
      fc.property(deepNesting, edits(3), (s, list) =>
        analyse({ text: mutate(s.text, list), style: s.style }, LARGE_RUN_MS),
      ),
      { numRuns: runs(30), seed: seed(106) },
    );
  });
});
