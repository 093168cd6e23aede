// The engine's bench section: the MLP workload (forward + backward) on the Value engine, on a
// flat typed-array tape, and on a micrograd-style Python engine, plus the 100k-node chain.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { MLP, Value } from '../../engine';
import { Tape } from './engine-tape';
import { LAYER_SIZES, parameterValue, points, type Point } from './mlp-workload';
import { compare, formatMs, table, time } from './timing';

interface Pass {
  loss: number;
  nodes: number;
}

/** The Value engine: the project's own code path. Parameters persist; the graph is rebuilt. */
function valueWorkload(): { run: () => Pass } {
  const model = new MLP(LAYER_SIZES[0], LAYER_SIZES.slice(1));
  model.parameters().forEach((p, k) => (p.data = parameterValue(k)));
  const data = points();
  return {
    run() {
      let loss: Value | null = null;
      for (const { x, y } of data) {
        const term = model.forward(x)[0].sub(y).pow(2);
        loss = loss === null ? term : loss.add(term);
      }
      const out = loss as Value;
      out.backward();
      return { loss: out.data, nodes: nodeCount(out) };
    },
  };
}

let countedNodes = -1;
function nodeCount(out: Value): number {
  // Counted once: a topological sort inside the timed loop would inflate the engine's time.
  if (countedNodes < 0) {
    const seen = new Set<Value>();
    const stack = [out];
    while (stack.length > 0) {
      const v = stack.pop() as Value;
      if (seen.has(v)) continue;
      seen.add(v);
      stack.push(...v.children);
    }
    countedNodes = seen.size;
  }
  return countedNodes;
}

/** The same network and loss on the tape, node for node (constants are leaves, as in the engine). */
function tapeWorkload(): { run: () => Pass } {
  const tape = new Tape(1 << 18);
  const params: number[] = [];
  let k = 0;
  for (let l = 1; l < LAYER_SIZES.length; l++) {
    for (let j = 0; j < LAYER_SIZES[l] * (LAYER_SIZES[l - 1] + 1); j++) params.push(tape.leaf(parameterValue(k++)));
  }
  tape.keep();
  const data = points();
  return {
    run() {
      tape.reset();
      let loss = -1;
      for (const p of data) {
        const term = tape.pow(tape.sub(tapeForward(tape, params, p), tape.leaf(p.y)), 2);
        loss = loss < 0 ? term : tape.add(loss, term);
      }
      tape.backward(loss);
      return { loss: tape.data[loss], nodes: tape.length };
    },
  };
}

function tapeForward(tape: Tape, params: readonly number[], p: Point): number {
  let inputs: number[] = [];
  let k = 0;
  for (let l = 1; l < LAYER_SIZES.length; l++) {
    const outputs: number[] = [];
    const fanIn = LAYER_SIZES[l - 1];
    for (let j = 0; j < LAYER_SIZES[l]; j++) {
      let act = params[k + fanIn];
      for (let i = 0; i < fanIn; i++) {
        // Like the engine, a plain-number input becomes a fresh leaf at every use.
        const input = l === 1 ? tape.leaf(p.x[i]) : inputs[i];
        act = tape.add(act, tape.mul(params[k + i], input));
      }
      k += fanIn + 1;
      outputs.push(l === LAYER_SIZES.length - 1 ? act : tape.tanh(act));
    }
    inputs = outputs;
  }
  return inputs[0];
}

interface PythonResult {
  medianMs: number;
  loss: number;
  nodes: number;
}

function pythonScript(): string | null {
  const candidates = [path.resolve(__dirname, '../../../test/bench/micrograd.py'), path.resolve('test/bench/micrograd.py')];
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}

function runPython(): PythonResult | string {
  const script = pythonScript();
  if (script === null) return 'test/bench/micrograd.py not found';
  const result = spawnSync('python3', [script], { encoding: 'utf8', timeout: 300_000 });
  if (result.error) return `python3 is not available (${result.error.message})`;
  if (result.status !== 0) return `python3 failed: ${result.stderr.trim().split('\n').pop()}`;
  return JSON.parse(result.stdout) as PythonResult;
}

function chainBench(): string[] {
  const length = 100_000;
  const timing = time(() => {
    const x = new Value(0.5, 'x');
    let y = x;
    for (let i = 0; i < length; i++) y = y.tanh();
    y.backward();
  }, { warmup: 3, runs: 9 });
  return [`100k-node chain (tanh ×100,000), forward + backward: ${formatMs(timing.medianMs)} (median of 9)`];
}

export async function engineBench(): Promise<string[]> {
  const engine = valueWorkload();
  const tape = tapeWorkload();
  const enginePass = engine.run();
  const tapePass = tape.run();
  const [engineTime, tapeTime] = compare([() => engine.run(), () => tape.run()], { warmup: 10, runs: 31 });
  const python = runPython();

  const lines = [`MLP 2-16-16-1 (tanh), squared loss over 100 points, one forward + backward (${enginePass.nodes} nodes):`];
  const rows: string[][] = [['implementation', 'median', 'loss', 'engine speed-up']];
  rows.push(['Value engine (engine/)', formatMs(engineTime.medianMs), enginePass.loss.toFixed(6), '1.00×']);
  rows.push(['typed-array tape (TS)', formatMs(tapeTime.medianMs), tapePass.loss.toFixed(6), `${(tapeTime.medianMs / engineTime.medianMs).toFixed(2)}×`]);
  if (typeof python === 'string') {
    rows.push(['micrograd-style Python', 'skipped', '-', '-']);
  } else {
    rows.push(['micrograd-style Python', formatMs(python.medianMs), python.loss.toFixed(6), `${(python.medianMs / engineTime.medianMs).toFixed(1)}×`]);
  }
  lines.push(...table(rows).map((r) => `  ${r}`));
  if (typeof python === 'string') lines.push(`  Python column skipped: ${python}`);
  else lines.push(`  engine vs Python: ${(python.medianMs / engineTime.medianMs).toFixed(1)}× faster (goal ≥ 60×)`);
  lines.push(`  engine vs tape: ${(engineTime.medianMs / tapeTime.medianMs).toFixed(2)}× the tape's time (goal ≤ 1.5×)`);
  const losses = [enginePass.loss, tapePass.loss, ...(typeof python === 'string' ? [] : [python.loss])];
  const agree = losses.every((l) => Math.abs(l - enginePass.loss) <= 1e-9 * Math.abs(enginePass.loss));
  lines.push(`  same workload check: losses ${agree ? 'agree' : 'DIFFER'} across implementations`);
  lines.push(...chainBench());
  return lines;
}
