// Notebooks: the cells are analysed as one text (cells joined by line breaks, each scanned on its
// own so that no statement runs across cells), and the results are mapped back to cell-relative
// ranges. A range in another cell than its lens's own says which (`cell`).
//
// The break between cells is \r\n, the one break that never merges with its neighbours: a cell
// that ends in a lone \r (two lines, as its own editor counts them) followed by \n would read as
// one \r\n, and every line after it would be mapped one line too high in the wrong cell.

import { lastAtOrBelow, lineStarts } from './positions';
import type { Lens, Position, Range } from './types';

/** Between two cells in the joined text. */
const SEPARATOR = '\r\n';

export class CellMap {
  /** The global line where each cell starts. */
  readonly startLines: number[] = [];
  /** The offset where each cell starts in the joined text. */
  readonly startOffsets: number[] = [];
  readonly text: string;

  constructor(cells: string[]) {
    let line = 0;
    let offset = 0;
    for (const cell of cells) {
      this.startLines.push(line);
      this.startOffsets.push(offset);
      line += lineStarts(cell).length;
      offset += cell.length + SEPARATOR.length;
    }
    this.text = cells.join(SEPARATOR);
  }

  segments(): [number, number][] {
    return this.startOffsets.map((start, k) => [
      start,
      k + 1 < this.startOffsets.length ? this.startOffsets[k + 1] - SEPARATOR.length : this.text.length,
    ]);
  }

  cellOfLine(line: number): number {
    return lastAtOrBelow(this.startLines, line);
  }

  /** Moves every range of `lens` (global lines) into the coordinates of the cell holding it. */
  toCell(lens: Lens): { cell: number; lens: Lens } {
    const own = this.cellOfLine(lens.statementRange.start.line);
    const map = (r: Range): Range => {
      const cell = this.cellOfLine(r.start.line);
      const shift = (p: Position): Position => ({ line: p.line - this.startLines[cell], character: p.character });
      const mapped: Range = { start: shift(r.start), end: shift(r.end) };
      if (cell !== own) mapped.cell = cell;
      return mapped;
    };
    return { cell: own, lens: mapRanges(lens, map, lens.line - this.startLines[own]) };
  }
}

/** Every range in a lens, through `map`. */
export function mapRanges(lens: Lens, map: (r: Range) => Range, line: number): Lens {
  return {
    ...lens,
    line,
    statementRange: map(lens.statementRange),
    targetRange: map(lens.targetRange),
    expressionRange: map(lens.expressionRange),
    tagRange: map(lens.tagRange),
    variables: lens.variables.map((v) => ({ ...v, definedAt: map(v.definedAt), occurrences: v.occurrences.map(map) })),
    problems: lens.problems.map((p) => ({ ...p, range: map(p.range) })),
    ops: lens.ops.map((o) => ({ ...o, range: map(o.range), expressionRange: map(o.expressionRange) })),
    graph: lens.graph && {
      ...lens.graph,
      nodes: lens.graph.nodes.map((n) => (n.range ? { ...n, range: map(n.range) } : n)),
    },
  };
}
