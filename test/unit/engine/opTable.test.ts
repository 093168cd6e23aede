// The op table (engine/opTable.ts) against the engine that restates it for speed: the backward
// switch's gradients equal the table's numeric local derivatives, the Value methods' values equal
// the table's forward, the engine refuses exactly what the table refuses (with its message), each
// symbolic derivative evaluates to the numeric one, and the README's op table is the table's.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import * as engine from '../../../engine';
import {
  DomainError,
  OP_LIST,
  OPS,
  opFromSymbol,
  opSymbol,
  refusal,
  Value,
  type OpSpec,
  type Symbols,
} from '../../../engine';

const RUNS = 400;

/** Operands from everywhere: ordinary numbers, tiny and huge magnitudes, zeros, domain edges. */
const anyNumber = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -30, max: 30, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1, 2, 0.5, 1e-170, -1e-170, 1e-310, 19, -19, 710, 1e200) },
);
const exponents = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, -1, -2, 0.5, 1.5, -0.5, 1 / 3),
  fc.double({ min: -6, max: 6, noNaN: true }),
);

/** The node c = op(a, b) built by the Value method, its operands as leaves. */
function build(op: OpSpec, x: number, y: number): { a: Value; b?: Value; c: Value } {
  const a = new Value(x, 'a');
  if (op.exponent) return { a, c: a.pow(y) };
  if (op.arity === 1) return { a, c: (a[op.name] as () => Value).call(a) };
  const b = new Value(y, 'b');
  return { a, b, c: (a[op.name] as (o: Value) => Value).call(a, b) };
}

const same = (x: number, y: number): boolean => x === y; // -0 and 0 alike: the engine turns a first -0 into 0

describe("op table: one declaration per op, in the engine's order", () => {
  it('the op codes follow the table, and every op is a Value method and a free function', () => {
    for (const op of OP_LIST) {
      const { c } = build(op, 0.5, 2);
      assert.strictEqual(c.opName, op.name, "the engine's op code for this method is the table's position");
      assert.strictEqual(c.op, opSymbol(op.name, c.exponent));
      assert.deepStrictEqual(opFromSymbol(c.op), op.exponent ? { op, exponent: 2 } : { op });
      assert.strictEqual(OPS[op.name], op);
      assert.strictEqual(typeof Value.prototype[op.name], 'function');
      assert.strictEqual(typeof (engine as unknown as Record<string, unknown>)[op.name], 'function');
      assert.strictEqual(op.local.length, op.localText.length);
      assert.strictEqual(op.local.length, op.exponent ? 1 : op.arity, 'a derivative per differentiated operand');
    }
    assert.strictEqual(
      new Set(OP_LIST.flatMap((op) => op.aliases)).size,
      OP_LIST.flatMap((op) => op.aliases).length,
      'no alias names two ops',
    );
  });

  it('reads display symbols back, and only the ones opSymbol writes', () => {
    assert.deepStrictEqual(opFromSymbol('**-0.5'), { op: OPS.pow, exponent: -0.5 });
    assert.deepStrictEqual(opFromSymbol('**1e-7'), { op: OPS.pow, exponent: 1e-7 });
    for (const bad of ['', '**', '** 2', '**0x10', '**Infinity', 'sinh', '**2 '])
      assert.strictEqual(opFromSymbol(bad), undefined, bad);
  });
});

