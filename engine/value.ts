// The scalar Value and its ten ops. Each op is a node with an op code; the whole chain rule is one
// switch in `backward`, one derivative line per op, straight from the seed's table. No per-node
// closures: a closure per node costs an allocation and a megamorphic call, and the switch keeps
// the table readable in one place (see BLUEPRINT.md, "Op codes instead of closures").
import { DomainError, formatOperand } from './errors';
import { Chunk, chunkWithRoom } from './store';
import { buildOrder } from './topo';

/** Op codes. `Leaf` is a variable or constant; the rest match the seed's summary table. */
export const enum Op {
  Leaf = 0,
  Add,
  Sub,
  Mul,
  Div,
  Pow,
  Neg,
  Exp,
  Log,
  Relu,
  Tanh,
}

/** The engine's op names, as `dist/engine.js` exports them and the core reports them. */
export type OpName = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'neg' | 'exp' | 'log' | 'relu' | 'tanh';

const OP_NAMES: readonly (OpName | '')[] = ['', 'add', 'sub', 'mul', 'div', 'pow', 'neg', 'exp', 'log', 'relu', 'tanh'];
/** What a graph shows for each op; pow appends its exponent ('**2'). */
const OP_SYMBOLS: readonly string[] = ['', '+', '-', '*', '/', '**', 'neg', 'exp', 'log', 'relu', 'tanh'];

export class Value {
  label: string | undefined;
  /** @internal the chunk holding data, grad and exponent (see store.ts) */
  _chunk: Chunk;
  /** @internal this node's slot in its chunk */
  _slot: number;
  /** @internal op code */
  _code: Op = Op.Leaf;
  /** @internal first operand */
  _a: Value | null = null;
  /** @internal second operand */
  _b: Value | null = null;
  /** @internal visit stamp of the topological sort (see topo.ts) */
  _mark = 0;
  /** @internal consumers whose gradient has not reached this node yet; 0 outside backward() */
  _pending = 0;

  constructor(data: number, label?: string) {
    if (typeof data !== 'number' || !Number.isFinite(data)) throw nonFiniteData(data);
    const chunk = chunkWithRoom();
    const slot = chunk.used++;
    chunk.data[slot] = data;
    this._chunk = chunk;
    this._slot = slot;
    this.label = label;
  }

  /** The forward value. Settable (a training step updates parameters), but only to a finite number. */
  get data(): number {
    return this._chunk.data[this._slot];
  }

  set data(x: number) {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw nonFiniteData(x);
    this._chunk.data[this._slot] = x;
  }

  /** ∂output/∂this after the last `backward()` of a graph holding this node. */
  get grad(): number {
    return this._chunk.grad[this._slot];
  }

  set grad(g: number) {
    this._chunk.grad[this._slot] = g;
  }

  /** '' for a leaf; else the display symbol: '+', '-', '*', '/', '**2', 'neg', 'exp', 'log', 'relu', 'tanh'. */
  get op(): string {
    return this._code === Op.Pow ? OP_SYMBOLS[Op.Pow] + String(this._chunk.exponent[this._slot]) : OP_SYMBOLS[this._code];
  }

  /** The op's name ('add', 'pow', …), or '' for a leaf. */
  get opName(): OpName | '' {
    return OP_NAMES[this._code];
  }

  /** The constant exponent of a pow node; undefined for every other node. */
  get exponent(): number | undefined {
    return this._code === Op.Pow ? this._chunk.exponent[this._slot] : undefined;
  }

  /** The operands in operand order (a fresh array on every read). */
  get children(): readonly Value[] {
    if (this._a === null) return [];
    return this._b === null ? [this._a] : [this._a, this._b];
  }

  add(o: Value | number): Value {
    const b = operand(o, 'add');
    return binary(Op.Add, this, b, this.data + b.data);
  }

  sub(o: Value | number): Value {
    const b = operand(o, 'sub');
    return binary(Op.Sub, this, b, this.data - b.data);
  }

  mul(o: Value | number): Value {
    const b = operand(o, 'mul');
    return binary(Op.Mul, this, b, this.data * b.data);
  }

