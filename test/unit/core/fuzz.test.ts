// The analysis under hostile input: random text, mutated examples, deep nesting and long chains.
// Whatever comes in, it returns lenses (an error or a result) and never throws, overflows the
// stack, hangs, or shows a NaN or an Infinity.
import * as assert from 'assert';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeCells, analyzeSelection, analyzeText, type Lens } from '../../../src/core';

const EXAMPLES = path.join(__dirname, '..', '..', '..', '..', 'examples');

/** The invariants every lens keeps. */
function checkLens(lens: Lens): void {
  const errors = lens.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) assert.strictEqual(lens.value, null, 'a lens with an error has no value');
  else assert.ok(lens.value !== null && Number.isFinite(lens.value), `value ${lens.value}`);
  const numbers = [
    ...lens.variables.flatMap((v) => [v.value, v.grad]),
    ...lens.ops.flatMap((o) => [...o.inputs, o.output, o.grad]),
    ...(lens.graph?.nodes.flatMap((n) => [n.data, n.grad]) ?? []),
  ];
  for (const x of numbers) assert.ok(Number.isFinite(x), `non-finite number ${x}`);
  for (const p of lens.problems) {
    assert.ok(p.message.length > 0);
    assert.ok(p.range.start.line <= p.range.end.line);
  }
}

function checkText(text: string, comments?: 'hash' | 'slash' | 'both'): void {
  const lenses = analyzeText(text, { comments });
  assert.ok(Array.isArray(lenses));
  lenses.forEach(checkLens);
}

/** Fragments of the language and of its neighbours, so random text reaches deep into the parser. */
const FRAGMENTS = [
  'x',
  'y',
  'w1',
  'n',
  'o',
  ' = ',
  ' += ',
  ':=',
  '*',
  '**',
  '/',
  '//',
  '+',
  '-',
  '^',
  '%',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ';',
  '\n',
  '  ',
  '\\\n',
  '0',
  '1',
  '2.5',
  '1e400',
  '-3',
  '.5',
  '0x1f',
  'exp(',
  'log(',
  'tanh(',
  'relu(',
  'Math.pow(',
  'pow(',
  '.tanh()',
  '.exp()',
  '.log()',
  '.pow(2)',
  '.mul(',
  'Value(',
  'new Value(',
  "label='x'",
  'math.',
  '# @grad',
  '# @grad x=1',
  '// @grad',
  '/* @grad */',
  '/*',
  '*/',
  '"',
  "'",
  '`',
  '"""',
  'return ',
  'const ',
  'let ',
  ': float',
  'def f(x):',
  'if ',
  '@grad',
  '#',
  '\r\n',
  '\t',
  'é',
  '😀',
  '\u2028',
];

