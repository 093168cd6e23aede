// Runs the tracer as a child process: its output streamed and kept, a timeout and an AbortSignal
// that both stop it the same way (SIGTERM, so the tracer can still write what it has, then
// SIGKILL after a grace period), and the child's own children stopped with it. Never rejects:
// a spawn failure (a missing interpreter) comes back as `spawnError`.

import { spawn, type ChildProcess } from 'child_process';
import { StringDecoder } from 'string_decoder';
import { MAX_KEPT_OUTPUT, type OutputStream } from './protocol';

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL. */
  graceMs: number;
  onOutput?: (chunk: string, stream: OutputStream) => void;
  signal?: AbortSignal;
}

export interface SpawnResult {
  exitCode: number | null;
  /** The signal that ended the child, if one did. */
  exitSignal: NodeJS.Signals | null;
  /** Why we stopped it, if we did. */
  stopped?: 'timeout' | 'cancelled';
  /** Set when the child could not be started (ENOENT, EACCES…). */
  spawnError?: NodeJS.ErrnoException;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** After the child exits, how long its output pipes may stay open (a grandchild holding them) before we stop waiting. */
const PIPE_DRAIN_MS = 1000;

export function spawnTracer(command: string, args: string[], options: SpawnOptions): Promise<SpawnResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const kept = { stdout: new Kept(), stderr: new Kept() };
    let stopped: SpawnResult['stopped'];
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    let child: ChildProcess;
    const finish = (result: Omit<SpawnResult, 'stdout' | 'stderr' | 'durationMs' | 'stopped'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(killTimer);
      clearTimeout(drainTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        ...result,
        ...(stopped ? { stopped } : {}),
        stdout: kept.stdout.text(),
        stderr: kept.stderr.text(),
        durationMs: Date.now() - started,
      });
    };
    const stop = (why: 'timeout' | 'cancelled'): void => {
      if (settled || stopped) return;
      stopped = why;
      signalGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child, 'SIGKILL'), options.graceMs);
    };
    const onAbort = (): void => stop('cancelled');
    const timeout = setTimeout(() => stop('timeout'), options.timeoutMs);
    try {
      child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so that stopping it also stops what the program started.
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
    } catch (err) {
      // spawn throws synchronously for bad arguments (e.g. a NUL in the command).
      finish({ exitCode: null, exitSignal: null, spawnError: err as NodeJS.ErrnoException });
      return;
    }
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort);
    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      const deliver = (text: string): void => {
        if (text === '') return;
        kept[stream].add(text);
        try {
          options.onOutput?.(text, stream);
        } catch {
          // A listener's failure is its own; the run goes on.
        }
      };
      child[stream]?.on('data', (chunk: Buffer) => deliver(decoder.write(chunk)));
      child[stream]?.on('end', () => deliver(decoder.end()));
    }
    child.on('error', (err: NodeJS.ErrnoException) => {
      // Only a failure to start ends the run here; a failed kill() of a live child does not.
      if (child.pid === undefined) finish({ exitCode: null, exitSignal: null, spawnError: err });
    });
    child.on('exit', (code, signal) => {
      // 'close' follows once the pipes are drained; a grandchild that keeps them open must not hang us.
      drainTimer = setTimeout(() => {
        signalGroup(child, 'SIGKILL');
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish({ exitCode: code, exitSignal: signal });
      }, PIPE_DRAIN_MS);
    });
    child.on('close', (code, signal) => finish({ exitCode: code, exitSignal: signal }));
  });
}

/** Signals the child's process group (POSIX), else the child alone; a child already gone is fine. */
function signalGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (!child || child.pid === undefined) return;
  try {
    if (process.platform !== 'win32') process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** The last MAX_KEPT_OUTPUT characters of a stream, with a marker for what was cut. */
class Kept {
  private parts: string[] = [];
  private length = 0;
  private cut = 0;

  add(text: string): void {
    this.parts.push(text);
    this.length += text.length;
    if (this.length > 2 * MAX_KEPT_OUTPUT) this.trim();
  }

  private trim(): void {
    const all = this.parts.join('');
    const drop = all.length - MAX_KEPT_OUTPUT;
    this.cut += drop;
    this.parts = [all.slice(drop)];
    this.length = MAX_KEPT_OUTPUT;
  }

  text(): string {
    if (this.length > MAX_KEPT_OUTPUT) this.trim();
    const text = this.parts.join('');
    return this.cut > 0 ? `[… ${this.cut} earlier characters not kept …]\n${text}` : text;
  }
}
