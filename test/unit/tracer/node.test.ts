// The Node tracer (dist/tracer/node.js) end to end: a request written by hand from the fixture's
// text, the tracer run as the runner runs it (`node node.js request.json`), and its result checked
// against numbers computed here independently (a forward pass and a reverse sweep of our own over
// the traced graph, or closed forms), and against an untraced run of the same program.
// Needs `dist/tracer/node.js` (npm run build; `npm test` and `npm run test:unit` build first).
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { TraceRequest, TraceResult, TraceSiteRequest, TracedGraph, TracedSite } from '../../../src/trace/protocol';
import { instrument } from '../../../src/tracer/node/instrument';
import { sourceNames } from '../../../src/tracer/node/sourceNames';

/** The repository: the first folder up from here with a package.json (out/test/unit/tracer when compiled). */
const ROOT = repositoryRoot(__dirname);
const TRACER = path.join(ROOT, 'dist', 'tracer', 'node.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'trace', 'ts');
/** sucrase's own require hook: how a learner runs a .ts file without a build step (the untraced run). */
const SUCRASE_REGISTER = require.resolve('sucrase/register', { paths: [ROOT] });

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The sites of a fixture, found as the extension finds them: one statement per `// @grad` line. */
function sitesOf(text: string): TraceSiteRequest[] {
  const sites: TraceSiteRequest[] = [];
  let offset = 0;
  text.split('\n').forEach((line, n) => {
    const tag = line.indexOf('// @grad');
    if (tag >= 0) {
      const content = line.slice(0, tag).replace(/\s+$/, '').replace(/;$/, '');
      const lead = content.length - content.trimStart().length;
      const start = offset + lead;
      const end = offset + content.length;
      const statement = content.trim();
      const assign = /^((?:const|let|var)\s+)?([\w$.]+)\s*=(?!=)\s*/.exec(statement);
      const ret = statement.startsWith('return ');
      sites.push({
        id: sites.length,
        unit: 0,
        start,
        end,
        line: n,
        endLine: n,
        form: ret ? 'return' : assign ? 'assign' : 'expression',
        target: assign && !ret ? assign[2] : '',
        exprStart: ret ? start + 7 : assign ? start + assign[0].length : start,
        exprEnd: end,
      });
    }
    offset += line.length + 1;
  });
  return sites;
}

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
}

interface Traced extends Run {
  result: TraceResult;
  request: TraceRequest;
  /** Files in the run's folders afterwards that were not there before (request and result excluded). */
  newFiles: string[];
}

/** A fresh copy of the fixtures (the program runs there, so any file it or the tracer wrote shows). */
function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-node-tracer-ws-'));
  for (const name of fs.readdirSync(FIXTURES)) fs.copyFileSync(path.join(FIXTURES, name), path.join(dir, name));
  return dir;
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).sort();
}

interface TraceOptions {
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Send this signal after this many ms (the runner's timeout or cancel). */
  kill?: { signal: NodeJS.Signals; afterMs: number };
}

async function trace(fixture: string, options: TraceOptions = {}): Promise<Traced> {
  const ws = workspace();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-node-tracer-req-'));
  const entry = path.join(ws, fixture);
  const source = fs.readFileSync(entry, 'utf8');
  const request: TraceRequest = {
    version: 1,
    language: 'node',
    entry,
    units: [{ name: entry, source }],
    sites: sitesOf(source),
    cwd: ws,
    resultPath: path.join(temp, 'result.json'),
    historyLimit: 1000,
    graphNodeLimit: 20000,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
  fs.writeFileSync(path.join(temp, 'request.json'), JSON.stringify(request));
  const before = listFiles(ws);
  const run = await runNode([TRACER, path.join(temp, 'request.json')], ws, options);
  const newFiles = [
    ...listFiles(ws).filter((f) => !before.includes(f)),
    ...listFiles(temp).filter((f) => f !== 'request.json' && f !== 'result.json'),
  ];
  const result = JSON.parse(fs.readFileSync(request.resultPath, 'utf8')) as TraceResult;
  fs.rmSync(ws, { recursive: true, force: true });
  fs.rmSync(temp, { recursive: true, force: true });
  return { ...run, result, request, newFiles };
}

async function untraced(fixture: string, env: Record<string, string> = {}): Promise<Run> {
  const ws = workspace();
  const args = fixture.endsWith('.js') ? [fixture] : ['-r', SUCRASE_REGISTER, fixture];
  const run = await runNode(args, ws, { env });
  fs.rmSync(ws, { recursive: true, force: true });
  return run;
}

function runNode(args: string[], cwd: string, options: TraceOptions): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const kill = options.kill;
    const timer = kill ? setTimeout(() => child.kill(kill.signal), kill.afterMs) : undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({ stdout, stderr, status, signal, ms: Date.now() - started });
    });
  });
}

