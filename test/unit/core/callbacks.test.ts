// Statements inside callbacks passed as arguments (issue 10, item 5): a test framework's
// `test('…', () => { … })`, React's `useCallback(() => { … }, [])`, `forEach(x => { … })`. Each
// statement of the body is a statement in its own right, with its lens on its own line.
import * as assert from 'assert';
import { analyzeText } from '../../../src/core';
import { close, grad, JS, ok, only, unbound } from './helpers';

describe('core: statements inside callbacks', () => {
  it('a test framework: arrow and function callbacks, nested', () => {
    const text = [
      'const a = new Value(3);', // 1
      "describe('ops', function () {", // 2
      "  it('multiplies', () => {", // 3
      '    const b = new Value(-2);', // 4
      '    const y = a.mul(b).add(1); // @grad', // 5
      '    expect(y.data).toBe(-5);', // 6
      '  });', // 7
      "  test('tanh', async function named() {", // 8
      '    const t = a.tanh(); // @grad', // 9
      '  });', // 10
      '});', // 11
      'const z = a.mul(2); // @grad', // 12
    ].join('\n');
    const lenses = analyzeText(text, JS);
    assert.deepStrictEqual(
      lenses.map((l) => [l.line, l.value]),
      [
        [4, -5],
        [8, Math.tanh(3)],
        [11, 6],
      ],
    );
    assert.strictEqual(grad(lenses[0], 'a'), -2);
    assert.strictEqual(grad(lenses[0], 'b'), 3);
    for (const lens of lenses) assert.deepStrictEqual(lens.problems, []);
  });

  it('a React hook: the callback sees the component’s values; its locals stay inside', () => {
    const text = [
      'export function useNeuron() {',
      '  const x = new Value(2);',
      '  const w = new Value(-0.5);',
      '  const forward = useCallback(() => {',
      '    const act = x.mul(w);',
      '    const out = act.tanh(); // @grad',
      '    return out;',
      '  }, [x, w]);',
      '  const leak = act.exp(); // @grad',
      '}',
    ].join('\n');
    const [inside, outside] = analyzeText(text, JS);
    close(inside.value, Math.tanh(-1));
    close(grad(inside, 'w'), 2 * (1 - Math.tanh(-1) ** 2));
    assert.strictEqual(outside.value, null);
    assert.ok(outside.problems.some((p) => /`act`/.test(p.message)));
  });

  it("a callback's parameter needs a binding, and the message names the callback", () => {
    const text = 'const w = new Value(0.5);\n[1, 2].forEach((x) => {\n  const y = w.mul(x); // @grad\n});\n';
    unbound(only(text, JS), 'x', /^`x` is a parameter of the callback passed to `forEach` on line 2/);
    const bound = ok(text.replace('// @grad', '// @grad x=4'), JS);
    assert.strictEqual(bound.value, 2);
    assert.strictEqual(grad(bound, 'w'), 4);
  });

  it('a parameter shadows the outer name of the same spelling', () => {
    const text =
      'const x = new Value(5);\nrun((x) => {\n  const y = x.mul(2); // @grad\n});\nconst z = x.mul(2); // @grad\n';
    const [inside, outside] = analyzeText(text, JS);
    assert.strictEqual(inside.value, null);
    assert.strictEqual(outside.value, 10);
  });

  it('object literals and patterns in arguments are no callbacks; the call goes on after a body', () => {
    const text = [
      'const a = new Value(2);',
      'configure({ rate: 0.1, nested: { depth: 2 } });',
      'const b = pick(a, () => { return 1; }, { x: 1 }).mul(3);',
      'const c = a.mul(a); // @grad',
    ].join('\n');
    const [lens] = analyzeText(text, JS);
    assert.strictEqual(lens.line, 3);
    assert.strictEqual(lens.value, 4);
    assert.strictEqual(grad(lens, 'a'), 4);
  });

  it('an annotation on the call around a callback is not moved into the body', () => {
    const lenses = analyzeText('const w = new Value(1);\nconst r = compute(() => {\n  return 2;\n}); // @grad\n', JS);
    assert.strictEqual(lenses.length, 1);
    assert.strictEqual(lenses[0].line, 1);
    assert.strictEqual(lenses[0].value, null);
    assert.ok(lenses[0].problems.some((p) => p.severity === 'error'));
  });

  it('a callback left open at the end of the text still ends its statements', () => {
    const lenses = analyzeText("const a = new Value(2);\ntest('x', () => {\n  const y = a.exp(); // @grad\n", JS);
    assert.strictEqual(lenses.length, 1);
    close(lenses[0].value, Math.exp(2));
  });

  it('Python is unchanged: a lambda has no statements, a dict argument no block', () => {
    const lenses = analyzeText('a = Value(2.0)\nf(key={"x": 1})\ny = a * a  # @grad\n', { comments: 'hash' });
    assert.strictEqual(lenses[0].value, 4);
  });
});
