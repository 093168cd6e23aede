// The runner with a real python3 and a tiny fake tracer written by the test into a temp folder:
// spawn, output, timeout, cancel, temp-folder cleanup, a missing interpreter, a missing module,
// and a result the runner must refuse. The real tracers have their own end-to-end tests.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { TraceRun } from '../../../src/trace/protocol';
import { runTrace } from '../../../src/trace/runner';

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A fake tracer: prints its request path (so the test can check the folder is gone), runs
 * `body` (Python with `req` the request), and writes `result` (a Python expression) to resultPath.
 */
function fakeTracer(dir: string, body: string): void {
  fs.writeFileSync(
    path.join(dir, 'gradlens_tracer.py'),
    [
      'import json, sys, os, time, signal',
      'req = json.load(open(sys.argv[1]))',
      'print("REQUEST " + sys.argv[1], flush=True)',
      'def site(i, n, value, graph=None, variables=()):',
      '    return {"id": i, "executions": n, "history": [value] * min(n, 3), "historyStride": 1,',
      '            "last": None if n == 0 else {"kind": "value", "value": value, "note": None,',
      '                                         "variables": list(variables), "graph": graph}}',
      'def write(result):',
      '    with open(req["resultPath"], "w") as f: json.dump(result, f)',
      'def result(sites, error=None, finished=True, stopped=None):',
      '    return {"version": 1, "finished": finished, "stopped": stopped, "interpreter": "Python fake",',
      '            "torch": None, "error": error, "sites": sites}',
      body,
      '',
    ].join('\n'),
  );
}

const PROGRAM = ['a = Value(2.0)', 'b = Value(-3.0)', 'c = a * b  # @grad', 'print(c)', ''].join('\n');

