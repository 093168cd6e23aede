// Shared timing helpers for every bench section: warm up, then take the median of several runs,
// because a single run on a shared machine is mostly noise. Rivals are timed interleaved (A, B,
// A, B, …) so that a burst of load from elsewhere hits them alike, and a full garbage collection
// runs before each timed run so one run's garbage is not charged to the next.
import * as v8 from 'v8';
import * as vm from 'vm';

/** One bench section: runs its measurements and returns the lines it wants printed. */
export type BenchSection = () => Promise<string[]>;

export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface TimeOptions {
  /** Untimed runs first, so the JIT has compiled the hot code. */
  warmup?: number;
  runs?: number;
  /** A full garbage collection before each timed run (default true). */
  collect?: boolean;
}

export interface Timing {
  /** Median of the timed runs, in milliseconds. */
  medianMs: number;
  samplesMs: number[];
}

/** A full collection, made available without a command-line flag (the bench runs as plain `node`). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
const collectGarbage = collector();

function timeOnce(fn: () => void, collect: boolean): number {
  if (collect) collectGarbage();
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs `fn` warmup + runs times and returns the median of the timed runs (ms). */
export function time(fn: () => void, options: TimeOptions = {}): Timing {
  return compare([fn], options)[0];
}

/** Times several functions interleaved, run by run; one Timing per function, in order. */
export function compare(fns: readonly (() => void)[], options: TimeOptions = {}): Timing[] {
  const warmup = options.warmup ?? 5;
  const runs = options.runs ?? 15;
  for (let i = 0; i < warmup; i++) fns.forEach((fn) => fn());
  const samples = fns.map((): number[] => []);
  for (let i = 0; i < runs; i++) fns.forEach((fn, j) => samples[j].push(timeOnce(fn, options.collect ?? true)));
  return samples.map((samplesMs) => ({ medianMs: median(samplesMs), samplesMs }));
}

/** "12.34 ms" with a sensible number of decimals. */
export function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

/** Left-aligned table rows, so sections line up. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows.map((r) =>
    r
      .map((cell, col) => cell.padEnd(widths[col]))
      .join('  ')
      .trimEnd(),
  );
}
