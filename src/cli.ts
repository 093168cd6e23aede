// `gradlens`: the extension's analysis without VS Code. Reads files, prints a text report, JSON
// or DOT, and exits with one of EXIT's statuses. Node built-ins are allowed here, and only here.

import * as fs from 'fs';
import * as path from 'path';
import { analyzeCells, analyzeText, firstError, type AnalyzeOptions, type Lens } from './core';
import {
  ANSI_PAINT,
  dotReport,
  jsonReport,
  jsonText,
  NO_PAINT,
  textReport,
  visible,
  type NotebookCells,
} from './core/report';
import { notebookCellsOf, traceLanguageOf, tracedJsonReport, tracedTextSummary } from './trace/cliReport';
import type { TraceOutcome } from './trace/protocol';
import { runTrace } from './trace/runner';

const USAGE = `Usage: gradlens [options] FILE...

Analyses every @grad annotation in each FILE: the value of the annotated expression, the
gradient with respect to every variable, and a gradcheck against finite differences. A Jupyter
notebook (.ipynb) is read cell by cell, names resolving through the cells above, with the
comments of its kernel's language (// for JavaScript and TypeScript, # for Python).

Options:
  --json               print {"file", "lenses": [...]} (an array of them for several files)
  --dot                print each lens's computation graph as Graphviz DOT
  --comments STYLE     hash (#), slash (// and /* */) or both; default from the file's extension
                       (a notebook's from its kernel's language)
  --precision N        decimals in the text report and DOT (default 4)
  --no-gradcheck       skip the finite-difference check
  --color, --no-color  force colour on or off (default: on when stdout is a terminal)
  -h, --help           show this help

Trace mode (runs the program; only on code you trust):
  --trace              run each FILE (.py, .js, .ts, or a Python notebook) under the tracer
                       and report the values and gradients of its own engine at each @grad
                       site, with a check of that engine (--json adds "traced", "executions",
                       "history" and "engineCheck"); the program runs in the current
                       directory, and its own output goes to stderr
  --python P           the Python interpreter (default python3)
  --node N             the Node interpreter (default node)
  --timeout S          stop the program after S seconds (default 30)

Exit status:
  0  every lens evaluated
  1  some lens has an error
  2  usage error or unreadable file (also one over 50 MiB, the most read from one FILE)
  3  the output could not be written (e.g. a full disk)
With --trace, also 1 when the program raised or was stopped, and 2 when it could not be
traced (no interpreter, no tracer, an unreadable result).
A reader that stops early (gradlens FILE | head) does not change the status.
`;

/** The exit statuses that --help and the README list. */
const EXIT = { ok: 0, lensError: 1, usage: 2, output: 3 } as const;

type Format = 'text' | 'json' | 'dot';

interface Args {
  files: string[];
  format: Format;
  comments?: AnalyzeOptions['comments'];
  precision: number;
  gradcheck: boolean;
  color?: boolean;
  help: boolean;
  trace: boolean;
  python?: string;
  node?: string;
  /** --timeout, in milliseconds. */
  timeoutMs?: number;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const args: Args = { files: [], format: 'text', precision: 4, gradcheck: true, help: false, trace: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '-h' || a === '--help') args.help = true;
    else if (a === '--json' || a === '--dot') args.format = setFormat(args.format, a.slice(2) as Format);
    else if (a === '--comments') args.comments = commentStyle(value());
    else if (a === '--precision') args.precision = precision(value());
    else if (a === '--no-gradcheck') args.gradcheck = false;
    else if (a === '--color') args.color = true;
    else if (a === '--no-color') args.color = false;
    else if (a === '--trace') args.trace = true;
    else if (a === '--python') args.python = value();
    else if (a === '--node') args.node = value();
    else if (a === '--timeout') args.timeoutMs = timeoutSeconds(value()) * 1000;
    else if (a === '--') {
      args.files.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else args.files.push(a);
  }
  if (!args.help && args.files.length === 0) throw new UsageError('no FILE given');
  if (!args.trace && (args.python !== undefined || args.node !== undefined || args.timeoutMs !== undefined))
    throw new UsageError('--python, --node and --timeout go with --trace');
  if (args.trace && args.files.includes('-')) throw new UsageError('--trace runs files, not stdin');
  return args;
}

function setFormat(current: Format, next: Format): Format {
  if (current !== 'text' && current !== next) throw new UsageError('--json and --dot cannot be combined');
  return next;
}

function commentStyle(s: string): AnalyzeOptions['comments'] {
  if (s === 'hash' || s === 'slash' || s === 'both') return s;
  throw new UsageError(`--comments must be hash, slash or both, not ${s}`);
}

