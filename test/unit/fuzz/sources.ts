// Generators for the fuzz suite: micrograd-style Python and TypeScript sources (assignments, ops,
// methods, Value(…, label=…), @grad annotations with bindings, comments, strings, brackets), a
// mutator that deletes, duplicates and inserts hostile text, long lines, deep nesting and notebooks.
import * as fc from 'fast-check';

export type Style = 'hash' | 'slash' | 'both';

/** A source and the comment style it is analysed with. */
export interface Source {
  text: string;
  style: Style;
}

/** Mostly names that resolve to each other; a few that read like numbers or are not ASCII. */
const NAMES = ['a', 'b', 'c', 'x', 'y', 'w1', 'w2', 'x1', 'n', 'o', 'out', 'loss', 'h'];
const ODD_NAMES = ['NaN', 'Infinity', 'inf', 'nan', 'e', 'π', 'é', '_', '__proto__', 'constructor', 'self', 'data'];

const name: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_NAMES) },
);

/** Number literals: ordinary ones, the edges of doubles, and spellings that some language refuses. */
const number: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('0', '1', '2', '3', '0.5', '-1.5', '2.0', '0.0', '-3', '6.8813735870195432'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '1e308',
      '1e-308',
      '5e-324',
      '1e400',
      '-0.0',
      '1e15',
      '1.7976931348623157e308',
      '.5',
      '3.',
      '1_000',
      '0x1f',
      '0o17',
      '1e',
      '0.1e-5',
      '710',
      '-710',
      '1e-7',
    ),
  },
  { weight: 2, arbitrary: fc.double({ noNaN: false }).map((d) => String(d)) },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 1000 }).map(String) },
);

/** Bindings after the tag: `x=1.5 w1=-2` or `x=1, y=2`. */
const bindings: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.tuple(name, number), { maxLength: 4 }), fc.constantFrom(' ', ', ', ','))
  .map(([pairs, sep]) => pairs.map(([n, v]) => `${n}=${v}`).join(sep));

/** A language's pieces: those of the @grad language, mostly, and a few from outside it. */
interface Dialect {
  atom: fc.Arbitrary<string>;
  binary: fc.Arbitrary<string>;
  methods: fc.Arbitrary<string>;
  functions: fc.Arbitrary<string>;
}

/** Mostly `usual`, one time in `1 + odds` one of `unusual`. */
function mostly(usual: string[], unusual: string[], odds = 8): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: odds, arbitrary: fc.constantFrom(...usual) },
    { weight: 1, arbitrary: fc.constantFrom(...unusual) },
  );
}

function expression(d: Dialect): fc.Arbitrary<string> {
  return fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { maxDepth: 6, depthSize: 'small' },
      { weight: 4, arbitrary: d.atom },
      fc.tuple(tie('e'), d.binary, tie('e')).map(([l, op, r]) => `${l} ${op} ${r}`),
      tie('e').map((e) => `(${e})`),
      fc.tuple(tie('e'), d.methods).map(([e, m]) => (/^\w+$/.test(e) ? `${e}${m}` : `(${e})${m}`)),
      fc.tuple(d.functions, tie('e')).map(([f, e]) => `${f}(${e})`),
      tie('e').map((e) => `-${e}`),
      fc.tuple(tie('e'), fc.constantFrom('2', '3', '0.5', '-1', '0', 'k', '1e3')).map(([e, k]) => `(${e}) ** ${k}`),
    ),
  })).e;
}

const PY: Dialect = {
  atom: fc.oneof(
    { weight: 8, arbitrary: name },
    { weight: 4, arbitrary: number },
    { weight: 2, arbitrary: fc.tuple(number, name).map(([v, n]) => `Value(${v}, label='${n}')`) },
    fc.tuple(number).map(([v]) => `Value(${v})`),
    fc.constantFrom("float('inf')", "float('nan')", 'math.pi', 'math.inf', 'None', 'True', "'s'", '[1, 2]'),
  ),
  binary: mostly(['+', '-', '*', '/', '**'], ['//', '%', '@', '^', '<', '==', 'and']),
  methods: mostly(
    ['.tanh()', '.exp()', '.relu()', '.log()', '.pow(2)', '.pow(0.5)', '.pow(-1)'],
    ['.sigmoid()', '.data', '.grad', '.backward()', '.item()', '.pow(x)', '.tanh'],
  ),
  functions: mostly(
    ['tanh', 'math.tanh', 'math.exp', 'math.log', 'exp', 'log', 'relu'],
    ['max', 'abs', 'torch.tanh', 'float', 'f'],
  ),
};

