// The CLI's three outputs as pure functions of the lenses: the JSON shape the issue fixes, a
// readable text report, and DOT. Kept in the core (no Node built-ins) so tests need no process.
// Targets, names, labels and messages are the analysed file's own text, and the reports go to a
// terminal: none of them passes a control character through (see `visible`).

import { lensToDot } from './dot';
import { formulaText } from './explain';
import { formatNumber } from './format';
import { firstError } from './problems';
import type { Lens, Problem, Range, VariableResult } from './types';

export interface JsonLens {
  /** Notebooks only: the 1-based number of the cell (among all cells) holding the lens; lines count within it. */
  cell?: number;
  /** 1-based line where the annotated statement starts. */
  line: number;
  target: string;
  value: number | null;
  variables: JsonVariable[];
  gradcheck: { ok: boolean; maxRelError: number } | null;
  /** `cell`: notebooks only, when the error lies in another cell than the lens (e.g. an assignment above). */
  error: { message: string; line: number; column: number; cell?: number } | null;
  /** Every problem, errors first, 1-based positions (and `cell`, as for `error`). */
  problems: {
    code: string;
    severity: string;
    message: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    cell?: number;
  }[];
}

export interface JsonVariable {
  name: string;
  value: number;
  grad: number;
  leaf: boolean;
  /** The symbolic partial in the statement's names (`x1 · (1 − o²)`); null where it was not built. */
  formula: string | null;
  /** Every use, with what it adds to the gradient: the contributions, in order, sum to `grad`. */
  paths: { via: string; contribution: number }[];
  /** Why `grad` is 0, or tiny next to the others (the factor that blocks it); else null. */
  why: string | null;
}

export interface JsonReport {
  file: string;
  lenses: JsonLens[];
}

/**
 * A notebook's 1-based cell numbers (among all its cells): the cell of each lens (parallel to the
 * lenses), and of each code cell, which a range's `cell` (an index among code cells) points into.
 */
export interface NotebookCells {
  ofLens: number[];
  ofCode: number[];
}

export function jsonReport(file: string, lenses: Lens[], notebook?: NotebookCells): JsonReport {
  return { file, lenses: lenses.map((lens, k) => jsonLens(lens, notebook?.ofLens[k], notebook)) };
}

/** The cell number of a range that lies in another cell than its lens's, else nothing. */
function otherCell(range: Range, notebook: NotebookCells | undefined): { cell?: number } {
  const cell = range.cell === undefined ? undefined : notebook?.ofCode[range.cell];
  return cell === undefined ? {} : { cell };
}

function jsonLens(lens: Lens, cell: number | undefined, notebook: NotebookCells | undefined): JsonLens {
  const error = firstError(lens);
  return {
    ...(cell === undefined ? {} : { cell }),
    line: lens.line + 1,
    target: lens.target,
    value: lens.value,
    variables: lens.variables.map(jsonVariable),
    gradcheck: lens.gradcheck && { ok: lens.gradcheck.ok, maxRelError: lens.gradcheck.maxRelError },
    error: error
      ? {
          message: error.message,
          line: error.range.start.line + 1,
          column: error.range.start.character + 1,
          ...otherCell(error.range, notebook),
        }
      : null,
    problems: lens.problems.map((p) => ({
      code: p.code,
      severity: p.severity,
      message: p.message,
      line: p.range.start.line + 1,
      column: p.range.start.character + 1,
      endLine: p.range.end.line + 1,
      endColumn: p.range.end.character + 1,
      ...otherCell(p.range, notebook),
    })),
  };
}

function jsonVariable(v: VariableResult): JsonVariable {
  const e = v.explanation;
  return {
    name: v.name,
    value: v.value,
    grad: v.grad,
    leaf: v.leaf,
    formula: (e && formulaText(e)) ?? null,
    paths: e ? e.paths.map((p) => ({ via: p.via, contribution: p.contribution })) : [],
    why: e?.why ?? null,
  };
}

/**
 * What a terminal would act on rather than show: C0 controls (ESC starts the sequences that set
 * the title, clear the screen or write the clipboard; CR and LF would forge report lines), DEL,
 * C1 controls (U+009B is an 8-bit CSI) and the bidi embeddings, overrides and isolates that make
 * text read differently from what it is. Tab is the one control left as it is.
 */
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

