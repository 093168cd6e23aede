// The per-document index, built once per analysis: statements, their headers, and for each name
// the ids of the statements that assign it, in document order. Expressions are parsed on demand
// and memoised, so a lens costs only what it reaches.

import { BUDGETS } from './budgets';
import { LineIndex } from './positions';
import { scan } from './scanner';
import { parseStatement, readHeader, type ParsedStatement, type StatementHeader } from './statement';
import type { CommentStyle, ScanResult, Statement } from './tokens';

export class DocumentIndex {
  readonly lines: LineIndex;
  readonly statements: Statement[];
  readonly dangling: ScanResult['dangling'];
  private readonly headers: StatementHeader[];
  private readonly assignments = new Map<string, number[]>();
  private readonly parsed = new Map<number, ParsedStatement>();
  /**
   * Graph nodes that the lenses of this analysis may still build, together. A long chain with
   * every line annotated would otherwise cost quadratic time (and memory: each lens lists every
   * variable of its graph); past the budget, lenses report that instead of hanging the editor.
   */
  nodeBudget: number = BUDGETS.documentNodes;

  /** `segments` are [start, end) offsets scanned independently (notebook cells); default the whole text. */
  constructor(
    readonly text: string,
    style: CommentStyle,
    readonly tag: string,
    segments: [number, number][] = [[0, text.length]],
  ) {
    this.lines = new LineIndex(text);
    const result: ScanResult = { statements: [], dangling: [] };
    for (const [from, to] of segments) scan(text, from, to, style, tag, result);
    this.statements = result.statements;
    this.dangling = result.dangling;
    this.headers = this.statements.map(readHeader);
    this.headers.forEach((header, id) => {
      if (header.form !== 'assign' && header.form !== 'augmented') return;
      const ids = this.assignments.get(header.target);
      if (ids) ids.push(id);
      else this.assignments.set(header.target, [id]);
    });
  }

  header(id: number): StatementHeader {
    return this.headers[id];
  }

  statement(id: number): ParsedStatement {
    let parsed = this.parsed.get(id);
    if (!parsed) {
      parsed = parseStatement(this.statements[id], this.headers[id], this.text);
      this.parsed.set(id, parsed);
    }
    return parsed;
  }

  /** The id of the nearest assignment to `name` among statements with id < `before`, or -1. */
  resolve(name: string, before: number): number {
    const ids = this.assignments.get(name);
    if (!ids) return -1;
    let lo = 0;
    let hi = ids.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ids[mid] < before) {
        found = ids[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** How many statements end at or before `offset`: names in a selection resolve among these. */
  statementsBefore(offset: number): number {
    let lo = 0;
    let hi = this.statements.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.statements[mid].end <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