// ---- Our own arithmetic over a traced graph: the forward pass and the reverse sweep ---------------

type GraphNode = TracedGraph['nodes'][number];

function local(node: GraphNode, kids: GraphNode[]): { data: number; partials: number[] } {
  const x = kids.map((k) => k.data as number);
  switch (node.op) {
    case '+':
      return { data: x.reduce((a, b) => a + b, 0), partials: x.map(() => 1) };
    case '*':
      return { data: x[0] * x[1], partials: [x[1], x[0]] };
    case 'tanh': {
      const t = Math.tanh(x[0]);
      return { data: t, partials: [1 - t * t] };
    }
    case 'relu':
      return { data: Math.max(0, x[0]), partials: [x[0] > 0 ? 1 : 0] };
    default: {
      assert.ok(node.exponent !== null, `op ${node.op} is not one these tests know`);
      const k = node.exponent;
      return { data: x[0] ** k, partials: [k * x[0] ** (k - 1)] };
    }
  }
}

/** Recomputes every node's data from the leaves' and checks it; returns d(root)/d(node) by our own sweep. */
function checkForwardAndSweep(graph: TracedGraph): number[] {
  const nodes = graph.nodes;
  const order: number[] = [];
  const seen = new Set<number>();
  const visit = (id: number) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const c of nodes[id].children) visit(c);
    order.push(id);
  };
  visit(graph.root);
  for (const id of order) {
    const node = nodes[id];
    if (node.children.length === 0) continue;
    const { data } = local(
      node,
      node.children.map((c) => nodes[c]),
    );
    assertClose(node.data as number, data, `data of node ${id} (${node.op})`);
  }
  const grads = nodes.map(() => 0);
  grads[graph.root] = 1;
  for (const id of [...order].reverse()) {
    const node = nodes[id];
    if (node.children.length === 0) continue;
    const { partials } = local(
      node,
      node.children.map((c) => nodes[c]),
    );
    node.children.forEach((c, k) => (grads[c] += partials[k] * grads[id]));
  }
  return grads;
}

function assertClose(actual: number, expected: number, what: string, rel = 1e-9): void {
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= rel * scale, `${what}: ${actual} vs ${expected}`);
}

function site(result: TraceResult, id: number): TracedSite {
  const found = result.sites.find((s) => s.id === id);
  assert.ok(found, `site ${id} in the result`);
  return found;
}

function gradOf(s: TracedSite, name: string): number | null {
  const v = s.last?.variables.find((variable) => variable.name === name);
  assert.ok(v, `variable ${name} in ${JSON.stringify(s.last?.variables)}`);
  return s.last!.graph!.nodes[v.node].grad;
}

