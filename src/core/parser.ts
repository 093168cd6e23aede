// A precedence-climbing parser for @grad expressions, in Python's precedence (`-a**2` is
// `-(a**2)`, `**` is right-associative) with both Python and JavaScript spellings. Left-associative
// operators are loops; only brackets, unary operators and `**` recurse, and that recursion is
// capped so that pathological input gets an error instead of a stack overflow.

import { OP_LIST, type BinaryOpName, type OpSpec, type UnaryOpName } from '../../engine';
import { postOrder, type CompositeName, type Expr } from './ast';
import { parseError } from './errors';
import { firstName, fold } from './fold';
import { leafConstructorSet, type LeafNames } from './leafConstructors';
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
/** Ops whose free-function and method forms take any number of operands: `add(a, b, c)`, `x.add(2, x)`. */
const VARIADIC = new Set<string>(['add', 'mul']);
const DEFAULT_LEAVES = leafConstructorSet();
const MODULE_PREFIXES = new Set(['math', 'Math', 'np', 'numpy', 'torch']);
const OBJECT_RECEIVERS = new Set(['self', 'this']);
const CONSTANTS: Record<string, number> = { pi: Math.PI, PI: Math.PI, e: Math.E, E: Math.E };
/** PyTorch's conversions, which change nothing a scalar lens can see: `torch.Tensor([2.0]).double()`. */
const IDENTITY_METHODS = new Set(['double', 'float', 'item']);
/** In messages, each op by its own name (the aliases and composites are in the README). */
const OP_NAMES = BY_ARITY.map((op) => op.name);
const SUPPORTED = `the @grad language has + - * / **, ${OP_NAMES.join(' ')}, and Value(…)`;
const METHOD_LIST = OP_NAMES.map((name) => `.${name}()`).join(' ') + ' (and their aliases and composites)';
const FUNCTION_LIST =
  OP_NAMES.join(', ').replace(/, ([^,]*)$/, ' and $1') + ', their aliases, and composites such as sigmoid and max';

/** Messages for operators outside the language, saying what to write instead. */
const UNSUPPORTED_OPS: Record<string, string> = {
  '^': '`^` is not a power here: use ** for powers',
  '%': '`%` (remainder) is not supported: ' + SUPPORTED,
  '//': '`//` (floor division) is not supported: use /',
  '@': '`@` (matrix product) is not supported: the @grad language is scalar',
};

/**
 * `javascript`: JavaScript's grammar where it differs (`-x ** 2` is a SyntaxError there).
 * `leaves`: the names that make a leaf (leafConstructors.ts); by default the ports' own.
 * `functions`: the functions the file defines (not methods), by name: where each is defined
 * (`line 3`). A free call to one is that function, not an op of the same name: refused.
 */
