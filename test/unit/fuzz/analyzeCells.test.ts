// Fuzzing analyzeCells: notebooks of generated Python or TypeScript cells, some mutated, some
// empty, ending in any line break. Every cell gets its array of lenses, each keeping the invariants
// of invariants.ts with ranges in its own cell (or in the earlier cell that `cell` names).
import * as assert from 'assert';
import * as fc from 'fast-check';
import { analyzeCells } from '../../../src/core';
import { checkLens, checkHeapGrowth, heapMark, linesOf, runs, seed, shown, SMALL_RUN_MS, timed } from './invariants';
import { edits, longToken, mutate, notebookCells } from './sources';

function analyse(cells: string[], style: 'hash' | 'slash' | 'both'): void {
  const perCell = timed(`analyzeCells(${shown(JSON.stringify(cells))}, ${style})`, SMALL_RUN_MS, () =>
    analyzeCells(cells, { comments: style }),
  );
  assert.ok(Array.isArray(perCell) && perCell.length === cells.length, 'one array of lenses per cell');
  const lines = cells.map(linesOf);
  perCell.forEach((lenses, k) => {
    for (const lens of lenses) {
      checkLens(lens, lines, k);
      for (const v of lens.variables)
        if (v.definedAt.cell !== undefined)
          assert.ok(v.definedAt.cell < k, `${v.name} is defined in cell ${v.definedAt.cell}, after cell ${k}`);
    }
  });
}

describe('fuzz: analyzeCells', function () {
  this.timeout(120_000);
  let heapBefore = 0;

  before(() => (heapBefore = heapMark()));

  after(() => checkHeapGrowth(heapBefore));

  it('generated notebooks, some cells mutated', () => {
    fc.assert(
      fc.property(notebookCells, ({ cells, style }) => analyse(cells, style)),
      { numRuns: runs(300), seed: seed(201) },
    );
  });

  it('cells cut anywhere: a statement, a string or a bracket left open at the end of a cell', () => {
    fc.assert(
      fc.property(notebookCells, fc.array(fc.nat(), { maxLength: 6 }), ({ cells, style }, cuts) => {
        // Re-cut the joined text at other places, so cells start and end mid-token.
        const text = cells.join('\n');
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const recut = [0, ...at].map((start, k) => text.slice(start, k < at.length ? at[k] : text.length));
        analyse(recut, style);
      }),
      { numRuns: runs(200), seed: seed(202) },
    );
  });

  it('cells of hostile text: only line breaks, control characters, long tokens', () => {
    const odd = fc.oneof(
      fc.constantFrom('', '\n', '\r', '\r\n', '\n\n\n', '\0', '\u202e', '# @grad', '// @grad', '\\', '(', '"""'),
      longToken,
      fc
        .tuple(fc.constantFrom('x = 1', 'y = x * 2  # @grad', 'z = y.tanh()  # @grad'), edits(4))
        .map(([t, e]) => mutate(t, e)),
    );
    fc.assert(
      fc.property(
        fc.array(odd, { maxLength: 8 }),
        fc.constantFrom<'hash' | 'slash' | 'both'>('hash', 'slash', 'both'),
        analyse,
      ),
      { numRuns: runs(200), seed: seed(203) },
    );
  });
});
