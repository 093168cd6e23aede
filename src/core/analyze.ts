// The entry points: a document, a notebook's cells, or a selection. Each builds the document index
// once and then one lens per annotation.

import { readBindings, suggestedBinding, type Binding } from './bindings';
import { BUDGETS, count } from './budgets';
import { callBindings } from './callSite';
import { DocumentIndex } from './document';
import { AnalysisError } from './errors';
import { buildLens, emptyLens, type LensRequest } from './lens';
import type { Span } from './positions';
import { scan } from './scanner';
import { clip, quote } from './quote';
import { parseStatement, readHeader, type ParsedStatement } from './statement';
import type { Annotation, CommentStyle, ScanResult, Statement } from './tokens';
import type { AnalyzeOptions, Lens, Problem } from './types';

export const DEFAULT_TAG = '@grad';

export function styleOf(options: AnalyzeOptions | undefined): CommentStyle {
  const style = options?.comments;
  return style === 'hash' || style === 'slash' ? style : 'both';
}

export function tagOf(options: AnalyzeOptions | undefined): string {
  const tag = options?.tag;
  return typeof tag === 'string' && tag.trim() !== '' ? tag.trim() : DEFAULT_TAG;
}

/** Every lens of a document whose text is `doc.text`, in source order. */
export function lensesOf(doc: DocumentIndex, options: AnalyzeOptions): Lens[] {
  const lenses: { at: number; lens: Lens }[] = [];
  const annotated = doc.statements.filter((statement) => statement.annotation);
  annotated.forEach((statement, index) => {
    const lens =
      index < BUDGETS.documentLenses
        ? safely(doc, statement, () => buildLens(doc, annotatedRequest(doc, statement), options))
        : notAnalysed(doc, statement, annotated.length);
    lenses.push({ at: statement.start, lens });
  });
  for (const annotation of doc.dangling) lenses.push({ at: annotation.start, lens: danglingLens(doc, annotation) });
  lenses.sort((a, b) => a.at - b.at);
  return lenses.map((l) => l.lens);
}

function safely(doc: DocumentIndex, statement: Statement, build: () => Lens): Lens {
  try {
    return build();
  } catch (err) {
    const span = { start: statement.start, end: statement.end };
    const lens = emptyLens(doc, { statementSpan: span, target: '', targetSpan: span, exprSpan: span, tagSpan: span });
    lens.problems.push({
      code: 'parse',
      severity: 'error',
      message: `could not analyse this statement: ${String(err)}`,
      range: doc.lines.range(span),
    });
    return lens;
  }
}

/** A lens past the document's lens budget: it says so, with the numbers, and costs nothing more. */
function notAnalysed(doc: DocumentIndex, statement: Statement, annotations: number): Lens {
  const span = { start: statement.start, end: statement.end };
  const lens = emptyLens(doc, {
    statementSpan: span,
    target: doc.header(statement.id).target,
    targetSpan: span,
    exprSpan: span,
    tagSpan: span,
  });
  const message = `not analysed: this document has ${count(annotations)} ${quote(doc.tag)} annotations, and only the first ${count(BUDGETS.documentLenses)} are analysed`;
  lens.problems.push({ code: 'too-large', severity: 'error', message, range: doc.lines.range(span) });
  return lens;
}

/** What every lens request takes from its statement: spans, target, expression, parse error. */
function fromStatement(
  statement: Statement,
  parsed: ParsedStatement,
): Pick<LensRequest, 'statementSpan' | 'target' | 'targetSpan' | 'exprSpan' | 'expr' | 'errors'> {
  return {
    statementSpan: { start: statement.start, end: statement.end },
    target: parsed.target,
    targetSpan: parsed.form === 'expression' ? parsed.exprSpan : parsed.targetSpan,
    exprSpan: parsed.exprSpan,
    expr: parsed.expr,
    errors: parsed.error ? [parsed.error] : [],
  };
}

function annotatedRequest(doc: DocumentIndex, statement: Statement): LensRequest {
  const annotation = statement.annotation!;
  const common = fromStatement(statement, doc.statement(statement.id));
  const bindings = bindingsOf(annotation, common.errors);
  // In a function's body, the parameters not bound here take the last call's arguments.
  if (common.errors.length === 0) bindings.push(...callBindings(doc, statement.id, bindings));
  return {
    ...common,
    tagSpan: { start: annotation.start, end: annotation.end },
    before: statement.id,
    bindings,
    bindingAdvice: (name) => adviceFor(annotation.starter, annotation.bindingsText, name, doc.tag),
    here: 'this line',
  };
}