describe('op table agrees with the engine', () => {
  for (const op of OP_LIST) {
    const second = op.exponent ? exponents : op.arity === 2 ? anyNumber : fc.constant(0);
    it(`${op.name}: forward, refusals and the backward switch's gradients, at random operands`, () => {
      fc.assert(
        fc.property(anyNumber, second, fc.double({ min: -4, max: 4, noNaN: true }), (x, y, upstream) => {
          const c = op.forward(x, y);
          const refused = refusal(op, x, y, c);
          let built: ReturnType<typeof build>;
          try {
            built = build(op, x, y);
          } catch (err) {
            assert.ok(err instanceof DomainError, String(err));
            assert.strictEqual(err.message, refused, "the engine refuses with the table's message");
            assert.strictEqual(err.op, op.name);
            return;
          }
          assert.strictEqual(refused, undefined, `the table refuses ${op.name}(${x}, ${y}) but the engine does not`);
          assert.ok(Object.is(built.c.data, c), `forward: the Value method gives ${built.c.data}, the table ${c}`);
          // Backward through one more node, so that the upstream gradient is not just 1.
          const g = Number.isFinite(c * upstream) ? upstream : 1; // ∂out/∂c, exactly
          const out = built.c.mul(g);
          const locals = op.local.map((d) => d(x, y, c));
          try {
            out.backward();
          } catch (err) {
            assert.ok(err instanceof DomainError, String(err));
            assert.ok(
              locals.some((d) => !Number.isFinite(d) || !Number.isFinite(d * g)),
              `the engine failed but the table's derivatives are ${locals}`,
            );
            return;
          }
          const operands = built.b ? [built.a, built.b] : [built.a];
          operands.forEach((v, i) => {
            assert.ok(
              same(v.grad, locals[i] * g),
              `∂${op.name}/∂${'ab'[i]} at (${x}, ${y}): the switch gives ${v.grad}, the table ${locals[i]} × ${g}`,
            );
          });
        }),
        { numRuns: RUNS },
      );
    });
  }

  it("keeps today's domain messages", () => {
    assert.strictEqual(refusal(OPS.div, 1, 0, 1 / 0), 'division by zero: 1 / 0');
    assert.strictEqual(refusal(OPS.log, -1, 0, NaN), 'log of a non-positive number: log(-1)');
    assert.strictEqual(refusal(OPS.exp, 1000, 0, Infinity), 'exp overflows: exp(1000) is beyond the largest double');
    assert.strictEqual(refusal(OPS.pow, 2, Infinity, Infinity), 'pow needs a finite exponent: 2 ** Infinity');
    assert.strictEqual(refusal(OPS.pow, 0.5, Infinity, 0), 'pow needs a finite exponent: 0.5 ** Infinity');
    assert.strictEqual(refusal(OPS.pow, 0, -1, Infinity), 'pow gives Infinity: 0 ** (-1)');
    assert.strictEqual(refusal(OPS.mul, 1e200, 1e200, Infinity), 'mul overflows: 1e+200 * 1e+200 = Infinity');
    assert.strictEqual(refusal(OPS.div, 1e300, 1e-300, Infinity), 'div overflows: 1e+300 / 1e-300 = Infinity');
    assert.strictEqual(refusal(OPS.tanh, 50, 0, 1), undefined);
  });
});