const TS: Dialect = {
  atom: fc.oneof(
    { weight: 8, arbitrary: name },
    { weight: 4, arbitrary: number },
    { weight: 2, arbitrary: fc.tuple(number).map(([v]) => `new Value(${v})`) },
    fc.tuple(number, name).map(([v, n]) => `new Value(${v}, { label: '${n}' })`),
    fc.tuple(number, name).map(([v, n]) => `new Value(${v}, '${n}')`),
    fc.constantFrom('Math.PI', 'Infinity', 'NaN', 'undefined', 'null', '"s"', '`t${x}`', '[1, 2]', '{ a: 1 }', 'v(2)'),
  ),
  binary: mostly(['+', '-', '*', '/', '**'], ['%', '??', '&&', '<', '===']),
  methods: fc.oneof(
    {
      weight: 4,
      arbitrary: mostly(
        ['.tanh()', '.exp()', '.relu()', '.log()', '.pow(2)', '.neg()'],
        ['.data', '.backward()', '.tanh'],
      ),
    },
    fc
      .tuple(mostly(['.add', '.mul', '.sub', '.div'], ['.plus', '.times']), fc.oneof(name, number))
      .map(([m, arg]) => `${m}(${arg})`),
  ),
  functions: mostly(['Math.tanh', 'Math.exp', 'Math.log', 'tanh', 'exp'], ['Math.max', 'add', 'mul', 'neg', 'f']),
};

const pyExpr = expression(PY);
const tsExpr = expression(TS);

/** Text that can stand in a comment or a string: brackets, quotes, tags and hostile characters. */
const junk: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom('(', ')', '[', ']', '{', '}', "'", '"', '`', '#', '//', '/*', '*/', '@grad', ' ', 'x = 1'),
      fc.constantFrom('\0', '\x1b[2J', '\u202e', '\u2028', '\t', '\\', 'NaN', 'é', '😀'),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

/** A Python line's annotation: trailing, after prose, with bindings; or none. */
const pyTag: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.constant('  # @grad') },
  { weight: 3, arbitrary: bindings.map((b) => `  # @grad ${b}`) },
  bindings.map((b) => `  # output @grad ${b}`),
  fc.constant('# @grad'),
);

const tsTag: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.constant(' // @grad') },
  { weight: 3, arbitrary: bindings.map((b) => ` // @grad ${b}`) },
  bindings.map((b) => ` /* @grad ${b} */`),
  fc.constant('/** @grad */'),
);

/** One or a few lines of micrograd-style Python. */
const pyStatement: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(name, pyExpr, pyTag).map(([n, e, t]) => `${n} = ${e}${t}`) },
  fc.tuple(name, pyExpr, pyTag).map(([n, e, t]) => `${n} += ${e}${t}`),
  fc.tuple(name, name).map(([n, l]) => `${n}.label = '${l}'`),
  fc.tuple(name, pyExpr, name, pyTag).map(([n, e, m, t]) => `${n} = ${e}; ${n}.label = '${m}'${t}`),
  bindings.map((b) => `# @grad ${b}`),
  junk.map((j) => `# ${j}`),
  junk.map((j) => `s = "${j}"`),
  junk.map((j) => `s = """${j}\n${j}"""`),
  fc.tuple(pyExpr, pyTag).map(([e, t]) => `${e}${t}`),
  name.map((n) => `${n}.backward()`),
  fc
    .tuple(fc.array(name, { maxLength: 3 }), pyExpr, bindings)
    .map(([ps, e, b]) => `def f(${ps.join(', ')}):\n    return ${e}  # @grad ${b}`),
  fc.tuple(pyExpr, name, pyExpr).map(([c, n, e]) => `if ${c}:\n    ${n} = ${e}`),
  fc.constantFrom('', 'from micrograd.engine import Value', 'import math', '(', ')', ']', '    ', 'x = (', 'y = 1 +'),
);

const tsStatement: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.constantFrom('const ', 'let ', ''), name, tsExpr, tsTag)
      .map(([k, n, e, t]) => (t.startsWith('/**') ? `${t}\n${k}${n} = ${e};` : `${k}${n} = ${e};${t}`)),
  },
  fc.tuple(name, tsExpr, tsTag).map(([n, e, t]) => `${n} += ${e};${t}`),
  fc.tuple(name, name).map(([n, l]) => `${n}.label = '${l}';`),
  junk.map((j) => `// ${j}`),
  junk.map((j) => `/* ${j} */`),
  junk.map((j) => `const s = '${j}';`),
  junk.map((j) => 'const t = `' + j + '`;'),
  fc
    .tuple(fc.array(name, { maxLength: 3 }), tsExpr, bindings)
    .map(
      ([ps, e, b]) =>
        `function f(${ps.map((p) => `${p}: number`).join(', ')}): number {\n  return ${e}; // @grad ${b}\n}`,
    ),
  fc.tuple(name, tsExpr).map(([n, e]) => `const g = (${n}: number) => ${e}; // @grad ${n}=1`),
  name.map((n) => `${n}.backward();`),
  fc.constantFrom('', "import { Value } from 'micrograd';", '{', '}', '(', 'const x = (', 'let y = 1 +'),
);

