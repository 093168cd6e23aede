// Problem messages quote user text through one helper (src/core/quote.ts), at most QUOTE_LIMIT
// characters: a 10 MB binding gives a short message, not a 10 MB one.
import * as assert from 'assert';
import { analyzeSelection, analyzeText, parseBindings, type AnalyzeOptions } from '../../../src/core';
import { clip, quote, QUOTE_LIMIT } from '../../../src/core/quote';

const TEN_MB = 10 * 1024 * 1024;
/** Room for the message's own words around one or two quotations. */
const SHORT = 4 * QUOTE_LIMIT + 200;

function errorOf(text: string): string {
  const parsed = parseBindings(text);
  assert.ok('error' in parsed, 'expected an error');
  return parsed.error;
}

describe('core: quoted user text in messages', () => {
  it('clip and quote: short text unchanged, long text cut at the limit with …, never half a surrogate pair', () => {
    assert.strictEqual(quote('x1'), '`x1`');
    assert.strictEqual(clip('a'.repeat(QUOTE_LIMIT)), 'a'.repeat(QUOTE_LIMIT));
    assert.strictEqual(clip('a'.repeat(QUOTE_LIMIT + 1)), `${'a'.repeat(QUOTE_LIMIT)}…`);
    assert.strictEqual(quote('b'.repeat(1000)), `\`${'b'.repeat(QUOTE_LIMIT)}…\``);
    const emoji = `${'a'.repeat(QUOTE_LIMIT - 1)}😀tail`;
    assert.strictEqual(clip(emoji), `${'a'.repeat(QUOTE_LIMIT - 1)}…`);
  });

  it('a 10 MB binding that does not parse gives a short message', () => {
    const message = errorOf(`x=1 ${'y'.repeat(TEN_MB)}`);
    assert.ok(message.length < SHORT, `${message.length} characters`);
    assert.match(message, /^expected name=number, got `y{80}…` \(write bindings like x=2, w=-3\)$/);
  });

  it('a long name bound twice, and a long number that is not finite, give short messages', () => {
    const name = 'n'.repeat(100_000);
    assert.match(errorOf(`${name}=1 ${name}=2`), /^`n{80}…` is bound twice$/);
    assert.match(errorOf(`z=1${'0'.repeat(100_000)}`), /^z=10{77}… is not a finite number$/);
  });

  it("in a file: the annotation's bad binding is quoted short", () => {
    const lens = analyzeText(`y = 2.0 * 3  # @grad x=1 ${'?'.repeat(TEN_MB)}\n`, { comments: 'hash' })[0];
    const messages = lens.problems.map((p) => p.message);
    assert.ok(messages.length > 0);
    for (const message of messages)
      assert.ok(message.length < SHORT, `${message.length} characters: ${message.slice(0, 200)}`);
  });

  it('a gradcheck warning names a long target and a long leaf short', () => {
    const leaf = 'l'.repeat(5000);
    const target = `${leaf}.relu() * 2 + ${'0 * 1 + '.repeat(2000)}0`;
    const lens = analyzeText(`${leaf} = 0.0\n${target}  # @grad\n`, { comments: 'hash' })[0];
    const warning = lens.problems.find((p) => p.code === 'gradcheck');
    assert.ok(warning, JSON.stringify(lens.problems.map((p) => p.message.slice(0, 100))));
    assert.ok(warning.message.length < SHORT, `${warning.message.length} characters`);
    assert.ok(
      warning.message.includes(`∂${clip(lens.target)}/∂${clip(leaf)}: analytic`),
      warning.message.slice(0, 300),
    );
  });

  it('a 1 MB identifier, a 1 MB unknown function name and a 1 MB binding each give messages under 300 characters', () => {
    const id = 'i'.repeat(2 ** 20);
    const fn = 'f'.repeat(2 ** 20);
    const binding = `${'b'.repeat(2 ** 20)}=1`;
    const PY: AnalyzeOptions = { comments: 'hash' };
    const JS: AnalyzeOptions = { comments: 'slash' };
    const cases: [string, string, AnalyzeOptions][] = [
      ['an unbound identifier', `y = ${id} * 2  # @grad\n`, PY],
      ['its use in a long name', `${id} = x * 2\ny = ${id} * 3  # @grad\n`, PY],
      ['a parse error in the assignment to a long name', `${id} = a.b\ny = ${id} * 3  # @grad\n`, PY],
      ['a long name in an exponent', `y = a ** ${id}  # @grad a=1\n`, PY],
      [
        'a long name in an exponent, in an assignment to a long name',
        `${id} = a ** ${id}\ny = ${id} * 2  # @grad a=1\n`,
        PY,
      ],
      ['a long parameter', `def f(${id}):\n    return ${id} * 2  # @grad\n`, PY],
      ['a parameter of a long function', `def ${fn}(x):\n    return x * 2  # @grad\n`, PY],
      ['a long loop variable', `for ${id} in xs:\n    y = ${id} * 2  # @grad\n`, PY],
      ['a long module', `from ${id} import x\ny = x * 2  # @grad\n`, PY],
      ['a long attribute', `y = a.${id}  # @grad a=1\n`, PY],
      ['a long method', `y = a.${fn}()  # @grad a=1\n`, PY],
      ['a long constructor', `const y = new ${fn}(a, b); // @grad\n`, JS],
      ['a long function', `y = ${fn}(x)  # @grad x=1\n`, PY],
      ['a long module function', `y = math.${fn}(x)  # @grad x=1\n`, PY],
      ['a long module constant', `y = math.${fn} * 2  # @grad\n`, PY],
      ['an unexpected long token', `y = 2 ${id}  # @grad\n`, PY],
      ['a long literal that is not a number', `y = 0x${'g'.repeat(2 ** 20)}  # @grad\n`, PY],
      ['a long binding, and a name without a value', `y = z * 2  # @grad ${binding}\n`, PY],
      ['a long binding in a block comment', `const y = z * 2; /* @grad ${binding} */\n`, JS],
    ];
    for (const [what, text, options] of cases) {
      const lenses = analyzeText(text, options);
      const messages = lenses.flatMap((lens) => lens.problems.map((p) => p.message));
      assert.ok(messages.length > 0, `${what}: no problem`);
      for (const message of messages)
        assert.ok(message.length < 300, `${what}: ${message.length} characters: ${message.slice(0, 300)}`);
    }
    // Differentiate Selection: a long name without a value, a long name given a value that is not a number.
    const selection = analyzeSelection(
      `y = ${id} * 2\n`,
      { start: { line: 0, character: 4 }, end: { line: 0, character: 4 + id.length + 4 } },
      PY,
    );
    const given = analyzeSelection(
      'y = 2\n',
      { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } },
      {
        ...PY,
        bindings: { [id]: 'x'.repeat(2 ** 20) as unknown as number },
      },
    );
    for (const message of [...selection.problems, ...given.problems].map((p) => p.message))
      assert.ok(message.length < 300, `${message.length} characters: ${message.slice(0, 300)}`);
    // A long tag, in the message of a tag that marks no statement.
    const tag = `@${'t'.repeat(2 ** 20)}`;
    const dangling = analyzeText(`# ${tag}\n\ny = 1\n`, { ...PY, tag })[0];
    assert.ok(dangling.problems[0].message.length < 300, `${dangling.problems[0].message.length} characters`);
  });
});