/** Digits only: Number() would read '' and ' ' as 0, and accept 0x3, 1e1, +3 and 3.0. */
function precision(s: string): number {
  const n = /^\d{1,2}$/.test(s) ? Number(s) : NaN;
  if (!(n >= 0 && n <= 20)) throw new UsageError(`--precision must be an integer from 0 to 20, not "${s}"`);
  return n;
}

/** Seconds: a plain positive number up to a day. */
function timeoutSeconds(s: string): number {
  const n = /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
  if (!(n > 0 && n <= 86_400))
    throw new UsageError(`--timeout must be a number of seconds from 0 to 86400, not "${s}"`);
  return n;
}

// Python files use `#`; JavaScript and TypeScript use `//` and block comments; anything else both.
// A notebook's style comes from its kernel's language instead (styleForNotebook).
export function styleForFile(file: string): AnalyzeOptions['comments'] {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.py' || ext === '.pyi' || ext === '.pyw') return 'hash';
  if (['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'].includes(ext)) return 'slash';
  return 'both';
}

/** The VS Code language id a file's extension stands for, where TypeScript's syntax differs. */
export function languageForFile(file: string): AnalyzeOptions['language'] {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return 'typescript';
  if (ext === '.tsx') return 'typescriptreact';
  return undefined;
}

/** The most gradlens reads from one FILE (or stdin): 50 MiB. */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024;

class InputTooLarge extends Error {
  constructor() {
    super(`larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MiB, the most gradlens reads from one file`);
  }
}

/**
 * A FILE's text, or stdin's for `-`. Read in chunks up to MAX_INPUT_BYTES and one byte more,
 * so that /dev/zero or an endless pipe ends in an error instead of exhausting memory; a regular
 * file known to be larger is refused before reading.
 */
function readSource(file: string): string {
  const fd = file === '-' ? 0 : fs.openSync(file, 'r');
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isFile() && stat.size > MAX_INPUT_BYTES) throw new InputTooLarge();
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const n = readSome(fd, chunk, Math.min(chunk.length, MAX_INPUT_BYTES + 1 - total));
      if (n === 0) break;
      total += n;
      if (total > MAX_INPUT_BYTES) throw new InputTooLarge();
      parts.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(parts, total).toString('utf8');
  } finally {
    if (fd !== 0) fs.closeSync(fd);
  }
}