describe('op table: the fixed derivatives (hostile input)', () => {
  it('∂(a/b)/∂b does not underflow for |b| < 1e-162', () => {
    const a = new Value(1e-170, 'a');
    const b = new Value(1e-170, 'b');
    a.div(b).backward(); // b·b is 0 in doubles: −a/(b·b) was −Infinity and a false DomainError
    assert.strictEqual(b.grad, -1e170);
    assert.strictEqual(OPS.div.local[1](1e-170, 1e-170, 1), -1e170);
    assert.strictEqual(a.grad, 1e170);
  });

  it('the tanh derivative is right at large |x|, where 1 − c² is 77% off or 0', () => {
    for (const x of [0, 0.5, -3, 15, 19, -19.5, 30, 300]) {
      const expected = 1 / Math.cosh(x) ** 2;
      const local = OPS.tanh.local[0](x, 0, Math.tanh(x));
      assert.ok(Math.abs(local - expected) <= 1e-15 * expected, `sech²(${x}): ${local} vs ${expected}`);
    }
    assert.strictEqual(1 - Math.tanh(20) ** 2, 0, "why: the seed's 1 − c² from the rounded output");
  });

  it('the tanh derivative is within a few ulps of sech² everywhere', () => {
    fc.assert(
      fc.property(fc.double({ min: -350, max: 350, noNaN: true }), (x) => {
        const expected = 1 / Math.cosh(x) ** 2; // cosh is accurate; its square does not overflow here
        const local = OPS.tanh.local[0](x, 0, Math.tanh(x));
        assert.ok(Math.abs(local - expected) <= 1e-15 * expected, `tanh'(${x}): ${local} vs ${expected}`);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Evaluates a symbolic derivative as JavaScript: `−a/b²` → `-a/b**2`, `[a > 0]` → `(a > 0 ? 1 : 0)`. */
function evaluateText(text: string, a: number, b: number, c: number): number {
  const js = text
    .replace(/\[(.+?)\]/g, '(($1) ? 1 : 0)')
    .replace(/\u2212/g, '-')
    .replace(/\u00b7/g, '*')
    .replace(/\^/g, '**')
    .replace(/([abc])\u00b2/g, '($1**2)');
  return new Function('a', 'b', 'c', `return ${js};`)(a, b, c) as number;
}

const integerExponent = (n: number): string => String(n).replace('-', '\u2212');

describe('op table: each symbolic derivative, evaluated, is the numeric one', () => {
  for (const op of OP_LIST) {
    it(op.name, () => {
      const second = op.exponent
        ? fc.integer({ min: -4, max: 5 })
        : op.arity === 2
          ? fc.double({ min: -50, max: 50, noNaN: true })
          : fc.constant(0);
      fc.assert(
        fc.property(fc.double({ min: -5, max: 5, noNaN: true }), second, (x, y) => {
          if (op.arity === 2 && !op.exponent && Math.abs(y) < 1e-3) return; // away from b = 0
          if ((op.name === 'log' || op.exponent) && Math.abs(x) < 1e-3) return; // away from log's edge and 0^−n
          const a = op.name === 'log' ? Math.abs(x) : x;
          const c = op.forward(a, y);
          const names: Symbols = { a: 'a', b: 'b', c: 'c', n: integerExponent(y), nLess1: integerExponent(y - 1) };
          op.localText.forEach((text, i) => {
            const symbolic = evaluateText(text(names), a, y, c);
            const numeric = op.local[i](a, y, c);
            // 1 − c² itself loses digits as |a| grows: that is why tanh's numeric form is sech².
            const rtol = op.name === 'tanh' ? 1e-9 : 1e-12;
            assert.ok(
              Math.abs(symbolic - numeric) <= rtol * Math.abs(numeric) + 1e-300,
              `${op.name}: ${text(names)} = ${symbolic}, numeric ${numeric}`,
            );
          });
        }),
        { numRuns: 200 },
      );
    });
  }
});

/** The README's op table, as the op table renders it (the hover's formulas, generic exponent). */
function readmeTable(): string[] {
  const generic: Symbols = { a: 'a', b: 'b', c: 'c', n: 'n', nLess1: '(n\u22121)' };
  const rows = OP_LIST.map((op) => {
    const derivatives = op.localText.map((text, i) => `\u2202c/\u2202${'ab'[i]} = ${text(generic)}`).join(', ');
    return `| \`${op.formula}\` | ${derivatives} |`;
  });
  return ['| op | local derivative |', '|---|---|', ...rows];
}

describe("README: the op table is the engine's", () => {
  it('README.md contains exactly the table rendered from engine/opTable.ts', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../../README.md'), 'utf8').split(/\r?\n/);
    const start = readme.findIndex((line) => line.trim() === '| op | local derivative |');
    assert.ok(start >= 0, 'README.md has a "| op | local derivative |" table');
    const indent = readme[start].slice(0, readme[start].indexOf('|'));
    let end = start;
    while (end < readme.length && readme[end].startsWith(`${indent}|`)) end++;
    const expected = readmeTable();
    assert.deepStrictEqual(
      readme.slice(start, end).map((line) => line.slice(indent.length)),
      expected,
      `README.md's op table is out of date; it should read:\n${expected.map((line) => indent + line).join('\n')}`,
    );
  });
});
