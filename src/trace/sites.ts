// The sites of a trace, from the core's own scan of the text: the same annotated statements, the
// same forms and spans, and the same lens ranges as the static analysis, so that a traced lens
// lands exactly where the static one is. A notebook's cells are scanned as the core scans them
// (joined, each cell a segment), after their IPython magics are blanked.

import { BUDGETS } from '../core/budgets';
import { CellMap } from '../core/cells';
import { DocumentIndex } from '../core/document';
import { emptyLens } from '../core/lens';
import { LineIndex, type Span } from '../core/positions';
import type { Statement } from '../core/tokens';
import type { Expr } from '../core/ast';
import type { Lens, Range } from '../core/types';
import { blankMagics } from './magics';
import type { TraceRun, TraceSiteRequest, TraceUnit, TracerLanguage } from './protocol';

export const DEFAULT_TAG = '@grad';

export interface PreparedSite {
  request: TraceSiteRequest;
  /** The lens with its ranges (in its cell's coordinates for a notebook) and nothing else yet. */
  lens: Lens;
  /** Notebooks: the index of the site's code cell. */
  cell?: number;
  /** The statement's expression as the core parses it (absent when it does not parse). */
  expr?: Expr;
  /** A span of the scanned text (the expression's offsets) as a range in the lens's coordinates. */
  rangeOf: (span: Span) => Range;
  /** The text of a span of the scanned text (an operator's token, for the statement check's message). */
  textOf: (span: Span) => string;
}

export interface Prepared {
  language: TracerLanguage;
  units: TraceUnit[];
  /** Per unit, its line table (ranges inside the unit: a cell's, or the file's). */
  lines: LineIndex[];
  sites: PreparedSite[];
  /** Notebooks: the lines blanked as magics, per code cell that had any. */
  magics?: { cell: number; lines: number[] }[];
  /** Annotated statements past the document's lens budget, not traced. */
  dropped: number;
}

export function tracerLanguage(language: TraceRun['language']): TracerLanguage {
  return language === 'python' ? 'python' : 'node';
}

/** Units and sites of a run. */
export function prepare(run: TraceRun): Prepared {
  const language = tracerLanguage(run.language);
  const style = language === 'python' ? 'hash' : 'slash';
  const tag = run.tag && run.tag.trim() !== '' ? run.tag.trim() : DEFAULT_TAG;
  if (run.cells === undefined) {
    const text = String(run.text ?? '');
    // The run's language id, so that TypeScript's casts read as the static lenses read them.
    const doc = new DocumentIndex(text, style, tag, undefined, run.leafConstructors, run.language);
    const lines = new LineIndex(text);
    const textOf = (span: Span): string => text.slice(span.start, span.end);
    const sites: PreparedSite[] = [];
    const annotated = doc.statements.filter((s) => s.annotation);
    for (const statement of annotated.slice(0, BUDGETS.documentLenses)) {
      const { request, lens, expr } = siteOf(doc, statement, sites.length, 0, 0, lines);
      sites.push({ request, lens, expr, rangeOf: (span) => lines.range(span), textOf });
    }
    return {
      language,
      units: [{ name: run.file, source: text }],
      lines: [lines],
      sites,
      dropped: Math.max(0, annotated.length - BUDGETS.documentLenses),
    };
  }
  const blanked = run.cells.map((cell) =>
    language === 'python' ? blankMagics(String(cell ?? '')) : { source: String(cell ?? ''), lines: [] },
  );
  const map = new CellMap(blanked.map((b) => b.source));
  const doc = new DocumentIndex(map.text, style, tag, map.segments(), run.leafConstructors);
  const lines = blanked.map((b) => new LineIndex(b.source));
  const sites: PreparedSite[] = [];
  const annotated = doc.statements.filter((s) => s.annotation);
  for (const statement of annotated.slice(0, BUDGETS.documentLenses)) {
    const cell = map.cellOfLine(doc.lines.lineOf(statement.start));
    const start = map.startOffsets[cell];
    const built = siteOf(doc, statement, sites.length, cell, start, lines[cell]);
    const rangeOf = (span: Span): Range => lines[cell].range({ start: span.start - start, end: span.end - start });
    const textOf = (span: Span): string => map.text.slice(span.start, span.end);
    sites.push({ request: built.request, lens: map.toCell(built.lens).lens, cell, expr: built.expr, rangeOf, textOf });
  }
  const magics = blanked.map((b, cell) => ({ cell, lines: b.lines })).filter((m) => m.lines.length > 0);
  return {
    language,
    units: blanked.map((b, k) => ({ name: `<cell ${k + 1}>`, source: b.source })),
    lines,
    sites,
    magics,
    dropped: Math.max(0, annotated.length - BUDGETS.documentLenses),
  };
}

/** One site: its request (offsets into its unit) and its lens skeleton (the core's ranges). */
function siteOf(
  doc: DocumentIndex,
  statement: Statement,
  id: number,
  unit: number,
  unitStart: number,
  unitLines: LineIndex,
): { request: TraceSiteRequest; lens: Lens; expr?: Expr } {
  const parsed = doc.statement(statement.id);
  const annotation = statement.annotation!;
  const statementSpan: Span = { start: statement.start, end: statement.end };
  const lens = emptyLens(doc, {
    statementSpan,
    target: parsed.target,
    targetSpan: parsed.form === 'expression' ? parsed.exprSpan : parsed.targetSpan,
    exprSpan: parsed.exprSpan,
    tagSpan: { start: annotation.start, end: annotation.end },
  });
  // `x += e` assigns x: the tracer reads x after the statement, as for `x = e`.
  const form = parsed.form === 'augmented' ? 'assign' : parsed.form;
  const local = (offset: number) => offset - unitStart;
  const request: TraceSiteRequest = {
    id,
    unit,
    start: local(statement.start),
    end: local(statement.end),
    line: unitLines.lineOf(local(statement.start)),
    endLine: unitLines.lineOf(local(Math.max(statement.start, statement.end - 1))),
    form,
    target: form === 'assign' ? parsed.target : '',
    exprStart: local(parsed.exprSpan.start),
    exprEnd: local(parsed.exprSpan.end),
  };
  return { request, lens, expr: parsed.error ? undefined : parsed.expr };
}
