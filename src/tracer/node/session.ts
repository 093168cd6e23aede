// The run's end, however it comes: the program's normal end, process.exit(), an uncaught exception
// (Node prints it and exits with its usual code; the 'exit' event comes first), SIGTERM/SIGINT/
// SIGHUP, or the watchdog's timeout. Each writes the result to resultPath, and nothing else is
// written anywhere.

import * as fs from 'fs';
import { tracedError } from './errors';
import { measureSite } from './measure';
import type { Recorder } from './recorder';
import type { Request, TracedError, TraceResult } from './wire';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

export class Session {
  private error: TracedError | null = null;
  private stopped: TraceResult['stopped'] = null;
  private readonly unitNames: string[];
  private readonly onSignal = (signal: NodeJS.Signals) => this.signalled(signal);

  constructor(
    private readonly request: Request,
    private readonly recorder: Recorder,
  ) {
    this.unitNames = request.units.map((unit) => unit.name);
  }

  install(): void {
    process.on('uncaughtExceptionMonitor', (err) => {
      // Fatal only when the program has no handler of its own.
      if (process.listenerCount('uncaughtException') === 0) this.fail(err);
    });
    process.on('exit', () => this.write());
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
  }

  /** An exception that ends the program (also one thrown before it could start, e.g. a syntax error). */
  fail(err: unknown): void {
    this.error ??= tracedError(err, this.unitNames);
  }

  /**
   * The watchdog's deadline (called through the inspector, maybe in the middle of a busy loop):
   * write the result. Returns the signal that ends the process as the runner's timeout would:
   * SIGTERM, or SIGKILL when the program handles SIGTERM itself (its handler could not run while
   * its loop is busy).
   */
  timeout(): 'SIGTERM' | 'SIGKILL' {
    this.stopped = 'timeout';
    this.write();
    for (const signal of SIGNALS) process.removeListener(signal, this.onSignal);
    return process.listenerCount('SIGTERM') === 0 ? 'SIGTERM' : 'SIGKILL';
  }

  private signalled(signal: NodeJS.Signals): void {
    this.stopped ??= 'signal';
    this.write();
    process.removeListener(signal, this.onSignal);
    // Untraced, the signal would have ended the program unless it handles the signal itself.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }

  /** Writes the result (again, if the program goes on after a signal it handles). */
  write(): void {
    const result: TraceResult = {
      version: 1,
      finished: this.stopped === null && this.error === null,
      stopped: this.stopped,
      interpreter: `Node ${process.version}`,
      torch: null,
      error: this.error,
      sites: this.request.sites.map((site) =>
        measureSite(site, this.recorder.records[site.id], this.request.graphNodeLimit),
      ),
    };
    try {
      fs.writeFileSync(this.request.resultPath, JSON.stringify(result));
    } catch {
      // The runner reports a missing result; the program's own exit must not change.
    }
  }
}
