// Trace mode: what running the user's program with the tracer costs. (1) A training loop
// (trace_training.py: micrograd's engine, an MLP, 300 steps; two @grad sites executed 10,800 and
// 300 times) run plainly with python3 and through runTrace, as the editor's command runs it: the
// ratio is the tracing overhead (the goal: under 2×). (2) The same for a TypeScript
// training loop (the Node tracer's fixture train.ts, 300 steps), untraced as a learner runs it:
// node with sucrase's require hook. (3) The time from the command (the runTrace call) to the
// first lens, on micrograd's neuron, against python3 merely starting. All are printed side by
// side; nothing is asserted.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTrace } from '../../src/trace/runner';
import type { TraceOutcome } from '../../src/trace/protocol';
import { formatMs, median, table, type BenchSection } from './timing';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TRAINING = path.join(ROOT, 'test', 'bench', 'trace_training.py');
const TS_TRAINING = path.join(ROOT, 'test', 'fixtures', 'trace', 'ts', 'train.ts');
const TRACER_DIR = path.join(ROOT, 'dist', 'tracer');
const RUNS = 5;
const PYTHON = 'python3';

const NEURON = [
  'import math',
  '',
  'class Value:',
  '    def __init__(self, data, _children=(), _op=""):',
  '        self.data, self.grad, self._prev, self._op = data, 0.0, set(_children), _op',
  '        self._backward = lambda: None',
  '    def __add__(self, other):',
  '        out = Value(self.data + other.data, (self, other), "+")',
  '        def _backward():',
  '            self.grad += out.grad',
  '            other.grad += out.grad',
  '        out._backward = _backward',
  '        return out',
  '    def __mul__(self, other):',
  '        out = Value(self.data * other.data, (self, other), "*")',
  '        def _backward():',
  '            self.grad += other.data * out.grad',
  '            other.grad += self.data * out.grad',
  '        out._backward = _backward',
  '        return out',
  '    def tanh(self):',
  '        t = math.tanh(self.data)',
  '        out = Value(t, (self,), "tanh")',
  '        def _backward():',
  '            self.grad += (1 - t ** 2) * out.grad',
  '        out._backward = _backward',
  '        return out',
  '    def backward(self):',
  '        topo, seen = [], set()',
  '        def build(v):',
  '            if v not in seen:',
  '                seen.add(v)',
  '                for child in v._prev:',
  '                    build(child)',
  '                topo.append(v)',
  '        build(self)',
  '        self.grad = 1.0',
  '        for v in reversed(topo):',
  '            v._backward()',
  '',
  'x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)',
  'b = Value(6.8813735870195432)',
  'n = x1*w1 + x2*w2 + b',
  'o = n.tanh()  # @grad',
  '',
].join('\n');

/** Wall time of a plain run of FILE, as a user runs it (ms), and its output. */
function plainRun(file: string, cwd: string): { ms: number; stdout: string } {
  const [command, args] = file.endsWith('.py')
    ? [PYTHON, [file]]
    : [process.execPath, ['-r', require.resolve('sucrase/register', { paths: [ROOT] }), file]];
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${file} failed: ${result.stderr || String(result.error)}`);
  return { ms, stdout: result.stdout };
}

/** Wall time of runTrace on a file, from the call to its outcome (ms): every lens arrives with it. */
async function tracedRun(file: string, cwd: string): Promise<{ ms: number; outcome: TraceOutcome }> {
  const start = process.hrtime.bigint();
  const outcome = await runTrace({
    file,
    language: file.endsWith('.py') ? 'python' : 'typescript',
    text: fs.readFileSync(file, 'utf8'),
    cwd,
    interpreter: file.endsWith('.py') ? PYTHON : process.execPath,
    timeoutMs: 120_000,
    tracerDir: TRACER_DIR,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (outcome.failure) throw new Error(`runTrace ${file}: ${outcome.failure.message}`);
  return { ms, outcome };
}

/** A training loop run plainly and traced, interleaved run by run: [untraced, traced, ratio, note]. */
async function overhead(file: string): Promise<string[]> {
  const cwd = path.dirname(file);
  plainRun(file, cwd);
  await tracedRun(file, cwd);
  const plain: number[] = [];
  const traced: number[] = [];
  let plainOut = '';
  let last: TraceOutcome | undefined;
  for (let i = 0; i < RUNS; i++) {
    const p = plainRun(file, cwd);
    plain.push(p.ms);
    plainOut = p.stdout;
    const t = await tracedRun(file, cwd);
    traced.push(t.ms);
    last = t.outcome;
  }
  const same = last?.stdout === plainOut ? 'same output' : 'OUTPUT DIFFERS';
  const executions = last?.lenses
    .map((lens) => `${lens.target} ×${lens.trace.executions.toLocaleString('en-US')}`)
    .join(', ');
  return [
    formatMs(median(plain)),
    formatMs(median(traced)),
    `${(median(traced) / median(plain)).toFixed(2)}×`,
    `goal < 2×; ${same}; ${executions}`,
  ];
}

/** `f()` with one environment variable set (the traced and the untraced child both inherit it). */
async function withEnv<T>(name: string, value: string, f: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

export const traceBench: BenchSection = async () => {
  if (spawnSync(PYTHON, ['--version']).status !== 0) return [`${PYTHON} is not on PATH: no trace bench`];
  if (!fs.existsSync(path.join(TRACER_DIR, 'gradlens_tracer.py')))
    return ['dist/tracer/ is missing: run npm run build'];
  const lines: string[] = [];

  // (1) and (2): the training loops, plain and traced.
  const python = await overhead(TRAINING);
  const node = await withEnv('TRAIN_STEPS', '300', () => overhead(TS_TRAINING));

  // (3) The command to the first lens, on the neuron, against python3 starting and running it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-bench-trace-'));
  const neuron = path.join(dir, 'neuron.py');
  fs.writeFileSync(neuron, NEURON);
  const start: number[] = [];
  const firstLens: number[] = [];
  try {
    plainRun(neuron, dir);
    await tracedRun(neuron, dir);
    for (let i = 0; i < RUNS; i++) {
      start.push(plainRun(neuron, dir).ms);
      firstLens.push((await tracedRun(neuron, dir)).ms);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  lines.push(
    ...table([
      ['', 'untraced', 'traced', 'ratio', ''],
      ['training loop, 300 steps (python3)', ...python],
      ['training loop, 300 steps (node, TypeScript)', ...node],
      [
        'command → first lens (neuron)',
        formatMs(median(start)),
        formatMs(median(firstLens)),
        `${(median(firstLens) / median(start)).toFixed(2)}×`,
        'untraced: python3 runs the file',
      ],
    ]),
  );
  lines.push(`medians of ${RUNS} runs each, interleaved; ${PYTHON}, node ${process.version}`);
  return lines;
};