const eol = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');

/** Ordinary values for the leaves most sources start with, so that most lenses evaluate. */
const leafValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }).map((d) => String(d)) },
  { weight: 1, arbitrary: number },
);

/** Assignments that give some of the usual names a value, before the generated statements. */
function prelude(line: (name: string, value: string) => fc.Arbitrary<string>): fc.Arbitrary<string[]> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<string[]>([]) },
    {
      weight: 4,
      arbitrary: fc
        .subarray(NAMES, { minLength: NAMES.length - 4 })
        .chain((names) => fc.tuple(...names.map((n) => leafValue.chain((v) => line(n, v)))))
        .map((lines) => [...lines]),
    },
  );
}

const pyLeaf = (n: string, v: string): fc.Arbitrary<string> =>
  fc.constantFrom(`${n} = Value(${v}, label='${n}')`, `${n} = ${v}`, `${n} = Value(${v})`);
const tsLeaf = (n: string, v: string): fc.Arbitrary<string> =>
  fc.constantFrom(`const ${n} = new Value(${v});`, `let ${n} = ${v};`, `const ${n} = ${v};`);

export const pySource: fc.Arbitrary<string> = fc
  .tuple(prelude(pyLeaf), fc.array(pyStatement, { maxLength: 30 }), eol)
  .map(([leaves, lines, e]) => [...leaves, ...lines].join('\n').replace(/\n/g, e));

export const tsSource: fc.Arbitrary<string> = fc
  .tuple(prelude(tsLeaf), fc.array(tsStatement, { maxLength: 30 }), eol)
  .map(([leaves, lines, e]) => [...leaves, ...lines].join('\n').replace(/\n/g, e));

/** A Python or TypeScript source with a style that fits it, or 'both'. */
export const source: fc.Arbitrary<Source> = fc.oneof(
  fc.tuple(pySource, fc.constantFrom<Style>('hash', 'hash', 'both')).map(([text, style]) => ({ text, style })),
  fc.tuple(tsSource, fc.constantFrom<Style>('slash', 'slash', 'both')).map(([text, style]) => ({ text, style })),
);

/** Characters and fragments a mutation inserts. */
const HOSTILE = [
  '\0',
  '\x01',
  '\x07',
  '\b',
  '\x0b',
  '\f',
  '\x1b',
  '\x1b[2J',
  '\x7f',
  '\x85',
  '\x9b',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\u200b',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\r',
  '\r\n',
  '\n',
  '\t',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '`',
  '"""',
  '\\',
  '#',
  '//',
  '/*',
  '*/',
  '# @grad',
  '// @grad',
  '@grad',
  ' @grad x=1',
  '=',
  '**',
  '.',
  ',',
  ';',
  ':',
  '-',
  'e',
  '9',
];

/** A very long token: a name, a number, brackets, a chain, a string, spaces or NULs. */
export const longToken: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('a', '9', '1e', '0.', '(', ')', '[', '.tanh()', '"x', ' ', '\0', '- ', '+ x ', '# @grad '),
    fc.integer({ min: 1000, max: 20000 }),
  )
  .map(([unit, n]) =>
    unit === '1e' ? '1e' + '9'.repeat(n) : unit === '0.' ? '0.' + '0'.repeat(n) + '1' : unit.repeat(n),
  );

type Edit =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 60 }) }),
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...HOSTILE) },
        { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
        { weight: 1, arbitrary: longToken },
      ),
    }),
  },
);

/** Up to `max` edits, applied in order at positions taken modulo the text's length. */
export function edits(max: number): fc.Arbitrary<Edit[]> {
  return fc.array(edit, { maxLength: max });
}

export function mutate(text: string, list: readonly Edit[]): string {
  let out = text;
  for (const e of list) {
    const at = e.at % (out.length + 1);
    if (e.kind === 'delete') out = out.slice(0, at) + out.slice(at + e.length);
    else if (e.kind === 'duplicate') out = out.slice(0, at) + out.slice(at, at + e.length) + out.slice(at);
    else out = out.slice(0, at) + e.text + out.slice(at);
  }
  return out;
}

/** A generated source, mutated by up to `max` edits. */
export function mutated(max: number): fc.Arbitrary<Source> {
  return fc.tuple(source, edits(max)).map(([s, list]) => ({ text: mutate(s.text, list), style: s.style }));
}