describe('node tracer', function () {
  this.timeout(60_000);

  before(function () {
    assert.ok(fs.existsSync(TRACER), `${TRACER} is missing: run npm run build first`);
  });

  describe('a TypeScript training loop (engine imported from a second file)', () => {
    let traced: Traced;
    let plain: Run;
    before(async () => {
      [traced, plain] = await Promise.all([trace('train.ts'), untraced('train.ts')]);
    });

    it('prints exactly what the untraced run prints, exit handlers included (grads and data restored)', () => {
      assert.strictEqual(plain.status, 0, plain.stderr);
      assert.strictEqual(traced.stdout, plain.stdout);
      assert.strictEqual(traced.stderr, plain.stderr);
      assert.strictEqual(traced.status, 0);
      assert.ok(traced.stdout.includes('at exit: '));
    });

    it('counts executions and keeps the loss history the program printed', () => {
      const loss = site(traced.result, 1);
      assert.strictEqual(loss.executions, 25);
      assert.strictEqual(loss.historyStride, 1);
      const printed = [...traced.stdout.matchAll(/^step \d+ loss (\S+)$/gm)].map((m) => m[1]);
      assert.deepStrictEqual(
        loss.history.map((v) => (v as number).toFixed(6)),
        printed,
      );
      // The site inside the method: 4 units x 4 points x 25 steps.
      assert.strictEqual(site(traced.result, 0).executions, 400);
      assert.strictEqual(site(traced.result, 0).history.length, 400);
    });

    it("measures the last execution with the user's backward(): our own sweep agrees, leaf data as they were then", () => {
      for (const id of [0, 1]) {
        const s = site(traced.result, id);
        assert.strictEqual(s.last?.kind, 'value');
        const graph = s.last.graph!;
        assert.strictEqual(graph.nodes[graph.root].data, s.history[s.history.length - 1]);
        // The forward pass recomputed from the graph's leaves gives the recorded value: the leaves
        // hold the data of the last execution, not what the final update left in them.
        const ours = checkForwardAndSweep(graph);
        graph.nodes.forEach((node, k) => assertClose(node.grad as number, ours[k], `grad of node ${k} at site ${id}`));
        assert.ok(
          graph.nodes.some((n) => n.children.length === 0 && n.grad !== 0),
          'some leaf has a gradient',
        );
      }
      assert.ok(site(traced.result, 1).last!.graph!.nodes.length > 100);
    });

    it('reports the result as a finished run and writes no file', () => {
      assert.strictEqual(traced.result.finished, true);
      assert.strictEqual(traced.result.stopped, null);
      assert.strictEqual(traced.result.error, null);
      assert.match(traced.result.interpreter, /^Node v\d+/);
      assert.deepStrictEqual(traced.newFiles, []);
    });
  });

  describe('a jest-style test file', () => {
    let traced: Traced;
    before(async () => {
      traced = await trace('scalar.test.ts');
    });

    it('runs the test bodies and reads the sites inside them', () => {
      const out = site(traced.result, 0);
      assert.strictEqual(out.executions, 1);
      const t = Math.tanh(2 * -0.5 + 0.25);
      assertClose(out.last!.value!, t, 'tanh(x*w+b)');
      assertClose(gradOf(out, 'x')!, -0.5 * (1 - t * t), 'd/dx');
      assertClose(gradOf(out, 'w')!, 2 * (1 - t * t), 'd/dw');
      assertClose(gradOf(out, 'b')!, 1 - t * t, 'd/db');
      assert.deepStrictEqual(
        out.last!.variables.map((v) => [v.name, v.leaf]),
        [
          ['x', true],
          ['w', true],
          ['b', true],
        ],
      );
      const sq = site(traced.result, 1);
      assert.strictEqual(sq.last!.value, 18);
      assert.strictEqual(gradOf(sq, 'u'), 12); // u*u + u^2: 2u + 2u
      const r = site(traced.result, 2);
      assert.strictEqual(r.last!.value, 0);
      assert.strictEqual(gradOf(r, 'v'), 0);
      const cube = site(traced.result, 3); // in a test that takes a `done` callback
      assert.strictEqual(cube.last!.value, 0.125);
      assert.strictEqual(gradOf(cube, 'z'), 0.75); // 3 z^2
    });

    it('reports a failing expectation as the program output, with the exit code a runner gives', () => {
      assert.match(
        traced.stderr,
        /✕ a failing expectation is the program output, not a crash\n {2}expect\(0\)\.toBe\(1\)/,
      );
      assert.strictEqual(traced.status, 1);
      assert.strictEqual(traced.result.error, null);
    });
  });

  it("reads the user's own (wrong) gradients: the `grad =` instead of `+=` engine", async () => {
    const [traced, plain] = await Promise.all([trace('assign_bug.js'), untraced('assign_bug.js')]);
    assert.strictEqual(traced.stdout, plain.stdout);
    const y = site(traced.result, 0);
    assert.strictEqual(y.last!.value, -3); // a*b + a with a = 3, b = -2
    // The true d/da is b + 1 = -1; this engine keeps only the last use's share, b = -2.
    assert.strictEqual(gradOf(y, 'a'), -2);
    assert.strictEqual(gradOf(y, 'b'), 3);
    assert.strictEqual(gradOf(y, 'c'), 1);
    assert.deepStrictEqual(
      y.last!.variables.map((v) => [v.name, v.leaf]),
      [
        ['c', false],
        ['a', true],
        ['b', true],
      ],
    );
  });

  it("seeds the output's gradient for an engine that leaves it to the caller, and does not double an engine's own `+= 1`", async () => {
    const [traced, plain] = await Promise.all([trace('seeding.js'), untraced('seeding.js')]);
    assert.strictEqual(traced.stdout, plain.stdout);
    for (const id of [0, 1]) {
      const s = site(traced.result, id);
      const graph = s.last!.graph!;
      const expected = checkForwardAndSweep(graph);
      graph.nodes.forEach((node, k) => assertClose(node.grad as number, expected[k], `site ${id}, grad of node ${k}`));
    }
    // Both are the program's own numbers: L = tanh(a*b + a), M = p*q + p.
    assertClose(gradOf(site(traced.result, 0), 'a') as number, Number(plain.stdout.split(' ')[0]), 'dL/da', 1e-6);
    assert.strictEqual(gradOf(site(traced.result, 1), 'p'), -2);
    assert.strictEqual(gradOf(site(traced.result, 1), 'q'), 2);
  });

  it('finds the inputs in the fields ports use (`parents`, `_operands`, `depends_on` pairs and entries)', async () => {
    const traced = await trace('child_fields.js');
    for (const id of [0, 1, 2, 3]) {
      const graph = site(traced.result, id).last!.graph!;
      assert.strictEqual(graph.nodes.length, 5, `site ${id}: tanh, +, *, x, w`);
      const expected = checkForwardAndSweep(graph);
      graph.nodes.forEach((node, k) => assertClose(node.grad as number, expected[k], `site ${id}, grad of node ${k}`));
    }
    // `sources` is no port's field: the tanh reads as a node without inputs (toLenses says so).
    const unknown = site(traced.result, 4).last!.graph!;
    assert.deepStrictEqual(
      unknown.nodes.map((n) => [n.op, n.children.length]),
      [['tanh', 0]],
    );
  });

  it('names the leaves no plain name refers to by the members the site reads: `this.w[0]`, `this.b`, `lin.w`', async () => {
    const traced = await trace('members.js');
    const act = site(traced.result, 0);
    // act = w0*x0 + w1*x1 + b with x = (2, 4): d/dw0 = 2, d/dw1 = 4, d/db = 1.
    assert.strictEqual(gradOf(act, 'this.w[0]'), 2);
    assert.strictEqual(gradOf(act, 'this.w[1]'), 4);
    assert.strictEqual(gradOf(act, 'this.b'), 1);
    assert.ok(act.last!.variables.every((v) => v.leaf === (act.last!.graph!.nodes[v.node].children.length === 0)));
    // y = lin.w * out: d/d(lin.w) = out (-1.375, as the program prints it).
    const y = site(traced.result, 1);
    assert.strictEqual(gradOf(y, 'lin.w'), Number(traced.stdout.split(' ')[0]));
    assert.strictEqual(gradOf(y, 'out'), 3);
  });

  it('a value without backward() keeps its value and graph, marked; `Math.tanh(v)` on a Value says NaN and why', async () => {
    const traced = await trace('no_backward.js');
    const o = site(traced.result, 0).last!;
    assert.strictEqual(o.kind, 'value');
    assert.strictEqual(o.noBackward, true);
    assert.match(o.note!, /no backward\(\) method.*it has a `_backward`/);
    assert.strictEqual(o.graph!.nodes.length, 4);
    assert.ok(o.graph!.nodes.every((n) => n.grad === null));
    const nan = site(traced.result, 1).last!;
    assert.strictEqual(nan.value, null);
    assert.match(nan.note!, /^the value is NaN: in JavaScript, `Math\.\*` functions and arithmetic operators/);
  });

  it('says it could not SET the gradient when `grad` is a getter without a setter', async () => {
    const [traced, plain] = await Promise.all([trace('getter_grad.js'), untraced('getter_grad.js')]);
    assert.strictEqual(traced.stdout, plain.stdout);
    const last = site(traced.result, 0).last!;
    assert.strictEqual(last.kind, 'value');
    assert.strictEqual(last.value, 6);
    assert.match(last.note ?? '', /could not set the gradient \(`grad`\) to 0 to run your backward\(\)/);
    assert.ok(last.graph!.nodes.every((n) => n.grad === null));
  });

  it('reports an exception at the line that raised it, with the exit code and output of the untraced run', async () => {
    const [traced, plain] = await Promise.all([trace('throws.ts'), untraced('throws.ts')]);
    assert.strictEqual(traced.status, plain.status);
    assert.strictEqual(traced.status, 1);
    assert.strictEqual(traced.stdout, plain.stdout);
    const error = traced.result.error!;
    assert.strictEqual(error.type, 'RangeError');
    assert.strictEqual(error.message, 'no schedule past epoch 3');
    assert.strictEqual(error.unit, 0);
    const lines = traced.request.units[0].source.split('\n');
    assert.match(lines[error.line!], /throw new RangeError/);
    assert.strictEqual(traced.result.finished, false);
    // The loop's site ran four times (epochs 0 to 3), the one after the loop never.
    const loss = site(traced.result, 0);
    assert.strictEqual(loss.executions, 4);
    // Epoch 3's loss: w*w + 3, w after three updates w -= lr(e) * 2w with lr(e) = 0.1 / (e + 1).
    let w = 0.5;
    for (let e = 0; e < 3; e++) w -= (0.1 / (e + 1)) * 2 * w;
    assertClose(loss.last!.value!, w * w + 3, 'the last loss');
    assertClose(gradOf(loss, 'w')!, 2 * w, 'd/dw');
    assert.strictEqual(site(traced.result, 1).executions, 0);
    assert.strictEqual(site(traced.result, 1).last, null);
  });

  it('reads a site inside an array callback at each call, and writes its result when the program calls process.exit', async () => {
    const traced = await trace('callbacks.ts');
    assert.strictEqual(traced.status, 3);
    assert.strictEqual(traced.stdout, 'x=1 y=0.4621\nx=2 y=0.7616\nx=3 y=0.9051\n');
    const y = site(traced.result, 0);
    assert.strictEqual(y.executions, 3);
    [1, 2, 3].forEach((x, k) => assertClose(y.history[k]!, Math.tanh(0.5 * x), `history ${k}`));
    const t = Math.tanh(1.5);
    assertClose(gradOf(y, 'w')!, 3 * (1 - t * t), 'd/dw at the last call (x = 3)');
    assert.strictEqual(site(traced.result, 1).executions, 0);
    assert.strictEqual(traced.result.error, null);
  });

  it('reads a returned expression and a bare expression statement', async () => {
    const traced = await trace('forms.ts');
    assert.strictEqual(traced.stdout, '9\n');
    assert.deepStrictEqual(
      traced.request.sites.map((s) => s.form),
      ['return', 'expression'],
    );
    const ret = site(traced.result, 0);
    assert.strictEqual(ret.executions, 3);
    assert.deepStrictEqual(ret.history, [9, 4, 9]);
    assert.strictEqual(gradOf(ret, 'v'), 6); // v*v at v = 3
    const expr = site(traced.result, 1);
    assert.strictEqual(expr.last!.value, 13);
    assert.strictEqual(gradOf(expr, 'a'), 6);
  });

  it("resolves the workspace folder's packages for a file outside it", async () => {
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-node-tracer-outside-'));
    try {
      const ws = path.join(temp, 'workspace');
      fs.mkdirSync(path.join(ws, 'node_modules', 'tinylib'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'node_modules', 'tinylib', 'index.js'), 'exports.twice = (x) => x * 2;\n');
      const entry = path.join(temp, 'elsewhere', 'script.mjs');
      fs.mkdirSync(path.dirname(entry));
      const source = "import { twice } from 'tinylib';\nconst n = twice(21); // @grad\n";
      fs.writeFileSync(entry, source);
      const request: TraceRequest = {
        version: 1,
        language: 'node',
        entry,
        units: [{ name: entry, source }],
        sites: sitesOf(source),
        cwd: ws,
        resultPath: path.join(temp, 'result.json'),
        historyLimit: 1000,
        graphNodeLimit: 20000,
      };
      fs.writeFileSync(path.join(temp, 'request.json'), JSON.stringify(request));
      const run = await runNode([TRACER, path.join(temp, 'request.json')], ws, {});
      assert.strictEqual(run.status, 0, run.stderr);
      const result = JSON.parse(fs.readFileSync(request.resultPath, 'utf8')) as TraceResult;
      assert.deepStrictEqual(site(result, 0).last, {
        kind: 'number',
        value: 42,
        note: null,
        variables: [],
        graph: null,
      });
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  });

  it('says a site was never reached', async () => {
    const traced = await trace('unreached.ts');
    assert.strictEqual(site(traced.result, 0).executions, 0);
    assert.strictEqual(site(traced.result, 0).last, null);
    assert.deepStrictEqual(site(traced.result, 0).history, []);
    assert.strictEqual(site(traced.result, 1).last!.value, 2);
    assert.strictEqual(traced.stdout, '2\n');
  });

  it('runs an ES module with top-level await and import.meta', async () => {
    const traced = await trace('modern.mts');
    assert.strictEqual(traced.stderr, '');
    assert.strictEqual(traced.stdout, 'modern.mts 0.75\n');
    const out = site(traced.result, 0);
    assert.strictEqual(out.last!.value, 0.75);
    assert.strictEqual(gradOf(out, 'w'), 2); // w*w + w at w = 0.5
  });

  it('runs a React component file without rendering it: its site is not reached', async () => {
    const traced = await trace('component.tsx');
    assert.strictEqual(traced.status, 0, traced.stderr);
    assert.strictEqual(traced.result.error, null);
    assert.strictEqual(site(traced.result, 0).executions, 0);
    assert.strictEqual(site(traced.result, 0).last, null);
  });

  it("stops keeping a hot site's leaf data when that costs more than the program, and says so", async () => {
    const [traced, plain] = await Promise.all([trace('hot_site.js'), untraced('hot_site.js')]);
    assert.strictEqual(traced.stdout, plain.stdout);
    const out = site(traced.result, 0);
    assert.strictEqual(out.executions, 6000);
    assert.strictEqual(out.last!.value, 17998); // 0 + the sum of i % 7 for i = 1..6000
    assert.match(out.last!.note!, /may differ from the last execution's \(the site ran 6000 times over large graphs/);
    // Nothing wrong is hidden: here no leaf changed after the run, so the gradients are still right.
    assert.ok(out.last!.graph!.nodes.every((n) => n.grad === 1));
    assert.ok(traced.ms < 20_000, `${traced.ms} ms`);
  });

  it('stops a program busy in an endless synchronous loop at timeoutMs and still writes its result', async () => {
    const traced = await trace('forever.ts', { timeoutMs: 1500 });
    assert.strictEqual(traced.result.stopped, 'timeout');
    assert.strictEqual(traced.result.finished, false);
    assert.strictEqual(traced.signal, 'SIGTERM');
    assert.ok(traced.ms < 10_000, `stopped after ${traced.ms} ms`);
    const loss = site(traced.result, 0);
    assert.ok(loss.executions > 1000, `${loss.executions} executions`);
    assert.ok(loss.historyStride > 1 && loss.history.length <= 1000, 'the history is downsampled');
    assert.strictEqual(loss.history.length, Math.ceil(loss.executions / loss.historyStride));
    // (w - 0.25)^2: d/dw = 2 (w - 0.25), at the last execution's w.
    const graph = loss.last!.graph!;
    const ours = checkForwardAndSweep(graph);
    assertClose(gradOf(loss, 'w')!, ours[loss.last!.variables[0].node], 'd/dw');
    assert.strictEqual(traced.stderr, '');
    assert.deepStrictEqual(traced.newFiles, []);
  });

  it('writes its result when SIGTERM ends an endless program on a timer, and dies by that signal', async () => {
    const traced = await trace('forever_async.ts', { kill: { signal: 'SIGTERM', afterMs: 1200 } });
    assert.strictEqual(traced.result.stopped, 'signal');
    assert.strictEqual(traced.signal, 'SIGTERM');
    const loss = site(traced.result, 0);
    assert.ok(loss.executions > 10, `${loss.executions} executions`);
    const w = loss.last!.graph!.nodes[loss.last!.variables[0].node];
    assertClose(w.grad!, 2 * (w.data! - 0.5), 'd/dw');
  });

  // What tracing costs against an untraced run is measured by `npm run bench` (trace mode).
  it('prints what the untraced run prints on a longer training loop (300 steps)', async () => {
    const env = { TRAIN_STEPS: '300' };
    const [t, u] = [await trace('train.ts', { env }), await untraced('train.ts', env)];
    assert.strictEqual(t.stdout, u.stdout);
    assert.strictEqual(site(t.result, 1).executions, 300);
  });
});

describe('node tracer: probes in the source text', () => {
  it('adds no line: every fixture keeps its line count and each site its line, before and after the transpile', () => {
    for (const name of fs.readdirSync(FIXTURES)) {
      const file = path.join(FIXTURES, name);
      const source = fs.readFileSync(file, 'utf8');
      const sites = sitesOf(source);
      const { code, probed } = instrument(source, file, sites);
      assert.deepStrictEqual([...probed].sort(), sites.map((s) => s.id).sort(), `every site of ${name} probed`);
      // A module with top-level await runs inside an async function: one more line, at the end.
      const wrapped = code.startsWith('(async () => {') ? 1 : 0;
      assert.strictEqual(wrapped, name === 'modern.mts' ? 1 : 0);
      assert.strictEqual(code.split('\n').length, source.split('\n').length + wrapped, `${name} keeps its lines`);
      const lines = code.split('\n');
      for (const s of sites) assert.ok(lines[s.line].includes(`${s.id},`), `${name}: site ${s.id} on line ${s.line}`);
    }
  });

  it('drops only the probe that cannot stand where its site is (a class field), and keeps the others', () => {
    const source = 'class A {\n  f = 1; // @grad\n}\nconst g = new A().f * 2; // @grad\n';
    const sites = sitesOf(source);
    const { code, probed } = instrument(source, '/virtual/a.js', sites);
    assert.deepStrictEqual([...probed], [1]);
    assert.strictEqual(code.split('\n').length, 5);
  });

  it('lists the names a probe reads: declarations and uses, never properties, strings or comments', () => {
    const source =
      "import { scalar } from './s';\nconst w = scalar(2); // w.data\nconst s = `${w.grad} x`;\nfunction f(a, b) { return a.times(b); }\n";
    assert.deepStrictEqual(sourceNames(source).names, ['w', 's', 'f', 'a', 'b']);
  });
});
