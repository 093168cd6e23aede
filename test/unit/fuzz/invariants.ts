// What the fuzz suite asserts of every run: no exception escapes, each run stays within a time
// budget, the heap comes back after a collection, and every number shown is finite or comes with
// the problem that says why.
import * as assert from 'assert';
import * as v8 from 'v8';
import * as vm from 'vm';
import type { Lens, Range } from '../../../src/core';
import { BUDGETS } from '../../../src/core/budgets';
import { gradcheckMemoStats } from '../../../src/core/gradcheck';

/** Runs per property: FUZZ_SCALE=10 multiplies them for a longer local search. */
export function runs(n: number): number {
  const scale = Number(process.env.FUZZ_SCALE ?? '1');
  return Math.max(1, Math.round(n * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** A property's fixed seed; FUZZ_SEED=k shifts every seed by k, for a search off the beaten path. */
export function seed(n: number): number {
  const shift = Number(process.env.FUZZ_SEED ?? '0');
  return n + (Number.isInteger(shift) ? shift : 0);
}

/**
 * Time allowed to one in-process run of a small generated source. An analysis of one takes about
 * a millisecond; a thousand times that leaves room for a slow, shared CI machine and a collection
 * landing in the run, and still catches a path gone quadratic on the long tokens a mutation
 * inserts (up to 20,000 characters).
 */
export const SMALL_RUN_MS = 3000;
/** Time allowed to one run of a long line or deep nesting (tens of thousands of characters). */
export const LARGE_RUN_MS = 10_000;

/**
 * Heap in use right after a run, garbage included: the runs here peak near 130 MB; an analysis
 * that holds a gigabyte is a defect of its own (an 800,000-term sum once took 1.7 GB).
 */
export const PEAK_HEAP_BYTES = 2 ** 30;

/** `f()`, failing if it throws, takes more than `budgetMs`, or leaves the heap above PEAK_HEAP_BYTES. */
export function timed<T>(what: string, budgetMs: number, f: () => T): T {
  const start = performance.now();
  let result: T;
  try {
    result = f();
  } catch (err) {
    assert.fail(`${what} threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
  const ms = performance.now() - start;
  assert.ok(ms <= budgetMs, `${what} took ${ms.toFixed(0)} ms (budget ${budgetMs} ms)`);
  const heap = v8.getHeapStatistics().used_heap_size;
  assert.ok(heap < PEAK_HEAP_BYTES, `${what} left ${(heap / 2 ** 20).toFixed(0)} MB of heap in use`);
  return result;
}

/**
 * What a fuzz suite may leave on the heap after a collection, besides the gradcheck memo (which is
 * meant to stay, and is counted by its own estimate): compiled code, fast-check's and the engine's
 * last buffers. A suite's runs leave about 4 MB; a leak of 10 KB per analysis (a suite runs
 * thousands) would exceed it.
 */
const HEAP_GROWTH_BYTES = 24 * 2 ** 20;

/** Heap before a suite; `checkHeapGrowth` compares the heap after it. */
export function heapMark(): number {
  return heapAfterGc();
}

/** The heap grew by no more than the gradcheck memo (within its budget) and HEAP_GROWTH_BYTES. */
export function checkHeapGrowth(before: number): void {
  const memo = gradcheckMemoStats().bytes;
  assert.ok(memo <= BUDGETS.gradcheckMemoBytes, `the gradcheck memo holds ${memo} bytes`);
  const growth = heapAfterGc() - before;
  assert.ok(
    growth < memo + HEAP_GROWTH_BYTES,
    `the heap grew by ${(growth / 2 ** 20).toFixed(1)} MB (the gradcheck memo holds ${(memo / 2 ** 20).toFixed(1)} MB)`,
  );
}

let collect: (() => void) | undefined;

/** Heap in use after two full collections (`--expose-gc` is switched on here when mocha ran without it). */
function heapAfterGc(): number {
  if (collect === undefined) {
    const global = globalThis as { gc?: () => void };
    if (global.gc === undefined) v8.setFlagsFromString('--expose-gc');
    collect = global.gc ?? (vm.runInNewContext('gc') as () => void);
  }
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** A short, printable form of a failing input for assertion messages. */
export function shown(text: string): string {
  const s = JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);
  return s;
}

function finite(x: unknown, what: string): void {
  assert.ok(typeof x === 'number' && Number.isFinite(x), `${what} is ${String(x)}, not a finite number`);
}

/** The lines of a text as VS Code counts them: broken at \n, \r\n and a lone \r (not at U+2028). */
export function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * A range lies in the text it was computed on, start before end. `texts` are the lines (linesOf) of
 * the lens's document, or of each of a notebook's cells (a range with `cell` lies in that cell,
 * else in `own`).
 */
function inText(range: Range, texts: readonly string[][], own: number, what: string): void {
  const cell = range.cell ?? own;
  assert.ok(cell >= 0 && cell < texts.length, `${what}: cell ${cell} of ${texts.length}`);
  if (range.cell !== undefined) assert.notStrictEqual(range.cell, own, `${what}: cell is set to the lens's own`);
  const lines = texts[cell];
  for (const p of [range.start, range.end]) {
    assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < lines.length, `${what}: line ${p.line}`);
    const content = lines[p.line].length;
    assert.ok(
      Number.isInteger(p.character) && p.character >= 0 && p.character <= content,
      `${what}: character ${p.character} past the end of line ${p.line} (${content} characters)`,
    );
  }
  const { start, end } = range;
  assert.ok(
    start.line < end.line || (start.line === end.line && start.character <= end.character),
    `${what}: ends before it starts`,
  );
}

/**
 * The invariants of one lens: its value is finite, or null with an error that says why; every
 * variable, op site and graph node has finite numbers; the gradcheck's numbers are finite (a
 * missing finite difference is null and its entry fails with a note), and a failed check comes
 * with its warning; every range lies in the text. `texts` and `own` as for `inText`.
 */
export function checkLens(lens: Lens, texts: readonly string[][], own = 0): void {
  const errors = lens.problems.filter((p) => p.severity === 'error');
  if (lens.value === null) assert.ok(errors.length > 0, 'a lens without a value has an error that says why');
  else {
    finite(lens.value, 'value');
    assert.strictEqual(errors.length, 0, 'a lens with an error has no value');
  }
  for (const v of lens.variables) {
    finite(v.value, `variable ${v.name}'s value`);
    finite(v.grad, `variable ${v.name}'s grad`);
    inText(v.definedAt, texts, own, `${v.name}'s definedAt`);
    v.occurrences.forEach((r) => inText(r, texts, own, `an occurrence of ${v.name}`));
  }
  for (const op of lens.ops) {
    op.inputs.forEach((x, k) => finite(x, `${op.op}'s input ${k}`));
    finite(op.output, `${op.op}'s output`);
    finite(op.grad, `${op.op}'s grad`);
    if (op.exponent !== undefined) finite(op.exponent, `${op.op}'s exponent`);
    inText(op.range, texts, own, `${op.op}'s range`);
    inText(op.expressionRange, texts, own, `${op.op}'s expressionRange`);
  }
  for (const node of lens.graph?.nodes ?? []) {
    finite(node.data, `graph node ${node.id}'s data`);
    finite(node.grad, `graph node ${node.id}'s grad`);
    if (node.range) inText(node.range, texts, own, `graph node ${node.id}'s range`);
  }
  const gc = lens.gradcheck;
  if (gc) {
    finite(gc.maxRelError, 'gradcheck maxRelError');
    assert.ok(Number.isInteger(gc.skipped) && gc.skipped >= 0, `skipped ${gc.skipped}`);
    for (const e of gc.entries) {
      finite(e.analytic, `gradcheck ${e.name}'s analytic`);
      if (e.numeric === null) assert.ok(!e.ok && e.note, `gradcheck ${e.name} without a numeric says why`);
      else {
        finite(e.numeric, `gradcheck ${e.name}'s numeric`);
        finite(e.relError, `gradcheck ${e.name}'s relError`);
      }
    }
    assert.strictEqual(
      gc.ok,
      gc.entries.every((e) => e.ok),
      'gradcheck ok is every entry ok',
    );
    if (gc.entries.some((e) => !e.ok))
      assert.ok(
        lens.problems.some((p) => p.code === 'gradcheck' && p.severity === 'warning'),
        'a failed gradcheck comes with its warning',
      );
  }
  for (const p of lens.problems) {
    assert.ok(p.message.length > 0, 'a problem has a message');
    inText(p.range, texts, own, `problem "${p.message.slice(0, 80)}"`);
  }
  for (const [what, r] of [
    ['statementRange', lens.statementRange],
    ['targetRange', lens.targetRange],
    ['expressionRange', lens.expressionRange],
    ['tagRange', lens.tagRange],
  ] as const)
    inText(r, texts, own, what);
}

/** Every lens of an analysis of `text`. */
export function checkLenses(lenses: Lens[], text: string): void {
  assert.ok(Array.isArray(lenses), 'analyzeText returns an array');
  const lines = [linesOf(text)];
  for (const lens of lenses) checkLens(lens, lines);
}
