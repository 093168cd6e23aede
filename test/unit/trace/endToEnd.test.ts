// runTrace with the real tracers on the trace fixtures (test/fixtures/trace/): Debian's python3
// and the bundled Python tracer; node and the built Node tracer (dist/tracer/node.js, built by
// `npm run test:unit` before the tests). Values, gradients, the engine check, exceptions, sites
// never reached, the timeout, notebooks, and the program's output unchanged by the trace.
import { execFileSync } from 'child_process';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { TraceOutcome, TracedLens } from '../../../src/trace/protocol';
import { DIST_TRACERS, FIXTURES, PYTHON_TRACERS, ROOT, traceFile, works } from './realTracers';
import { runTrace } from '../../../src/trace/runner';

function lensAt(outcome: TraceOutcome, line: number): TracedLens {
  const lens = outcome.lenses.find((l) => l.line === line - 1);
  assert.ok(lens, `a lens on line ${line}: ${outcome.lenses.map((l) => l.line + 1).join(', ')}`);
  return lens;
}

function close(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);
}

/**
 * The composite_ops fixtures (Python and JavaScript alike): a right sigmoid, `c ** x` and `a ** b`
 * agree; a sigmoid whose derivative is s disagrees with both numbers; a negative base is skipped.
 */
function checkComposites(outcome: TraceOutcome, lines: { right: number[]; lazy: number; negative: number }): void {
  assert.strictEqual(outcome.failure, undefined);
  for (const line of lines.right) {
    const lens = lensAt(outcome, line);
    const check = lens.trace.engineCheck!;
    assert.strictEqual(check.status, 'agrees', `line ${line}: ${JSON.stringify(check)}`);
    assert.ok(lens.gradcheck?.ok, `line ${line}: central differences agree`);
    assert.ok(check.entries.some((e) => e.name === 'w'));
    assert.deepStrictEqual(
      lens.problems.filter((p) => p.severity !== 'info'),
      [],
    );
  }
  const lazy = lensAt(outcome, lines.lazy);
  const check = lazy.trace.engineCheck!;
  assert.strictEqual(check.status, 'disagrees');
  const x = check.entries.find((e) => e.name === 'x')!;
  const s = 1 / (1 + Math.exp(-0.7));
  close(x.user, 3 * s, "the user's gradient (3·s)");
  close(x.engine, 3 * s * (1 - s), 'the true gradient (3·s·(1 − s))');
  assert.ok(Math.abs(x.numeric! - x.engine) < 1e-6);
  const warning = lazy.problems.find((p) => p.code === 'engine-check')!;
  assert.match(warning.message, /∂z\/∂x: yours 2\.004563, bundled engine 0\.665139, central difference 0\.665139/);
  assert.strictEqual(check.likelyCause?.bug, 'sigmoid-derivative');
  assert.match(warning.message, /likely cause: sigmoid’s derivative is taken as s instead of s·\(1 − s\)/);
  const negative = lensAt(outcome, lines.negative).trace.engineCheck!;
  assert.strictEqual(negative.status, 'skipped');
  assert.match(negative.reason!, /a power with a Value exponent whose base is -2: .*needs a base > 0/);
}

