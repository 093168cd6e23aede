// `gradlens --trace`: the static report's JSON with what the run adds (traced, executions, the
// engine check per lens, the run's end), and a few text lines after the static text report.
// Pure functions of the outcome, so they are tested without a process.

import { formatNumber } from '../core/format';
import { jsonReport, visible, type JsonLens, type NotebookCells, type Paint } from '../core/report';
import type { Range } from '../core/types';
import type { EngineCheck, TraceFailure, TraceOutcome, TraceSourceLanguage, TracedLens } from './protocol';

export interface TracedJsonLens extends JsonLens {
  traced: true;
  reached: boolean;
  executions: number;
  /** The value at each execution (every `historyStride`-th when there were more than the limit). */
  history: (number | null)[];
  historyStride: number;
  engineCheck: EngineCheck | null;
  /** Notebooks: 0-based lines of the lens's cell blanked as IPython magics. */
  magicsSkipped?: number[];
}

export interface TracedJsonReport {
  file: string;
  traced: true;
  interpreter: string;
  torch: string | null;
  finished: boolean;
  stopped: TraceOutcome['stopped'] | null;
  durationMs: number;
  /** The exception that ended the program: 1-based line and column (and cell number in a notebook). */
  error: { message: string; line: number; column: number; cell?: number } | null;
  failure: TraceFailure | null;
  lenses: TracedJsonLens[];
}

/** The language runTrace is given for a file, from its extension; undefined for one it cannot trace. */
export function traceLanguageOf(file: string): TraceSourceLanguage | undefined {
  const ext = /\.[^./\\]+$/.exec(file)?.[0].toLowerCase();
  if (ext === '.py' || ext === '.pyw') return 'python';
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return 'javascript';
  if (ext === '.jsx') return 'javascriptreact';
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return 'typescript';
  if (ext === '.tsx') return 'typescriptreact';
  return undefined;
}

/** A notebook's cell numbers for the static report's helpers, from the traced lenses' cells. */
export function notebookCellsOf(lenses: TracedLens[], codeCellNumbers: number[]): NotebookCells {
  return { ofLens: lenses.map((l) => codeCellNumbers[l.trace.cell ?? 0]), ofCode: codeCellNumbers };
}

export function tracedJsonReport(file: string, outcome: TraceOutcome, notebook?: NotebookCells): TracedJsonReport {
  const base = jsonReport(file, outcome.lenses, notebook);
  return {
    file,
    traced: true,
    interpreter: outcome.interpreter,
    torch: outcome.torch,
    finished: outcome.finished,
    stopped: outcome.stopped ?? null,
    durationMs: outcome.durationMs,
    error: outcome.error
      ? {
          message: outcome.error.message,
          line: outcome.error.range.start.line + 1,
          column: outcome.error.range.start.character + 1,
          ...cellOf(outcome.error.range, notebook),
        }
      : null,
    failure: outcome.failure ?? null,
    lenses: base.lenses.map((lens, k) => {
      const trace = outcome.lenses[k].trace;
      return {
        ...lens,
        traced: true,
        reached: trace.reached,
        executions: trace.executions,
        history: trace.history,
        historyStride: trace.historyStride,
        engineCheck: trace.engineCheck,
        ...(trace.magicsSkipped ? { magicsSkipped: trace.magicsSkipped } : {}),
      };
    }),
  };
}

function cellOf(range: Range, notebook: NotebookCells | undefined): { cell?: number } {
  const cell = range.cell === undefined ? undefined : notebook?.ofCode[range.cell];
  return cell === undefined ? {} : { cell };
}

/** The lines the text report gets after the static report of a traced file. */
export function tracedTextSummary(outcome: TraceOutcome, paint: Paint, notebook?: NotebookCells): string {
  const out: string[] = [];
  const how = outcome.stopped
    ? paint.yellow(`stopped (${outcome.stopped})`)
    : outcome.finished
      ? 'ran to its end'
      : paint.red('ended by an exception');
  out.push(
    `  ${paint.dim('traced with')} ${visible(outcome.interpreter)}: ${how} ${paint.dim(`in ${outcome.durationMs} ms`)}`,
  );
  if (outcome.error) {
    const cell = cellOf(outcome.error.range, notebook).cell;
    const where = `${cell === undefined ? '' : `cell ${cell}, `}line ${outcome.error.range.start.line + 1}`;
    out.push(`    ${paint.red('error')}: ${visible(outcome.error.message)} ${paint.dim(`(${where})`)}`);
  }
  outcome.lenses.forEach((lens, k) => {
    const cell = notebook?.ofLens[k];
    const where = cell === undefined ? `line ${lens.line + 1}` : `cell ${cell}, line ${lens.line + 1}`;
    const runs = lens.trace.reached ? `${lens.trace.executions}× run` : paint.dim('never reached');
    out.push(
      `  ${paint.dim(where)}  ${paint.bold(visible(lens.target) || '(annotation)')}: ${runs}; ${checkText(lens.trace.engineCheck, paint)}`,
    );
  });
  return out.join('\n') + '\n';
}

function checkText(check: EngineCheck | null, paint: Paint): string {
  if (check === null) return paint.dim('engine not checked');
  if (check.status === 'agrees')
    return paint.green(`engine check ok`) + paint.dim(` (max rel. error ${formatNumber(check.maxRelError ?? 0, 2)})`);
  if (check.status === 'skipped') return paint.dim(`engine check skipped: ${visible(check.reason ?? '')}`);
  const statement = check.statement?.status === 'disagrees' ? check.statement : undefined;
  // The statement's own value first: where it is wrong, the recorded graph is the wrong one.
  const cause = statement?.operator
    ? `: likely ${statement.operator.method}`
    : statement && !statement.valueOk
      ? `: the value differs from the statement's`
      : check.likelyCause
        ? `: likely ${check.likelyCause.bug}`
        : statement
          ? `: gradients differ from the statement's`
          : '';
  return paint.yellow(`engine check FAILED${cause}`);
}
