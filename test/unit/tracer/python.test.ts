// The Python tracer (src/tracer/python/gradlens_tracer.py) run as the runner runs it: a request
// JSON built here, `python3 gradlens_tracer.py request.json`, and the result JSON read back. The
// numbers are checked against what the programs print themselves and against a small reference
// in this file (the forward pass re-evaluated from the traced graph, and central differences).
// Needs `python3` on PATH (GRADLENS_TEST_PYTHON overrides it).
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scan } from '../../../src/core/scanner';
import type { ScanResult } from '../../../src/core/tokens';
import {
  TRACE_CHILD_FIELDS,
  TRACE_ENTRY_FIELDS,
  type TraceRequest,
  type TraceResult,
  type TraceSiteRequest,
  type TracedGraph,
  type TracedSite,
} from '../../../src/trace/protocol';
import { validateResultText } from '../../../src/trace/validateResult';

const ROOT = path.resolve(__dirname, '../../../..');
const TRACER = path.join(ROOT, 'src', 'tracer', 'python', 'gradlens_tracer.py');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'trace', 'python');
const PYTHON = process.env.GRADLENS_TEST_PYTHON || 'python3';
/** As the runner runs the program: no bytecode caches written next to the user's files. */
const ENV = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };

interface Unit {
  name: string;
  source: string;
}

/** The sites as the core's own scan finds the annotated statements (as the runner builds them). */
function sitesOf(units: Unit[]): TraceSiteRequest[] {
  const sites: TraceSiteRequest[] = [];
  units.forEach((unit, k) => {
    const scanned: ScanResult = { statements: [], dangling: [], scopes: [] };
    scan(unit.source, 0, unit.source.length, 'hash', '@grad', scanned);
    for (const st of scanned.statements) {
      if (!st.annotation) continue;
      const text = unit.source.slice(st.start, st.end);
      const ret = /^return\s+/.exec(text);
      const assign = /^([A-Za-z_]\w*)\s*(?::[^=]*)?(?:[-+*/]|\*\*)?=(?!=)\s*/.exec(text);
      const form = ret ? 'return' : assign ? 'assign' : 'expression';
      const exprStart = st.start + (ret ? ret[0].length : assign ? assign[0].length : 0);
      sites.push({
        id: sites.length,
        unit: k,
        start: st.start,
        end: st.end,
        line: lineOf(unit.source, st.start),
        endLine: lineOf(unit.source, st.end),
        form,
        target: assign && !ret ? assign[1] : '',
        exprStart,
        exprEnd: st.end,
      });
    }
  });
  return sites;
}

function lineOf(text: string, offset: number): number {
  return (text.slice(0, offset).match(/\r\n|\r|\n/g) ?? []).length;
}

function fileRequest(file: string, resultPath: string, extra: Partial<TraceRequest> = {}): TraceRequest {
  const units = [{ name: file, source: fs.readFileSync(file, 'utf8') }];
  return baseRequest(file, units, resultPath, extra);
}

function baseRequest(entry: string, units: Unit[], resultPath: string, extra: Partial<TraceRequest>): TraceRequest {
  return {
    version: 1,
    language: 'python',
    entry,
    units,
    sites: sitesOf(units),
    cwd: path.dirname(entry),
    resultPath,
    historyLimit: 1000,
    graphNodeLimit: 20000,
    ...extra,
  };
}

/** A notebook's code cells with IPython magics and shell escapes blanked, as the runner sends them. */
function notebookUnits(file: string): Unit[] {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
  return nb.cells
    .filter((c) => c.cell_type === 'code')
    .map((c, k) => ({
      name: `<cell ${k + 1}>`,
      source: c.source
        .join('')
        .split('\n')
        .map((l) => (/^\s*[%!]/.test(l) ? '' : l))
        .join('\n'),
    }));
}

interface Traced {
  result: TraceResult;
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  request: TraceRequest;
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gl-pytrace-'));
}

function writeRequest(request: TraceRequest): string {
  const file = path.join(path.dirname(request.resultPath), 'request.json');
  fs.writeFileSync(file, JSON.stringify(request));
  return file;
}

function readResult(request: TraceRequest): TraceResult {
  const text = fs.readFileSync(request.resultPath, 'utf8');
  const checked = validateResultText(text, request);
  assert.ok(checked.ok, `the result is valid: ${checked.ok ? '' : checked.reason}`);
  return JSON.parse(text) as TraceResult;
}

function traceRequest(request: TraceRequest, env: NodeJS.ProcessEnv = ENV): Traced {
  const r = spawnSync(PYTHON, [TRACER, writeRequest(request)], { cwd: request.cwd, encoding: 'utf8', env });
  return {
    result: readResult(request),
    stdout: r.stdout,
    stderr: r.stderr,
    status: r.status,
    signal: r.signal,
    request,
  };
}

function traceFile(file: string, extra: Partial<TraceRequest> = {}): Traced {
  return traceRequest(fileRequest(path.join(FIXTURES, file), path.join(tmpDir(), 'result.json'), extra));
}

