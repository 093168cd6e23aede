// Fuzzing `gradlens` as a process (node dist/cli.js; `npm run build` first): generated and mutated
// .py and .ts files, long lines, deep nesting and notebooks, in text, --json and --dot. Each run
// exits 0 or 1 (2 for a notebook whose JSON a mutation broke) within its time and a heap limit,
// with no stack trace; the status and the JSON agree with the in-process analysis; the JSON has
// only finite numbers, and NaN or Infinity appear in the text and DOT only in a problem's message
// or in the file's own names.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { escapeQuoted, escapeRecordText } from '../../../engine';
import { analyzeCells, analyzeText, firstError, type Lens } from '../../../src/core';
import { visible } from '../../../src/core/report';
import { runs, seed } from './invariants';
import {
  deepNesting,
  edits,
  longLine,
  mutate,
  mutated,
  notebookCells,
  notebookJson,
  source,
  type Source,
  type Style,
} from './sources';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

/**
 * One run's limits: killed after 30 s (an analysis of these inputs takes well under a second, and
 * Node starts in a tenth of one), and a 512 MB heap, past which Node aborts and the run fails.
 */
const RUN_TIMEOUT_MS = 30_000;
const HEAP_MB = 512;

type Format = 'text' | 'json' | 'dot';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function gradlens(args: string[]): Run {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, CLI, ...args], {
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
    maxBuffer: 256 * 2 ** 20,
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.ok(r.error === undefined, `gradlens ${args.join(' ')}: ${String(r.error)}`);
  assert.strictEqual(r.signal, null, `gradlens ${args.join(' ')} was killed by ${String(r.signal)}`);
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, `no stack trace, no internal error: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** File names, some of them hostile: a terminal escape, a bidi override, a name that reads as a number. */
const FILE_NAMES = ['main', 'a b', 'NaN', 'Infinity', 'x\x1b[2J', '\u202eyp', 'é'];

const EXTENSION: Record<Style, string> = { hash: '.py', slash: '.ts', both: '.txt' };

/** What the in-process analysis says of a file: its lenses, as the CLI must report them. */
interface Expected {
  file: string;
  lenses: Lens[];
}

function formatArgs(format: Format): string[] {
  return format === 'json' ? ['--json'] : format === 'dot' ? ['--dot'] : [];
}

/** Writes each source to a file named for its style, runs gradlens on them all, checks the output. */
function checkFiles(dir: string, sources: Source[], names: string[], format: Format): void {
  const expected: Expected[] = sources.map((s, k) => {
    const file = path.join(dir, `${k}-${names[k]}${EXTENSION[s.style]}`);
    fs.writeFileSync(file, s.text);
    // The text as the CLI reads it: UTF-8 turns a lone surrogate into U+FFFD.
    const text = fs.readFileSync(file, 'utf8');
    return { file, lenses: analyzeText(text, { comments: s.style }) };
  });
  const run = gradlens([...formatArgs(format), ...expected.map((e) => e.file)]);
  checkRun(run, expected, format);
}

function checkRun(run: Run, expected: Expected[], format: Format): void {
  const failed = expected.some((e) => e.lenses.some((l) => firstError(l) !== undefined));
  assert.strictEqual(run.status, failed ? 1 : 0, `exit status (stderr: ${run.stderr})`);
  if (format === 'json') checkJson(run.stdout, expected);
  else checkNoBareNonFinite(run.stdout, expected, format);
}

/** The --json report parses, matches the in-process lenses, and every number in it is finite. */
function checkJson(stdout: string, expected: Expected[]): void {
  const parsed: unknown = JSON.parse(stdout);
  const reports = (expected.length === 1 ? [parsed] : parsed) as {
    file: string;
    lenses: {
      line: number;
      value: number | null;
      error: unknown;
      variables: { name: string; value: number; grad: number }[];
      gradcheck: { ok: boolean; maxRelError: number } | null;
    }[];
  }[];
  assert.ok(Array.isArray(reports) && reports.length === expected.length, 'one report per file');
  reports.forEach((report, k) => {
    const want = expected[k];
    assert.strictEqual(report.file, want.file);
    assert.strictEqual(report.lenses.length, want.lenses.length, `lenses of ${want.file}`);
    report.lenses.forEach((lens, j) => {
      const inProcess = want.lenses[j];
      assert.strictEqual(lens.line, inProcess.line + 1);
      // JSON writes -0 as 0: the same number, so compared with ===, not Object.is.
      assert.ok(lens.value === inProcess.value, `value of lens ${j}: ${lens.value}, in process ${inProcess.value}`);
      if (lens.value === null) assert.ok(lens.error !== null, 'a lens without a value has its error');
      else assert.ok(Number.isFinite(lens.value) && lens.error === null, `value ${lens.value}`);
      for (const v of lens.variables)
        assert.ok(Number.isFinite(v.value) && Number.isFinite(v.grad), `${v.name}: ${v.value}, ${v.grad}`);
      assert.deepStrictEqual(
        lens.variables.map((v) => [v.name, v.value, v.grad]),
        inProcess.variables.map((v) => [v.name, v.value + 0, v.grad + 0]),
      );
      if (lens.gradcheck) assert.ok(Number.isFinite(lens.gradcheck.maxRelError), 'maxRelError is finite');
    });
  });
  // JSON cannot hold NaN or Infinity as numbers; as text they may only stand inside strings.
  const outsideStrings = stdout.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  assert.doesNotMatch(outsideStrings, /NaN|Infinity/);
}

const NON_FINITE = /NaN|Infinity/;

/**
 * Text and DOT: a line may show NaN or Infinity only as part of the user's own text (a file name,
 * a target, a name, a label) or of a problem's message, which says why. Anything left after those
 * are taken out is a number shown without its warning.
 */
function checkNoBareNonFinite(stdout: string, expected: Expected[], format: Format): void {
  const own = new Set<string>();
  for (const e of expected) {
    own.add(e.file);
    for (const lens of e.lenses) {
      own.add(lens.target);
      lens.variables.forEach((v) => own.add(v.name));
      lens.graph?.nodes.forEach((n) => n.label !== null && own.add(n.label));
      lens.problems.forEach((p) => own.add(p.message));
    }
  }
  const forms = [...own]
    .filter((s) => NON_FINITE.test(s))
    .flatMap((s) => [s, visible(s), escapeRecordText(s), escapeQuoted(s)])
    .map((s) =>
      format === 'dot'
        ? s.replace(
            /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g,
            (ch) => `\\\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
          )
        : s,
    )
    .sort((a, b) => b.length - a.length);
  for (const line of stdout.split('\n')) {
    if (!NON_FINITE.test(line)) continue;
    let rest = line;
    for (const s of forms) rest = rest.split(s).join('');
    assert.doesNotMatch(
      rest,
      NON_FINITE,
      `a non-finite number without its reason in ${format} output: ${JSON.stringify(line)}`,
    );
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * A notebook's code cells and comment style as the CLI reads them (src/cli.ts, notebookCells and
 * styleForNotebook), or undefined where the CLI refuses it: not JSON, no "cells" array, a cell
 * that is not an object, a code cell whose source is neither a string nor a list of strings.
 */
