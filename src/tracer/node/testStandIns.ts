// Small stand-ins for a test runner's globals (jest, vitest, mocha spellings), so that the `@grad`
// sites inside `test('…', () => {…})` bodies run when the file is traced with plain `node`.
// `describe` bodies run when they are declared, tests run after the file (in order, one at a time,
// awaited), hooks around each test, as the runners do. A failing expectation fails its test: that
// is the program's output (a line on stderr and exit code 1, as a runner reports it), never hidden.

import { isDeepStrictEqual, inspect } from 'util';

type Body = () => unknown;

interface Suite {
  name: string;
  parent: Suite | null;
  beforeEach: Body[];
  afterEach: Body[];
}

interface QueuedTest {
  name: string;
  suite: Suite;
  body: Body | undefined;
}

export const TEST_GLOBAL_NAMES = [
  'describe',
  'test',
  'it',
  'expect',
  'beforeEach',
  'afterEach',
  'beforeAll',
  'afterAll',
] as const;

export class TestStandIns {
  private readonly root: Suite = { name: '', parent: null, beforeEach: [], afterEach: [] };
  private current = this.root;
  private readonly queue: QueuedTest[] = [];
  private readonly beforeAll: Body[] = [];
  private readonly afterAll: Body[] = [];
  failures = 0;

  /** The globals, keyed by name (each also has `.skip`, `.only`, `.each` where the runners do). */
  globals(): Record<string, unknown> {
    const describe = (name: string, body: Body) => {
      const suite: Suite = { name: String(name), parent: this.current, beforeEach: [], afterEach: [] };
      const outer = this.current;
      this.current = suite;
      try {
        body();
      } finally {
        this.current = outer;
      }
    };
    const test = (name: string, body?: Body) => {
      this.queue.push({ name: String(name), suite: this.current, body });
    };
    const skip = () => undefined;
    const each =
      (register: (name: string, body: Body) => void) =>
      (rows: unknown[]) =>
      (name: string, body: (...args: unknown[]) => unknown) => {
        for (const row of rows) {
          const args = Array.isArray(row) ? row : [row];
          register(formatEachName(name, args), () => body(...args));
        }
      };
    Object.assign(describe, { skip, only: describe, each: each(describe) });
    Object.assign(test, { skip, todo: skip, only: test, each: each(test) });
    return {
      describe,
      test,
      it: test,
      expect,
      beforeEach: (body: Body) => this.current.beforeEach.push(body),
      afterEach: (body: Body) => this.current.afterEach.push(body),
      beforeAll: (body: Body) => this.beforeAll.push(body),
      afterAll: (body: Body) => this.afterAll.push(body),
    };
  }

  /** Whether any test was declared. */
  get declared(): boolean {
    return this.queue.length > 0;
  }

  /** Runs the declared tests in order; a failure is reported on stderr and sets the exit code. */
  async run(): Promise<void> {
    for (const hook of this.beforeAll) await runBody(hook);
    for (const t of this.queue) {
      if (!t.body) continue;
      const chain = suitesOf(t.suite);
      const title = [...chain.map((s) => s.name).filter(Boolean), t.name].join(' › ');
      try {
        for (const suite of chain) for (const hook of suite.beforeEach) await runBody(hook);
        await runBody(t.body);
        for (const suite of [...chain].reverse()) for (const hook of suite.afterEach) await runBody(hook);
      } catch (err) {
        this.failures++;
        process.exitCode = 1;
        process.stderr.write(`✕ ${title}\n  ${err instanceof Error ? err.message : inspect(err)}\n`);
      }
    }
    for (const hook of this.afterAll) await runBody(hook);
  }
}

/** A body that takes a `done` callback (mocha's and jest's older style) ends when it calls it. */
function runBody(body: Body): unknown {
  if (body.length === 0) return body();
  return new Promise<void>((resolve, reject) => {
    const done = (err?: unknown) => (err ? reject(err) : resolve());
    (body as (done: (err?: unknown) => void) => unknown)(done);
  });
}

function suitesOf(suite: Suite): Suite[] {
  const chain: Suite[] = [];
  for (let s: Suite | null = suite; s; s = s.parent) chain.unshift(s);
  return chain;
}