/** One very long line: a sum, a chain, a comment, a string, a number or a line of statements. */
export const longLine: fc.Arbitrary<Source> = fc
  .tuple(
    fc.constantFrom('sum', 'chain', 'comment', 'string', 'number', 'statements', 'bindings', 'name'),
    fc.integer({ min: 20_000, max: 120_000 }),
    fc.constantFrom<Style>('hash', 'slash', 'both'),
  )
  .map(([kind, n, style]) => {
    const c = style === 'slash' ? '//' : '#';
    const line: Record<string, () => string> = {
      sum: () =>
        `y = ${Array<string>(Math.floor(n / 4))
          .fill('x')
          .join(' + ')}  ${c} @grad x=0.5`,
      chain: () => `y = x${'.tanh()'.repeat(Math.floor(n / 7))}  ${c} @grad x=0.5`,
      comment: () => `y = x * 2  ${c} ${'@grad x=1 '.repeat(Math.floor(n / 10))}`,
      string: () => `s = "${'(['.repeat(Math.floor(n / 2))}"  ${c} @grad`,
      number: () => `y = x * ${'7'.repeat(n)}.5  ${c} @grad x=1`,
      statements: () => `x = 1; ${`y = x * 2; /* @grad */ `.repeat(Math.floor(n / 22))}`,
      bindings: () =>
        `y = x * 2  ${c} @grad ${Array.from({ length: Math.floor(n / 8) }, (_, k) => `v${k}=1`).join(' ')}`,
      name: () => `${'a'.repeat(n)} = 2.0\ny = ${'a'.repeat(n)} * 3  ${c} @grad`,
    };
    return { text: `x = 0.5\n${line[kind]()}\n`, style };
  });

/** Nesting tens to thousands deep: brackets, calls, methods, unary minus, powers, and unclosed openers. */
export const deepNesting: fc.Arbitrary<Source> = fc
  .tuple(
    fc.constantFrom(
      'parens',
      'brackets',
      'calls',
      'methods',
      'minus',
      'powers',
      'unclosed',
      'values',
      'mixed',
      'lines',
    ),
    // Around the parser's nesting limit (200), and far past it.
    fc.oneof(fc.integer({ min: 20, max: 400 }), fc.integer({ min: 1000, max: 12_000 })),
    fc.constantFrom<Style>('hash', 'slash', 'both'),
  )
  .map(([kind, n, style]) => {
    const c = style === 'slash' ? '//' : '#';
    const tag = `  ${c} @grad x=0.5`;
    const text: Record<string, () => string> = {
      parens: () => `y = ${'('.repeat(n)}x${')'.repeat(n)}${tag}`,
      brackets: () => `y = ${'[{'.repeat(n)}x${'}]'.repeat(n)}${tag}`,
      calls: () => `y = ${'tanh('.repeat(n)}x${')'.repeat(n)}${tag}`,
      methods: () => `y = ${'('.repeat(n)}x${').exp().log()'.repeat(n)}${tag}`,
      minus: () => `y = ${'-'.repeat(n)}x${tag}`,
      powers: () => `y = x${' ** 1'.repeat(n)}${tag}`,
      unclosed: () => `y = ${'(x + '.repeat(n)}${tag}\nz = x * 2${tag}`,
      values: () => `y = ${'Value('.repeat(n)}1${', label="v")'.repeat(n)}${tag}`,
      mixed: () => `y = ${'(-x * tanh('.repeat(n)}x${'))'.repeat(n)}${tag}`,
      lines: () => `y = (\n${'(\n'.repeat(n)}x\n${')\n'.repeat(n)})${tag}`,
    };
    return { text: text[kind](), style };
  });

/** A notebook's code cells: generated sources of one language, some mutated, some empty. */
export const notebookCells: fc.Arbitrary<{ cells: string[]; style: Style; language: 'python' | 'typescript' }> =
  fc.oneof(
    fc.record({
      cells: fc.array(
        fc.oneof(
          pySource,
          fc.tuple(pySource, edits(4)).map(([t, e]) => mutate(t, e)),
          fc.constant(''),
        ),
        {
          maxLength: 6,
        },
      ),
      style: fc.constantFrom<Style>('hash', 'both'),
      language: fc.constant('python' as const),
    }),
    fc.record({
      cells: fc.array(
        fc.oneof(
          tsSource,
          fc.tuple(tsSource, edits(4)).map(([t, e]) => mutate(t, e)),
          fc.constant(''),
        ),
        {
          maxLength: 6,
        },
      ),
      style: fc.constantFrom<Style>('slash', 'both'),
      language: fc.constant('typescript' as const),
    }),
  );

/** The .ipynb text of code cells (with a markdown cell between), its source as a string or as lines. */
export function notebookJson(cells: string[], language: string, asLines: boolean): string {
  const all = cells.flatMap((text, k) => [
    ...(k % 2 === 1 ? [{ cell_type: 'markdown', metadata: {}, source: `# note ${k} @grad x=1` }] : []),
    {
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source: asLines ? text.split(/(?<=\n)/) : text,
    },
  ]);
  return JSON.stringify({
    cells: all,
    metadata: { language_info: { name: language } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}
