// The deadline. A program busy in a synchronous loop (`while (true) step()`) never runs a signal
// handler, so the runner's SIGTERM alone would end it without a result. A worker thread waits for
// the deadline, then asks the main thread, through the inspector (which interrupts even a busy
// loop), to write the result; then it ends the process as the runner's timeout would (SIGTERM).

import * as inspector from 'inspector';

export const WATCHDOG_ROLE = 'gradlens-watchdog';

export interface WatchdogData {
  role: typeof WATCHDOG_ROLE;
  timeoutMs: number;
}

export function runWatchdog(data: WatchdogData, stopGlobal: string): void {
  setTimeout(() => {
    const session = new inspector.Session();
    session.connectToMainThread();
    session.post('Runtime.evaluate', { expression: `globalThis.${stopGlobal}()` }, () => {
      session.disconnect();
      // Our SIGTERM handler is gone: the default action ends the process. A handler of the
      // program's own cannot run while its loop is busy, so SIGKILL follows if it is still alive.
      process.kill(process.pid, 'SIGTERM');
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 500);
    });
  }, data.timeoutMs);
}
