// Hostile inputs (issue "bounded cost"): time and peak memory of one analysis of each, each in a
// fresh child process so that one case's heap does not inflate the next one's peak.
import { spawnSync } from 'child_process';
import { formatMs, table, type BenchSection } from './timing';

const CASES: [string, number][] = [
  ['tagMentions', 960],
  ['statementsOnOneLine', 30_000],
  ['longSum', 800_000],
  ['nulBytes', 10],
  ['annotatedChain', 20_000],
  ['functionsWithLenses', 1000],
  ['sumInsideBlocks', 10_000],
  ['sumBesideAssigningFunctions', 5000],
  ['strayClosers', 3000],
  ['loopsWithLenses', 2000],
  ['nestedLoops', 5000],
];

/** Runs in the child: `node hostile.js <generator> <size>` prints {name, ms, peakMB, lenses, first}. */
function child(generator: string, size: number): void {
  // Loaded here so the parent process does not pay for the core.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const inputs = require('./hostileInputs') as Record<
    string,
    (n: number) => { name: string; text: string; comments?: 'hash' | 'slash' }
  >;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { analyzeText } = require('../../src/core') as typeof import('../../src/core');
  const input = inputs[generator](size);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const start = process.hrtime.bigint();
  const lenses = analyzeText(input.text, { comments: input.comments });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(sampler);
  const failed = lenses.filter((lens) => lens.value === null).length;
  process.stdout.write(JSON.stringify({ name: input.name, ms, peakMB: peak / 2 ** 20, lenses: lenses.length, failed }));
}

export const hostileBench: BenchSection = async () => {
  const rows = [['input', 'analysis', 'peak RSS', 'lenses (failed)']];
  for (const [generator, size] of CASES) {
    const r = spawnSync(process.execPath, ['--max-old-space-size=4096', __filename, generator, String(size)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) {
      rows.push([
        `${generator}(${size})`,
        `failed: exit ${String(r.status)}`,
        r.stderr.split('\n').slice(-3).join(' ').slice(0, 80),
        '',
      ]);
      continue;
    }
    const m = JSON.parse(r.stdout) as { name: string; ms: number; peakMB: number; lenses: number; failed: number };
    rows.push([m.name, formatMs(m.ms), `${m.peakMB.toFixed(0)} MB`, `${m.lenses} (${m.failed})`]);
  }
  return [
    ...table(rows),
    '(time and peak resident memory of one analysis in a fresh Node process; a lens past a budget fails with its reason)',
  ];
};

if (require.main === module) child(process.argv[2], Number(process.argv[3]));
