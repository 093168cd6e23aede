// A precedence-climbing parser for @grad expressions, in Python's precedence (`-a**2` is
// `-(a**2)`, `**` is right-associative) with both Python and JavaScript spellings. Left-associative
// operators are loops; only brackets, unary operators and `**` recurse, and that recursion is
// capped so that pathological input gets an error instead of a stack overflow.

import { OP_LIST, type BinaryOpName, type OpSpec, type UnaryOpName } from '../../engine';
import type { Expr } from './ast';
import { parseError } from './errors';
import { clip, quote } from './quote';
import type { Token } from './tokens';

export const MAX_NESTING = 200;

// The op names come from the engine's op table: every alias of an op is a method (`x.tanh()`,
// `a.mul(b)`), and also a free function (`tanh(x)`, `pow(a, n)`) when the op says so. Listed one
// operand first, for the messages: "the functions are exp, log, relu, tanh and pow".
const BY_ARITY = [...OP_LIST].sort((p, q) => p.arity - q.arity);
const METHODS = new Map<string, OpSpec>(
  BY_ARITY.flatMap((op) => op.aliases.map((alias): [string, OpSpec] => [alias, op])),
);
const FUNCTIONS = new Map<string, OpSpec>([...METHODS].filter(([, op]) => op.asFunction));
const MODULE_PREFIXES = new Set(['math', 'Math', 'np', 'numpy', 'torch']);
const CONSTANTS: Record<string, number> = { pi: Math.PI, PI: Math.PI, e: Math.E, E: Math.E };
/** PyTorch's conversions, which change nothing a scalar lens can see: `torch.Tensor([2.0]).double()`. */
const IDENTITY_METHODS = new Set(['double', 'float', 'item']);
const SUPPORTED = `the @grad language has + - * / **, ${[...FUNCTIONS.keys()].join(' ')}, and Value(…)`;
const METHOD_LIST = [...METHODS.keys()].map((name) => `.${name}()`).join(' ');
const FUNCTION_LIST = [...FUNCTIONS.keys()].join(', ').replace(/, ([^,]*)$/, ' and $1');

/** Messages for operators outside the language, saying what to write instead. */
const UNSUPPORTED_OPS: Record<string, string> = {
  '^': '`^` is not a power here: use ** for powers',
  '%': '`%` (remainder) is not supported: ' + SUPPORTED,
  '//': '`//` (floor division) is not supported: use /',
  '@': '`@` (matrix product) is not supported: the @grad language is scalar',
};

/** `javascript`: JavaScript's grammar where it differs (`-x ** 2` is a SyntaxError there). */
export function parseExpression(tokens: Token[], from: number, to: number, javascript = false): Expr {
  const parser = new Parser(tokens, from, to, javascript);
  const expr = parser.expression();
  parser.expectEnd();
  return expr;
}

