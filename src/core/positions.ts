// Offsets ↔ VS Code positions. Everything inside the core works on absolute UTF-16 offsets into
// the document; only results carry line/character, converted here through one table of line starts.

import type { Position, Range } from './types';

/** A half-open offset span [start, end) into the analysed text. */
export interface Span {
  start: number;
  end: number;
}

export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = lineStarts(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** The line of the previous lookup: a lens's ranges cluster, so most lookups hit it or its neighbour. */
  private lastLine = 0;

  /** The line holding `offset`, by binary search. */
  lineOf(offset: number): number {
    const starts = this.lineStarts;
    const last = this.lastLine;
    if (offset >= starts[last] && (last + 1 >= starts.length || offset < starts[last + 1])) return last;
    this.lastLine = lastAtOrBelow(this.lineStarts, offset);
    return this.lastLine;
  }

  position(offset: number): Position {
    const line = this.lineOf(offset);
    return { line, character: offset - this.lineStarts[line] };
  }

  range(span: Span): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  offset(pos: Position): number {
    const start = this.lineStart(pos.line);
    const next = pos.line + 1 < this.lineStarts.length ? this.lineStarts[pos.line + 1] : this.text.length + 1;
    return Math.min(start + Math.max(0, pos.character), next - 1, this.text.length);
  }
}

/** The offset where each line starts; a line ends at \n, \r\n or a lone \r, as in VS Code. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The index of the last of the ascending `starts` that is at or below `x` (0 when none is). */
export function lastAtOrBelow(starts: readonly number[], x: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