function untraced(file: string, cwd = FIXTURES): { stdout: string; stderr: string; status: number | null } {
  // By its absolute path, as the runner names it (Python 3.8 keeps a relative __file__ relative).
  const r = spawnSync(PYTHON, [path.resolve(cwd, file)], { cwd, encoding: 'utf8', env: ENV });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function site(result: TraceResult, id: number): TracedSite {
  const s = result.sites.find((x) => x.id === id);
  assert.ok(s, `site ${id} is in the result`);
  return s;
}

// ---- A reference for the graphs: evaluate them from their leaves, differentiate numerically ----

/** The value of every node computed from the leaves' data, by the ops' usual meaning. */
function evaluate(graph: TracedGraph, leafData: Map<number, number>): number[] {
  const values: number[] = new Array(graph.nodes.length);
  const at = (id: number): number => {
    if (values[id] !== undefined) return values[id];
    const node = graph.nodes[id];
    const kids = node.children.map(at);
    // A set of children holds `a * a` as {a}: a binary op with one child uses it twice.
    const both = kids.length === 1 ? [kids[0], kids[0]] : kids;
    let v: number;
    if (node.children.length === 0) v = leafData.get(id) ?? (node.data as number);
    else if (node.op === '+' || node.op === 'add') v = both.reduce((a, b) => a + b, 0);
    else if (node.op === '*' || node.op === 'mul') v = both.reduce((a, b) => a * b, 1);
    else if (node.op === 'tanh') v = Math.tanh(kids[0]);
    else if (node.op === 'exp') v = Math.exp(kids[0]);
    else if (node.op.startsWith('**') || node.op === 'pow') v = kids[0] ** (node.exponent as number);
    else throw new Error(`no reference for op ${node.op}`);
    values[id] = v;
    return v;
  };
  for (let i = 0; i < graph.nodes.length; i++) at(i);
  return values;
}

function leaves(graph: TracedGraph): number[] {
  return graph.nodes.filter((n) => n.children.length === 0).map((n) => n.id);
}

/** Checks the traced data against a re-evaluation and every leaf's grad against central differences. */
function assertGraphConsistent(graph: TracedGraph, tolerance = 1e-6): void {
  const values = evaluate(graph, new Map());
  graph.nodes.forEach((n, i) => assertClose(values[i], n.data as number, 1e-9, `data of node ${i} (${n.op})`));
  for (const leaf of leaves(graph)) {
    const x = graph.nodes[leaf].data as number;
    const h = 1e-6 * Math.max(1, Math.abs(x));
    const up = evaluate(graph, new Map([[leaf, x + h]]))[graph.root];
    const down = evaluate(graph, new Map([[leaf, x - h]]))[graph.root];
    assertClose(graph.nodes[leaf].grad as number, (up - down) / (2 * h), tolerance, `grad of leaf ${leaf}`);
  }
}

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} is not ${expected}`,
  );
}

function listing(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      out.push(path.relative(dir, p));
      if (e.isDirectory()) visit(p);
    }
  };
  visit(dir);
  return out.sort();
}

describe('Python tracer', function () {
  this.timeout(60000);
  let fixturesBefore: string[];

  before(function () {
    const probe = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' });
    assert.strictEqual(probe.status, 0, `${PYTHON} runs (set GRADLENS_TEST_PYTHON to another interpreter)`);
    fixturesBefore = listing(FIXTURES);
  });

  describe('a training loop with its own engine (train_mlp.py)', () => {
    let traced: Traced;
    let plain: ReturnType<typeof untraced>;
    before(() => {
      traced = traceFile('train_mlp.py');
      plain = untraced('train_mlp.py');
    });

    it('prints exactly what the untraced run prints, final numbers included', () => {
      assert.strictEqual(plain.status, 0, plain.stderr);
      assert.strictEqual(traced.status, 0, traced.stderr);
      assert.strictEqual(traced.stdout, plain.stdout);
      assert.strictEqual(traced.stderr, plain.stderr);
      assert.match(traced.stdout, /^predictions \[/m);
      assert.strictEqual(traced.result.finished, true);
      assert.strictEqual(traced.result.stopped, null);
      assert.strictEqual(traced.result.error, null);
      assert.match(traced.result.interpreter, /^Python 3\.\d+\.\d+/);
    });

    it('the loss site: 20 executions, its history is the printed losses, the last value the last loss', () => {
      const loss = site(traced.result, 1);
      const printed = [...traced.stdout.matchAll(/^step \d+ loss (\S+)$/gm)].map((m) => Number(m[1]));
      assert.strictEqual(printed.length, 20);
      assert.strictEqual(loss.executions, 20);
      assert.strictEqual(loss.historyStride, 1);
      assert.deepStrictEqual(loss.history, printed);
      assert.strictEqual(loss.last?.kind, 'value');
      assert.strictEqual(loss.last?.value, printed[19]);
    });

    it("the loss's gradients are the engine's own (as the program printed them) and the true ones", () => {
      const graph = site(traced.result, 1).last!.graph!;
      assert.strictEqual(graph.nodes[graph.root].grad, 1);
      // The leaf data were put back as they were at step 19, before the update that followed.
      assertGraphConsistent(graph);
      const printed = JSON.parse(/^grads (\[.*\])$/m.exec(traced.stdout)![1]) as number[];
      assert.strictEqual(printed.length, 41);
      const leafGrads = leaves(graph).map((id) => graph.nodes[id].grad);
      for (const g of printed) assert.ok(leafGrads.includes(g), `the parameter grad ${g} is a traced leaf's`);
    });

    it('a site inside a method: every call counted, the last one measured, named intermediates listed', () => {
      const neuron = site(traced.result, 0);
      // 9 neurons, 4 points, 20 steps and the final predictions.
      assert.strictEqual(neuron.executions, 9 * 4 * 21);
      assert.strictEqual(neuron.history.length, 9 * 4 * 21);
      const last = neuron.last!;
      const finalPrediction = JSON.parse(/^predictions (\[.*\])$/m.exec(traced.stdout)![1]) as number[];
      assert.strictEqual(last.value, finalPrediction[3]);
      const act = last.variables.find((v) => v.name === 'act');
      assert.ok(act && !act.leaf, '`act` (a local) is a named intermediate');
      assertClose(last.graph!.nodes[act.node].grad!, 1 - last.value! ** 2, 1e-12, "tanh'(act)");
      assert.ok(!last.variables.some((v) => v.name === 'out'), 'the target itself is not listed');
      assertGraphConsistent(last.graph!);
    });

    it('a long history is thinned evenly past historyLimit', () => {
      const thinned = traceFile('train_mlp.py', { historyLimit: 100 });
      const full = site(traced.result, 0);
      const neuron = site(thinned.result, 0);
      assert.strictEqual(neuron.executions, full.executions);
      assert.ok(neuron.historyStride > 1);
      assert.ok(neuron.history.length <= 100 && neuron.history.length > 50, `${neuron.history.length} values`);
      assert.deepStrictEqual(
        neuron.history,
        full.history.filter((_, i) => i % neuron.historyStride === 0).slice(0, neuron.history.length),
      );
      assert.strictEqual(thinned.stdout, traced.stdout);
    });
  });

  it('an engine with another API: factory functions, `_children`, `op`, `name`, a pow exponent field', () => {
    const traced = traceFile('factory_engine.py');
    assert.strictEqual(traced.stdout, untraced('factory_engine.py').stdout);
    const [ret, o, bare] = [0, 1, 2].map((id) => site(traced.result, id));
    assert.deepStrictEqual(
      traced.request.sites.map((s) => s.form),
      ['return', 'assign', 'expression'],
    );
    // micrograd's neuron: o = tanh(x1*w1 + x2*w2 + b) = 0.7071, known gradients.
    assertClose(o.last!.value!, Math.SQRT1_2, 1e-12, 'o');
    const graph = o.last!.graph!;
    const grads = Object.fromEntries(o.last!.variables.map((v) => [v.name, graph.nodes[v.node].grad]));
    const expected = { x1: -1.5, x2: 0.5, w1: 1, w2: 0, b: 0.5 };
    for (const [name, g] of Object.entries(expected)) assertClose(grads[name]!, g, 1e-9, `∂o/∂${name}`);
    assert.ok(
      o.last!.variables.find((v) => v.name === 'n' && !v.leaf),
      '`n` is a named intermediate',
    );
    assert.deepStrictEqual(graph.nodes.map((n) => n.op).sort(), [
      '',
      '',
      '',
      '',
      '',
      'add',
      'add',
      'mul',
      'mul',
      'tanh',
    ]);
    assert.deepStrictEqual(
      graph.nodes
        .filter((n) => n.label)
        .map((n) => n.label)
        .sort(),
      ['b', 'w1', 'w2', 'x1', 'x2'],
    );
    assertGraphConsistent(graph);
    // `return power(…, -1)` inside a function, and a bare expression: each evaluated once.
    assert.strictEqual(ret.executions, 1);
    const sigmoidGraph = ret.last!.graph!;
    assert.strictEqual(sigmoidGraph.nodes[sigmoidGraph.root].op, 'pow');
    assert.strictEqual(sigmoidGraph.nodes[sigmoidGraph.root].exponent, -1);
    assertGraphConsistent(sigmoidGraph);
    assert.strictEqual(bare.executions, 1);
    assert.strictEqual(bare.last!.kind, 'value');
    assert.ok(bare.last!.graph!.nodes.some((n) => n.op === 'pow' && n.exponent === 2));
    assertGraphConsistent(bare.last!.graph!);
  });

  it("the `=` instead of `+=` engine: the engine's own (wrong) gradient, not the true one", () => {
    const traced = traceFile('assign_bug.py');
    assert.strictEqual(traced.stdout, untraced('assign_bug.py').stdout);
    const [, , aGrad, bGrad] = /^d (\S+) a\.grad (\S+) b\.grad (\S+)$/m.exec(traced.stdout)!.map(Number);
    const d = site(traced.result, 0).last!;
    const byName = (name: string) => d.graph!.nodes[d.variables.find((v) => v.name === name)!.node];
    assert.strictEqual(byName('a').grad, aGrad, 'what the engine computes');
    assert.strictEqual(byName('b').grad, bGrad);
    // d = a*a + a*b: the true ∂d/∂a is 2a + b = 4; the bug keeps one use's share.
    assert.notStrictEqual(byName('a').grad, 4);
    assert.strictEqual(d.variables.find((v) => v.name === 'c')?.leaf, false, '`c` is a named intermediate');
  });

  it('a program that raises midway: the same traceback, the raising line, the sites reached before', () => {
    const traced = traceFile('raises_midway.py');
    const plain = untraced('raises_midway.py');
    assert.strictEqual(traced.status, 1);
    assert.strictEqual(plain.status, 1);
    assert.strictEqual(traced.stdout, plain.stdout);
    assert.strictEqual(traced.stderr, plain.stderr);
    const { error } = traced.result;
    assert.ok(error);
    assert.strictEqual(error.type, 'ZeroDivisionError');
    assert.strictEqual(error.unit, 0);
    assert.strictEqual(error.line, 8);
    assert.match(error.traceback, /raises_midway\.py", line 9/);
    assert.strictEqual(traced.result.finished, false);
    const y = site(traced.result, 0);
    assert.strictEqual(y.executions, 4);
    assert.deepStrictEqual(
      y.history,
      [...traced.stdout.matchAll(/^step \d y (\S+)$/gm)].map((m) => Number(m[1])),
    );
    // w.data changed after the last execution (w.data += …): the graph shows it as it was then.
    assertGraphConsistent(y.last!.graph!);
  });

  it('sites never reached: no executions and no value; the reached one has its value', () => {
    const traced = traceFile('never_reached.py');
    assert.deepStrictEqual(
      traced.result.sites.map((s) => [s.executions, s.last === null, s.history.length]),
      [
        [0, true, 0],
        [0, true, 0],
        [1, false, 1],
      ],
    );
    assert.strictEqual(site(traced.result, 2).last!.value, 1);
  });

  for (const stop of ['SIGTERM', 'SIGINT'] as const) {
    it(`a program that runs forever: ${stop} (the runner's timeout, a cancel) still writes the result`, async () => {
      const request = fileRequest(path.join(FIXTURES, 'runs_forever.py'), path.join(tmpDir(), 'result.json'));
      const child = spawn(PYTHON, [TRACER, writeRequest(request)], { cwd: request.cwd, env: ENV });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
      const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
        Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(what)), ms).unref())]);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      try {
        let stdout = '';
        const running = new Promise<void>((resolve) =>
          child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            if (stdout.includes('running')) resolve();
          }),
        );
        await within(running, 20000, 'the program never printed "running"');
        child.kill(stop);
        const signal = await within(exited, 20000, `the tracer did not end after ${stop}`);
        assert.strictEqual(signal, stop, `it ends as an untraced program does on ${stop}`);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      // SIGTERM ends Python silently; SIGINT is a KeyboardInterrupt, printed with the user's frames only.
      if (stop === 'SIGTERM') assert.strictEqual(stderr, '');
      else assert.match(stderr, /^Traceback[^]*runs_forever\.py", line \d+[^]*KeyboardInterrupt\n$/);
      assert.doesNotMatch(stderr, /gradlens_tracer/);
      const result = readResult(request);
      assert.strictEqual(result.stopped, 'signal');
      assert.strictEqual(result.finished, false);
      assert.strictEqual(result.error, null);
      const loss = site(result, 0);
      assert.ok(loss.executions >= 1000, `${loss.executions} executions`);
      assert.strictEqual(loss.last!.kind, 'value');
      assertGraphConsistent(loss.last!.graph!);
    });
  }

  it('a program that runs forever stops itself at the request’s timeoutMs and says so', async () => {
    const request = fileRequest(path.join(FIXTURES, 'runs_forever.py'), path.join(tmpDir(), 'result.json'), {
      timeoutMs: 1500,
    });
    const started = Date.now();
    const r = await new Promise<{ signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
      const child = spawn(PYTHON, [TRACER, writeRequest(request)], { cwd: request.cwd, env: ENV });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const guard = setTimeout(() => child.kill('SIGKILL'), 30000);
      child.on('exit', (_code, signal) => {
        clearTimeout(guard);
        resolve({ signal, stderr });
      });
    });
    assert.strictEqual(r.signal, 'SIGTERM');
    assert.strictEqual(r.stderr, '');
    assert.ok(Date.now() - started >= 1500);
    const result = readResult(request);
    assert.strictEqual(result.stopped, 'timeout');
    assert.strictEqual(result.finished, false);
    assert.ok(site(result, 0).executions > 0);
  });

  describe('a notebook following the lecture (lecture.ipynb)', () => {
    const notebook = path.join(FIXTURES, 'lecture.ipynb');
    let traced: Traced;
    before(() => {
      const units = notebookUnits(notebook);
      traced = traceRequest(baseRequest(notebook, units, path.join(tmpDir(), 'result.json'), {}));
    });

    it('runs the cells in order in one namespace, printing what the cells run as one script print', () => {
      const dir = tmpDir();
      const script = path.join(dir, 'cells.py');
      fs.writeFileSync(
        script,
        notebookUnits(notebook)
          .map((u) => u.source)
          .join('\n'),
      );
      const plain = untraced(script, dir);
      assert.strictEqual(traced.status, 0, traced.stderr);
      assert.strictEqual(traced.stderr, '');
      // The lecture's engine keeps operands in a set, which iterates in memory-address order: any
      // difference in allocations (the cells run as one script, one import more) may reorder a
      // floating-point sum in backward(). The numbers agree to rounding, the rest of the text exactly.
      const NUMBER = /-?\d+\.\d+(e-?\d+)?/g;
      assert.strictEqual(traced.stdout.replace(NUMBER, '#'), plain.stdout.replace(NUMBER, '#'));
      const [a, b] = [traced.stdout, plain.stdout].map((text) => text.match(NUMBER)!.map(Number));
      assert.strictEqual(a.length, b.length);
      a.forEach((x, i) => assertClose(x, b[i], 1e-12, `printed number ${i}`));
    });

    it("the hand-made neuron: o = 0.7071 and the lecture's gradients, labels and named intermediates", () => {
      const [o] = traced.result.sites;
      assert.strictEqual(traced.request.sites[0].unit, 2);
      const graph = o.last!.graph!;
      assertClose(o.last!.value!, Math.SQRT1_2, 1e-12, 'o');
      assert.strictEqual(graph.nodes[graph.root].label, 'o', 'the label set after the site is read at the end');
      const grads = Object.fromEntries(o.last!.variables.map((v) => [v.name, graph.nodes[v.node].grad]));
      const expected = { x1: -1.5, x2: 0.5, w1: 1, w2: 0, b: 0.5, n: 0.5, x1w1: 0.5 };
      for (const [name, g] of Object.entries(expected)) assertClose(grads[name]!, g, 1e-9, `∂o/∂${name}`);
      assertGraphConsistent(graph);
    });

    it('the training loop: 20 executions, the printed losses as history, consistent gradients', () => {
      const loss = site(traced.result, 1);
      assert.strictEqual(loss.executions, 20);
      const printed = [...traced.stdout.matchAll(/^\d+ (\S+)$/gm)].map((m) => Number(m[1]));
      assert.deepStrictEqual(loss.history, printed);
      assertGraphConsistent(loss.last!.graph!);
    });

    it('an exception maps to the innermost cell that raised it (unit and 0-based line)', () => {
      const units = [
        ...notebookUnits(notebook),
        { name: '<cell 8>', source: 'def ratio(a, b):\n    return a / b\n' },
        { name: '<cell 9>', source: 'x = 1\nratio(x, 0)\n' },
      ];
      const failing = traceRequest(baseRequest(notebook, units, path.join(tmpDir(), 'result.json'), {}));
      assert.strictEqual(failing.status, 1);
      assert.strictEqual(failing.result.error?.type, 'ZeroDivisionError');
      assert.strictEqual(failing.result.error?.unit, 7);
      assert.strictEqual(failing.result.error?.line, 1);
      assert.match(failing.stderr, /File "<cell 9>", line 2[\s\S]*File "<cell 8>", line 2/);
      assert.strictEqual(site(failing.result, 1).executions, 20, 'the cells before ran');
    });
  });

  describe('programs written here', () => {
    function traceSource(source: string, name = 'prog.py'): Traced & { plain: ReturnType<typeof untraced> } {
      const dir = tmpDir();
      const file = path.join(dir, name);
      fs.writeFileSync(file, source);
      fs.copyFileSync(path.join(FIXTURES, 'scalar_engine.py'), path.join(dir, 'scalar_engine.py'));
      const resultDir = tmpDir();
      const traced = traceRequest(fileRequest(file, path.join(resultDir, 'result.json')));
      return { ...traced, plain: untraced(file, dir) };
    }

    it('the program sees what an untraced run gives it: __name__, __file__, argv, its globals', () => {
      const t = traceSource(
        [
          'import sys',
          'from scalar_engine import Value',
          'a = Value(2.0)',
          'y = a * a  # @grad',
          'print(__name__, __file__ == sys.argv[0], len(sys.argv), sys.path[0] == __file__.rsplit("/", 1)[0])',
          'print(sorted(k for k in globals() if not k.startswith("__")))',
          'print(sorted(k for k in globals() if k.startswith("__")))',
          'print(type(__builtins__).__name__, __spec__, __package__, type(__loader__).__name__)',
        ].join('\n'),
      );
      assert.strictEqual(t.status, 0, t.stderr);
      assert.strictEqual(t.stdout, t.plain.stdout);
      assert.strictEqual(site(t.result, 0).last!.value, 4);
    });

    it('places sites after non-BMP characters and CRLF line ends; sites in classes, with, try and one-line bodies', () => {
      const t = traceSource(
        [
          'from scalar_engine import Value',
          'a = Value(3.0); s = "😀😀"; y = a * a  # @grad',
          'class K:',
          '    k = Value(1.5)',
          '    twice = k + k  # @grad',
          'class Ctx:',
          '    def __enter__(self): return self',
          '    def __exit__(self, *e): return False',
          'with Ctx():',
          '    # @grad',
          '    w = a + K.k',
          'try:',
          '    z = a * K.k  # @grad',
          'finally:',
          '    pass',
          'def square(v): return v * v  # @grad',
          'total = 0',
          'for i in range(3): total += square(a).data  # @grad',
          'print(y.data, K.twice.data, w.data, z.data, total)',
        ].join('\r\n'),
      );
      assert.strictEqual(t.status, 0, t.stderr);
      assert.strictEqual(t.stdout, t.plain.stdout);
      assert.deepStrictEqual(
        t.result.sites.map((s) => [s.executions, s.last?.value]),
        [
          [1, 9],
          [1, 3],
          [1, 4.5],
          [1, 4.5],
          [3, 9],
          [3, 27],
        ],
      );
      assert.strictEqual(site(t.result, 5).last!.kind, 'number');
      assert.deepStrictEqual(site(t.result, 5).history, [9, 18, 27]);
    });

    it('sites in async functions and generators, an attribute updated in place, writes through params[i]', () => {
      const t = traceSource(
        [
          'import asyncio',
          'from scalar_engine import Value',
          'params = [Value(1.0), Value(2.0)]',
          'class Acc:',
          '    def __init__(self): self.total = Value(0.0)',
          'acc = Acc()',
          'for i in range(2):',
          '    y = params[0] * params[1]  # @grad',
          '    acc.total += y  # @grad',
          '    params[0].data += 1.0',
          '    params[i].data += 0.5',
          'async def compute(a):',
          '    await asyncio.sleep(0)',
          '    return a * a  # @grad',
          'def gen(a):',
          '    for k in range(3):',
          '        v = a * k  # @grad',
          '        yield v',
          'print(asyncio.run(compute(params[1])).data, [g.data for g in gen(params[0])], acc.total.data)',
        ].join('\n'),
      );
      assert.strictEqual(t.status, 0, t.stderr);
      assert.strictEqual(t.stdout, t.plain.stdout);
      assert.deepStrictEqual(
        t.result.sites.map((s) => [s.executions, s.history]),
        [
          [2, [2, 5]],
          [2, [2, 7]],
          [1, [6.25]],
          [3, [0, 3.5, 7]],
        ],
      );
      // y = params[0] * params[1] at its second execution: 2.5 * 2, whatever the writes after it did.
      const y = site(t.result, 0).last!.graph!;
      assert.deepStrictEqual(
        leaves(y)
          .map((id) => [y.nodes[id].data, y.nodes[id].grad])
          .sort(),
        [
          [2, 2.5],
          [2.5, 2],
        ],
      );
      // (acc.total's graph holds the first step's product, made when params[0] was 1, which the
      // leaves no longer say: no re-evaluation of that one.)
      for (const id of [2, 3]) assertGraphConsistent(site(t.result, id).last!.graph!);
    });

    /** A micrograd-style engine made by `make(field, wrap, seed)`: inputs in `field`, each entry `wrap(node)`, the output seeded by `seed(root)`. */
    const PORTS = [
      'import math',
      'from collections import namedtuple',
      'Dependency = namedtuple("Dependency", "tensor grad_fn")',
      'class Entry:',
      '    def __init__(self, parent): self.parent, self.fn = parent, None',
      'def make(field, wrap, seed):',
      '    class V:',
      '        def __init__(self, data, kids=(), op=""):',
      '            self.data, self.grad, self.op, self._kids = data, 0.0, op, tuple(kids)',
      '            setattr(self, field, [wrap(k) for k in kids] if field != "_operands" else set(kids))',
      '            self._backward = lambda: None',
      '        def __add__(self, o):',
      '            out = V(self.data + o.data, (self, o), "+")',
      '            def b():',
      '                self.grad += out.grad; o.grad += out.grad',
      '            out._backward = b',
      '            return out',
      '        def __mul__(self, o):',
      '            out = V(self.data * o.data, (self, o), "*")',
      '            def b():',
      '                self.grad += o.data * out.grad; o.grad += self.data * out.grad',
      '            out._backward = b',
      '            return out',
      '        def tanh(self):',
      '            t = math.tanh(self.data)',
      '            out = V(t, (self,), "tanh")',
      '            def b():',
      '                self.grad += (1 - t * t) * out.grad',
      '            out._backward = b',
      '            return out',
      '        def backward(self):',
      '            topo, seen = [], set()',
      '            def visit(v):',
      '                if v not in seen:',
      '                    seen.add(v)',
      '                    for k in v._kids: visit(k)',
      '                    topo.append(v)',
      '            visit(self)',
      '            seed(self)',
      '            for v in reversed(topo): v._backward()',
      '    return V',
      'def seeds(v): v.grad = 1.0',
      'def adds_its_seed(v): v.grad += 1.0',
      'def build(V):',
      '    x, w = V(0.5), V(-1.5)',
      '    return (x * w + x).tanh()',
      'same = lambda n: n',
    ];

    it("an engine whose backward() leaves the output's seed to the caller; one that adds its own: the true gradients", () => {
      const t = traceSource(
        [
          ...PORTS,
          'V = make("_prev", same, lambda v: None)',
          'a, b = V(1.5), V(-0.5)',
          'L = (a * b + a).tanh()  # @grad',
          'L.grad = 1.0',
          'L.backward()',
          'A = make("_prev", same, adds_its_seed)',
          'p, q = A(2.0), A(-3.0)',
          'M = p * q + p  # @grad',
          'M.backward()',
          'print(round(a.grad, 9), round(b.grad, 9), p.grad, q.grad)',
        ].join('\n'),
      );
      assert.strictEqual(t.status, 0, t.stderr);
      assert.strictEqual(t.stdout, t.plain.stdout);
      const [da, db] = t.stdout.split(' ').map(Number);
      const L = site(t.result, 0).last!;
      assert.strictEqual(L.note, null);
      assertGraphConsistent(L.graph!);
      const grad = (last: typeof L, name: string) =>
        last.graph!.nodes[last.variables.find((v) => v.name === name)!.node].grad;
      assertClose(grad(L, 'a')!, da, 1e-8, 'dL/da');
      assertClose(grad(L, 'b')!, db, 1e-8, 'dL/db');
      const M = site(t.result, 1).last!;
      assert.strictEqual(grad(M, 'p'), -2);
      assert.strictEqual(grad(M, 'q'), 2);
    });

    it('inputs where ports keep them: `parents`, `_operands`, `depends_on` pairs, NamedTuples and entry objects', () => {
      const t = traceSource(
        [
          ...PORTS,
          'y1 = build(make("parents", same, seeds))  # @grad',
          'y2 = build(make("_operands", same, seeds))  # @grad',
          'y3 = build(make("depends_on", lambda n: (n, lambda g: g), seeds))  # @grad',
          'y4 = build(make("depends_on", lambda n: Dependency(n, lambda g: g), seeds))  # @grad',
          'y5 = build(make("inputs", Entry, seeds))  # @grad',
          'y6 = build(make("sources", same, seeds))  # @grad',
          'print(y1.data)',
        ].join('\n'),
      );
      assert.strictEqual(t.status, 0, t.stderr);
      for (const id of [0, 1, 2, 3, 4]) {
        const graph = site(t.result, id).last!.graph!;
        assert.strictEqual(graph.nodes.length, 5, `site ${id}: tanh, +, *, x, w`);
        assertGraphConsistent(graph);
      }
      // `sources` is no port's field: a tanh without inputs (the lens says so, the check skips it).
      assert.deepStrictEqual(
        site(t.result, 5).last!.graph!.nodes.map((n) => [n.op, n.children.length]),
        [['tanh', 0]],
      );
    });

    it('names the nodes no plain name refers to by the members the site can read: `self.w[0]`, `self.b`, `params[1]`', () => {
      const t = traceSource(
        [
          'from scalar_engine import Value',
          'class Neuron:',
          '    def __init__(self):',
          '        self.w = [Value(0.25), Value(-0.5)]',
          '        self.b = Value(0.125)',
          '    def __call__(self, xs):',
          '        act = self.w[0] * xs[0] + self.w[1] * xs[1] + self.b  # @grad',
          '        return act',
          'out = Neuron()([2.0, 4.0])',
          'params = [Value(3.0), Value(-1.0)]',
          'y = params[0] * params[1] * out  # @grad',
          'print(out.data, y.data)',
        ].join('\n'),
      );
      assert.strictEqual(t.status, 0, t.stderr);
      const gradOf = (id: number, name: string): number | null => {
        const last = site(t.result, id).last!;
        const v = last.variables.find((x) => x.name === name);
        assert.ok(v, `${name} in ${JSON.stringify(last.variables.map((x) => x.name))}`);
        assert.strictEqual(v.leaf, last.graph!.nodes[v.node].children.length === 0);
        return last.graph!.nodes[v.node].grad;
      };
      // act = w0*2 + w1*4 + b; y = p0 * p1 * out with out = -1.375.
      assert.strictEqual(gradOf(0, 'self.w[0]'), 2);
      assert.strictEqual(gradOf(0, 'self.w[1]'), 4);
      assert.strictEqual(gradOf(0, 'self.b'), 1);
      assert.strictEqual(gradOf(1, 'params[0]'), -1 * -1.375);
      assert.strictEqual(gradOf(1, 'params[1]'), 3 * -1.375);
      assert.strictEqual(gradOf(1, 'out'), -3);
    });

    it('the lecture without backward() (hand-called `_backward()`): the value and graph kept, marked, no gradient made up', () => {
      const t = traceSource(
        [
          'from scalar_engine import Value',
          'class Step(Value):',
          '    backward = None  # the lecture before backward() is written',
          'a, b = Step(2.0), Step(-3.0)',
          'c = Step(a.data * b.data, (a, b), "*")  # @grad',
          'c.grad = 1.0',
          'print(c.data)',
        ].join('\n'),
      );
      assert.strictEqual(t.status, 0, t.stderr);
      const last = site(t.result, 0).last!;
      assert.strictEqual(last.kind, 'value');
      assert.strictEqual(last.value, -6);
      assert.strictEqual(last.noBackward, true);
      assert.match(last.note!, /no backward\(\) method.*it has a `_backward`/);
      assert.strictEqual(last.graph!.nodes.length, 3);
      assert.ok(last.graph!.nodes.every((n) => n.grad === null));
    });

    it('a NaN says NaN: a plain float and a node whose data is NaN', () => {
      const t = traceSource(
        [
          'from scalar_engine import Value',
          'z = float("inf") - float("inf")  # @grad',
          'v = Value(float("nan")) * Value(2.0)  # @grad',
          'w = 1e308 * 10  # @grad',
        ].join('\n'),
      );
      assert.strictEqual(t.status, 0, t.stderr);
      assert.deepStrictEqual(
        [0, 1, 2].map((id) => [site(t.result, id).last!.value, site(t.result, id).last!.note?.replace(/ \(.*/, '')]),
        [
          [null, 'the value is NaN'],
          [null, '`data` of the value is NaN'],
          [null, 'the value is infinite'],
        ],
      );
    });

    it('a `grad` property without a setter: says the gradient could not be SET to run backward()', () => {
      const t = traceSource(
        [
          'class V:',
          '    def __init__(self, data, prev=()):',
          '        self.data, self._grad, self._prev, self._op = data, 0.0, tuple(prev), ""',
          '    @property',
          '    def grad(self): return self._grad',
          '    def __mul__(self, o):',
          '        out = V(self.data * o.data, (self, o))',
          '        out._op = "*"',
          '        return out',
          '    def backward(self):',
          '        self._grad = 1.0',
          '        a, b = self._prev',
          '        a._grad += b.data; b._grad += a.data',
          'a, b = V(2.0), V(3.0)',
          'c = a * b  # @grad',
          'c.backward()',
          'print(c.data, a.grad, b.grad)',
        ].join('\n'),
      );
      assert.strictEqual(t.stdout, t.plain.stdout);
      const last = site(t.result, 0).last!;
      assert.strictEqual(last.value, 6);
      assert.match(last.note!, /could not set the gradient \(`grad`\) to 0 to run your backward\(\): AttributeError/);
      assert.ok(last.graph!.nodes.every((n) => n.grad === null));
    });

    it("a backward() that raises: 'unsupported' with the error, the value kept, no gradient made up", () => {
      const t = traceSource(
        [
          'class Node:',
          '    def __init__(self, data, prev=()):',
          '        self.data, self.grad, self._prev, self._op = data, 0.0, tuple(prev), ""',
          '    def __mul__(self, other):',
          '        out = Node(self.data * other.data, (self, other))',
          '        out._op = "*"',
          '        return out',
          '    def backward(self):',
          '        raise NotImplementedError("no backward yet")',
          'a, b = Node(2.0), Node(5.0)',
          'c = a * b  # @grad',
          'print(c.data)',
        ].join('\n'),
      );
      const last = site(t.result, 0).last!;
      assert.strictEqual(last.kind, 'unsupported');
      assert.strictEqual(last.value, 10);
      assert.match(last.note!, /backward\(\) raised NotImplementedError: no backward yet/);
      assert.ok(last.graph!.nodes.every((n) => n.grad === null));
      assert.strictEqual(t.stdout, '10.0\n');
    });

    it('plain numbers and other values; a program ending with sys.exit keeps its exit code', () => {
      const t = traceSource(
        ['import sys', 'total = 2.5 * 4  # @grad', 'names = ["a", "b"]  # @grad', 'print(total)', 'sys.exit(3)'].join(
          '\n',
        ),
      );
      assert.strictEqual(t.status, 3);
      assert.strictEqual(t.plain.status, 3);
      assert.strictEqual(t.stdout, t.plain.stdout);
      assert.strictEqual(t.result.finished, true);
      assert.deepStrictEqual(site(t.result, 0).last, {
        kind: 'number',
        value: 10,
        note: null,
        variables: [],
        graph: null,
      });
      const names = site(t.result, 1).last!;
      assert.strictEqual(names.kind, 'unsupported');
      assert.strictEqual(names.value, null);
      assert.match(names.note!, /a list of 2 items/);
    });

    it("an optimizer in the program's own module changes the data after the site: the graph shows it as it was", () => {
      const dir = tmpDir();
      fs.copyFileSync(path.join(FIXTURES, 'scalar_engine.py'), path.join(dir, 'scalar_engine.py'));
      fs.writeFileSync(
        path.join(dir, 'optim.py'),
        [
          'class SGD:',
          '    def __init__(self, params, lr):',
          '        self.params, self.lr = params, lr',
          '    def step(self):',
          '        for p in self.params:',
          '            p.data -= self.lr * p.grad',
        ].join('\n'),
      );
      const file = path.join(dir, 'fit.py');
      fs.writeFileSync(
        file,
        [
          'from scalar_engine import Value',
          'from optim import SGD',
          'w, b = Value(0.3, label="w"), Value(-0.2, label="b")',
          'opt = SGD([w, b], 0.1)',
          'for step in range(5):',
          '    loss = ((w * 2.0 + b).tanh() - 0.5) ** 2  # @grad',
          '    w.grad = b.grad = 0.0',
          '    loss.backward()',
          '    opt.step()',
          '    print(step, loss.data, w.data)',
        ].join('\n'),
      );
      const t = traceRequest(fileRequest(file, path.join(tmpDir(), 'result.json')));
      assert.strictEqual(t.stdout, untraced(file, dir).stdout);
      const last = site(t.result, 0).last!;
      const w = last.graph!.nodes[last.variables.find((v) => v.name === 'w')!.node];
      const printedW = [...t.stdout.matchAll(/^\d (\S+) (\S+)$/gm)].map((m) => Number(m[2]));
      // w as it was at the fifth execution: after four steps, before the fifth.
      assert.strictEqual(w.data, printedW[3]);
      assertGraphConsistent(last.graph!);
      assert.deepStrictEqual(listing(dir), ['fit.py', 'optim.py', 'scalar_engine.py']);
    });

    it('PyTorch scalars: values and gradients from torch.autograd.grad, .grad left as the program set it', function () {
      if (spawnSync(PYTHON, ['-c', 'import torch'], { env: ENV }).status !== 0) this.skip(); // torch not installed
      const t = traceSource(
        [
          'import torch',
          'x1 = torch.tensor(2.0, requires_grad=True)',
          'x2 = torch.tensor(0.0, requires_grad=True)',
          'w1 = torch.tensor(-3.0, requires_grad=True)',
          'w2 = torch.tensor(1.0, requires_grad=True)',
          'b = torch.tensor(6.8813735870195432, requires_grad=True)',
          'n = x1 * w1 + x2 * w2 + b',
          'o = torch.tanh(n)  # @grad',
          'o.backward()',
          'print(o.item(), x1.grad.item(), w1.grad.item())',
          'w = torch.tensor(0.5, requires_grad=True)',
          'for step in range(3):',
          '    loss = (w * 2.0 - 1.5) ** 2  # @grad',
          '    loss.backward()',
          '    with torch.no_grad():',
          '        w -= 0.1 * w.grad',
          '    w.grad.zero_()',
          '    print(step, loss.item(), w.item())',
        ].join('\n'),
      );
      assert.strictEqual(t.status, 0, t.stderr);
      assert.strictEqual(t.stdout, t.plain.stdout);
      assert.match(t.result.torch ?? '', /^\d+\.\d+/);
      const o = site(t.result, 0).last!;
      assert.strictEqual(o.kind, 'torch');
      assertClose(o.value!, Math.SQRT1_2, 1e-6, 'o');
      const grads = Object.fromEntries(o.variables.map((v) => [v.name, o.graph!.nodes[v.node].grad]));
      const expected = { x1: -1.5, x2: 0.5, w1: 1, w2: 0, b: 0.5, n: 0.5 };
      for (const [name, g] of Object.entries(expected)) assertClose(grads[name]!, g, 1e-5, `∂o/∂${name}`);
      assert.strictEqual(o.graph!.nodes[o.graph!.root].op, 'TanhBackward0');
      const loss = site(t.result, 1);
      const printed = [...t.stdout.matchAll(/^\d (\S+) (\S+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
      assert.strictEqual(loss.executions, 3);
      loss.history.forEach((v, i) => assertClose(v!, printed[i][0], 1e-6, `loss ${i}`));
      // At the third execution w was what step 1 left: ∂loss/∂w = 2·(2w − 1.5)·2.
      const wNode = loss.last!.graph!.nodes[loss.last!.variables.find((v) => v.name === 'w')!.node];
      assertClose(wNode.data!, printed[1][1], 1e-6, 'w');
      assertClose(wNode.grad!, 4 * (2 * printed[1][1] - 1.5), 1e-5, '∂loss/∂w');
    });

    it('a lazy engine whose backward() runs the forward pass: its value and gradients from that run', () => {
      const t = traceSource(
        [
          'class Lazy:',
          '    def __init__(self, data=None, kids=(), op=""):',
          '        self.data, self.grad, self._prev, self._op = data, 0.0, tuple(kids), op',
          '    def __add__(self, o):',
          '        return Lazy(None, (self, o), "+")',
          '    def __mul__(self, o):',
          '        return Lazy(None, (self, o), "*")',
          '    def forward(self):',
          '        for k in self._prev: k.forward()',
          '        if self._op == "+": self.data = self._prev[0].data + self._prev[1].data',
          '        if self._op == "*": self.data = self._prev[0].data * self._prev[1].data',
          '    def backward(self):',
          '        self.forward()',
          '        self.grad = 1.0',
          '        stack = [self]',
          '        while stack:',
          '            v = stack.pop()',
          '            if v._op == "+":',
          '                for k in v._prev: k.grad += v.grad',
          '            if v._op == "*":',
          '                v._prev[0].grad += v._prev[1].data * v.grad',
          '                v._prev[1].grad += v._prev[0].data * v.grad',
          '            stack.extend(v._prev)',
          'x, y = Lazy(3.0), Lazy(-2.0)',
          'z = x * y + x  # @grad',
          'print(z.data)',
        ].join('\n'),
      );
      assert.strictEqual(t.stdout, 'None\n', 'the program never saw its lazy value computed');
      const z = site(t.result, 0);
      assert.deepStrictEqual(z.history, [null], 'no value at the execution itself');
      assert.strictEqual(z.last!.kind, 'value');
      assert.strictEqual(z.last!.value, -3);
      const grads = Object.fromEntries(z.last!.variables.map((v) => [v.name, z.last!.graph!.nodes[v.node].grad]));
      assert.deepStrictEqual(grads, { x: -1, y: 3 });
    });

    it('data held in 0-d numpy arrays, updated in place after the site (where numpy imports)', function () {
      if (spawnSync(PYTHON, ['-c', 'import numpy'], { env: ENV }).status !== 0) this.skip(); // numpy not installed
      const t = traceSource(
        [
          'import numpy as np',
          'class T:',
          '    def __init__(self, data, kids=()):',
          '        self.data = np.asarray(data, dtype=float)',
          '        self.grad = np.zeros_like(self.data)',
          '        self.inputs, self.op, self._back = list(kids), "", lambda: None',
          '    def __mul__(self, o):',
          '        out = T(self.data * o.data, (self, o))',
          '        out.op = "*"',
          '        def back():',
          '            self.grad += o.data * out.grad',
          '            o.grad += self.data * out.grad',
          '        out._back = back',
          '        return out',
          '    def backward(self):',
          '        self.grad = np.ones_like(self.data)',
          '        self._back()',
          'a, b = T(3.0), T(4.0)',
          'for i in range(3):',
          '    c = a * b  # @grad',
          '    a.data += 1.0',
          'print(c.data, a.data)',
        ].join('\n'),
      );
      assert.strictEqual(t.stdout, t.plain.stdout);
      const c = site(t.result, 0);
      assert.deepStrictEqual(c.history, [12, 16, 20]);
      const graph = c.last!.graph!;
      const byName = (name: string) => graph.nodes[c.last!.variables.find((v) => v.name === name)!.node];
      // a.data was 5 at the last execution (the array was changed in place to 6 after it).
      assert.deepStrictEqual([byName('a').data, byName('a').grad, byName('b').grad], [5, 4, 5]);
    });

    it('a graph over graphNodeLimit: the value, no graph, and a note that says why', () => {
      const dir = tmpDir();
      const file = path.join(dir, 'big.py');
      fs.writeFileSync(
        file,
        [
          'from scalar_engine import Value',
          'x = Value(0.5)',
          'acc = x',
          'for _ in range(50): acc = acc * x',
          'big = acc + x  # @grad',
        ].join('\n'),
      );
      fs.copyFileSync(path.join(FIXTURES, 'scalar_engine.py'), path.join(dir, 'scalar_engine.py'));
      const t = traceRequest(fileRequest(file, path.join(tmpDir(), 'result.json'), { graphNodeLimit: 20 }));
      const last = site(t.result, 0).last!;
      assert.strictEqual(last.graph, null);
      assertClose(last.value!, 0.5 ** 51 + 0.5, 1e-12, 'big');
      assert.match(last.note!, /more than 20 nodes/);
    });
  });

  it('writes no file but the result: the fixtures folder is unchanged, no __pycache__ even when allowed', () => {
    const env: NodeJS.ProcessEnv = { ...ENV };
    delete env.PYTHONDONTWRITEBYTECODE;
    const request = fileRequest(path.join(FIXTURES, 'train_mlp.py'), path.join(tmpDir(), 'result.json'));
    const r = spawnSync(PYTHON, [TRACER, writeRequest(request)], { cwd: request.cwd, env, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.deepStrictEqual(listing(FIXTURES), fixturesBefore);
    assert.deepStrictEqual(fs.readdirSync(path.dirname(request.resultPath)).sort(), ['request.json', 'result.json']);
  });

  it("looks for a node's inputs in the same fields as the Node tracer: its copies of the protocol's lists", () => {
    const source = fs.readFileSync(TRACER, 'utf8');
    const tuple = (name: string): string[] => {
      const m = new RegExp(`^${name} = \\(([^)]*)\\)`, 'm').exec(source);
      assert.ok(m, `${name} in the tracer`);
      return [...m[1].matchAll(/"([^"]+)"/g)].map((q) => q[1]);
    };
    assert.deepStrictEqual(tuple('CHILD_FIELDS'), [...TRACE_CHILD_FIELDS]);
    assert.deepStrictEqual(tuple('ENTRY_FIELDS'), [...TRACE_ENTRY_FIELDS]);
  });

  it('the build ships it: dist/tracer/gradlens_tracer.py is a copy of the source (npm run build)', () => {
    const built = path.join(ROOT, 'dist', 'tracer', 'gradlens_tracer.py');
    assert.ok(fs.existsSync(built), `${built} is missing: run npm run build`);
    assert.strictEqual(fs.readFileSync(built, 'utf8'), fs.readFileSync(TRACER, 'utf8'));
  });
});