export function bindingsOf(annotation: Annotation, errors: AnalysisError[]): Binding[] {
  const result = readBindings(annotation.bindingsText, annotation.bindingsStart);
  if ('error' in result) {
    errors.push(new AnalysisError('parse', `${result.error} in the annotation`, result.span));
    return [];
  }
  return result.bindings;
}

/**
 * `# @grad x=2, z=1.0`: the annotation as it would read with a binding for `name` added, for a
 * message, so each part the user wrote is clipped (the quick fix inserts `suggestedBinding` itself).
 */
function adviceFor(starter: Annotation['starter'], bindingsText: string, name: string, tag: string): string {
  const existing = bindingsText.trim();
  const body = `${clip(tag)} ${existing ? `${clip(existing)}, ` : ''}${suggestedBinding(clip(name))}`;
  return starter === '/*' ? `/* ${body} */` : `${starter} ${body}`;
}

function danglingLens(doc: DocumentIndex, annotation: Annotation): Lens {
  const span = { start: annotation.start, end: annotation.end };
  const lens = emptyLens(doc, { statementSpan: span, target: '', targetSpan: span, exprSpan: span, tagSpan: span });
  lens.problems.push({
    code: 'parse',
    severity: 'error',
    message: `${quote(doc.tag)} marks no statement: put it at the end of the statement's line, or alone on the line directly above it`,
    range: doc.lines.range(span),
  });
  return lens;
}

export interface SelectionRequest {
  doc: DocumentIndex;
  /** The selection's offsets in `doc.text`. */
  from: number;
  to: number;
  style: CommentStyle;
  bindings?: Record<string, number>;
}

/** "Differentiate Selection": the last statement inside the selection, resolved above it. */
export function selectionLens(request: SelectionRequest, options: AnalyzeOptions): Lens {
  const { doc, from, to } = request;
  const scanned: ScanResult = { statements: [], dangling: [], scopes: [] };
  scan(doc.text, from, to, request.style, doc.tag, scanned, doc.dialect);
  const statement = scanned.statements[scanned.statements.length - 1];
  const empty: Span = { start: from, end: to };
  if (!statement) {
    const lens = emptyLens(doc, {
      statementSpan: empty,
      target: '',
      targetSpan: empty,
      exprSpan: empty,
      tagSpan: { start: to, end: to },
    });
    lens.problems.push(parseProblem(doc, 'select an expression or a statement to differentiate', empty));
    return lens;
  }
  return safely(doc, statement, () => buildLens(doc, selectionRequest(request, statement), options));
}

function selectionRequest(request: SelectionRequest, statement: Statement): LensRequest {
  const { doc } = request;
  const common = fromStatement(
    statement,
    parseStatement(statement, readHeader(statement), doc.text, request.style, doc.leaves, doc.functions),
  );
  const annotation = statement.annotation;
  const fromAnnotation = annotation ? bindingsOf(annotation, common.errors) : [];
  const given = givenBindings(request.bindings, { start: request.to, end: request.to }, common.errors);
  const names = new Set(given.map((b) => b.name));
  const bindings = [...fromAnnotation.filter((b) => !names.has(b.name)), ...given];
  return {
    ...common,
    tagSpan: annotation ? { start: annotation.start, end: annotation.end } : { start: request.to, end: request.to },
    before: doc.statementsBefore(statement.start),
    bindings,
    bindingAdvice: (name) => suggestedBinding(clip(name)),
    here: 'the selection',
  };
}

function givenBindings(given: Record<string, number> | undefined, at: Span, errors: AnalysisError[]): Binding[] {
  if (!given) return [];
  const out: Binding[] = [];
  for (const [name, value] of Object.entries(given)) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      errors.push(
        new AnalysisError(
          'domain',
          `the value given for ${quote(name)} is not a finite number: ${clip(String(value))}`,
          at,
        ),
      );
    else out.push({ name, value, span: at });
  }
  return out;
}

function parseProblem(doc: DocumentIndex, message: string, span: Span): Problem {
  return { code: 'parse', severity: 'error', message, range: doc.lines.range(span) };
}
