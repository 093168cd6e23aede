// runTrace: runs the user's program under the bundled tracer and turns what it saw into lenses.
// The request goes into a fresh temporary folder (always removed), the interpreter runs in the
// workspace folder, the result is validated before anything reads it, and every failure becomes
// a message that says what to change. Never rejects and never throws: the extension host calls it.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { clip } from '../core/quote';
import type { Problem, Range } from '../core/types';
import { interpreterFor, missingModuleOf, moduleFailure, startFailure, type Interpreter } from './interpreter';
import {
  DEFAULT_GRAPH_NODE_LIMIT,
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_TRACE_TIMEOUT_MS,
  TRACE_PROTOCOL_VERSION,
  type TraceFailure,
  type TraceOutcome,
  type TraceRequest,
  type TraceResult,
  type TraceRun,
} from './protocol';
import { prepare, type Prepared } from './sites';
import { spawnTracer, type SpawnResult } from './spawnTracer';
import { toLenses } from './toLenses';
import { MAX_RESULT_BYTES, validateResultText } from './validateResult';

/** Between the tracer's own deadline and our SIGTERM: the tracer stops itself first and writes its result. */
const DEADLINE_MARGIN_MS = 1000;
/** Between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 3000;

export async function runTrace(run: TraceRun, signal?: AbortSignal): Promise<TraceOutcome> {
  const started = Date.now();
  try {
    return await trace(run, signal, started);
  } catch (err) {
    // Our own bug: a message, never an exception into the host.
    return failed(started, String(run.interpreter ?? ''), {
      kind: 'no-result',
      message: `the trace failed: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
}

async function trace(run: TraceRun, signal: AbortSignal | undefined, started: number): Promise<TraceOutcome> {
  const prepared = prepare(run);
  const interpreter = interpreterFor(run, prepared.language);
  if (run.cells !== undefined && prepared.language !== 'python')
    return failed(started, interpreter.command, {
      kind: 'unsupported',
      message: 'trace mode runs the notebooks of Python kernels only',
    });
  if (prepared.sites.length === 0)
    return failed(started, interpreter.command, {
      kind: 'unsupported',
      message: `nothing to trace: no ${run.tag?.trim() || '@grad'} annotation in ${path.basename(run.file)}`,
    });
  if (!isFile(interpreter.tracer))
    return failed(started, interpreter.command, {
      kind: 'tracer-missing',
      message: `the bundled tracer is missing (${path.basename(interpreter.tracer)}): reinstall Gradient Lens`,
    });
  if (!isDirectory(run.cwd))
    return failed(started, interpreter.command, {
      kind: 'unsupported',
      message: `the folder to run in does not exist: ${run.cwd}`,
    });
  if (signal?.aborted) return { ...failed(started, interpreter.command), stopped: 'cancelled' };
  const timeoutMs = positive(run.timeoutMs, DEFAULT_TRACE_TIMEOUT_MS);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'gradlens-trace-'));
  try {
    const request: TraceRequest = {
      version: TRACE_PROTOCOL_VERSION,
      language: prepared.language,
      entry: run.file,
      units: prepared.units,
      sites: prepared.sites.map((s) => s.request),
      cwd: run.cwd,
      resultPath: path.join(dir, 'result.json'),
      historyLimit: positive(run.historyLimit, DEFAULT_HISTORY_LIMIT),
      graphNodeLimit: positive(run.graphNodeLimit, DEFAULT_GRAPH_NODE_LIMIT),
      timeoutMs,
    };
    const requestPath = path.join(dir, 'request.json');
    await fs.promises.writeFile(requestPath, JSON.stringify(request), { mode: 0o600 });
    const spawned = await spawnTracer(interpreter.command, [interpreter.tracer, requestPath], {
      cwd: run.cwd,
      env: childEnv(),
      timeoutMs: timeoutMs + DEADLINE_MARGIN_MS,
      graceMs: KILL_GRACE_MS,
      onOutput: run.onOutput,
      signal,
    });
    if (spawned.spawnError) return failed(started, interpreter.command, startFailure(interpreter, spawned.spawnError));
    const read = await readResult(request);
    return await outcome(prepared, interpreter, spawned, read, started);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The result file, validated; or why there is none. */
async function readResult(request: TraceRequest): Promise<{ result: TraceResult } | { missing: string }> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(request.resultPath);
  } catch {
    return { missing: 'the tracer wrote no result' };
  }
  if (stat.size > MAX_RESULT_BYTES)
    return { missing: `the result is larger than ${MAX_RESULT_BYTES / (1024 * 1024)} MiB, the most read` };
  const validated = validateResultText(await fs.promises.readFile(request.resultPath, 'utf8'), request);
  return validated.ok
    ? { result: validated.result }
    : { missing: `the tracer's result is invalid: ${validated.reason}` };
}