describe('trace: the runner (python3 and a fake tracer)', function () {
  this.timeout(30_000);
  let dir: string;
  let work: string;
  const python = hasPython();

  before(function () {
    if (!python) this.skip();
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-fake-tracer-'));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-work-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  const run = (extra: Partial<TraceRun> = {}): TraceRun => ({
    file: path.join(work, 'prog.py'),
    language: 'python',
    text: PROGRAM,
    cwd: work,
    tracerDir: dir,
    ...extra,
  });

  const requestDirOf = (stdout: string): string => path.dirname(/REQUEST (.*)/.exec(stdout)![1].trim());

  it('sends the sites from the core\u2019s scan, runs in the working folder, streams output, removes its temp folder', async () => {
    fakeTracer(
      dir,
      [
        'print("cwd=" + os.getcwd())',
        'print("env=" + os.environ.get("MPLBACKEND", "") + os.environ.get("PYTHONDONTWRITEBYTECODE", ""))',
        'print("site=" + json.dumps(req["sites"][0]), flush=True)',
        'sys.stderr.write("to stderr\\n")',
        'graph = {"root": 0, "nodes": [',
        '  {"id": 0, "data": -6.0, "grad": 1.0, "op": "*", "label": None, "children": [1, 2], "exponent": None},',
        '  {"id": 1, "data": 2.0, "grad": -3.0, "op": "", "label": "a", "children": [], "exponent": None},',
        '  {"id": 2, "data": -3.0, "grad": 2.0, "op": "", "label": "b", "children": [], "exponent": None}]}',
        'write(result([site(0, 1, -6.0, graph, [{"name": "a", "node": 1, "leaf": True}, {"name": "b", "node": 2, "leaf": True}])]))',
      ].join('\n'),
    );
    const chunks: string[] = [];
    const outcome = await runTrace(run({ onOutput: (chunk, stream) => chunks.push(`${stream}:${chunk}`) }));
    assert.strictEqual(outcome.failure, undefined, JSON.stringify(outcome.failure));
    assert.match(outcome.stdout, new RegExp(`cwd=${escape(fs.realpathSync(work))}`));
    assert.match(outcome.stdout, /env=Agg1/);
    const site = JSON.parse(/site=(.*)/.exec(outcome.stdout)![1]);
    assert.deepStrictEqual(site, {
      id: 0,
      unit: 0,
      start: 31,
      end: 40,
      line: 2,
      endLine: 2,
      form: 'assign',
      target: 'c',
      exprStart: 35,
      exprEnd: 40,
    });
    assert.strictEqual(PROGRAM.slice(site.start, site.end), 'c = a * b');
    assert.strictEqual(outcome.stderr, 'to stderr\n');
    assert.ok(chunks.some((c) => c.startsWith('stderr:')) && chunks.some((c) => c.startsWith('stdout:')));
    assert.ok(!fs.existsSync(requestDirOf(outcome.stdout)), 'the temp folder is removed');
    assert.strictEqual(outcome.finished, true);
    assert.strictEqual(outcome.interpreter, 'Python fake');
    const [lens] = outcome.lenses;
    assert.strictEqual(lens.value, -6);
    assert.strictEqual(lens.line, 2);
    assert.strictEqual(lens.target, 'c');
    assert.deepStrictEqual(
      lens.variables.map((v) => [v.name, v.value, v.grad]),
      [
        ['a', 2, -3],
        ['b', -3, 2],
      ],
    );
    assert.deepStrictEqual(lens.variables[0].occurrences, [
      { start: { line: 2, character: 4 }, end: { line: 2, character: 5 } },
    ]);
    assert.strictEqual(lens.trace.reached, true);
    assert.strictEqual(lens.trace.executions, 1);
    assert.strictEqual(lens.trace.engineCheck?.status, 'agrees');
    assert.deepStrictEqual(
      lens.graph?.nodes.map((n) => [n.op, n.label, n.children]),
      [
        ['', 'a', []],
        ['', 'b', []],
        ['*', 'c', [0, 1]],
      ],
    );
    assert.strictEqual(lens.graph?.output, 2);
  });

  it('stops a run at the timeout (SIGTERM, then SIGKILL) and still removes its temp folder', async () => {
    fakeTracer(dir, ['signal.signal(signal.SIGTERM, signal.SIG_IGN)', 'while True: time.sleep(0.05)'].join('\n'));
    const started = Date.now();
    const outcome = await runTrace(run({ timeoutMs: 300 }));
    const took = Date.now() - started;
    assert.strictEqual(outcome.stopped, 'timeout');
    assert.strictEqual(outcome.failure?.kind, 'no-result');
    assert.match(outcome.failure!.message, /timeout/);
    assert.ok(took < 10_000, `took ${took} ms`);
    assert.ok(!fs.existsSync(requestDirOf(outcome.stdout)));
  });

  it('keeps what a tracer writes when stopped by SIGTERM, and marks sites it never reached', async () => {
    fakeTracer(
      dir,
      [
        'def on_term(*_):',
        '    write(result([site(0, 0, None)], finished=False, stopped="signal"))',
        '    sys.exit(143)',
        'signal.signal(signal.SIGTERM, on_term)',
        'print("READY", flush=True)',
        'while True: time.sleep(0.05)',
      ].join('\n'),
    );
    const controller = new AbortController();
    // Cancelled once the handler is in place, however slow the interpreter is to start.
    const outcome = await runTrace(
      run({ timeoutMs: 20_000, onOutput: (chunk) => chunk.includes('READY') && controller.abort() }),
      controller.signal,
    );
    assert.strictEqual(outcome.stopped, 'cancelled');
    assert.strictEqual(outcome.failure, undefined);
    assert.strictEqual(outcome.lenses.length, 1);
    const [lens] = outcome.lenses;
    assert.strictEqual(lens.trace.reached, false);
    assert.strictEqual(lens.value, null);
    assert.strictEqual(lens.problems[0].code, 'trace-unreached');
    assert.strictEqual(lens.problems[0].severity, 'info');
    assert.match(lens.problems[0].message, /never reached this line: it was cancelled/);
    assert.ok(!fs.existsSync(requestDirOf(outcome.stdout)));
  });

  it('leaves nothing in the temp folder, whatever the ending: result, crash, invalid result, missing interpreter', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-tmpdir-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp; // os.tmpdir() reads it at each call
    try {
      for (const body of ['write(result([site(0, 1, 1.0)]))', 'raise SystemExit(3)', 'write({"version": 1})']) {
        fakeTracer(dir, body);
        const outcome = await runTrace(run());
        assert.ok(outcome.stdout.includes(tmp), 'the request was in the private temp folder');
      }
      await runTrace(run({ interpreter: path.join(work, 'missing-python') }));
      assert.deepStrictEqual(fs.readdirSync(tmp), []);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('keeps the last MiB of a long output (saying how much was cut), every multi-byte character whole', async () => {
    fakeTracer(
      dir,
      [
        'sys.stdout.write("\u20ac" * 1_500_000)',
        'sys.stdout.write("END")',
        'sys.stdout.flush()',
        'write(result([site(0, 0, None)]))',
      ].join('\n'),
    );
    let streamed = 0;
    const outcome = await runTrace(run({ onOutput: (chunk) => (streamed += chunk.length) }));
    assert.ok(outcome.stdout.endsWith('\u20acEND'));
    assert.match(outcome.stdout, /^\[… \d+ earlier characters not kept …\]\n/);
    assert.ok(outcome.stdout.length < 1024 * 1024 + 100);
    assert.doesNotMatch(outcome.stdout, /\ufffd/, 'no character split between chunks');
    assert.ok(streamed > 1_500_000, 'onOutput saw everything');
  });

  it('an AbortSignal already aborted runs nothing', async () => {
    fakeTracer(dir, 'write(result([site(0, 1, 1.0)]))');
    const controller = new AbortController();
    controller.abort();
    const outcome = await runTrace(run(), controller.signal);
    assert.strictEqual(outcome.stopped, 'cancelled');
    assert.strictEqual(outcome.stdout, '');
  });

  it('a missing interpreter is a clear message naming the setting', async () => {
    fakeTracer(dir, 'write(result([]))');
    const outcome = await runTrace(run({ interpreter: path.join(work, 'no-such-python') }));
    assert.strictEqual(outcome.failure?.kind, 'interpreter-missing');
    assert.strictEqual(outcome.failure?.setting, 'gradientLens.trace.python');
    assert.match(outcome.failure!.message, /Python was not found: `.*no-such-python` is not on PATH or does not exist/);
    assert.match(outcome.failure!.message, /gradientLens\.trace\.python/);
    const node = await runTrace({
      ...run({ interpreter: 'no-such-node-for-gradlens' }),
      language: 'typescript',
      file: path.join(work, 'x.ts'),
      text: 'const c = a.mul(b); // @grad\n',
    });
    // The node tracer is not in the fake folder: that is said first.
    assert.strictEqual(node.failure?.kind, 'tracer-missing');
    fs.writeFileSync(path.join(dir, 'node.js'), '');
    const node2 = await runTrace({
      ...run({ interpreter: 'no-such-node-for-gradlens' }),
      language: 'typescript',
      file: path.join(work, 'x.ts'),
      text: 'const c = a.mul(b); // @grad\n',
    });
    assert.strictEqual(node2.failure?.setting, 'gradientLens.trace.node');
    assert.match(node2.failure!.message, /Node was not found/);
  });

  it('a missing module is a message naming the module and the interpreter, and a problem at the import', async () => {
    fakeTracer(
      dir,
      'write(result([site(0, 0, None)], error={"type": "ModuleNotFoundError", "message": "No module named \'torchy\'", "unit": 0, "line": 0, "traceback": "…"}, finished=False))',
    );
    const outcome = await runTrace(run({ text: 'import torchy\n' + PROGRAM }));
    assert.strictEqual(outcome.failure?.kind, 'module-missing');
    assert.strictEqual(outcome.failure?.module, 'torchy');
    assert.match(outcome.failure!.message, /`torchy`, which Python fake \(`python3`\) does not have/);
    assert.match(outcome.failure!.message, /python3 -m pip install torchy/);
    assert.strictEqual(outcome.error?.code, 'trace-error');
    assert.deepStrictEqual(outcome.error?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 13 } });
    assert.match(outcome.lenses[0].problems[0].message, /stopped first \(ModuleNotFoundError at line 1\)/);
  });

  it('a tracer that crashes without a result: its stderr says why', async () => {
    fakeTracer(dir, 'import not_a_module_at_all_gl');
    const outcome = await runTrace(run());
    assert.strictEqual(outcome.failure?.kind, 'module-missing');
    assert.strictEqual(outcome.failure?.module, 'not_a_module_at_all_gl');
    fakeTracer(dir, 'raise SystemExit(7)');
    const crashed = await runTrace(run());
    assert.strictEqual(crashed.failure?.kind, 'no-result');
    assert.match(crashed.failure!.message, /wrote no result \(Python exited with status 7\)/);
  });

  it('refuses a result that breaks the protocol, saying where', async () => {
    fakeTracer(dir, 'write(result([site(0, 1, 1.0, {"root": 5, "nodes": []})]))');
    const outcome = await runTrace(run());
    assert.strictEqual(outcome.failure?.kind, 'invalid-result');
    assert.match(outcome.failure!.message, /sites\[0\]\.last\.graph\.nodes/);
    assert.deepStrictEqual(outcome.lenses, []);
  });

  it('an exception becomes an error at the raising line, other sites say they were not reached', async () => {
    const text = ['x = 1', 'c = 2  # @grad', '  ', '    1 / 0', 'd = 3  # @grad', ''].join('\n');
    fakeTracer(
      dir,
      'write(result([site(0, 1, 2.0), site(1, 0, None)], error={"type": "ZeroDivisionError", "message": "division by zero", "unit": 0, "line": 3, "traceback": ""}, finished=False))',
    );
    const outcome = await runTrace(run({ text }));
    assert.deepStrictEqual(outcome.error, {
      code: 'trace-error',
      severity: 'error',
      message: 'the program raised ZeroDivisionError: division by zero',
      range: { start: { line: 3, character: 4 }, end: { line: 3, character: 9 } },
    });
    assert.strictEqual(outcome.lenses[0].value, 2);
    assert.strictEqual(outcome.lenses[0].trace.kind, 'value');
    assert.strictEqual(outcome.lenses[1].trace.reached, false);
    assert.match(outcome.lenses[1].problems[0].message, /ZeroDivisionError at line 4/);
  });

  it('an exception raised outside the file is still a problem, at the top, saying so', async () => {
    fakeTracer(
      dir,
      'write(result([site(0, 0, None)], error={"type": "KeyError", "message": "\'x\'", "unit": None, "line": None, "traceback": ""}, finished=False))',
    );
    const outcome = await runTrace(run());
    assert.strictEqual(outcome.error?.message, "the program raised KeyError: 'x' (in code outside this file)");
    assert.deepStrictEqual(outcome.error?.range.start, { line: 0, character: 0 });
    assert.match(outcome.lenses[0].problems[0].message, /stopped first \(KeyError\)/);
  });

  it('a notebook of another kernel than Python is refused, not half-run', async () => {
    fakeTracer(dir, 'write(result([]))');
    fs.writeFileSync(path.join(dir, 'node.js'), '');
    const outcome = await runTrace({
      ...run(),
      language: 'javascript',
      text: undefined,
      cells: ['const c = a; // @grad'],
    });
    assert.strictEqual(outcome.failure?.kind, 'unsupported');
    assert.match(outcome.failure!.message, /Python kernels only/);
  });

  it('a notebook: code cells as units, magics blanked and reported, an error in its cell', async () => {
    fakeTracer(
      dir,
      [
        'print("units=" + json.dumps([u["name"] for u in req["units"]]))',
        'print("cell0=" + json.dumps(req["units"][0]["source"]))',
        'print("sites=" + json.dumps([[s["unit"], s["line"], s["target"]] for s in req["sites"]]))',
        'write(result([site(0, 2, 4.0), site(1, 1, 8.0)], error={"type": "NameError", "message": "name \'q\' is not defined", "unit": 1, "line": 2, "traceback": ""}, finished=False))',
      ].join('\n'),
    );
    const cells = [
      ['%matplotlib inline', 'import math', 'x = 2.0', 'y = x * x  # @grad'].join('\n'),
      ['!pip install micrograd', 'z = y * 2  # @grad', 'print(q)'].join('\n'),
    ];
    const outcome = await runTrace({ ...run(), file: path.join(work, 'nb.ipynb'), text: undefined, cells });
    assert.match(outcome.stdout, /units=\["<cell 1>", "<cell 2>"\]/);
    assert.match(outcome.stdout, /cell0="\\nimport math\\nx = 2.0\\ny = x \* x {2}# @grad"/);
    assert.match(outcome.stdout, /sites=\[\[0, 3, "y"\], \[1, 1, "z"\]\]/);
    assert.deepStrictEqual(outcome.magics, [
      { cell: 0, lines: [0] },
      { cell: 1, lines: [0] },
    ]);
    assert.deepStrictEqual(
      outcome.lenses.map((l) => [l.trace.cell, l.line, l.value, l.trace.magicsSkipped]),
      [
        [0, 3, 4, [0]],
        [1, 1, 8, [0]],
      ],
    );
    assert.deepStrictEqual(outcome.error?.range, {
      start: { line: 2, character: 0 },
      end: { line: 2, character: 8 },
      cell: 1,
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
