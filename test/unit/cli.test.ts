// `gradlens` run as a process on the example files: the text report, --json, --dot and the exit
// codes. Needs `dist/cli.js` (npm run build; `npm test` and `npm run test:unit` build first).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function gradlens(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function noStackTrace(stderr: string): void {
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
}

describe('cli: gradlens', function () {
  this.timeout(60000);

  before(() => assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build`));

  it('text report: target = value, ∂target/∂leaf, gradcheck; no colour when not a terminal', () => {
    const r = gradlens('examples/micrograd_neuron.py');
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /^examples\/micrograd_neuron\.py\n/);
    assert.match(r.stdout, /line 15 {2}o = 0\.7071\n/);
    for (const expected of [
      '∂o/∂x1 = -1.5000',
      '∂o/∂x2 = 0.5000',
      '∂o/∂w1 = 1.0000',
      '∂o/∂w2 = 0.0000',
      '∂o/∂b = 0.5000',
    ]) {
      assert.ok(r.stdout.includes(expected), expected);
    }
    assert.match(r.stdout, /gradcheck ok/);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
  });

  it('--color forces ANSI colour; --precision changes the decimals', () => {
    assert.match(gradlens('--color', 'examples/micrograd_neuron.py').stdout, /\x1b\[1m/);
    assert.match(gradlens('--precision', '2', 'examples/micrograd_neuron.py').stdout, /o = 0\.71\n/);
  });

  it('--json has the documented shape, full precision', () => {
    const r = gradlens('--json', 'examples/micrograd_neuron.py');
    assert.strictEqual(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.strictEqual(report.file, 'examples/micrograd_neuron.py');
    const lens = report.lenses[0];
    for (const key of ['line', 'target', 'value', 'variables', 'gradcheck', 'error']) assert.ok(key in lens, key);
    assert.strictEqual(lens.line, 15);
    assert.strictEqual(lens.target, 'o');
    assert.ok(Math.abs(lens.value - 0.7071067811865476) < 1e-15);
    assert.deepStrictEqual(Object.keys(lens.variables[0]), [
      'name',
      'value',
      'grad',
      'leaf',
      'formula',
      'paths',
      'why',
    ]);
    // The explanation (issue 11): x1's one use, through the neuron's tanh.
    assert.strictEqual(typeof lens.variables[0].formula, 'string');
    assert.strictEqual(lens.variables[0].paths.length, 1);
    assert.ok(Math.abs(lens.variables[0].paths[0].contribution + 1.5) < 1e-12);
    assert.strictEqual(lens.variables[0].why, null);
    assert.strictEqual(lens.variables[0].name, 'x1');
    assert.strictEqual(lens.variables[0].value, 2);
    assert.ok(Math.abs(lens.variables[0].grad + 1.5) < 1e-12);
    assert.strictEqual(lens.variables[0].leaf, true);
    const n = lens.variables.find((v: { name: string }) => v.name === 'n');
    assert.strictEqual(n.leaf, false);
    assert.ok(Math.abs(n.value - 0.8813735870195432) < 1e-15);
    assert.strictEqual(lens.gradcheck.ok, true);
    assert.ok(lens.gradcheck.maxRelError < 1e-6);
    assert.strictEqual(lens.error, null);
  });

  it('--json on the errors file: exit 1, each failed lens has value null and an error with line and column', () => {
    const r = gradlens('--json', 'examples/errors.py');
    assert.strictEqual(r.code, 1);
    const lenses = JSON.parse(r.stdout).lenses;
    const failed = lenses.filter((l: { error: unknown }) => l.error !== null);
    assert.ok(failed.length >= 6);
    for (const l of failed) {
      assert.strictEqual(l.value, null);
      assert.deepStrictEqual(Object.keys(l.error), ['message', 'line', 'column']);
    }
    const caret = lenses.find((l: { target: string }) => l.target === 'y1');
    assert.deepStrictEqual(caret.error, { message: '`^` is not a power here: use ** for powers', line: 8, column: 7 });
    const codes = new Set(lenses.flatMap((l: { problems: { code: string }[] }) => l.problems.map((p) => p.code)));
    // The relu at its kink (y7) also gets the health note that says why the gradcheck disagrees.
    assert.deepStrictEqual([...codes].sort(), [
      'domain',
      'gradcheck',
      'gradcheck-kink',
      'non-constant-exponent',
      'parse',
      'unbound',
    ]);
  });

  it('the text report shows errors with file:line:column', () => {
    const r = gradlens('examples/errors.py');
    assert.strictEqual(r.code, 1);
    assert.match(r.stdout, /error: log of a non-positive number: log\(0\) \(examples\/errors\.py:21:6\)/);
    assert.match(r.stdout, /warning: gradcheck/);
  });

  it('TypeScript with bindings: // comments chosen from the extension', () => {
    const r = gradlens('--json', 'examples/loss.ts');
    assert.strictEqual(r.code, 0, r.stdout);
    const lenses = JSON.parse(r.stdout).lenses;
    assert.deepStrictEqual(
      lenses.map((l: { target: string }) => l.target),
      ['return', 'loss', 'return'],
    );
    assert.ok(lenses.every((l: { value: number | null }) => typeof l.value === 'number'));
  });

  it('a Jupyter notebook: cells in order, each lens with its cell number', () => {
    const text = gradlens('examples/micrograd_neuron.ipynb');
    assert.strictEqual(text.code, 0, text.stderr);
    assert.match(text.stdout, /cell 5, line 1 {2}o = 0\.7071\n/);
    const lens = JSON.parse(gradlens('--json', 'examples/micrograd_neuron.ipynb').stdout).lenses[0];
    assert.strictEqual(lens.cell, 5);
    assert.strictEqual(lens.line, 1);
    assert.ok(Math.abs(lens.variables[0].grad + 1.5) < 1e-12);
  });

  it('a notebook problem in a cell above the lens is reported at its own cell and line', () => {
    const notebook = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-')), 'above.ipynb');
    const cells = [
      { cell_type: 'markdown', source: ['# title'] },
      { cell_type: 'code', source: ['x = 2.0\n', 'w = log(0 - 1)\n'] },
      { cell_type: 'code', source: ['y = x * w  # @grad\n'] },
    ];
    fs.writeFileSync(notebook, JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    const text = gradlens(notebook);
    assert.strictEqual(text.code, 1, text.stderr);
    assert.match(text.stdout, /cell 3, line 1 {2}y error\n/);
    assert.ok(text.stdout.includes(`(${notebook} (cell 2):2:5)`), text.stdout);
    const lens = JSON.parse(gradlens('--json', notebook).stdout).lenses[0];
    assert.strictEqual(lens.cell, 3);
    assert.deepStrictEqual(lens.error, {
      message: 'log of a non-positive number: log(-1)',
      line: 2,
      column: 5,
      cell: 2,
    });
    assert.strictEqual(lens.problems[0].cell, 2);
  });

  it('a notebook that is not a JSON object with cells (null, [], 42, "x", cells: null) is exit 2: not a notebook', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-'));
    for (const [k, json] of ['null', '[]', '42', '"x"', '{"cells": null}', '{}'].entries()) {
      const notebook = path.join(dir, `n${k}.ipynb`);
      fs.writeFileSync(notebook, json);
      const r = gradlens(notebook);
      assert.strictEqual(r.code, 2, json);
      assert.strictEqual(
        r.stderr,
        `gradlens: cannot read ${notebook}: not a Jupyter notebook (expected a JSON object with "cells")\n`,
        json,
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a JavaScript or TypeScript kernel's notebook is read with // comments", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-'));
    const cells = [
      { cell_type: 'code', source: ['let x = 2.0;\n', '# not a comment in JavaScript\n'] },
      { cell_type: 'code', source: 'const y = x * 3;  // @grad\n' },
    ];
    const kernels = [
      { kernelspec: { name: 'javascript', language: 'javascript' } },
      { language_info: { name: 'typescript' } },
      { kernelspec: { language: 'python' }, language_info: { name: 'JavaScript' } },
    ];
    for (const [k, metadata] of kernels.entries()) {
      const notebook = path.join(dir, `js${k}.ipynb`);
      fs.writeFileSync(notebook, JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 }));
      const r = JSON.parse(gradlens('--json', notebook).stdout);
      assert.deepStrictEqual(
        r.lenses.map((l: { target: string; value: number; cell: number }) => [l.target, l.value, l.cell]),
        [['y', 6, 2]],
        JSON.stringify(metadata),
      );
    }
    // A Python kernel (or none): # comments, as before; --comments still wins.
    const python = path.join(dir, 'py.ipynb');
    fs.writeFileSync(
      python,
      JSON.stringify({
        cells: [{ cell_type: 'code', source: 'x = 2.0\ny = x * 3  # @grad\n' }],
        metadata: { kernelspec: { language: 'python' } },
      }),
    );
    assert.strictEqual(JSON.parse(gradlens('--json', python).stdout).lenses[0].value, 6);
    assert.strictEqual(JSON.parse(gradlens('--json', '--comments', 'slash', python).stdout).lenses.length, 0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a notebook cell whose source is not text is refused with a message, never coerced', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-'));
    const bad: [unknown, string][] = [
      [{ cell_type: 'code', source: ['x = 2.0\n', 42] }, 'cell 2: "source" must be a string or a list of strings'],
      [{ cell_type: 'code', source: { text: 'x = 2' } }, 'cell 2: "source" must be a string or a list of strings'],
      [{ cell_type: 'code', source: [null] }, 'cell 2: "source" must be a string or a list of strings'],
      [{ cell_type: 'code' }, 'cell 2: "source" must be a string or a list of strings'],
      [null, 'cell 2 is not a JSON object'],
    ];
    for (const [k, [cell, message]] of bad.entries()) {
      const notebook = path.join(dir, `bad${k}.ipynb`);
      fs.writeFileSync(
        notebook,
        JSON.stringify({
          cells: [
            { cell_type: 'markdown', source: '# t' },
            cell,
            { cell_type: 'code', source: 'y = 1.0 * 2  # @grad\n' },
          ],
        }),
      );
      const r = gradlens(notebook);
      assert.strictEqual(r.code, 2, JSON.stringify(cell));
      assert.strictEqual(r.stderr, `gradlens: cannot read ${notebook}: ${message}\n`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--dot prints one digraph per lens', () => {
    const r = gradlens('--dot', 'examples/micrograd_neuron.py');
    assert.strictEqual(r.code, 0);
    assert.strictEqual(r.stdout.match(/^digraph \{/gm)?.length, 3);
    assert.match(r.stdout, /\bn\d+ \[label="\{ x1 \| data 2\.0000 \| grad -1\.5000 \}", shape=record, style=bold\];/);
  });

  it('several files: a text report each; --json gives an array', () => {
    const r = gradlens('--json', 'examples/micrograd_neuron.py', 'examples/loss.ts');
    assert.strictEqual(r.code, 0);
    assert.deepStrictEqual(
      JSON.parse(r.stdout).map((f: { file: string }) => f.file),
      ['examples/micrograd_neuron.py', 'examples/loss.ts'],
    );
  });

  it('exit 2 on usage errors and unreadable files, with a message and no stack trace', () => {
    const notNotebook = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-')), 'broken.ipynb');
    fs.writeFileSync(notNotebook, '{ not json');
    for (const args of [
      [],
      ['--bogus', 'x.py'],
      ['--precision'],
      ['--json', '--dot', 'examples/loss.ts'],
      ['does-not-exist.py'],
      ['examples'],
      [notNotebook],
    ]) {
      const r = gradlens(...args);
      assert.strictEqual(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^gradlens: /);
      noStackTrace(r.stderr);
    }
  });

  it('control characters from the file or its name reach the terminal only as visible escapes; --json and --dot too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-'));
    const file = path.join(dir, 'title\x1b]0;owned\x07.py');
    fs.writeFileSync(file, 'x = 2.0\n\x1b[2J\x1b[H - x  # @grad\nx \u009b2J * 2  # @grad\nx\u202e * 2  # @grad\n');
    const unsafe = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
    for (const args of [[file], ['--json', file], ['--dot', file], [path.join(dir, 'missing\x1b[2J.py')]]) {
      const r = gradlens(...args);
      assert.doesNotMatch(r.stdout, unsafe, JSON.stringify(r.stdout));
      assert.doesNotMatch(r.stderr, unsafe, JSON.stringify(r.stderr));
      assert.match(r.stdout + r.stderr, /\\u(001b|009b|202e)/, args.join(' '));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a reader that stops early (| head -c 10): a quiet exit with the run's own status, no stack trace", function () {
    if (process.platform === 'win32') this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-'));
    const file = path.join(dir, 'many.py');
    // Far more output than a pipe holds (64 KiB), so that gradlens is still writing when head leaves.
    const name = (k: number) => `v${k}_${'long_name_'.repeat(20)}`;
    fs.writeFileSync(
      file,
      Array.from({ length: 1000 }, (_, k) => `${name(k)} = ${k}.0\ny${k} = ${name(k)} * 2  # @grad\n`).join(''),
    );
    // A shell pipe, as people type it: gradlens's stderr and status go to our stderr.
    const script = '(node "$0" "$@"; echo "status $?" >&2) | head -c 10 > /dev/null';
    const r = spawnSync('sh', ['-c', script, CLI, '--no-gradcheck', file], { cwd: ROOT, encoding: 'utf8' });
    assert.strictEqual(r.stderr, 'status 0\n');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('output that cannot be written (a full disk: /dev/full) is exit 3 with one line, not a stack trace', function () {
    if (!fs.existsSync('/dev/full')) this.skip();
    const full = fs.openSync('/dev/full', 'w');
    try {
      for (const args of [['examples/micrograd_neuron.py'], ['--json', 'examples/errors.py'], ['--help']]) {
        const r = spawnSync(process.execPath, [CLI, ...args], {
          cwd: ROOT,
          encoding: 'utf8',
          stdio: ['ignore', full, 'pipe'],
        });
        assert.strictEqual(r.status, 3, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /^gradlens: cannot write the output: .*(ENOSPC|no space)/i);
        assert.strictEqual(r.stderr.split('\n').length, 2, r.stderr);
        noStackTrace(r.stderr);
      }
    } finally {
      fs.closeSync(full);
    }
  });

  it('--help documents every exit status', () => {
    const r = gradlens('--help');
    for (const status of [
      /0 +every lens evaluated/,
      /1 +some lens has an error/,
      /2 +usage error/,
      /3 +the output could not be written/,
    ])
      assert.match(r.stdout, status);
  });

  it('--precision takes only a plain integer from 0 to 20: an empty or odd value is a usage error', () => {
    for (const value of ['', ' ', ' 3', '3 ', '0x3', '1e1', '3.0', '+3', '-0', '21', 'four']) {
      const r = gradlens('--precision', value, 'examples/loss.ts');
      assert.strictEqual(r.code, 2, JSON.stringify(value));
      assert.match(r.stderr, /^gradlens: --precision must be an integer from 0 to 20/);
    }
    assert.match(gradlens('--precision', '0', 'examples/micrograd_neuron.py').stdout, /o = 1\n/);
    assert.match(gradlens('--precision', '20', 'examples/micrograd_neuron.py').stdout, /o = 0\.7071067811865\d{7}\n/);
  });

  it('an endless input (/dev/zero, an endless stdin) stops at the size limit: exit 2 with a message', function () {
    if (!fs.existsSync('/dev/zero')) this.skip();
    const zero = fs.openSync('/dev/zero', 'r');
    try {
      for (const [args, stdin] of [
        [['/dev/zero'], 'ignore'],
        [['-'], zero],
      ] as const) {
        const r = spawnSync(process.execPath, [CLI, ...args], {
          cwd: ROOT,
          encoding: 'utf8',
          stdio: [stdin, 'pipe', 'pipe'],
          timeout: 30000,
        });
        assert.strictEqual(r.status, 2, `${args.join(' ')}: ${r.signal ?? ''} ${r.stderr}`);
        assert.match(
          r.stderr,
          /^gradlens: cannot read .*: larger than 50 MiB, the most gradlens reads from one file\n$/,
        );
      }
    } finally {
      fs.closeSync(zero);
    }
  });

  it('a regular file over the size limit is refused before it is read; one at the limit is read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-'));
    const big = path.join(dir, 'big.py');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 50 * 1024 * 1024 + 1);
    const over = gradlens(big);
    assert.strictEqual(over.code, 2, over.stderr);
    assert.match(over.stderr, /larger than 50 MiB/);
    const text = 'x = 2.0\ny = x * 3  # @grad\n';
    fs.writeFileSync(big, text + ' '.repeat(50 * 1024 * 1024 - text.length));
    const at = gradlens('--no-gradcheck', big);
    assert.strictEqual(at.code, 0, at.stderr);
    assert.match(at.stdout, /y = 6\.0000/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--help', () => {
    const r = gradlens('--help');
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /Usage: gradlens/);
  });

  it('a bad file never produces a stack trace', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlens-'));
    const file = path.join(dir, 'bad.py');
    fs.writeFileSync(file, `y = ${'('.repeat(20000)}x  # @grad\n\u0000\uffff z = ]]] # @grad q=\n`);
    const r = gradlens(file);
    assert.strictEqual(r.code, 1);
    noStackTrace(r.stderr);
    assert.match(r.stdout, /nested too deeply/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
