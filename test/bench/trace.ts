// Trace mode: what running the user's program with the tracer costs. (1) A training loop
// (trace_training.py: micrograd's engine, an MLP, 300 steps; two @grad sites executed 10,800 and
// 300 times) run plainly with python3 and through runTrace, as the editor's command runs it: the
// ratio is the tracing overhead (the goal: under 2×). (2) The time from the command (the
// runTrace call) to the first lens, on micrograd's neuron, against python3 merely starting. Both
// are printed side by side; nothing is asserted.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTrace } from '../../src/trace/runner';
import type { TraceOutcome } from '../../src/trace/protocol';
import { formatMs, median, table, type BenchSection } from './timing';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TRAINING = path.join(ROOT, 'test', 'bench', 'trace_training.py');
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

/** Wall time of a plain `python3 FILE`, as a user's run (ms), and its output. */
function plainRun(file: string, cwd: string): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(PYTHON, [file], { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${PYTHON} ${file} failed: ${result.stderr || result.error}`);
  return { ms, stdout: result.stdout };
}

/** Wall time of runTrace on a file, from the call to its outcome (ms): every lens arrives with it. */
async function tracedRun(file: string, cwd: string): Promise<{ ms: number; outcome: TraceOutcome }> {
  const start = process.hrtime.bigint();
  const outcome = await runTrace({
    file,
    language: 'python',
    text: fs.readFileSync(file, 'utf8'),
    cwd,
    interpreter: PYTHON,
    timeoutMs: 120_000,
    tracerDir: TRACER_DIR,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (outcome.failure) throw new Error(`runTrace ${file}: ${outcome.failure.message}`);
  return { ms, outcome };
}

export const traceBench: BenchSection = async () => {
  if (spawnSync(PYTHON, ['--version']).status !== 0) return [`${PYTHON} is not on PATH: no trace bench`];
  if (!fs.existsSync(path.join(TRACER_DIR, 'gradlens_tracer.py')))
    return ['dist/tracer/ is missing: run npm run build'];
  const lines: string[] = [];

  // (1) The training loop, plain and traced, interleaved run by run.
  const cwd = path.dirname(TRAINING);
  plainRun(TRAINING, cwd);
  await tracedRun(TRAINING, cwd);
  const plain: number[] = [];
  const traced: number[] = [];
  let plainOut = '';
  let last: TraceOutcome | undefined;
  for (let i = 0; i < RUNS; i++) {
    const p = plainRun(TRAINING, cwd);
    plain.push(p.ms);
    plainOut = p.stdout;
    const t = await tracedRun(TRAINING, cwd);
    traced.push(t.ms);
    last = t.outcome;
  }
  const same = last?.stdout === plainOut ? 'same output' : 'OUTPUT DIFFERS';
  const executions = last?.lenses
    .map((lens) => `${lens.target} ×${lens.trace.executions.toLocaleString('en-US')}`)
    .join(', ');

  // (2) The command to the first lens, on the neuron, against python3 starting and running it.
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

  const ratio = (a: number[], b: number[]) => `${(median(a) / median(b)).toFixed(2)}×`;
  lines.push(
    ...table([
      ['', 'untraced', 'traced', 'ratio', ''],
      [
        'training loop, 300 steps (python3)',
        formatMs(median(plain)),
        formatMs(median(traced)),
        ratio(traced, plain),
        `goal < 2×; ${same}; ${executions}`,
      ],
      [
        'command → first lens (neuron)',
        formatMs(median(start)),
        formatMs(median(firstLens)),
        ratio(firstLens, start),
        'untraced: python3 runs the file',
      ],
    ]),
  );
  lines.push(`medians of ${RUNS} runs each, interleaved; ${last?.interpreter ?? PYTHON}`);
  return lines;
};
