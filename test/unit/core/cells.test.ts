// Notebook cells joined for analysis (src/core/cells.ts) map back to the right cell and line,
// whatever line break a cell ends with. Found by the fuzz suite: a cell ending in a lone \r was
// joined to the next by \n, the two read as one \r\n, and the next cell's lens landed in the cell
// above, on a line past its end.
import * as assert from 'assert';
import { analyzeCells, analyzeSelection } from '../../../src/core';

describe('core: notebook cells', () => {
  for (const end of ['\r', '\n', '\r\n', '\r\r', '\n\r']) {
    it(`a cell ending in ${JSON.stringify(end)} keeps the next cell's lens in that cell, on its line`, () => {
      const perCell = analyzeCells([`x = 2.0${end}`, 'y = x * 3  # @grad'], { comments: 'hash' });
      assert.deepStrictEqual(
        perCell.map((lenses) => lenses.length),
        [0, 1],
      );
      const [lens] = perCell[1];
      assert.strictEqual(lens.value, 6);
      assert.strictEqual(lens.line, 0);
      assert.deepStrictEqual(lens.tagRange, { start: { line: 0, character: 13 }, end: { line: 0, character: 18 } });
      const x = lens.variables.find((v) => v.name === 'x');
      assert.deepStrictEqual(x?.definedAt, {
        start: { line: 0, character: 0 },
        end: { line: 0, character: 1 },
        cell: 0,
      });
    });
  }

  it('a dangling annotation after a cell of only \\r is reported in its own cell', () => {
    const perCell = analyzeCells(['\r', '# @grad'], { comments: 'hash' });
    assert.deepStrictEqual(
      perCell.map((lenses) => lenses.length),
      [0, 1],
    );
    assert.deepStrictEqual(perCell[1][0].problems[0].range, {
      start: { line: 0, character: 2 },
      end: { line: 0, character: 7 },
    });
  });

  it('a selection below a prelude cell ending in \\r reads its names', () => {
    const lens = analyzeSelection(
      'y = x * 3',
      { start: { line: 0, character: 4 }, end: { line: 0, character: 9 } },
      { prelude: ['x = 2.0\r'], comments: 'hash' },
    );
    assert.strictEqual(lens.value, 6);
    assert.deepStrictEqual(lens.expressionRange, { start: { line: 0, character: 4 }, end: { line: 0, character: 9 } });
  });
});