class Parser {
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private pos: number,
    private readonly to: number,
    private readonly javascript: boolean,
  ) {}

  expression(): Expr {
    let left = this.term();
    for (let t = this.peek(); t && t.kind === 'op' && (t.text === '+' || t.text === '-'); t = this.peek()) {
      this.pos++;
      const right = this.term();
      left = binary(t.text === '+' ? 'add' : 'sub', left, right, t);
    }
    return left;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t) throw this.unexpected(t);
  }

  private term(): Expr {
    let left = this.unary();
    for (let t = this.peek(); t && t.kind === 'op' && (t.text === '*' || t.text === '/'); t = this.peek()) {
      this.pos++;
      const right = this.unary();
      left = binary(t.text === '*' ? 'mul' : 'div', left, right, t);
    }
    return left;
  }

  /** `sign`: the unary operator this operand directly follows, if any. */
  private unary(sign?: Token): Expr {
    const t = this.peek();
    if (t && t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.pos++;
      const operand = this.nested(() => this.unary(t), t);
      return {
        kind: 'unary',
        op: t.text === '-' ? 'neg' : 'pos',
        operand,
        opSpan: span(t),
        start: t.start,
        end: operand.end,
      };
    }
    return this.power(sign);
  }

  private power(sign?: Token): Expr {
    const base = this.postfix();
    const t = this.peek();
    if (t && t.kind === 'op' && t.text === '**') {
      if (sign && this.javascript) {
        // Python reads `-x ** 2` as -(x ** 2); JavaScript refuses to guess.
        const s = sign.text;
        const message = `a unary \`${s}\` right before the base of \`**\` is a SyntaxError in JavaScript: write (${s}x) ** 2 or ${s}(x ** 2)`;
        throw parseError(message, { start: sign.start, end: t.end });
      }
      this.pos++;
      const exponent = this.nested(() => this.unary(), t);
      return binary('pow', base, exponent, t);
    }
    return base;
  }

  /** Method calls after a primary: `.tanh()`, `.mul(x)`, `.pow(2)`, `.neg()`. */
  private postfix(): Expr {
    let expr = this.primary();
    for (let t = this.peek(); t && t.kind === 'op' && t.text === '.'; t = this.peek()) {
      this.pos++;
      const method = this.take('name', 'a method name after `.`');
      if (this.peekText() !== '(') {
        throw parseError(
          `attribute ${quote(`.${method.text}`)} is not supported: assign the value to a plain name above, or give it a binding`,
          { start: expr.start, end: method.end },
        );
      }
      const args = this.callArguments(method, quote(`.${method.text}`));
      expr = this.method(expr, method, args);
    }
    return expr;
  }

  private method(receiver: Expr, method: Token, args: Expr[]): Expr {
    const name = method.text;
    const end = this.tokens[this.pos - 1].end;
    if (IDENTITY_METHODS.has(name)) {
      arity(args, 0, method, `.${name}()`);
      return receiver;
    }
    const op = METHODS.get(name);
    if (!op) throw parseError(`\`.${clip(name)}()\` is not supported: the methods are ${METHOD_LIST}`, span(method));
    arity(args, op.arity - 1, method, op.arity === 1 ? `.${name}()` : `.${name}(${op.exponent ? 'n' : 'x'})`);
    return opNode(op, op.arity === 1 ? [receiver] : [receiver, args[0]], span(method), receiver.start, end);
  }

  private primary(): Expr {
    const t = this.peek();
    if (!t) {
      const last = this.tokens[this.pos - 1];
      throw parseError('expected an expression', last ? { start: last.end, end: last.end } : { start: 0, end: 0 });
    }
    if (t.kind === 'num') {
      this.pos++;
      return { kind: 'num', value: numberValue(t), start: t.start, end: t.end };
    }
    if (t.kind === 'str') throw parseError('a string is not a number: ' + SUPPORTED, span(t));
    if (t.kind === 'op') {
      if (t.text === '(') return this.parenthesised(t);
      throw this.unexpected(t);
    }
    return this.named(t);
  }

  private parenthesised(open: Token): Expr {
    this.pos++;
    const inner = this.nested(() => this.expression(), open);
    const close = this.peek();
    if (!close || close.text !== ')') {
      if (close && close.text !== ',') throw this.unexpected(close);
      throw parseError(
        close ? 'tuples are not supported: ' + SUPPORTED : 'missing `)`',
        close ? span(close) : span(open),
      );
    }
    this.pos++;
    // The parentheses widen the span, so that an error inside `(…)` still points at the whole.
    if (inner.kind !== 'name') {
      inner.start = open.start;
      inner.end = close.end;
    }
    return inner;
  }

  /** A name, a function call (`tanh(x)`, `math.exp(x)`, `pow(a, n)`), `Value(…)`, or a constant. */
  private named(t: Token): Expr {
    this.pos++;
    if (t.text === 'new') {
      const ctor = this.take('name', '`Value` after `new`');
      if (ctor.text !== 'Value')
        throw parseError(`\`new ${clip(ctor.text)}\` is not supported: only \`new Value(…)\` is`, span(ctor));
      return this.valueConstructor(ctor, t.start);
    }
    if (t.text === 'Value' && this.peekText() === '(') return this.valueConstructor(t, t.start);
    let fn = t;
    if (MODULE_PREFIXES.has(t.text) && this.peekText() === '.') {
      this.pos++;
      fn = this.take('name', `a function after \`${clip(t.text)}.\``);
      if (this.peekText() !== '(') {
        if (fn.text in CONSTANTS) return { kind: 'num', value: CONSTANTS[fn.text], start: t.start, end: fn.end };
        throw parseError(`\`${clip(t.text)}.${clip(fn.text)}\` is not supported: ${SUPPORTED}`, {
          start: t.start,
          end: fn.end,
        });
      }
    } else if (this.peekText() !== '(') {
      return { kind: 'name', name: t.text, start: t.start, end: t.end };
    }
    if (t.text === 'torch' && (fn.text === 'tensor' || fn.text === 'Tensor')) return this.torchTensor(t, fn);
    // Quoted in messages: clipped (the module prefix is one of a few short words).
    const qualified = fn === t ? clip(t.text) : `${t.text}.${clip(fn.text)}`;
    const args = this.callArguments(fn, `\`${qualified}\``);
    const end = this.tokens[this.pos - 1].end;
    const opSpan = { start: t.start, end: fn.end };
    const op = FUNCTIONS.get(fn.text);
    if (!op) throw parseError(`\`${qualified}(…)\` is not supported: the functions are ${FUNCTION_LIST}`, opSpan);
    arity(args, op.arity, fn, `${qualified}(${op.arity === 1 ? 'x' : op.exponent ? 'a, n' : 'a, b'})`);
    return opNode(op, args, opSpan, t.start, end);
  }

  /** `Value(2.0)`, `Value(2.0, label='x')`, `Value(2.0, 'x')`, `Value(data=2.0)`. */
  private valueConstructor(ctor: Token, start: number): Expr {
    this.expectText('(', ctor);
    this.pos++;
    let data: Expr | undefined;
    let label: string | undefined;
    while (this.peekText() !== ')') {
      const t = this.peek();
      if (!t) throw parseError('missing `)` after `Value(`', span(ctor));
      const keyword =
        t.kind === 'name' && this.tokens[this.pos + 1]?.text === '=' && this.pos + 1 < this.to ? t.text : undefined;
      if (keyword) this.pos += 2;
      const value = this.peek();
      if (value?.kind === 'str' && (keyword === 'label' || (!keyword && data))) {
        label = value.text.replace(/^[rRbBfFuU]*(['"`]+)|(['"`]+)$/g, '');
        this.pos++;
      } else if (!data && (keyword === undefined || keyword === 'data')) {
        data = this.nested(() => this.expression(), ctor);
      } else {
        throw parseError('`Value(…)` takes a number and an optional label', value ? span(value) : span(t));
      }
      if (this.peekText() === ',') this.pos++;
      else if (this.peekText() !== ')') throw this.unexpected(this.peek() ?? t);
    }
    const close = this.tokens[this.pos++];
    if (!data) throw parseError('`Value()` needs a number: Value(2.0)', { start, end: close.end });
    return { kind: 'leaf', data, label, start, end: close.end };
  }

  /**
   * `torch.tensor(2.0, requires_grad=True)`, `torch.Tensor([2.0])`: a leaf, as in the micrograd
   * lecture's PyTorch comparison. Keyword arguments (dtype, requires_grad) do not change the value.
   */
  private torchTensor(prefix: Token, fn: Token): Expr {
    this.expectText('(', fn);
    this.pos++;
    const bracket = this.peekText() === '[';
    if (bracket) this.pos++;
    const data = this.nested(() => this.expression(), fn);
    if (bracket) {
      if (this.peekText() !== ']')
        throw parseError(
          'a lens takes a one-number tensor: torch.Tensor([2.0])',
          this.peek() ? span(this.peek()!) : span(fn),
        );
      this.pos++;
    }
    let depth = 0;
    while (this.pos < this.to && (depth > 0 || this.peekText() !== ')')) {
      const text = this.tokens[this.pos++].text;
      if (text === '(' || text === '[') depth++;
      else if (text === ')' || text === ']') depth--;
    }
    if (this.peekText() !== ')') throw parseError(`missing \`)\` after \`torch.${clip(fn.text)}(\``, span(fn));
    const close = this.tokens[this.pos++];
    return { kind: 'leaf', data, start: prefix.start, end: close.end };
  }

  private callArguments(fn: Token, what: string): Expr[] {
    if (this.peekText() !== '(') throw parseError(`${what} must be called: add ()`, span(fn));
    const open = this.tokens[this.pos++];
    const args: Expr[] = [];
    while (this.peekText() !== ')') {
      if (!this.peek()) throw parseError('missing `)`', span(open));
      args.push(this.nested(() => this.expression(), open));
      if (this.peekText() === ',') this.pos++;
      else if (this.peekText() !== ')') throw this.unexpected(this.peek() ?? open);
    }
    this.pos++;
    return args;
  }

  private nested(parse: () => Expr, at: Token): Expr {
    if (++this.depth > MAX_NESTING) {
      throw parseError(
        `expression nested too deeply (more than ${MAX_NESTING} levels): split it into assignments`,
        span(at),
      );
    }
    const result = parse();
    this.depth--;
    return result;
  }

  private unexpected(t: Token): Error {
    if (t.kind === 'op' && UNSUPPORTED_OPS[t.text]) return parseError(UNSUPPORTED_OPS[t.text], span(t));
    if (t.text === ')') return parseError('unmatched `)`', span(t));
    if (t.kind === 'str') return parseError('a string is not a number: ' + SUPPORTED, span(t));
    return parseError(`unexpected ${quote(t.text)}: ${SUPPORTED}`, span(t));
  }

  private take(kind: Token['kind'], what: string): Token {
    const t = this.peek();
    if (!t || t.kind !== kind) {
      const last = this.tokens[this.pos - 1];
      throw parseError(`expected ${what}`, t ? span(t) : { start: last.end, end: last.end });
    }
    this.pos++;
    return t;
  }

  private expectText(text: string, after: Token): void {
    if (this.peekText() !== text)
      throw parseError(`expected \`${text}\``, this.peek() ? span(this.peek()!) : span(after));
  }

  private peek(): Token | undefined {
    return this.pos < this.to ? this.tokens[this.pos] : undefined;
  }

  private peekText(): string | undefined {
    return this.pos < this.to ? this.tokens[this.pos].text : undefined;
  }
}

function binary(op: BinaryOpName, left: Expr, right: Expr, t: Token): Expr {
  return { kind: 'binary', op, left, right, opSpan: span(t), start: left.start, end: right.end };
}

/** The node of a spelt op (a method or a function): a call for one operand, else a binary node. */
function opNode(
  op: OpSpec,
  operands: Expr[],
  opSpan: { start: number; end: number },
  start: number,
  end: number,
): Expr {
  if (op.arity === 1) return { kind: 'call', fn: op.name as UnaryOpName, arg: operands[0], opSpan, start, end };
  return { kind: 'binary', op: op.name as BinaryOpName, left: operands[0], right: operands[1], opSpan, start, end };
}

function arity(args: Expr[], n: number, at: Token, usage: string): void {
  if (args.length !== n) {
    const what = n === 0 ? 'no arguments' : n === 1 ? 'one argument' : `${n} arguments`;
    throw parseError(`${quote(at.text)} takes ${what}: ${usage}`, span(at));
  }
}

function numberValue(t: Token): number {
  if (t.invalid) throw parseError(t.invalid, span(t));
  const value = Number(t.text.replace(/_/g, ''));
  if (Number.isNaN(value)) throw parseError(`${quote(t.text)} is not a number`, span(t));
  return value;
}

function span(t: { start: number; end: number }): { start: number; end: number } {
  return { start: t.start, end: t.end };
}