export function parseExpression(
  tokens: Token[],
  from: number,
  to: number,
  javascript = false,
  leaves: LeafNames = DEFAULT_LEAVES,
  functions?: ReadonlyMap<string, string>,
): Expr {
  const parser = new Parser(tokens, from, to, javascript, leaves, functions);
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
    private readonly leaves: LeafNames,
    private readonly functions?: ReadonlyMap<string, string>,
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
      return power(base, exponent, span(t), base.start, exponent.end);
    }
    return base;
  }

  /** Method calls after a primary: `.tanh()`, `.mul(x)`, `.pow(2)`, `.neg()`. */
  private postfix(): Expr {
    let expr = this.primary();
    for (let t = this.peek(); t && t.kind === 'op' && t.text === '.'; t = this.peek()) {
      this.pos++;
      const method = this.take('name', 'a method name after `.`');
      // `x.data`: the number x holds (not `self.data`, a field of the object a method runs on).
      if (
        method.text === 'data' &&
        this.peekText() !== '(' &&
        expr.kind === 'name' &&
        !OBJECT_RECEIVERS.has(expr.name)
      ) {
        expr = { kind: 'name', name: `${expr.name}.data`, start: expr.start, end: method.end };
        continue;
      }
      if (this.peekText() !== '(') {
        throw parseError(
          `attribute ${quote(`.${method.text}`)} is not supported: assign the value to a plain name above, or give it a binding`,
          { start: expr.start, end: method.end },
        );
      }
      const { args } = this.callArguments(method, quote(`.${method.text}`));
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
    const composite = COMPOSITES.get(name);
    if (composite) {
      arityRange(args.length + 1, composite, method, `.${name}(${composite.usage.slice(1).join(', ')})`);
      return composite.build([receiver, ...args], span(method), receiver.start, end);
    }
    const op = METHODS.get(name);
    if (!op) throw parseError(`\`.${clip(name)}()\` is not supported: the methods are ${METHOD_LIST}`, span(method));
    const own = this.leaves.methodArity?.get(name);
    if (own !== undefined && VARIADIC.has(op.name) && args.length > own)
      throw parseError(
        `\`.${clip(name)}()\` takes ${own === 1 ? 'one operand' : `${own} operands`} in this file's class, and the call gives ${args.length}: the program ${this.javascript ? 'ignores the rest' : 'raises a TypeError'}; chain the calls instead (\`.${clip(name)}(a).${clip(name)}(b)\`)`,
        span(method),
      );
    if (!(VARIADIC.has(op.name) && args.length > 1))
      arity(args, op.arity - 1, method, op.arity === 1 ? `.${name}()` : `.${name}(${op.exponent ? 'n' : 'x'})`);
    return opNode(op, [receiver, ...args], span(method), receiver.start, end);
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

  /**
   * A name, a function call (`tanh(x)`, `math.exp(x)`, `pow(a, n)`, `Value.add(a, b)`), a leaf
   * (`Value(…)`, `new Scalar(…)`, `v(…)`, `Value.from(…)`, `torch.tensor(…)`), or a constant.
   */
  private named(t: Token): Expr {
    this.pos++;
    if (t.text === 'new') {
      let ctor = this.take('name', 'a class name after `new`');
      let qualified = ctor.text;
      // `new autodiff.Value(2)`: the class is the last name.
      while (this.peekText() === '.' && this.tokens[this.pos + 1]?.kind === 'name' && this.pos + 1 < this.to) {
        this.pos++;
        ctor = this.take('name', 'a class name after `.`');
        qualified = `${qualified}.${ctor.text}`;
      }
      if (!this.leaves.has(qualified) && !this.leaves.has(ctor.text) && !this.leafByShape(ctor, true))
        throw parseError(
          `\`new ${clip(qualified)}\` is not supported: the leaf classes are ${leafList(this.leaves)}; add yours to the setting gradientLens.leafConstructors`,
          { start: ctor.start, end: ctor.end },
        );
      return this.leafConstructor(ctor, t.start, qualified);
    }
    if (
      this.peekText() === '(' &&
      (this.leaves.has(t.text) || (!this.functions?.has(t.text) && this.leafByShape(t, false)))
    )
      return this.leafConstructor(t, t.start, t.text);
    const member = this.peekText() === '.' && this.pos + 1 < this.to ? this.tokens[this.pos + 1] : undefined;
    if (member?.kind === 'name' && this.tokens[this.pos + 2]?.text === '(' && this.pos + 2 < this.to) {
      const qualified = `${t.text}.${member.text}`;
      if (this.leaves.has(qualified)) {
        this.pos += 2;
        return this.leafConstructor(member, t.start, qualified);
      }
      if (!MODULE_PREFIXES.has(t.text) && isNamespace(t.text, this.leaves)) {
        const statik = this.staticCall(t, member);
        if (statik) return statik;
        return { kind: 'name', name: t.text, start: t.start, end: t.end };
      }
    }
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
    // Quoted in messages: clipped (the module prefix is one of a few short words).
    const qualified = fn === t ? clip(t.text) : `${t.text}.${clip(fn.text)}`;
    if (fn === t && this.functions?.has(t.text)) {
      // A function of the file: evaluated by binding its parameters to these arguments.
      const { args, keywords } = this.callArguments(fn, `\`${qualified}\``, false, !this.javascript);
      const end = this.tokens[this.pos - 1].end;
      return { kind: 'invoke', fn: t.text, args, ...(keywords && { keywords }), opSpan: span(t), start: t.start, end };
    }
    const list = this.listCall(fn, { start: t.start, end: fn.end }, t.start);
    if (list) return list;
    const { args } = this.callArguments(fn, `\`${qualified}\``);
    const end = this.tokens[this.pos - 1].end;
    return this.functionCall(fn, qualified, args, { start: t.start, end: fn.end }, t.start, end);
  }

  /**
   * A leaf recognised by its shape, whatever the port calls its class or factory: a number first
   * (`Scalar(2)`, `new Node(-1.5)`), from a class-like name or after `new`, or from any name when
   * a label follows (`scalar(2, { label: 'x' })`, `val(2.0, label='x')`, `mk(2, 'x')`). The `(`
   * is next. Names that are ops, composites, or a network's classes are never leaves.
   */
  private leafByShape(name: Token, afterNew: boolean): boolean {
    if (FUNCTIONS.has(name.text) || COMPOSITES.has(name.text) || NOT_LEAVES.has(name.text)) return false;
    if (this.leaves.notLeaves?.has(name.text)) return false;
    let k = this.pos + 1;
    if (this.tokens[k]?.text === '-' || this.tokens[k]?.text === '+') k++;
    if (this.tokens[k]?.kind !== 'num' || k >= this.to) return false;
    const after = this.tokens[k + 1]?.text;
    if (after !== ',' && after !== ')') return false;
    if (afterNew || /^[A-Z]/.test(name.text)) return true;
    if (after !== ',') return false;
    const next = this.tokens[k + 2];
    const then = this.tokens[k + 3]?.text;
    if (next?.kind === 'str') return true;
    if (next?.kind === 'name' && LABEL_KEYS.has(next.text) && then === '=') return true;
    return next?.text === '{' && LABEL_KEYS.has(this.tokens[k + 3]?.text ?? '') && this.tokens[k + 4]?.text === ':';
  }

  /** `add(a, b)`, `sigmoid(x)`, `max(a, b)`, `pow(2, x)`: an op or a composite spelt as a function. */
  private functionCall(fn: Token, qualified: string, args: Expr[], opSpan: Span, start: number, end: number): Expr {
    const composite = COMPOSITES.get(fn.text);
    if (composite) {
      arityRange(args.length, composite, fn, `${qualified}(${composite.usage.join(', ')})`);
      return composite.build(args, opSpan, start, end);
    }
    const op = FUNCTIONS.get(fn.text);
    if (!op) throw parseError(`\`${qualified}(…)\` is not supported: the functions are ${FUNCTION_LIST}`, opSpan);
    if (!(VARIADIC.has(op.name) && args.length > 2))
      arity(args, op.arity, fn, `${qualified}(${op.arity === 1 ? 'x' : op.exponent ? 'a, n' : 'a, b'})`);
    return opNode(op, args, opSpan, start, end);
  }

  /**
   * `sum([a, b, c])`, `V.mean([w, b, x])`: over a list written out, `(a + b) + c` and its mean.
   * Python's `sum` starts from 0, which changes no number. Undefined (nothing consumed) otherwise.
   */
  private listCall(fn: Token, opSpan: Span, start: number): Expr | undefined {
    if (!LIST_FUNCTIONS.has(fn.text) || this.peekText() !== '(') return undefined;
    if (this.pos + 1 >= this.to || this.tokens[this.pos + 1].text !== '[') return undefined;
    const open = this.tokens[this.pos + 1];
    this.pos += 2;
    const items: Expr[] = [];
    while (this.peekText() !== ']') {
      if (!this.peek()) throw parseError('missing `]`', span(open));
      items.push(this.nested(() => this.expression(), open));
      if (this.peekText() === ',') this.pos++;
      else if (this.peekText() !== ']') throw this.unexpected(this.peek() ?? open);
    }
    this.pos++;
    if (this.peekText() !== ')')
      throw parseError(`${quote(fn.text)} takes one list here: ${fn.text}([a, b, c])`, span(this.peek() ?? fn));
    const end = this.tokens[this.pos++].end;
    if (items.length === 0) throw parseError(`${quote(fn.text)} of an empty list has no Value`, { start, end });
    let total = items[0];
    for (let k = 1; k < items.length; k++) total = add(total, items[k], opSpan);
    const name = LIST_FUNCTIONS.get(fn.text)!;
    if (name === 'mean') total = div(total, num(items.length, opSpan), opSpan);
    if (total.kind !== 'binary') return total;
    return { ...total, start, end, composite: name };
  }

  /**
   * `Value.add(a, b)`, `Value.add(a, b, 'c')` (a trailing label), `V.sigmoid(x)`: a static op of a
   * leaf class, when it has the op's number of operands; otherwise (`v.add(b)` on a variable that
   * happens to be called `v`) undefined, with nothing consumed, and the caller reads a method call.
   */
  private staticCall(namespace: Token, fn: Token): Expr | undefined {
    if (LIST_FUNCTIONS.has(fn.text) && this.tokens[this.pos + 3]?.text === '[' && this.pos + 3 < this.to) {
      this.pos += 2;
      return this.listCall(fn, { start: namespace.start, end: fn.end }, namespace.start);
    }
    const composite = COMPOSITES.get(fn.text);
    const op = composite ? undefined : FUNCTIONS.get(fn.text);
    if (!composite && !op) return undefined;
    const saved = this.pos;
    this.pos += 2;
    const qualified = `${namespace.text}.${clip(fn.text)}`;
    const { args } = this.callArguments(fn, `\`${qualified}\``, true);
    const n = args.length;
    const fits = composite
      ? n >= composite.usage.length - composite.optional && n <= composite.usage.length
      : n === op!.arity || (VARIADIC.has(op!.name) && n > 2);
    if (!fits) {
      this.pos = saved;
      return undefined;
    }
    const end = this.tokens[this.pos - 1].end;
    return this.functionCall(fn, qualified, args, { start: namespace.start, end: fn.end }, namespace.start, end);
  }

  /**
   * A leaf: `Value(2.0)`, `Value(2.0, label='x')`, `Value(2.0, name='x')`, `Value(2.0, 'x')`,
   * `Value(1.0, (), '', 'x')`, `Value(data=2.0)`, `new Value(2, { label: 'x' })`,
   * `new Value({ data: 2, label: 'x' })`, `torch.tensor(2.0, requires_grad=True)`,
   * `torch.Tensor([2.0])`. The first argument is the number (or a one-number list); a string is a
   * label only where micrograd cannot mean children (second or fourth, or by keyword); empty
   * children and an op name are skipped; anything else is refused rather than guessed.
   */
  private leafConstructor(ctor: Token, start: number, qualified: string): Expr {
    const what = `\`${clip(qualified)}(…)\``;
    this.expectText('(', ctor);
    const open = this.tokens[this.pos++];
    let data: Expr | undefined;
    let label: string | undefined;
    let positional = 0;
    let requiresGrad = false;
    const refuse = (at: Token): Error =>
      parseError(
        `${what} takes a number, then optionally a label: ${clip(qualified)}(2.0, label='x'), (2.0, 'x') or (2.0, { label: 'x' })`,
        span(at),
      );
    const takeData = (): void => {
      if (this.peekText() === '[') {
        // A one-number tensor: `torch.Tensor([2.0])`.
        this.pos++;
        data = this.nested(() => this.expression(), ctor);
        if (this.peekText() !== ']')
          throw parseError('a lens takes a one-number tensor: torch.Tensor([2.0])', span(this.peek() ?? ctor));
        this.pos++;
      } else data = this.nested(() => this.expression(), ctor);
    };
    const takeLabel = (at: Token): void => {
      const value = this.peek();
      if (value?.kind !== 'str') throw refuse(value ?? at);
      label = unquote(value.text);
      this.pos++;
    };
    while (this.peekText() !== ')') {
      const t = this.peek();
      if (!t) throw parseError(`missing \`)\` after \`${clip(qualified)}(\``, span(open));
      const keyword =
        t.kind === 'name' && this.tokens[this.pos + 1]?.text === '=' && this.pos + 1 < this.to ? t.text : undefined;
      if (keyword) {
        this.pos += 2;
        if (keyword === 'data' && !data) takeData();
        else if (LABEL_KEYS.has(keyword)) takeLabel(t);
        else if (IGNORED_KEYS.has(keyword)) {
          if (keyword === 'requires_grad') requiresGrad = this.peekText() === 'True';
          this.skipArgument();
        } else throw refuse(t);
      } else if (t.text === '{') {
        this.options(t, takeData, takeLabel, refuse, () => data !== undefined);
        positional++;
      } else if (positional === 0) {
        takeData();
        positional++;
      } else if (t.kind === 'str') {
        // (data, label) in the ports that declare it; (data, _children, _op, label) in the lecture's.
        if (positional === 1 || positional === 3) label = unquote(t.text);
        this.pos++;
        positional++;
      } else if (this.emptyChildren()) {
        positional++;
      } else if (BOOLEANS.has(t.text) && this.tokens[this.pos + 1]?.text !== '.') {
        this.pos++;
        positional++;
      } else throw refuse(t);
      if (this.peekText() === ',') this.pos++;
      else if (this.peekText() !== ')') throw refuse(this.peek() ?? t);
    }
    const close = this.tokens[this.pos++];
    if (!data) throw parseError(`${what} needs a number: ${clip(qualified)}(2.0)`, { start, end: close.end });
    // PyTorch computes no gradient for a tensor made without `requires_grad=True`: a constant.
    if (TENSORS.test(qualified) && !requiresGrad)
      return { kind: 'leaf', data, label, start, end: close.end, constant: true };
    return { kind: 'leaf', data, label, start, end: close.end };
  }

  /** `{ label: 'a' }`, `{ data: 2, label: 'a' }`, `{ requiresGrad: true }`: a leaf's options. */
  private options(
    open: Token,
    takeData: () => void,
    takeLabel: (at: Token) => void,
    refuse: (at: Token) => Error,
    hasData: () => boolean,
  ): void {
    this.pos++;
    while (this.peekText() !== '}') {
      const key = this.peek();
      if (!key || (key.kind !== 'name' && key.kind !== 'str')) throw refuse(key ?? open);
      const name = key.kind === 'str' ? unquote(key.text) : key.text;
      this.pos++;
      if (this.peekText() !== ':') throw refuse(this.peek() ?? key);
      this.pos++;
      if (name === 'data' && !hasData()) takeData();
      else if (LABEL_KEYS.has(name)) takeLabel(key);
      else if (IGNORED_KEYS.has(name)) this.skipArgument();
      else throw refuse(key);
      if (this.peekText() === ',') this.pos++;
      else if (this.peekText() !== '}') throw refuse(this.peek() ?? key);
    }
    this.pos++;
  }

  /** `()` or `[]`: the empty children of micrograd's `Value(data, _children=(), _op='')`. */
  private emptyChildren(): boolean {
    const open = this.peekText();
    const close = this.pos + 1 < this.to ? this.tokens[this.pos + 1].text : undefined;
    if ((open === '(' && close === ')') || (open === '[' && close === ']')) {
      this.pos += 2;
      return true;
    }
    return false;
  }

  /** Skips one argument's tokens (`True`, `torch.float64`), up to its `,` or the closing bracket. */
  private skipArgument(): void {
    let depth = 0;
    while (this.pos < this.to) {
      const text = this.tokens[this.pos].text;
      if (depth === 0 && (text === ',' || text === ')' || text === '}')) return;
      if (text === '(' || text === '[' || text === '{') depth++;
      else if (text === ')' || text === ']' || text === '}') depth--;
      this.pos++;
    }
  }

  /**
   * `label`: a trailing string literal is a label, as in `Value.add(a, b, 'c')`. `keywords`:
   * Python's keyword arguments are read (`f(x, w=2)`), each argument's name in `keywords`.
   */
  private callArguments(
    fn: Token,
    what: string,
    label = false,
    keywords = false,
  ): { args: Expr[]; label?: string; keywords?: (string | undefined)[] } {
    if (this.peekText() !== '(') throw parseError(`${what} must be called: add ()`, span(fn));
    const open = this.tokens[this.pos++];
    const args: Expr[] = [];
    let name: string | undefined;
    let names: (string | undefined)[] | undefined;
    while (this.peekText() !== ')') {
      if (!this.peek()) throw parseError('missing `)`', span(open));
      const t = this.peek()!;
      const next = this.pos + 1 < this.to ? this.tokens[this.pos + 1].text : undefined;
      if (label && t.kind === 'str' && next === ')' && args.length > 0) {
        name = unquote(t.text);
        this.pos++;
        break;
      }
      if (keywords && t.kind === 'name' && next === '=') {
        names ??= args.map(() => undefined);
        names.push(t.text);
        this.pos += 2;
      } else if (names) throw parseError('a positional argument cannot follow a keyword argument', span(t));
      args.push(this.nested(() => this.expression(), open));
      if (this.peekText() === ',') this.pos++;
      else if (this.peekText() !== ')') throw this.unexpected(this.peek() ?? open);
    }
    this.pos++;
    return { args, label: name, keywords: names };
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

type Span = { start: number; end: number };

function binary(op: BinaryOpName, left: Expr, right: Expr, t: Span): Expr {
  return { kind: 'binary', op, left, right, opSpan: span(t), start: left.start, end: right.end };
}

/**
 * The node of a spelt op (a method or a function): a call for one operand, else a binary node;
 * `add(a, b, c)` is `(a + b) + c`; a power goes through `power`, for its constant-base form.
 */
function opNode(op: OpSpec, operands: Expr[], opSpan: Span, start: number, end: number): Expr {
  if (op.arity === 1) return { kind: 'call', fn: op.name as UnaryOpName, arg: operands[0], opSpan, start, end };
  if (op.name === 'pow') return power(operands[0], operands[1], opSpan, start, end);
  let left = operands[0];
  for (let k = 1; k < operands.length; k++) {
    const last = k === operands.length - 1;
    const right = operands[k];
    left = {
      kind: 'binary',
      op: op.name as BinaryOpName,
      left,
      right,
      opSpan,
      start: last ? start : left.start,
      end: last ? end : right.end,
    };
  }
  if (operands.length > 2 && left.kind === 'binary') left.variadic = operands.length;
  return left;
}

/** Whether `e` holds a variable: a name, or a labelled leaf (a constant leaf has no gradient to give). */
function variable(e: Expr): boolean {
  return postOrder(e).some(
    (n) =>
      n.kind === 'name' ||
      n.kind === 'invoke' ||
      (n.kind === 'leaf' && (n.label !== undefined || firstName(n.data) !== undefined)),
  );
}

/**
 * `a ** n`. With a constant base and an exponent that depends on a variable (`2 ** x`,
 * `math.e ** x`, `Math.pow(2, x)`) it is `exp(x · ln c)` for c > 0, so the engine keeps its ten
 * ops; a variable exponent on a variable base stays the evaluator's error.
 */
function power(base: Expr, exponent: Expr, opSpan: Span, start: number, end: number): Expr {
  if (!firstName(exponent) || variable(base))
    return { kind: 'binary', op: 'pow', left: base, right: exponent, opSpan, start, end };
  const c = fold(base, () => ({ code: 'parse', message: 'internal: a constant base has a name' }));
  if (!(c > 0))
    throw parseError(
      `a variable exponent needs a positive base: ${String(c)} ** x is exp(x · ln ${String(c)}), and ln is defined for positive numbers only`,
      span(base),
    );
  const arg: Expr =
    c === Math.E
      ? exponent
      : { kind: 'binary', op: 'mul', left: exponent, right: num(Math.log(c), opSpan), opSpan, start, end };
  return { kind: 'call', fn: 'exp', arg, opSpan, start, end, composite: 'constant-base pow' };
}

function num(value: number, at: Span): Expr {
  return { kind: 'num', value, start: at.start, end: at.end };
}

/** A composite function: how many operands it takes, and its desugaring into the seed's ops. */
interface Composite {
  /** Operand names, for messages: ['x'], ['a', 'b'], ['x', 'alpha']. */
  usage: string[];
  /** How many trailing operands may be left out. */
  optional: number;
  build: (args: Expr[], opSpan: Span, start: number, end: number) => Expr;
}

function composite(
  name: CompositeName,
  usage: string[],
  body: (args: Expr[], at: Span) => Expr,
  optional = 0,
): Composite {
  return {
    usage,
    optional,
    build: (args, opSpan, start, end) => {
      const outer = body(args, opSpan);
      if (outer.kind !== 'binary' && outer.kind !== 'call' && outer.kind !== 'unary') return outer;
      return { ...outer, start, end, composite: name };
    },
  };
}

// Builders of the desugared trees; every synthetic node points at the composite's name.
const add = (a: Expr, b: Expr, at: Span): Expr => ({
  kind: 'binary',
  op: 'add',
  left: a,
  right: b,
  opSpan: at,
  start: at.start,
  end: at.end,
});
const sub = (a: Expr, b: Expr, at: Span): Expr => ({
  kind: 'binary',
  op: 'sub',
  left: a,
  right: b,
  opSpan: at,
  start: at.start,
  end: at.end,
});
const mul = (a: Expr, b: Expr, at: Span): Expr => ({
  kind: 'binary',
  op: 'mul',
  left: a,
  right: b,
  opSpan: at,
  start: at.start,
  end: at.end,
});
const div = (a: Expr, b: Expr, at: Span): Expr => ({
  kind: 'binary',
  op: 'div',
  left: a,
  right: b,
  opSpan: at,
  start: at.start,
  end: at.end,
});
const pow = (a: Expr, n: number, at: Span): Expr => ({
  kind: 'binary',
  op: 'pow',
  left: a,
  right: num(n, at),
  opSpan: at,
  start: at.start,
  end: at.end,
});
const call = (fn: UnaryOpName, a: Expr, at: Span): Expr => ({
  kind: 'call',
  fn,
  arg: a,
  opSpan: at,
  start: at.start,
  end: at.end,
});
const neg = (a: Expr, at: Span): Expr => ({
  kind: 'unary',
  op: 'neg',
  operand: a,
  opSpan: at,
  start: at.start,
  end: at.end,
});

const SIGMOID = composite('sigmoid', ['x'], ([x], at) =>
  div(num(1, at), add(num(1, at), call('exp', neg(x, at), at), at), at),
);
const MAX = composite('max', ['a', 'b'], ([a, b], at) => add(a, call('relu', sub(b, a, at), at), at));
const MIN = composite('min', ['a', 'b'], ([a, b], at) => sub(a, call('relu', sub(a, b, at), at), at));
const LEAKY_RELU = composite(
  'leaky_relu',
  ['x', 'slope'],
  ([x, slope], at) => sub(call('relu', x, at), mul(slope ?? num(0.01, at), call('relu', neg(x, at), at), at), at),
  1,
);

/**
 * Functions that ports add to their engines, as compositions of the seed's ten ops; method and
 * function spellings alike (`x.sigmoid()`, `sigmoid(x)`, `torch.sigmoid(x)`, `V.max(a, b)`).
 * At the kinks they follow relu's: abs'(0) = 0; max and min give a tie's gradient to `a`.
 */
const COMPOSITES = new Map<string, Composite>([
  ['sigmoid', SIGMOID],
  ['sig', SIGMOID],
  ['softplus', composite('softplus', ['x'], ([x], at) => call('log', add(num(1, at), call('exp', x, at), at), at))],
  ['abs', composite('abs', ['x'], ([x], at) => add(call('relu', x, at), call('relu', neg(x, at), at), at))],
  ['max', MAX],
  ['maximum', MAX],
  ['min', MIN],
  ['minimum', MIN],
  ['square', composite('square', ['x'], ([x], at) => pow(x, 2, at))],
  ['cube', composite('cube', ['x'], ([x], at) => pow(x, 3, at))],
  ['sqrt', composite('sqrt', ['x'], ([x], at) => pow(x, 0.5, at))],
  ['reciprocal', composite('reciprocal', ['x'], ([x], at) => div(num(1, at), x, at))],
  ['leaky_relu', LEAKY_RELU],
]);

function arityRange(n: number, c: Composite, at: Token, usage: string): void {
  if (n < c.usage.length - c.optional || n > c.usage.length) {
    const what = c.usage.length === 1 ? 'one operand' : `${c.usage.length} operands`;
    throw parseError(`${quote(at.text)} takes ${what}: ${usage}`, span(at));
  }
}

/**
 * `Value`, `V`: a leaf class, or the part before the dot of a static factory (`V` of `V.W`). Only
 * a capitalised name: `v` is trekhleb's factory, and as often a variable whose `v.add(a, b)` is a
 * (variadic) method call.
 */
function isNamespace(name: string, leaves: ReadonlySet<string>): boolean {
  if (!/^[A-Z]/.test(name)) return false;
  if (leaves.has(name)) return true;
  for (const leaf of leaves) if (leaf.startsWith(name + '.')) return true;
  return false;
}

function leafList(leaves: ReadonlySet<string>): string {
  const names = [...leaves].filter((name) => !name.includes('.'));
  return names.length > 8 ? names.slice(0, 8).join(', ') + ', …' : names.join(', ');
}

/** Functions over a list written out: `sum([a, b])`, `V.mean([a, b])`, `Value.Sum([a, b])`. */
const LIST_FUNCTIONS = new Map<string, 'sum' | 'mean'>([
  ['sum', 'sum'],
  ['Sum', 'sum'],
  ['mean', 'mean'],
]);
const LABEL_KEYS = new Set(['label', 'name']);
/** Class-like names that take a number first but make no leaf: a network's parts, JavaScript's built-ins. */
const NOT_LEAVES = new Set([
  'Neuron',
  'Layer',
  'MLP',
  'Module',
  'Linear',
  'Sequential',
  'Model',
  'Net',
  'Network',
  'Optimizer',
  'SGD',
  'Adam',
  'RNG',
  'Random',
  'Generator',
  'Dataset',
  'Array',
  'Date',
  'Map',
  'Set',
  'Number',
  'Float64Array',
  'Float32Array',
  'BigInt',
  'Error',
  'Promise',
  'String',
  'Boolean',
  'Symbol',
]);
/** PyTorch's tensor constructors: `torch.tensor(2.0)`, `Tensor(9)`. */
const TENSORS = /(^|\.)(tensor|Tensor)$/;
/** Keywords and options of a leaf that do not change its number: PyTorch's, and ScalarAutograd's. */
const IGNORED_KEYS = new Set(['requires_grad', 'requiresGrad', 'dtype', 'device']);
const BOOLEANS = new Set(['True', 'False', 'true', 'false']);

function unquote(text: string): string {
  return text.replace(/^[rRbBfFuU]*(['"`]+)|(['"`]+)$/g, '');
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