describe('core: fuzzing', function () {
  this.timeout(120000);

  it('random sequences of language fragments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 80 }),
        fc.constantFrom<'hash' | 'slash' | 'both'>('hash', 'slash', 'both'),
        (parts, style) => {
          checkText(parts.join(''), style);
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('random unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        checkText(text);
        checkText(text + '  # @grad');
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  it('mutated example files', () => {
    const sources = fs.readdirSync(EXAMPLES).map((f) => fs.readFileSync(path.join(EXAMPLES, f), 'utf8'));
    const mutation = fc.record({
      source: fc.constantFrom(...sources),
      edits: fc.array(
        fc.record({ at: fc.nat(), cut: fc.nat({ max: 12 }), insert: fc.constantFrom('', ...FRAGMENTS) }),
        { minLength: 1, maxLength: 8 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ source, edits }) => {
        let text = source;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
        }
        checkText(text);
      }),
      { numRuns: 1500, seed: 3 },
    );
  });

  it('random cells and selections', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 20 }).map((p) => p.join('')),
          { maxLength: 4 },
        ),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (cells, a, b, c) => {
          analyzeCells(cells).forEach((lenses) => lenses.forEach(checkLens));
          const text = cells.join('\n');
          const lines = text.split('\n');
          const line = a % lines.length;
          const selection = {
            start: { line, character: b % (lines[line].length + 1) },
            end: { line: (line + (c % 2)) % lines.length, character: c % 50 },
          };
          checkLens(analyzeSelection(text, selection, { prelude: cells.slice(0, 1) }));
        },
      ),
      { numRuns: 1000, seed: 11 },
    );
  });

  it('10,000 nested parentheses, brackets, calls, unary minus and powers', () => {
    const deep = [
      `y = ${'('.repeat(10000)}x${')'.repeat(10000)}  # @grad x=1`,
      `y = ${'('.repeat(10000)}x  # @grad x=1`,
      `y = ${'tanh('.repeat(10000)}x${')'.repeat(10000)}  # @grad x=1`,
      `y = x${'.tanh()'.repeat(10000)}  # @grad x=1`,
      `y = ${'-'.repeat(10000)}x  # @grad x=1`,
      `y = x${' ** 1'.repeat(10000)}  # @grad x=1`,
      `y = x${' + x'.repeat(10000)}  # @grad x=1`,
      `y = ${'['.repeat(10000)}  # @grad`,
      `y = ${'Value('.repeat(10000)}1${')'.repeat(10000)}  # @grad`,
    ];
    for (const text of deep) checkText(text);
    const chained = only(`y = x${'.tanh()'.repeat(10000)}  # @grad x=1`);
    assert.ok(chained.value !== null, 'a long method chain is not nesting');
    const sum = only(`y = x${' + x'.repeat(10000)}  # @grad x=1`);
    assert.strictEqual(sum.value, 10001);
  });

  it('a 20,000-line chain evaluates without recursion', () => {
    const lines = ['x0 = 0.5'];
    for (let i = 1; i < 20000; i++) lines.push(`x${i} = x${i - 1} * 0.9999 + 0.0001`);
    lines[lines.length - 1] += '  # @grad';
    const lens = only(lines.join('\n'));
    assert.ok(lens.value !== null);
    assert.strictEqual(lens.variables.length, 19999);
    assert.strictEqual(lens.gradcheck?.ok, true);
  });

  it('a long chain with every line annotated stops at the document node budget instead of hanging', () => {
    const lines = ['x0 = 0.5'];
    for (let i = 1; i < 1200; i++) lines.push(`x${i} = x${i - 1} * 0.9999 + 0.0001  # @grad`);
    const lenses = analyzeText(lines.join('\n'));
    assert.strictEqual(lenses.length, 1199);
    assert.ok(lenses[0].value !== null);
    const last = lenses[lenses.length - 1];
    assert.strictEqual(last.value, null);
    assert.match(last.problems[0].message, /lenses together build more than 400,000 graph nodes/);
  });

  it('random valid expressions agree with plain arithmetic', () => {
    type Tree = { text: string; value: number };
    const leaf = fc.oneof(
      fc.constantFrom<Tree>({ text: 'a', value: 0.7 }, { text: 'b', value: -1.3 }, { text: 'c', value: 2.1 }),
      fc.integer({ min: 1, max: 9 }).map((k): Tree => ({ text: String(k), value: k })),
    );
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
      t: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('t'), fc.constantFrom('+', '-', '*'), tie('t')).map(([l, op, r]) => ({
          text: `(${l.text} ${op} ${r.text})`,
          value: op === '+' ? l.value + r.value : op === '-' ? l.value - r.value : l.value * r.value,
        })),
        tie('t').map((t) => ({ text: `tanh(${t.text})`, value: Math.tanh(t.value) })),
        tie('t').map((t) => ({
          text: `${/^[a-z]\w*$/.test(t.text) ? t.text : `(${t.text})`}.relu()`,
          value: Math.max(0, t.value),
        })),
        tie('t').map((t) => ({ text: `(${t.text}) ** 2`, value: t.value ** 2 })),
        tie('t').map((t) => ({ text: `-${t.text}`, value: -t.value })),
      ),
    })).t;
    fc.assert(
      fc.property(tree, (t) => {
        const lens = only(`a = 0.7\nb = -1.3\nc = 2.1\ny = ${t.text}  # @grad`);
        checkLens(lens);
        if (Number.isFinite(t.value) && Math.abs(t.value) < 1e100) {
          assert.ok(lens.value !== null, lens.problems.map((p) => p.message).join('; '));
          assert.ok(
            Math.abs(lens.value - t.value) <= 1e-9 * Math.max(1, Math.abs(t.value)),
            `${t.text}: ${lens.value} vs ${t.value}`,
          );
        }
      }),
      { numRuns: 500, seed: 5 },
    );
  });
});

function only(text: string): Lens {
  const lenses = analyzeText(text);
  assert.strictEqual(lenses.length, 1);
  checkLens(lenses[0]);
  return lenses[0];
}