function formatEachName(name: string, args: unknown[]): string {
  let k = 0;
  return name.replace(/%[sdifpjo#%]/g, (spec) => (spec === '%%' ? '%' : spec === '%#' ? String(k) : String(args[k++])));
}

/** An expectation failed: the message says what was expected, as the runners word it. */
class ExpectationError extends Error {
  override name = 'ExpectationError';
}

function expect(actual: unknown) {
  return { ...matchers(actual, false), not: matchers(actual, true), resolves: asyncMatchers(actual, false) };
}

function asyncMatchers(actual: unknown, negate: boolean) {
  const sync = matchers(undefined, negate);
  const out: Record<string, (...args: unknown[]) => Promise<void>> = {};
  for (const name of Object.keys(sync)) {
    out[name] = async (...args: unknown[]) =>
      (matchers(await actual, negate) as Record<string, (...a: unknown[]) => void>)[name](...args);
  }
  return out;
}

function matchers(actual: unknown, negate: boolean) {
  const check = (pass: boolean, expected: string) => {
    if (pass === negate) {
      throw new ExpectationError(`expect(${show(actual)}).${negate ? 'not.' : ''}${expected}`);
    }
  };
  const num = (v: unknown) => (typeof v === 'number' ? v : NaN);
  return {
    toBe: (e: unknown) => check(Object.is(actual, e), `toBe(${show(e)})`),
    toEqual: (e: unknown) => check(isDeepStrictEqual(actual, e) || looseEqual(actual, e), `toEqual(${show(e)})`),
    toStrictEqual: (e: unknown) => check(isDeepStrictEqual(actual, e), `toStrictEqual(${show(e)})`),
    toBeCloseTo: (e: number, digits = 2) =>
      check(Math.abs(num(actual) - e) < 10 ** -digits / 2, `toBeCloseTo(${show(e)}, ${digits})`),
    toBeGreaterThan: (e: number) => check(num(actual) > e, `toBeGreaterThan(${show(e)})`),
    toBeGreaterThanOrEqual: (e: number) => check(num(actual) >= e, `toBeGreaterThanOrEqual(${show(e)})`),
    toBeLessThan: (e: number) => check(num(actual) < e, `toBeLessThan(${show(e)})`),
    toBeLessThanOrEqual: (e: number) => check(num(actual) <= e, `toBeLessThanOrEqual(${show(e)})`),
    toBeTruthy: () => check(Boolean(actual), 'toBeTruthy()'),
    toBeFalsy: () => check(!actual, 'toBeFalsy()'),
    toBeDefined: () => check(actual !== undefined, 'toBeDefined()'),
    toBeUndefined: () => check(actual === undefined, 'toBeUndefined()'),
    toBeNull: () => check(actual === null, 'toBeNull()'),
    toBeNaN: () => check(Number.isNaN(actual), 'toBeNaN()'),
    toBeInstanceOf: (e: new (...a: never[]) => unknown) =>
      check(actual instanceof e, `toBeInstanceOf(${e?.name ?? show(e)})`),
    toContain: (e: unknown) =>
      check(
        (typeof actual === 'string' && typeof e === 'string' && actual.includes(e)) ||
          (Array.isArray(actual) && actual.includes(e)),
        `toContain(${show(e)})`,
      ),
    toHaveLength: (e: number) => check((actual as { length?: unknown })?.length === e, `toHaveLength(${e})`),
    toHaveProperty: (key: string) =>
      check(typeof actual === 'object' && actual !== null && key in actual, `toHaveProperty(${show(key)})`),
    toThrow: () => {
      let threw = false;
      try {
        (actual as () => unknown)();
      } catch {
        threw = true;
      }
      check(threw, 'toThrow()');
    },
  };
}

/** Jest's toEqual ignores undefined properties and class identity: compare own enumerable data. */
function looseEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  const keys = (o: object) => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  const ka = keys(a);
  const kb = keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => looseEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function show(value: unknown): string {
  return inspect(value, { depth: 1, breakLength: Infinity });
}
