// The Node tracer: `node dist/tracer/node.js request.json`, started by the runner (src/trace/).
// It runs the request's entry unit as Node would run the file (its real filename, `require.main`,
// its own imports resolved by Node's loader), with probes at the `@grad` sites, and writes the
// result JSON to the request's resultPath at the end. The program's output is left untouched.

import * as fs from 'fs';
import * as path from 'path';
import { isMainThread, Worker, workerData } from 'worker_threads';
import { instrument } from './instrument';
import { installLoader, loader, type VirtualModules } from './loader';
import { PROBE_GLOBAL } from './probes';
import { Recorder } from './recorder';
import { Session } from './session';
import { identifiers } from './sourceNames';
import { TEST_GLOBAL_NAMES, TestStandIns } from './testStandIns';
import { runWatchdog, STOP_CODES, WATCHDOG_ROLE, type WatchdogData } from './watchdog';
import type { Request } from './wire';

/** The global the watchdog calls (through the inspector) when the deadline comes. */
const STOP_GLOBAL = '__gradlensStop';

if (!isMainThread && (workerData as WatchdogData | undefined)?.role === WATCHDOG_ROLE) {
  runWatchdog(workerData as WatchdogData, STOP_GLOBAL);
} else if (isMainThread) {
  main();
}

function main(): void {
  const requestPath = process.argv[2];
  if (!requestPath) {
    process.stderr.write('usage: node node.js REQUEST.json\n');
    process.exit(2);
  }
  const request = JSON.parse(fs.readFileSync(requestPath, 'utf8')) as Request;
  const unit = request.units[0];
  const filename = unit.name;
  const sites = request.sites.filter((site) => site.unit === 0);
  const recorder = new Recorder(
    Math.max(0, ...request.sites.map((site) => site.id + 1)),
    request.historyLimit,
    request.graphNodeLimit,
  );
  Object.defineProperty(globalThis, PROBE_GLOBAL, { value: recorder.api(), enumerable: false });
  const session = new Session(request, recorder);
  session.install();
  if (typeof request.timeoutMs === 'number' && request.timeoutMs > 0) startWatchdog(request.timeoutMs, session);

  const standIns = testStandInsFor(unit.source);
  installLoader(standIns ? virtualTestModules(standIns) : {});
  // The program sees the argv and main module of `node FILE`.
  process.argv = [process.argv[0], filename];

  let code: string;
  try {
    code = instrument(unit.source, filename, sites).code;
  } catch (err) {
    // The user's own syntax error, found by the transpile: reported at its line, as Node would fail.
    if (err && typeof err === 'object') (err as { gradlensEntry?: boolean }).gradlensEntry = true;
    session.fail(err);
    process.stderr.write(`${filename}\n${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
    process.exitCode = 1;
    return;
  }
  const module = new loader(filename, null);
  module.id = '.';
  module.filename = filename;
  // The workspace folder's packages resolve even for a file outside it (after the file's own
  // node_modules chain, which Node searches first as always).
  const workspaceModules = request.cwd ? path.join(request.cwd, 'node_modules') : null;
  const ownPaths = loader._nodeModulePaths(path.dirname(filename));
  module.paths = workspaceModules && !ownPaths.includes(workspaceModules) ? [...ownPaths, workspaceModules] : ownPaths;
  loader._cache[filename] = module;
  (process as { mainModule?: unknown }).mainModule = module;
  module._compile(code, filename);
  module.loaded = true;
  if (standIns?.declared) void standIns.run();
}

/**
 * The stand-ins, as globals when the file uses a test global it does not define (jest's and
 * vitest's globals mode); null when it uses none.
 */
function testStandInsFor(source: string): TestStandIns | null {
  const used = new Set(identifiers(source).map((id) => id.name));
  if (!TEST_GLOBAL_NAMES.some((name) => used.has(name))) return null;
  const standIns = new TestStandIns();
  const globals = standIns.globals();
  for (const name of TEST_GLOBAL_NAMES) {
    if (used.has(name) && !(name in globalThis)) {
      Object.defineProperty(globalThis, name, { value: globals[name], writable: true, configurable: true });
    }
  }
  return standIns;
}

/** `import { test, expect } from 'vitest'` (or '@jest/globals') when the package is not installed. */
function virtualTestModules(standIns: TestStandIns): VirtualModules {
  const globals = standIns.globals();
  const exports = { ...globals, vi: undefined, jest: undefined };
  return { vitest: exports, '@jest/globals': exports };
}

function startWatchdog(timeoutMs: number, session: Session): void {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const stop = () => {
    const signal = session.timeout();
    Atomics.store(flag, 0, signal === 'SIGKILL' ? STOP_CODES.sigkill : STOP_CODES.sigterm);
    Atomics.notify(flag, 0);
  };
  Object.defineProperty(globalThis, STOP_GLOBAL, { value: stop, enumerable: false });
  const data: WatchdogData = { role: WATCHDOG_ROLE, timeoutMs, flag };
  new Worker(__filename, { workerData: data }).unref();
}
