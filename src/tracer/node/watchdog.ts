// The deadline. A program busy in a synchronous loop (`while (true) step()`) never runs a signal
// handler, so the runner's SIGTERM alone would end it without a result. A worker thread waits for
// the deadline, then asks the main thread, through the inspector (which interrupts even a busy
// loop), to write the result; the main thread answers through shared memory (an inspector reply
// would wait for its loop to be free), and the worker disconnects and ends the process.

import * as inspector from 'inspector';

export const WATCHDOG_ROLE = 'gradlens-watchdog';

/** What the main thread stores in the flag once the result is written. */
export const STOP_CODES = { pending: 0, sigterm: 1, sigkill: 2 } as const;

export interface WatchdogData {
  role: typeof WATCHDOG_ROLE;
  timeoutMs: number;
  /** One Int32 over a SharedArrayBuffer: STOP_CODES. */
  flag: Int32Array;
}

/** How long the main thread may take to measure the sites and write the result. */
const WRITE_GRACE_MS = 10_000;

export function runWatchdog(data: WatchdogData, stopGlobal: string): void {
  setTimeout(() => {
    const session = new inspector.Session();
    session.connectToMainThread();
    session.post('Runtime.evaluate', { expression: `globalThis.${stopGlobal}()` });
    Atomics.wait(data.flag, 0, STOP_CODES.pending, WRITE_GRACE_MS);
    session.disconnect();
    process.kill(process.pid, Atomics.load(data.flag, 0) === STOP_CODES.sigkill ? 'SIGKILL' : 'SIGTERM');
  }, data.timeoutMs);
}
