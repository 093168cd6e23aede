// The trace runner on the desktop extension host: src/trace/ spawns the user's interpreter. The
// web build replaces this file with traceRunner.web.ts (see esbuild.js), so src/trace/ and its
// Node built-ins never reach the web bundle.
import { runTrace } from '../../trace/runner';
import type { TraceOutcome, TraceRun } from '../../trace/protocol';

export interface TraceRunner {
  /** Why tracing cannot run in this extension host at all; undefined where it can. */
  readonly unavailable: string | undefined;
  run(run: TraceRun, signal: AbortSignal): Promise<TraceOutcome>;
}

export const traceRunner: TraceRunner = {
  unavailable: undefined,
  run: (run, signal) => runTrace(run, signal),
};
