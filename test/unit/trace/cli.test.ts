// `gradlens --trace` run as a process (dist/cli.js, built by `npm run test:unit` first) on the
// trace fixtures: the static report's JSON with `traced`, `executions` and the engine check; the
// program's own output on stderr; the exit statuses; the options' usage errors.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const TRACERS = path.join(ROOT, 'dist', 'tracer');

function gradlens(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: gradlens --trace', function () {
  this.timeout(90_000);

  before(function () {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build`);
    if (!fs.existsSync(path.join(TRACERS, 'node.js'))) this.skip();
  });

  it('--json: the static shape plus traced, executions, history and the engine check that names the bug', () => {
    const r = gradlens('--trace', '--json', 'test/fixtures/trace/ts/assign_bug.js');
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, /a\.grad -2/, "the program's output goes to stderr");
    const report = JSON.parse(r.stdout);
    assert.strictEqual(report.file, 'test/fixtures/trace/ts/assign_bug.js');
    assert.strictEqual(report.traced, true);
    assert.strictEqual(report.finished, true);
    assert.strictEqual(report.error, null);
    const [lens] = report.lenses;
    for (const key of ['line', 'target', 'value', 'variables', 'gradcheck', 'error', 'problems'])
      assert.ok(key in lens, `the static report's ${key}`);
    assert.strictEqual(lens.traced, true);
    assert.strictEqual(lens.executions, 1);
    assert.deepStrictEqual(lens.history, [lens.value]);
    assert.strictEqual(lens.engineCheck.status, 'disagrees');
    assert.strictEqual(lens.engineCheck.likelyCause.bug, 'assign-instead-of-accumulate');
    assert.ok(lens.problems.some((p: { code: string }) => p.code === 'engine-check'));
  });

  it('text: the static report, then how the run ended and the engine check per lens', () => {
    const r = gradlens('--trace', 'test/fixtures/trace/ts/assign_bug.js');
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /traced with Node v\d+/);
    assert.match(r.stdout, /1× run; engine check FAILED: likely assign-instead-of-accumulate/);
  });

  it('exit 1 when the program raises: the error at its line, the unreached site says so', () => {
    const r = gradlens('--trace', '--json', 'test/fixtures/trace/ts/throws.ts');
    assert.strictEqual(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.match(report.error.message, /RangeError/);
    assert.strictEqual(report.error.line, 5);
    assert.ok(report.lenses.some((l: { reached: boolean }) => !l.reached));
  });

  it('exit 1 at the timeout, with what the run had', () => {
    const r = gradlens('--trace', '--json', '--timeout', '1', 'test/fixtures/trace/ts/forever.ts');
    assert.strictEqual(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.strictEqual(report.stopped, 'timeout');
    assert.ok(report.lenses[0].executions > 0);
  });

  it('exit 2 with the option to fix it when the interpreter is missing', () => {
    const r = gradlens('--trace', '--node', 'no-such-node-gradlens', 'test/fixtures/trace/ts/assign_bug.js');
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /cannot trace .*assign_bug\.js: Node was not found: .* set --node to the interpreter/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('usage errors: the trace options without --trace, a bad timeout, stdin, a file it cannot run', () => {
    for (const args of [
      ['--python', 'python3', 'examples/micrograd_neuron.py'],
      ['--trace', '--timeout', '0', 'x.py'],
      ['--trace', '--timeout', 'soon', 'x.py'],
      ['--trace', '-'],
    ]) {
      const r = gradlens(...args);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^gradlens: /);
    }
    const r = gradlens('--trace', 'README.md');
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /cannot trace README\.md: not a \.py, \.js, \.ts/);
  });

  it('a Python file, when the Python tracer is built: the lecture engine, run from the repository root', function () {
    if (!fs.existsSync(path.join(TRACERS, 'gradlens_tracer.py'))) this.skip();
    const r = gradlens('--trace', '--json', 'test/fixtures/trace/python/factory_engine.py');
    assert.strictEqual(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.match(report.interpreter, /^Python 3/);
    assert.ok(report.lenses.every((l: { engineCheck: { status: string } }) => l.engineCheck.status === 'agrees'));
  });
});
