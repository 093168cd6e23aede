// The mocha runner that VS Code loads into the extension host through `extensionTestsPath`.
// The same `run()` serves both ways of running the suite:
//  - the real VS Code server (code-server) driven by Chromium (test/harness/run-host-tests.js):
//    the browser page does not see the result, so every test event is appended as one JSON line
//    to a results file that the harness reads, live;
//  - @vscode/test-electron (`npm run test:electron`): mocha's spec report on the console, and
//    the promise's outcome is the exit code.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** Set by the harness; otherwise the results go to a fixed place under test-results/. */
export const RESULTS_ENV = 'GRADIENT_LENS_TEST_RESULTS';
/** Optional mocha --grep pattern, to run one test. */
export const GREP_ENV = 'GRADIENT_LENS_TEST_GREP';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const defaultResultsFile = path.join(repoRoot, 'test-results', 'extension-host', 'results.jsonl');

/** One line of the results file. */
export type ResultEvent =
  | { event: 'start'; files: string[] }
  | { event: 'suite'; title: string; depth: number }
  | { event: 'pass'; title: string; fullTitle: string; depth: number; duration: number }
  | { event: 'pending'; title: string; fullTitle: string; depth: number }
  | { event: 'fail'; title: string; fullTitle: string; depth: number; message: string; stack: string }
  | { event: 'end'; passes: number; failures: number; pending: number; tests: number; duration: number }
  | { event: 'error'; message: string; stack: string };

class ResultsFile {
  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
  }
  write(e: ResultEvent): void {
    fs.appendFileSync(this.file, JSON.stringify(e) + '\n');
  }
}

/** Every compiled spec under this folder, so each helper's test/suite/*.test.ts is picked up. */
function findSpecs(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

function depthOf(test: Mocha.Runnable | Mocha.Suite): number {
  let depth = 0;
  for (let s = test.parent; s && !s.root; s = s.parent) depth++;
  return depth;
}

function errorText(err: unknown): { message: string; stack: string } {
  const e = err as { message?: string; stack?: string } | undefined;
  return { message: String(e?.message ?? err), stack: String(e?.stack ?? '') };
}

/** Streams each mocha event to the results file as it happens, so a hang shows where it is. */
function record(runner: Mocha.Runner, out: ResultsFile): void {
  const started = Date.now();
  runner.on('suite', (s) => {
    if (!s.root) out.write({ event: 'suite', title: s.title, depth: depthOf(s) });
  });
  runner.on('pass', (t) =>
    out.write({
      event: 'pass',
      title: t.title,
      fullTitle: t.fullTitle(),
      depth: depthOf(t),
      duration: t.duration ?? 0,
    }),
  );
  runner.on('pending', (t) =>
    out.write({ event: 'pending', title: t.title, fullTitle: t.fullTitle(), depth: depthOf(t) }),
  );
  runner.on('fail', (t, err) =>
    out.write({ event: 'fail', title: t.title, fullTitle: t.fullTitle(), depth: depthOf(t), ...errorText(err) }),
  );
  runner.on('end', () => {
    const s = runner.stats;
    out.write({
      event: 'end',
      passes: s?.passes ?? 0,
      failures: s?.failures ?? 0,
      pending: s?.pending ?? 0,
      tests: s?.tests ?? 0,
      duration: Date.now() - started,
    });
  });
}

export function run(): Promise<void> {
  const out = new ResultsFile(process.env[RESULTS_ENV] || defaultResultsFile);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, reporter: 'spec' });
  const grep = process.env[GREP_ENV];
  if (grep) mocha.grep(grep);
  return new Promise<void>((resolve, reject) => {
    try {
      const files = findSpecs(__dirname);
      files.forEach((f) => mocha.addFile(f));
      out.write({ event: 'start', files: files.map((f) => path.relative(repoRoot, f)) });
      const runner = mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else resolve();
      });
      record(runner, out);
    } catch (err) {
      out.write({ event: 'error', ...errorText(err) });
      reject(err);
    }
  });
}