function readNotebook(text: string): { cells: string[]; style: Style } | undefined {
  let notebook: unknown;
  try {
    notebook = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(notebook) || !Array.isArray(notebook.cells)) return undefined;
  const cells: string[] = [];
  for (const cell of notebook.cells as unknown[]) {
    if (!isObject(cell)) return undefined;
    if (cell.cell_type !== 'code') continue;
    const source = cell.source;
    if (typeof source === 'string') cells.push(source);
    else if (Array.isArray(source) && source.every((line) => typeof line === 'string')) cells.push(source.join(''));
    else return undefined;
  }
  const metadata = isObject(notebook.metadata) ? notebook.metadata : {};
  const info = isObject(metadata.language_info) ? metadata.language_info.name : undefined;
  const spec = isObject(metadata.kernelspec) ? metadata.kernelspec.language : undefined;
  const language = (typeof info === 'string' ? info : typeof spec === 'string' ? spec : undefined)?.toLowerCase();
  const style: Style =
    language === undefined || language === 'python'
      ? 'hash'
      : language === 'javascript' || language === 'typescript'
        ? 'slash'
        : 'both';
  return { cells, style };
}

describe('fuzz: the gradlens CLI', function () {
  this.timeout(300_000);
  let dir = '';

  before(() => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-fuzz-'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A fresh directory per run, so that files of earlier runs never mix in. */
  function runDir(): string {
    return fs.mkdtempSync(path.join(dir, 'run-'));
  }

  const format = fc.constantFrom<Format>('text', 'json', 'dot');
  const names = fc.array(fc.constantFrom(...FILE_NAMES), { minLength: 3, maxLength: 3 });

  it('generated and mutated .py, .ts and other files, several at once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(source, mutated(6)), { minLength: 1, maxLength: 3 }),
        names,
        format,
        (sources, n, f) => checkFiles(runDir(), sources, n, f),
      ),
      { numRuns: runs(45), seed: seed(301) },
    );
  });

  it('long lines and deep nesting', () => {
    fc.assert(
      fc.property(fc.oneof(longLine, deepNesting), edits(2), format, (s, list, f) =>
        checkFiles(runDir(), [{ text: mutate(s.text, list), style: s.style }], ['main'], f),
      ),
      { numRuns: runs(12), seed: seed(302) },
    );
  });

  it('notebooks: cells as a string or as lines, a kernel language, the JSON itself sometimes mutated', () => {
    fc.assert(
      fc.property(notebookCells, fc.boolean(), format, edits(3), fc.boolean(), (nb, asLines, f, list, breakJson) => {
        const file = path.join(runDir(), 'notebook.ipynb');
        const json = notebookJson(nb.cells, nb.language, asLines);
        fs.writeFileSync(file, breakJson ? mutate(json, list) : json);
        const notebook = readNotebook(fs.readFileSync(file, 'utf8'));
        const run = gradlens([...formatArgs(f), file]);
        if (notebook === undefined) {
          // A mutation that broke the notebook: refused with a reason and status 2, nothing on stdout.
          assert.strictEqual(run.status, 2, `a broken notebook is refused: ${run.stdout}`);
          assert.match(run.stderr, /^gradlens: cannot read /);
          assert.strictEqual(run.stdout, '');
          return;
        }
        const lenses = analyzeCells(notebook.cells, { comments: notebook.style }).flat();
        checkRun(run, [{ file, lenses }], f);
      }),
      { numRuns: runs(40), seed: seed(303) },
    );
  });
});