async function outcome(
  prepared: Prepared,
  interpreter: Interpreter,
  spawned: SpawnResult,
  read: { result: TraceResult } | { missing: string },
  started: number,
): Promise<TraceOutcome> {
  const stopped =
    spawned.stopped ??
    ('result' in read && read.result.stopped !== null
      ? read.result.stopped
      : spawned.exitSignal !== null
        ? 'signal'
        : undefined);
  const base: TraceOutcome = {
    lenses: [],
    stdout: spawned.stdout,
    stderr: spawned.stderr,
    durationMs: Date.now() - started,
    finished: false,
    interpreter: interpreter.command,
    torch: null,
    ...(stopped ? { stopped } : {}),
    ...(prepared.magics && prepared.magics.length > 0 ? { magics: prepared.magics } : {}),
  };
  if (!('result' in read)) {
    const module = missingModuleInOutput(spawned.stderr);
    base.failure = module
      ? moduleFailure(interpreter, module, '')
      : {
          kind: read.missing.includes('invalid') ? 'invalid-result' : 'no-result',
          message: noResultMessage(read.missing, spawned, interpreter),
        };
    return base;
  }
  const result = read.result;
  const error = result.error;
  const errorAt = error ? errorProblem(prepared, error) : undefined;
  base.finished = result.finished;
  base.interpreter = result.interpreter || interpreter.command;
  base.torch = result.torch;
  base.lenses = await toLenses(prepared, result, {
    at: Date.now(),
    ...(stopped ? { stopped } : {}),
    ...(error
      ? { error: `${error.type}${errorAt && !outsideFile(errorAt) ? ` at ${where(errorAt.range)}` : ''}` }
      : {}),
  });
  if (errorAt) base.error = errorAt;
  const module = error ? missingModuleOf(error.type, error.message) : undefined;
  if (module) {
    base.failure = moduleFailure(interpreter, module, result.interpreter);
    if (base.error) base.error.message = `${base.error.message}: ${base.failure.message}`;
  }
  return base;
}

/** The exception as a problem at the raising line (the whole line, from its first non-blank). */
function errorProblem(prepared: Prepared, error: NonNullable<TraceResult['error']>): Problem {
  const text = `${error.type}: ${clip(error.message.split(/\r?\n/)[0] ?? '', 300)}`;
  const notebook = prepared.sites.some((s) => s.cell !== undefined) || prepared.units.length > 1;
  const lines = error.unit === null ? undefined : prepared.lines[error.unit];
  if (error.unit === null || error.line === null || !lines || error.line >= lines.lineCount) {
    // Raised in code that is not the user's file (a library, the interpreter): at the file's top.
    const top: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (notebook) top.cell = 0;
    return {
      code: 'trace-error',
      severity: 'error',
      message: `the program raised ${text} ${OUTSIDE}`,
      range: top,
    };
  }
  const start = lines.lineStart(error.line);
  const end = error.line + 1 < lines.lineCount ? lines.lineStart(error.line + 1) : lines.text.length;
  const lineText = lines.text.slice(start, end).replace(/[\r\n]+$/, '');
  const indent = lineText.length - lineText.trimStart().length;
  const range: Range = {
    start: { line: error.line, character: indent },
    end: { line: error.line, character: lineText.length },
  };
  if (notebook) range.cell = error.unit;
  return { code: 'trace-error', severity: 'error', message: `the program raised ${text}`, range };
}

const OUTSIDE = '(in code outside this file)';

function outsideFile(problem: Problem): boolean {
  return problem.message.endsWith(OUTSIDE);
}

function where(range: Range): string {
  return range.cell === undefined
    ? `line ${range.start.line + 1}`
    : `cell ${range.cell + 1}, line ${range.start.line + 1}`;
}

function missingModuleInOutput(stderr: string): string | undefined {
  const python = /ModuleNotFoundError: No module named '([^']+)'/.exec(stderr);
  if (python) return python[1];
  const node = /Error: Cannot find (?:module|package) '([^']+)'/.exec(stderr);
  return node ? node[1] : undefined;
}

function noResultMessage(missing: string, spawned: SpawnResult, interpreter: Interpreter): string {
  const how =
    spawned.stopped === 'timeout'
      ? 'the run was stopped by the timeout'
      : spawned.stopped === 'cancelled'
        ? 'the run was cancelled'
        : spawned.exitSignal
          ? `${interpreter.name} was ended by ${spawned.exitSignal}`
          : `${interpreter.name} exited with status ${spawned.exitCode}`;
  const tail = spawned.stderr.trim().split(/\r?\n/).slice(-3).join(' | ');
  return `${missing} (${how})${tail ? `: ${clip(tail, 400)}` : ''}`;
}

function failed(started: number, interpreter: string, failure?: TraceFailure): TraceOutcome {
  return {
    lenses: [],
    stdout: '',
    stderr: '',
    durationMs: Date.now() - started,
    finished: false,
    interpreter,
    torch: null,
    ...(failure ? { failure } : {}),
  };
}

/** The program's environment: the user's, headless matplotlib, no .pyc files written, unbuffered UTF-8 output. */
function childEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    MPLBACKEND: 'Agg',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    PYTHONIOENCODING: 'utf-8',
  };
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
