// The trace runner in VS Code for the Web: there is no process to run the user's program in, so
// the command says so. Replaces traceRunner.ts in the web build (see esbuild.js).
import type { TraceOutcome, TraceRun } from '../../trace/protocol';
import type { TraceRunner } from './traceRunner';

const WHY =
  'Trace Gradients runs your program with Python or Node.js, which VS Code for the Web cannot start. Open the folder in desktop VS Code to trace it; the lenses from the static analysis work here.';

export const traceRunner: TraceRunner = {
  unavailable: WHY,
  run: (_run: TraceRun, _signal: AbortSignal): Promise<TraceOutcome> => Promise.reject(new Error(WHY)),
};
