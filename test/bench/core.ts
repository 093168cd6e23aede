// The core's speed: analysing a generated 2,000-line file with 200 annotations (what the
// extension does on each edit: unchanged lenses reuse their memoised gradcheck), and a 20,000-line straight-line chain annotated at its end,
// through the CLI (a spawned process, start-up included) and in-process.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeText } from '../../src/core';
import { clearGradcheckMemo } from '../../src/core/gradcheck';
import { formatMs, median, table, time, type BenchSection } from './timing';

/** micrograd-style neurons, ten lines each, each annotated at its output. */
export function neuronFile(lines: number): string {
  const out: string[] = [];
  for (let k = 0; out.length < lines; k++) {
    out.push(
      `# neuron ${k}`,
      `x1_${k} = Value(${((k % 7) / 3).toFixed(3)}, label='x1')`,
      `x2_${k} = Value(0.5, label='x2')`,
      `w1_${k} = Value(-3.0, label='w1'); w2_${k} = Value(1.0, label='w2')`,
      `b_${k} = Value(${(k % 5) / 10 + 0.2}, label='b')`,
      `x1w1_${k} = x1_${k}*w1_${k}; x1w1_${k}.label = 'x1*w1'`,
      `x2w2_${k} = x2_${k}*w2_${k}; x2w2_${k}.label = 'x2*w2'`,
      `n_${k} = x1w1_${k} + x2w2_${k} + b_${k}`,
      `o_${k} = n_${k}.tanh()  # @grad`,
      '',
    );
  }
  return out.slice(0, lines).join('\n');
}

export function chainFile(lines: number): string {
  const out = ['x0 = 0.5'];
  for (let i = 1; i < lines; i++) out.push(`x${i} = x${i - 1} * 0.9999 + 0.0001`);
  out[out.length - 1] += '  # @grad';
  return out.join('\n') + '\n';
}

function spawnCli(file: string): number {
  const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, file], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`gradlens exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** Median CPU time (user + system) of `fn`, ms: less sensitive than wall time to other load. */
function cpuMedian(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  return median(samples);
}

export const coreBench: BenchSection = async () => {
  const file = neuronFile(2000);
  const lenses = analyzeText(file);
  if (lenses.length !== 200 || lenses.some((l) => l.value === null))
    throw new Error('the generated file does not give 200 good lenses');
  // No forced full collection before each run here: the editor analyses with a warm heap, and a
  // forced collection makes the next run's allocations several times slower than they really are.
  const edit = time(() => analyzeText(file), { warmup: 10, runs: 41, collect: false });
  const editCpu = cpuMedian(() => analyzeText(file), 41);
  // Every lens's gradcheck recomputed: what the first analysis of a document costs.
  const cold = time(() => (clearGradcheckMemo(), analyzeText(file)), { warmup: 10, runs: 41, collect: false });
  const noCheck = time(() => analyzeText(file, { gradcheck: { enabled: false } }), {
    warmup: 10,
    runs: 41,
    collect: false,
  });

  const chain = chainFile(20000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-bench-'));
  const chainPath = path.join(dir, 'chain.py');
  fs.writeFileSync(chainPath, chain);
  const inProcess = time(() => analyzeText(chain), { warmup: 1, runs: 5, collect: false });
  const inProcessCpu = cpuMedian(() => analyzeText(chain), 3);
  const cliRuns = [spawnCli(chainPath), spawnCli(chainPath), spawnCli(chainPath)].sort((a, b) => a - b);
  fs.rmSync(dir, { recursive: true, force: true });

  const load = os.loadavg()[0].toFixed(1);
  return [
    ...table([
      ['workload', 'median wall', 'median CPU', 'goal'],
      ['analyse 2,000 lines / 200 lenses (with gradcheck)', formatMs(edit.medianMs), formatMs(editCpu), '< 20 ms'],
      ['  the same with every gradcheck recomputed (first open)', formatMs(cold.medianMs), '', ''],
      ['  the same without gradcheck', formatMs(noCheck.medianMs), '', ''],
      ['20,000-line chain, gradlens CLI (spawned process)', formatMs(cliRuns[1]), '', '< 5 s'],
      ['20,000-line chain, in-process analyzeText', formatMs(inProcess.medianMs), formatMs(inProcessCpu), '< 5 s'],
    ]),
    `(load average ${load} on ${os.cpus().length} CPUs while measuring: wall times stretch with load, CPU times much less)`,
  ];
};
