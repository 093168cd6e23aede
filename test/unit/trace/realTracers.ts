// The real tracers for the unit tests that run them (endToEnd, statementCheckTraced): runTrace on a
// fixture with Debian's python3 and the bundled Python tracer, or node and the built Node tracer
// (dist/tracer/node.js, built by `npm run test:unit` before the tests).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { TraceOutcome, TraceRun } from '../../../src/trace/protocol';
import { runTrace } from '../../../src/trace/runner';

export const ROOT = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures/trace');
export const DIST_TRACERS = path.join(ROOT, 'dist/tracer');
/** The Python tracer is copied verbatim into dist/tracer by the build; its source serves before a build. */
export const PYTHON_TRACERS = fs.existsSync(path.join(DIST_TRACERS, 'gradlens_tracer.py'))
  ? DIST_TRACERS
  : path.join(ROOT, 'src/tracer/python');

/** Whether `command --version` runs here (python3 may be missing; the tests then skip). */
export function works(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** runTrace on `file` from the repository root, its language from its extension. */
export function traceFile(file: string, extra: Partial<TraceRun> = {}): Promise<TraceOutcome> {
  const ext = path.extname(file);
  const language = ext === '.py' ? 'python' : ext === '.ts' ? 'typescript' : 'javascript';
  return runTrace({
    file,
    language,
    text: fs.readFileSync(file, 'utf8'),
    cwd: ROOT,
    tracerDir: language === 'python' ? PYTHON_TRACERS : DIST_TRACERS,
    timeoutMs: 20_000,
    ...extra,
  });
}