  div(o: Value | number): Value {
    const b = operand(o, 'div');
    // Checked before dividing so that the message says what happened, not "Infinity".
    if (b.data === 0) {
      throw new DomainError('div', [this.data, b.data], `division by zero: ${formatOperand(this.data)} / ${formatOperand(b.data)}`);
    }
    return binary(Op.Div, this, b, this.data / b.data);
  }

  /** `this ** n` for a constant n. A Value exponent is a TypeError (see BLUEPRINT.md). */
  pow(n: number): Value {
    if (typeof n !== 'number') {
      const what = (n as unknown) instanceof Value ? 'a Value' : typeof n;
      throw new TypeError(`pow takes a constant number as its exponent, got ${what}: the exponent cannot be differentiated`);
    }
    if (!Number.isFinite(n)) {
      throw new DomainError('pow', [this.data, n], `pow needs a finite exponent: ${formatOperand(this.data)} ** ${String(n)}`);
    }
    const data = this.data ** n;
    if (!Number.isFinite(data)) {
      throw new DomainError('pow', [this.data, n], `pow gives ${String(data)}: ${formatOperand(this.data)} ** ${formatOperand(n)}`);
    }
    const out = node(Op.Pow, data, this, null);
    out._chunk.exponent[out._slot] = n;
    return out;
  }

  neg(): Value {
    return node(Op.Neg, -this.data, this, null);
  }

  exp(): Value {
    const data = Math.exp(this.data);
    if (!Number.isFinite(data)) {
      throw new DomainError('exp', [this.data], `exp overflows: exp(${String(this.data)}) is beyond the largest double`);
    }
    return node(Op.Exp, data, this, null);
  }

  log(): Value {
    if (!(this.data > 0)) {
      throw new DomainError('log', [this.data], `log of a non-positive number: log(${String(this.data)})`);
    }
    return node(Op.Log, Math.log(this.data), this, null);
  }

  relu(): Value {
    return node(Op.Relu, this.data > 0 ? this.data : 0, this, null);
  }

  tanh(): Value {
    return node(Op.Tanh, Math.tanh(this.data), this, null);
  }

  /**
   * Sets `grad` of every node in this graph: ∂this/∂node. Grads are reset first, so calling it
   * twice gives the same grads (no silent accumulation; see BLUEPRINT.md). Iterative: no recursion.
   */
  backward(): void {
    countConsumers(this);
    this.grad = 1;
    try {
      propagateAll(this);
    } catch (err) {
      clearConsumerCounts(this);
      throw err;
    }
  }

  /** Zeroes the grad of every node in this graph. */
  zeroGrad(): void {
    buildOrder(this, true);
  }

  toString(): string {
    const name = this.label === undefined ? '' : `${this.label}: `;
    const op = this._code === Op.Leaf ? '' : `, op=${this.op}`;
    return `Value(${name}data=${this.data}, grad=${this.grad}${op})`;
  }

  /** JSON.stringify(value) gives the node's own numbers, not its chunk or its whole subgraph. */
  toJSON(): { label: string | null; op: string; data: number; grad: number } {
    return { label: this.label ?? null, op: this.op, data: this.data, grad: this.grad };
  }

  /** console.log(value) in Node prints toString(), not the chunk's typed arrays. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * Reverse topological order without building it: a node is ready once every consumer in the
 * graph has added its contribution (Kahn's algorithm on the reversed edges). First pass: count
 * each node's consumers and zero its grad. This keeps no order array alive, which matters: most
 * of a pass's time is the garbage collector copying live nodes (see BLUEPRINT.md, "Speed").
 */
function countConsumers(root: Value): void {
  root._pending = 1; // marks the root as seen; it has no consumer inside its own graph
  root.grad = 0;
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const n = stack.pop() as Value;
    const a = n._a;
    if (a === null) continue;
    if (a._pending++ === 0) {
      a.grad = 0;
      stack.push(a);
    }
    const b = n._b;
    if (b !== null && b._pending++ === 0) {
      b.grad = 0;
      stack.push(b);
    }
  }
}

/**
 * Second pass: the chain rule, node by node, once all of a node's consumers are done. Each op
 * adds (∂c/∂operand) · c.grad to its operands' grads: one line per op, as in the seed's table.
 * Local derivatives that can blow up (1/b, a^(n-1), 1/a) are checked, so a non-finite gradient
 * is an error naming its op, never a silent NaN. (One function, so the switch stays inlined.)
 */