describe('trace: end to end with the Python tracer', function () {
  this.timeout(60_000);
  const py = (name: string) => path.join(FIXTURES, 'python', name);

  before(function () {
    if (!works('python3')) this.skip();
  });

  it('names the `=` instead of `+=` bug, with both numbers', async () => {
    const outcome = await traceFile(py('assign_bug.py'));
    assert.strictEqual(outcome.failure, undefined);
    const lens = lensAt(outcome, 49);
    assert.strictEqual(lens.value, 3);
    const check = lens.trace.engineCheck!;
    assert.strictEqual(check.status, 'disagrees');
    assert.strictEqual(check.likelyCause?.bug, 'assign-instead-of-accumulate');
    const a = check.entries.find((e) => e.name === 'a')!;
    assert.deepStrictEqual([a.user, a.engine], [3, 4]);
    close(a.numeric, 4, 'central difference');
    const warning = lens.problems.find((p) => p.code === 'engine-check')!;
    assert.strictEqual(warning.severity, 'warning');
    assert.match(warning.message, /∂d\/∂a: yours 3\.000000, bundled engine 4\.000000/);
    assert.deepStrictEqual(warning.range, lens.tagRange);
  });

  it('names a wrong tanh derivative and a wrong pow derivative, one site each', async () => {
    const outcome = await traceFile(py('bugs/derivative_bugs.py'));
    assert.strictEqual(lensAt(outcome, 69).trace.engineCheck?.likelyCause?.bug, 'tanh-derivative');
    assert.strictEqual(lensAt(outcome, 70).trace.engineCheck?.likelyCause?.bug, 'pow-derivative-n-x-n');
  });

  it('names a backward pass without topological order', async () => {
    const outcome = await traceFile(py('bugs/no_topo_bug.py'));
    const check = lensAt(outcome, 44).trace.engineCheck!;
    assert.strictEqual(check.likelyCause?.bug, 'no-topological-order');
    const a = check.entries.find((e) => e.name === 'a')!;
    assert.match(outcome.stdout, new RegExp(`a\\.grad ${a.user!.toFixed(3)}`), "the user's own number, as printed");
    close(a.engine, 1.612, 'the true gradient');
  });

  it("checks an engine's own sigmoid, `2 ** x` (__rpow__) and a Value exponent", async () => {
    checkComposites(await traceFile(py('composite_ops.py')), { right: [94, 96], lazy: 101, negative: 107 });
  });

  it('reads a factory-style engine (no class named Value): the lecture neuron', async () => {
    const outcome = await traceFile(py('factory_engine.py'));
    const lens = lensAt(outcome, 77);
    close(lens.value, Math.SQRT1_2, 'o');
    const grad = (name: string) => lens.variables.find((v) => v.name === name)?.grad;
    assert.ok(Math.abs(grad('x1')! + 1.5) < 1e-9 && Math.abs(grad('w1')! - 1) < 1e-9);
    assert.strictEqual(lens.trace.engineCheck?.status, 'agrees');
    assert.ok(lens.gradcheck?.ok);
    assert.deepStrictEqual(
      lens.problems.filter((p) => p.severity !== 'info'),
      [],
    );
  });

  it('sites never reached say so (info), the reached one has its value', async () => {
    const outcome = await traceFile(py('never_reached.py'));
    for (const line of [6, 12]) {
      const lens = lensAt(outcome, line);
      assert.strictEqual(lens.trace.reached, false);
      assert.strictEqual(lens.value, null);
      assert.deepStrictEqual(
        lens.problems.map((p) => [p.code, p.severity]),
        [['trace-unreached', 'info']],
      );
    }
    assert.strictEqual(lensAt(outcome, 13).value, 1);
  });

  it('an exception midway: an error at the raising line, the site keeps its last value and history', async () => {
    const outcome = await traceFile(py('raises_midway.py'));
    assert.strictEqual(outcome.finished, false);
    assert.strictEqual(outcome.error?.code, 'trace-error');
    assert.match(outcome.error!.message, /ZeroDivisionError/);
    const source = fs.readFileSync(py('raises_midway.py'), 'utf8').split('\n');
    assert.match(source[outcome.error!.range.start.line], /\//, 'the raising line divides');
    const lens = lensAt(outcome, 7);
    assert.strictEqual(lens.trace.executions, 4);
    assert.strictEqual(lens.trace.history.length, 4);
    assert.strictEqual(lens.value, lens.trace.history[3]);
  });

  it('a program that runs forever is stopped at the timeout, with what it had', async () => {
    const started = Date.now();
    const outcome = await traceFile(py('runs_forever.py'), { timeoutMs: 1500 });
    assert.strictEqual(outcome.stopped, 'timeout');
    assert.ok(Date.now() - started < 1500 + 15_000, `took ${Date.now() - started} ms`);
    const lens = outcome.lenses[0];
    assert.ok(lens.trace.executions > 0);
    assert.ok(lens.trace.history.length <= 1000 * 2);
  });

  it('a training loop: the loss over 20 steps, gradients that agree, and output exactly as untraced', async () => {
    const file = py('train_mlp.py');
    const outcome = await traceFile(file);
    const untraced = execFileSync('python3', [file], { cwd: ROOT, encoding: 'utf8' });
    assert.strictEqual(outcome.stdout, untraced);
    const loss = lensAt(outcome, 61);
    assert.strictEqual(loss.trace.executions, 20);
    assert.strictEqual(loss.trace.history.length, 20);
    assert.ok(loss.trace.history[19]! < loss.trace.history[0]!, 'the loss goes down');
    assert.strictEqual(loss.trace.engineCheck?.status, 'agrees');
    assert.ok(loss.graph && loss.graph.nodes.length > 100);
    assert.strictEqual(loss.graph.nodes[loss.graph.output].data, loss.value);
  });

  it('the lecture notebook: cells in order, a magic blanked and reported, lenses in their cells', async () => {
    const file = py('lecture.ipynb');
    const notebook = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      cells: { cell_type: string; source: string | string[] }[];
    };
    const cells = notebook.cells
      .filter((c) => c.cell_type === 'code')
      .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
    const outcome = await runTrace({ file, language: 'python', cells, cwd: ROOT, tracerDir: PYTHON_TRACERS });
    assert.strictEqual(outcome.failure, undefined);
    assert.ok(outcome.magics && outcome.magics.length > 0);
    assert.ok(outcome.lenses.length >= 2);
    for (const lens of outcome.lenses) {
      assert.ok(lens.trace.cell !== undefined);
      assert.strictEqual(lens.trace.reached, true);
      assert.strictEqual(lens.trace.engineCheck?.status, 'agrees');
      assert.match(cells[lens.trace.cell!].split(/\r?\n/)[lens.line], /@grad/);
    }
  });
});

describe('trace: end to end with the Node tracer', function () {
  this.timeout(60_000);
  const ts = (name: string) => path.join(FIXTURES, 'ts', name);

  before(function () {
    if (!works('node') || !fs.existsSync(path.join(DIST_TRACERS, 'node.js'))) this.skip();
  });

  it('names the `=` bug in a JavaScript engine', async () => {
    const outcome = await traceFile(ts('assign_bug.js'));
    const lens = outcome.lenses.find((l) => l.trace.engineCheck?.status === 'disagrees');
    assert.ok(lens, JSON.stringify(outcome.lenses.map((l) => l.trace.engineCheck)));
    assert.strictEqual(lens.trace.engineCheck?.likelyCause?.bug, 'assign-instead-of-accumulate');
  });

  it("checks an engine's own sigmoid, a `3**` node and a Value exponent", async () => {
    checkComposites(await traceFile(ts('composite_ops.js')), { right: [94, 96], lazy: 101, negative: 107 });
  });

  it('a TypeScript exception: an error at the raising line, the later site not reached', async () => {
    const outcome = await traceFile(ts('throws.ts'));
    const source = fs.readFileSync(ts('throws.ts'), 'utf8').split('\n');
    assert.match(source[outcome.error!.range.start.line], /throw/);
    assert.ok(outcome.lenses.some((l) => !l.trace.reached));
    assert.ok(outcome.lenses.some((l) => l.trace.reached && l.trace.executions > 1));
  });
});
