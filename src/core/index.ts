// The core's public API: what the extension, the CLI and the graph view call. No `vscode`, no
// Node built-ins: this runs in the extension host, in VS Code for the Web and in the CLI.

import { readBindings } from './bindings';
import { selectionLens, lensesOf, styleOf, tagOf } from './analyze';
import { CellMap } from './cells';
import { DocumentIndex } from './document';
import type { AnalyzeOptions, Lens, Range } from './types';

export * from './types';
export { formatNumber, formatSigned } from './format';
export { lensToDot } from './dot';
export { locate } from './locate';
export { firstError } from './problems';
export { suggestedBinding } from './bindings';
export type { Located } from './locate';

/** Every @grad lens in a document, in source order. Never throws. */
export function analyzeText(text: string, options: AnalyzeOptions = {}): Lens[] {
  try {
    const doc = documentIndex(String(text ?? ''), options);
    return lensesOf(doc, options);
  } catch {
    // Each lens has its own catch-all; this one only guards the scan itself. Never throw into the host.
    return [];
  }
}

/** The index of `text` with the style, tag, leaf constructors and language of `options`; `segments`: cells. */
function documentIndex(text: string, options: AnalyzeOptions, segments?: [number, number][]): DocumentIndex {
  return new DocumentIndex(
    text,
    styleOf(options),
    tagOf(options),
    segments,
    options.leafConstructors,
    options.language,
  );
}

/**
 * A notebook: the lenses of each cell, with ranges relative to that cell. Names resolve through
 * the cells above, in order. A range lying in another cell carries `cell`.
 */
export function analyzeCells(cells: string[], options: AnalyzeOptions = {}): Lens[][] {
  try {
    return cellLenses(cells, options);
  } catch {
    return cells.map(() => []);
  }
}

function cellLenses(cells: string[], options: AnalyzeOptions): Lens[][] {
  const map = new CellMap(cells.map((c) => String(c ?? '')));
  const doc = documentIndex(map.text, options, map.segments());
  const perCell: Lens[][] = cells.map(() => []);
  for (const lens of lensesOf(doc, options)) {
    const mapped = map.toCell(lens);
    perCell[mapped.cell].push(mapped.lens);
  }
  return perCell;
}

/**
 * "Differentiate Selection": the selection is an expression, or a whole statement or line (with
 * or without an annotation). Names resolve from assignments above the selection start; `prelude`
 * holds earlier notebook cells; `bindings` (e.g. from an input box) win over the annotation's.
 * Missing values give 'unbound' problems that carry `name`.
 */
export function analyzeSelection(
  text: string,
  selection: Range,
  options: AnalyzeOptions & { bindings?: Record<string, number>; prelude?: string[] } = {},
): Lens {
  try {
    return selectionLensOf(text, selection, options);
  } catch (err) {
    return failedSelection(selection, err);
  }
}

function selectionLensOf(
  text: string,
  selection: Range,
  options: AnalyzeOptions & { bindings?: Record<string, number>; prelude?: string[] },
): Lens {
  const prelude = options.prelude ?? [];
  const map = new CellMap([...prelude, String(text ?? '')]);
  const doc = documentIndex(map.text, options, map.segments());
  const own = prelude.length;
  const base = map.startLines[own];
  const toOffset = (p: Range['start']) => doc.lines.offset({ line: p.line + base, character: p.character });
  let from = toOffset(selection.start);
  let to = toOffset(selection.end);
  if (from > to) [from, to] = [to, from];
  const lens = selectionLens({ doc, from, to, style: styleOf(options), bindings: options.bindings }, options);
  if (prelude.length === 0) return lens;
  return map.toCell(lens).lens;
}

/**
 * Bindings typed in an input box: `z=1.0, w=-3` or `z=1 w=2`; a record, or the error to show.
 * The record has no prototype: `__proto__=2` is a binding like any other (on a plain object the
 * assignment would set the prototype and the binding would vanish), and a name that was not bound,
 * such as `constructor`, is absent rather than inherited.
 */
export function parseBindings(text: string): { bindings: Record<string, number> } | { error: string } {
  const result = readBindings(String(text ?? ''));
  if ('error' in result) return { error: result.error };
  const bindings: Record<string, number> = Object.create(null);
  for (const b of result.bindings) bindings[b.name] = b.value;
  return { bindings };
}

function failedSelection(selection: Range, err: unknown): Lens {
  const at: Range = { start: selection.start, end: selection.end };
  return {
    line: selection.start.line,
    target: '',
    statementRange: at,
    targetRange: at,
    expressionRange: at,
    tagRange: { start: selection.end, end: selection.end },
    value: null,
    variables: [],
    gradcheck: null,
    problems: [
      { code: 'parse', severity: 'error', message: `could not analyse the selection: ${String(err)}`, range: at },
    ],
    ops: [],
    graph: null,
  };
}