function propagateAll(root: Value): void {
  root._pending = 0;
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const c = stack.pop() as Value;
    const g = c.grad;
    if (!Number.isFinite(g)) throw gradientOverflow(c, g);
    const a = c._a;
    if (a === null) continue; // a leaf: nothing to pass on
    const b = c._b as Value;
    switch (c._code) {
      case Op.Add: a.grad += g; b.grad += g; break;
      case Op.Sub: a.grad += g; b.grad -= g; break;
      case Op.Mul: a.grad += b.data * g; b.grad += a.data * g; break;
      case Op.Div: a.grad += checked(c, 1 / b.data) * g; b.grad += checked(c, -a.data / (b.data * b.data)) * g; break;
      case Op.Pow: a.grad += checked(c, powDerivative(a.data, c._chunk.exponent[c._slot])) * g; break;
      case Op.Neg: a.grad -= g; break;
      case Op.Exp: a.grad += c.data * g; break;
      case Op.Log: a.grad += checked(c, 1 / a.data) * g; break;
      case Op.Relu: a.grad += a.data > 0 ? g : 0; break; // ReLU'(0) = 0, as PyTorch
      case Op.Tanh: a.grad += (1 - c.data * c.data) * g; break;
    }
    if (--a._pending === 0) stack.push(a);
    if (b !== null && --b._pending === 0) stack.push(b);
  }
}

/** After a failed backward, restores the invariant that every `_pending` is 0. */
function clearConsumerCounts(root: Value): void {
  for (const n of buildOrder(root, false)) n._pending = 0;
}

/** n · a^(n-1); for n = 0 the function is constant, so 0 even at a = 0 (where 0 · 0^-1 is NaN). */
function powDerivative(a: number, n: number): number {
  return n === 0 ? 0 : n * a ** (n - 1);
}

function checked(c: Value, local: number): number {
  if (!Number.isFinite(local)) throw localDerivativeError(c, local);
  return local;
}

function localDerivativeError(c: Value, local: number): DomainError {
  const a = (c._a as Value).data;
  const name = OP_NAMES[c._code];
  if (c._code === Op.Pow) {
    const n = c._chunk.exponent[c._slot];
    return new DomainError(name, [a, n], `the gradient of pow is not finite at ${formatOperand(a)} ** ${formatOperand(n)}: d/da = ${String(local)}`);
  }
  const operands = c._b === null ? [a] : [a, c._b.data];
  const shown = c._code === Op.Div ? `${formatOperand(a)} / ${formatOperand(operands[1])}` : `${name}(${String(a)})`;
  return new DomainError(name, operands, `the gradient of ${name} is not finite at ${shown}: local derivative ${String(local)}`);
}

function gradientOverflow(c: Value, g: number): DomainError {
  const name = OP_NAMES[c._code] || 'value';
  const which = c.label === undefined ? `a ${name === 'value' ? 'leaf' : name} node` : `'${c.label}'`;
  return new DomainError(name, [c.data], `the gradient reaching ${which} is not finite (${String(g)}): the chain rule overflowed`);
}

function nonFiniteData(x: unknown): DomainError {
  return new DomainError('value', [Number(x)], `a Value needs a finite number, got ${String(x)}`);
}

function operand(o: Value | number, op: OpName): Value {
  if (o instanceof Value) return o;
  if (typeof o === 'number') return new Value(o);
  throw new TypeError(`${op} expects a Value or a number, got ${o === null ? 'null' : typeof o}`);
}

const BINARY_SYMBOLS: readonly string[] = OP_SYMBOLS;

function binary(code: Op, a: Value, b: Value, data: number): Value {
  if (!Number.isFinite(data)) {
    const name = OP_NAMES[code];
    throw new DomainError(name, [a.data, b.data], `${name} overflows: ${formatOperand(a.data)} ${BINARY_SYMBOLS[code]} ${formatOperand(b.data)} = ${String(data)}`);
  }
  return node(code, data, a, b);
}

function node(code: Op, data: number, a: Value, b: Value | null): Value {
  const out = new Value(data);
  out._code = code;
  out._a = a;
  out._b = b;
  return out;
}