function codeOf(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** User text for one line of a terminal report: every unsafe character as its `\uXXXX` escape. */
export function visible(text: string): string {
  return text.replace(UNSAFE, codeOf);
}

/**
 * The JSON output. JSON.stringify escapes C0 controls but writes DEL, C1 and the bidi controls as
 * they are; they can only stand inside strings, where `\uXXXX` means the same character.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, codeOf) + '\n';
}

export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
}

export const NO_PAINT: Paint = { bold: id, dim: id, red: id, yellow: id, green: id, cyan: id };

export const ANSI_PAINT: Paint = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  red: (s) => `\x1b[31m${s}\x1b[39m`,
  yellow: (s) => `\x1b[33m${s}\x1b[39m`,
  green: (s) => `\x1b[32m${s}\x1b[39m`,
  cyan: (s) => `\x1b[36m${s}\x1b[39m`,
};

function id(s: string): string {
  return s;
}

/** `target = value`, then ∂target/∂leaf per leaf, then the gradcheck, per lens. */
export function textReport(
  file: string,
  lenses: Lens[],
  paint: Paint = NO_PAINT,
  precision = 4,
  notebook?: NotebookCells,
): string {
  const out: string[] = [paint.bold(visible(file))];
  if (lenses.length === 0) out.push(paint.dim('  no @grad annotations'));
  lenses.forEach((lens, k) => {
    const cell = notebook?.ofLens[k];
    // A problem's position names its own cell: the lens's, or the one holding the assignment it uses.
    const fileOf = (range: Range): string => {
      const at = otherCell(range, notebook).cell ?? cell;
      return at === undefined ? visible(file) : `${visible(file)} (cell ${at})`;
    };
    out.push(...textLens(fileOf, lens, paint, precision, cell));
  });
  return out.join('\n') + '\n';
}

function textLens(
  fileOf: (range: Range) => string,
  lens: Lens,
  p: Paint,
  precision: number,
  cell: number | undefined,
): string[] {
  const where = cell === undefined ? `line ${lens.line + 1}` : `cell ${cell}, line ${lens.line + 1}`;
  const target = visible(lens.target);
  const head = `  ${p.dim(where)}  ${p.bold(target || '(annotation)')}`;
  const lines: string[] = [];
  if (lens.value === null) lines.push(`${head} ${p.red('error')}`);
  else lines.push(`${head} = ${p.cyan(formatNumber(lens.value, precision))}`);
  for (const v of lens.variables) {
    const name = visible(v.name);
    if (v.leaf)
      lines.push(
        `    ∂${target}/∂${name} = ${formatNumber(v.grad, precision)}    ${p.dim(`(${name} = ${formatNumber(v.value, precision)})`)}`,
      );
  }
  const gc = lens.gradcheck;
  if (gc) {
    const skipped = gc.skipped > 0 ? `, ${gc.skipped} leaves not checked` : '';
    const verdict = gc.ok ? p.green('gradcheck ok') : p.yellow('gradcheck FAILED');
    lines.push(`    ${verdict} ${p.dim(`(max rel. error ${gc.maxRelError.toExponential(1)}${skipped})`)}`);
  }
  for (const problem of lens.problems) lines.push(`    ${problemLine(fileOf(problem.range), problem, p)}`);
  return lines;
}

function problemLine(file: string, problem: Problem, p: Paint): string {
  const where = `${file}:${problem.range.start.line + 1}:${problem.range.start.character + 1}`;
  const label =
    problem.severity === 'error' ? p.red('error') : problem.severity === 'info' ? p.dim('info') : p.yellow('warning');
  return `${label}: ${visible(problem.message)} ${p.dim(`(${where})`)}`;
}

/**
 * DOT for the terminal or a file. User text stands only inside its quoted labels, where the
 * engine's emitter has already turned line breaks into spaces; the other unsafe characters are
 * written as `\\uXXXX`, which Graphviz draws as the text `\uXXXX`.
 */
export function dotReport(lenses: Lens[], precision = 4): string {
  const dot = lenses.map((lens) => lensToDot(lens, precision)).join('');
  return dot.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\${codeOf(ch)}`);
}