/** One read; a non-blocking stdin that has nothing yet (EAGAIN) is waited for, not an error. */
function readSome(fd: number, into: Buffer, length: number): number {
  for (;;) {
    try {
      return fs.readSync(fd, into, 0, length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EOF') return 0; // stdin at its end, on Windows
      if (code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** A Jupyter notebook's code cells, with their 1-based numbers among all cells, and its kernel's language. */
export interface Notebook {
  sources: string[];
  numbers: number[];
  /** `language_info.name`, else `kernelspec.language`, from the notebook's metadata; lower case. */
  language?: string;
}

class NotNotebook extends Error {}

/** Reads a notebook's JSON; throws NotNotebook saying what is wrong rather than guess at a cell's text. */
export function notebookCells(text: string): Notebook {
  let notebook: unknown;
  try {
    notebook = JSON.parse(text);
  } catch {
    notebook = undefined;
  }
  const cells = isObject(notebook) ? notebook.cells : undefined;
  if (!isObject(notebook) || !Array.isArray(cells))
    throw new NotNotebook('not a Jupyter notebook (expected a JSON object with "cells")');
  const sources: string[] = [];
  const numbers: number[] = [];
  cells.forEach((cell: unknown, k) => {
    if (!isObject(cell)) throw new NotNotebook(`cell ${k + 1} is not a JSON object`);
    if (cell.cell_type !== 'code') return;
    sources.push(cellSource(cell.source, k));
    numbers.push(k + 1);
  });
  return { sources, numbers, language: kernelLanguage(notebook.metadata) };
}

/** nbformat: a string, or a list of strings (the lines) to join. */
function cellSource(source: unknown, k: number): string {
  if (typeof source === 'string') return source;
  if (Array.isArray(source) && source.every((line) => typeof line === 'string')) return source.join('');
  throw new NotNotebook(`cell ${k + 1}: "source" must be a string or a list of strings`);
}

function kernelLanguage(metadata: unknown): string | undefined {
  if (!isObject(metadata)) return undefined;
  const info = isObject(metadata.language_info) ? metadata.language_info.name : undefined;
  const spec = isObject(metadata.kernelspec) ? metadata.kernelspec.language : undefined;
  const language = typeof info === 'string' ? info : typeof spec === 'string' ? spec : undefined;
  return language?.toLowerCase();
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * A notebook's comment style, from its kernel's language as a file's comes from its extension:
 * `#` for Python (and a notebook that names no language, as Jupyter's default kernel is
 * Python's), `//` and block comments for JavaScript and TypeScript kernels, both otherwise.
 */
export function styleForNotebook(language: string | undefined): AnalyzeOptions['comments'] {
  if (language === undefined || language === 'python') return 'hash';
  if (language === 'javascript' || language === 'typescript') return 'slash';
  return 'both';
}

/** A notebook's cells, or a usage error saying why the file is none. */
function readNotebook(file: string, text: string): Notebook {
  try {
    return notebookCells(text);
  } catch (err) {
    if (!(err instanceof NotNotebook)) throw err;
    throw new UsageError(`cannot read ${file}: ${err.message}`);
  }
}

/** The lenses of one file; for a notebook, with the cell numbers of its lenses and code cells. */
function analyzeFile(file: string, text: string, args: Args): { lenses: Lens[]; notebook?: NotebookCells } {
  const gradcheck = { enabled: args.gradcheck };
  if (path.extname(file).toLowerCase() !== '.ipynb')
    return {
      lenses: analyzeText(text, {
        comments: args.comments ?? styleForFile(file),
        language: languageForFile(file),
        gradcheck,
      }),
    };
  const notebook = readNotebook(file, text);
  const perCell = analyzeCells(notebook.sources, {
    comments: args.comments ?? styleForNotebook(notebook.language),
    language: notebook.language,
    gradcheck,
  });
  const lenses: Lens[] = [];
  const cells: number[] = [];
  perCell.forEach((cellLenses, k) =>
    cellLenses.forEach((lens) => (lenses.push(lens), cells.push(notebook.numbers[k]))),
  );
  return { lenses, notebook: { ofLens: cells, ofCode: notebook.numbers } };
}

function useColor(args: Args): boolean {
  if (args.color !== undefined) return args.color;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return process.stdout.isTTY === true;
}

function run(argv: string[]): number | Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`gradlens: ${visible(err.message)}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    writeOutput(USAGE);
    return EXIT.ok;
  }
  const sources: { file: string; text: string }[] = [];
  for (const file of args.files) {
    try {
      sources.push({ file, text: readSource(file) });
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
      process.stderr.write(`gradlens: cannot read ${visible(file)}: ${visible(reason)}\n`);
      return EXIT.usage;
    }
  }
  if (args.trace) return runTraced(args, sources);
  let failed = false;
  const json: ReturnType<typeof jsonReport>[] = [];
  const chunks: string[] = [];
  for (const { file, text } of sources) {
    let analysed: ReturnType<typeof analyzeFile>;
    try {
      analysed = analyzeFile(file, text, args);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      process.stderr.write(`gradlens: ${visible(err.message)}\n`);
      return EXIT.usage;
    }
    const { lenses, notebook } = analysed;
    if (lenses.some((l) => firstError(l) !== undefined)) failed = true;
    if (args.format === 'json') json.push(jsonReport(file, lenses, notebook));
    else if (args.format === 'dot') chunks.push(dotReport(lenses, args.precision));
    else chunks.push(textReport(file, lenses, useColor(args) ? ANSI_PAINT : NO_PAINT, args.precision, notebook));
  }
  if (args.format === 'json') chunks.push(jsonText(json.length === 1 ? json[0] : json));
  writeOutput(chunks.join(args.format === 'text' ? '\n' : ''));
  return failed ? EXIT.lensError : EXIT.ok;
}

/** What runTrace is asked for one FILE: its text, or a Python notebook's code cells. */
function traceTarget(
  file: string,
  text: string,
): {
  text?: string;
  cells?: string[];
  numbers?: number[];
  language: 'python' | NonNullable<ReturnType<typeof traceLanguageOf>>;
} {
  if (path.extname(file).toLowerCase() !== '.ipynb') {
    const language = traceLanguageOf(file);
    if (!language) throw new UsageError(`cannot trace ${file}: not a .py, .js, .ts (or .jsx, .tsx) file or a notebook`);
    return { text, language };
  }
  const notebook = readNotebook(file, text);
  if (notebook.language !== undefined && notebook.language !== 'python')
    throw new UsageError(
      `cannot trace ${file}: trace mode runs Python notebooks, and this one's kernel is ${notebook.language}`,
    );
  return { cells: notebook.sources, numbers: notebook.numbers, language: 'python' };
}

/** `--trace`: each FILE run under the tracer, one after the other; Ctrl-C stops the run in progress. */
async function runTraced(args: Args, sources: { file: string; text: string }[]): Promise<number> {
  const controller = new AbortController();
  const interrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  let status: number = EXIT.ok;
  const json: ReturnType<typeof tracedJsonReport>[] = [];
  const chunks: string[] = [];
  try {
    for (const { file, text } of sources) {
      let target: ReturnType<typeof traceTarget>;
      try {
        target = traceTarget(file, text);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        process.stderr.write(`gradlens: ${visible(err.message)}\n`);
        return EXIT.usage;
      }
      const outcome: TraceOutcome = await runTrace(
        {
          file: path.resolve(file),
          language: target.language,
          ...(target.cells ? { cells: target.cells } : { text: target.text }),
          cwd: process.cwd(),
          interpreter: target.language === 'python' ? args.python : args.node,
          timeoutMs: args.timeoutMs,
          // Next to dist/cli.js, where the build puts the tracers.
          tracerDir: path.join(__dirname, 'tracer'),
          onOutput: (chunk) => {
            try {
              process.stderr.write(chunk);
            } catch {
              // stderr gone: the program's output has nowhere to go, the report still does.
            }
          },
        },
        controller.signal,
      );
      // The editor's settings are this command's options.
      if (outcome.failure) outcome.failure.message = optionNames(outcome.failure.message);
      if (outcome.error) outcome.error.message = optionNames(outcome.error.message);
      const notebook = target.numbers ? notebookCellsOf(outcome.lenses, target.numbers) : undefined;
      if (outcome.failure && outcome.lenses.length === 0) {
        process.stderr.write(`gradlens: cannot trace ${visible(file)}: ${visible(outcome.failure.message)}\n`);
        status = EXIT.usage;
      } else if (
        outcome.error ||
        outcome.stopped ||
        outcome.failure ||
        outcome.lenses.some((l) => firstError(l) !== undefined)
      ) {
        if (status === EXIT.ok) status = EXIT.lensError;
      }
      if (args.format === 'json') json.push(tracedJsonReport(file, outcome, notebook));
      else if (args.format === 'dot') chunks.push(dotReport(outcome.lenses, args.precision));
      else {
        const paint = useColor(args) ? ANSI_PAINT : NO_PAINT;
        chunks.push(
          textReport(file, outcome.lenses, paint, args.precision, notebook) +
            tracedTextSummary(outcome, paint, notebook),
        );
      }
      if (controller.signal.aborted) break;
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
  if (args.format === 'json') chunks.push(jsonText(json.length === 1 ? json[0] : json));
  writeOutput(chunks.join(args.format === 'text' ? '\n' : ''));
  return status;
}

function optionNames(message: string): string {
  return message
    .replace(/`gradientLens\.trace\.python`/g, '--python')
    .replace(/`gradientLens\.trace\.node`/g, '--node');
}

/** Set once stdout has failed: the reader has gone (EPIPE), or the write failed. */
let outputEnded: 'reader gone' | 'failed' | undefined;

function writeOutput(text: string): void {
  if (outputEnded !== undefined) return;
  try {
    process.stdout.write(text);
  } catch (err) {
    outputFailed(err as NodeJS.ErrnoException);
  }
}

/**
 * stdout's errors, mostly as events after run() returned. EPIPE means the reader has closed the
 * pipe (`| head -1`): it has read what it wanted, so gradlens stops writing and exits quietly
 * with the status the run earned. Anything else (ENOSPC on a full disk, EIO...) is a failure of
 * its own, status 3, so that it is never mistaken for "a lens failed".
 */
function outputFailed(err: NodeJS.ErrnoException): void {
  if (outputEnded !== undefined) return;
  if (err.code === 'EPIPE') {
    outputEnded = 'reader gone';
    return;
  }
  outputEnded = 'failed';
  process.stderr.write(`gradlens: cannot write the output: ${visible(err.message)}\n`);
  process.exitCode = EXIT.output;
}

function main(): void {
  process.stdout.on('error', outputFailed);
  // A message that cannot be written has nowhere else to go; the status still says what happened.
  process.stderr.on('error', () => undefined);
  const internalError = (err: unknown): number => {
    // A bug of ours, not the user's: one line, never a stack trace.
    process.stderr.write(`gradlens: internal error: ${visible(err instanceof Error ? err.message : String(err))}\n`);
    return EXIT.usage;
  };
  const finish = (status: number): void => {
    process.exitCode = outputEnded === 'failed' ? EXIT.output : status;
  };
  let status: number | Promise<number>;
  try {
    status = run(process.argv.slice(2));
  } catch (err) {
    status = internalError(err);
  }
  if (typeof status === 'number') finish(status);
  else status.then(finish, (err: unknown) => finish(internalError(err)));
}

main();
