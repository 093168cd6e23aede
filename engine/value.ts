// The scalar Value and its ten ops. Each op is a node with an op code; the whole chain rule is one
// switch in `backward`, one derivative line per op, straight from the seed's table. No per-node
// closures: a closure per node costs an allocation and a megamorphic call, and the switch keeps
// the table readable in one place (see BLUEPRINT.md, "Op codes instead of closures"). Names,
// symbols and domain messages come from the op table (opTable.ts); the switch is its one
// deliberate second copy of the derivatives, kept for speed and checked against it by a test.
import { DomainError, formatOperand } from './errors';
import { OP_LIST, powDerivative, refusal, tanhDerivative, type OpName, type OpSpec } from './opTable';
import { Chunk, CHUNK_SLOTS, chunkWithRoom } from './store';
import { buildOrder } from './topo';

/** Op codes. `Leaf` is a variable or constant; op k is OP_LIST[k − 1] (the table's order). */
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

/** The op table's entry of an op code (not of a leaf). */
function spec(code: Op): OpSpec {
  return OP_LIST[code - 1];
}

export class Value {
  // A node is one small object of four fields: every number is in the chunk's typed arrays and
  // the rare label in the chunk's label list. Fewer words per node is less to allocate, to
  // cache and for the collector to copy (see BLUEPRINT.md, "Speed").
  /** @internal the chunk holding data, grad, op code and label (see store.ts) */
  _chunk: Chunk;
  /** @internal this node's slot in its chunk */
  _slot: number;
  /** @internal first operand */
  _a: Value | null;
  /** @internal second operand */
  _b: Value | null;

  constructor(data: number, label?: string) {
    if (typeof data !== 'number' || !Number.isFinite(data)) throw nonFiniteData(data);
    // Checked before a slot is taken; the setter below checks the same for later assignments.
    if (label !== undefined && typeof label !== 'string')
      throw new TypeError(
        `a Value's label must be a string or undefined, got ${label === null ? 'null' : typeof label}`,
      );
    const chunk = chunkWithRoom();
    const slot = chunk.used++;
    chunk.data[slot] = data;
    this._chunk = chunk;
    this._slot = slot;
    this._a = null;
    this._b = null;
    if (label !== undefined) this.label = label;
  }

  /** The name shown in graphs and messages; undefined for an unnamed node. */
  get label(): string | undefined {
    const labels = this._chunk.labels;
    return labels === null ? undefined : labels[this._slot];
  }

  set label(name: string | undefined) {
    // Checked here, not where a graph export would later trip over a number or an object.
    if (name !== undefined && typeof name !== 'string')
      throw new TypeError(`a Value's label must be a string or undefined, got ${name === null ? 'null' : typeof name}`);
    (this._chunk.labels ??= [])[this._slot] = name;
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
    // Only a finite number, as for data: a NaN grad would spread silently through a training step.
    if (typeof g !== 'number')
      throw new TypeError(`a Value's grad must be a number, got ${g === null ? 'null' : typeof g}`);
    if (!Number.isFinite(g))
      throw new DomainError('value', [g], `a Value's grad must be a finite number, got ${String(g)}`);
    this._chunk.grad[this._slot] = g;
  }

  /** '' for a leaf; else the op table's display symbol: '+', '-', '*', '/', '**2', 'neg', 'exp', 'log', 'relu', 'tanh'. */
  get op(): string {
    const code = this._chunk.code[this._slot];
    if (code === Op.Leaf) return '';
    return code === Op.Pow ? spec(code).symbol + String(this._chunk.exponent[this._slot]) : spec(code).symbol;
  }

  /** The op's name ('add', 'pow', …), or '' for a leaf. */
  get opName(): OpName | '' {
    const code = this._chunk.code[this._slot];
    return code === Op.Leaf ? '' : spec(code).name;
  }

  /** The constant exponent of a pow node; undefined for every other node. */
  get exponent(): number | undefined {
    return this._chunk.code[this._slot] === Op.Pow ? this._chunk.exponent[this._slot] : undefined;
  }

  /** The operands in operand order (a fresh array on every read). */
  get children(): readonly Value[] {
    if (this._a === null) return [];
    return this._b === null ? [this._a] : [this._a, this._b];
  }

  // An op whose value is not finite is refused with the op table's message ("division by zero:
  // 1 / 0", not "Infinity"; see `refused`). neg, relu and tanh of a finite number are finite.

  add(o: Value | number): Value {
    const b = operand(o, Op.Add);
    return binary(Op.Add, this, b, this.data + b.data);
  }

  sub(o: Value | number): Value {
    const b = operand(o, Op.Sub);
    return binary(Op.Sub, this, b, this.data - b.data);
  }

  mul(o: Value | number): Value {
    const b = operand(o, Op.Mul);
    return binary(Op.Mul, this, b, this.data * b.data);
  }

  div(o: Value | number): Value {
    const b = operand(o, Op.Div);
    return binary(Op.Div, this, b, this.data / b.data);
  }

  /** `this ** n` for a constant n. A Value exponent is a TypeError (see BLUEPRINT.md). */
  pow(n: number): Value {
    if (typeof n !== 'number') {
      const what = (n as unknown) instanceof Value ? 'a Value' : typeof n;
      throw new TypeError(
        `pow takes a constant number as its exponent, got ${what}: the exponent cannot be differentiated`,
      );
    }
    const data = this.data ** n;
    // An infinite exponent can give a finite value (0.5 ** Infinity is 0): refused too.
    if (!Number.isFinite(n) || !Number.isFinite(data)) throw refused(Op.Pow, this.data, n, data);
    const out = node(Op.Pow, data, this, null);
    out._chunk.exponent[out._slot] = n;
    return out;
  }

  neg(): Value {
    return node(Op.Neg, -this.data, this, null);
  }

  exp(): Value {
    const data = Math.exp(this.data);
    if (!Number.isFinite(data)) throw refused(Op.Exp, this.data, 0, data);
    return node(Op.Exp, data, this, null);
  }

  log(): Value {
    const data = Math.log(this.data);
    if (!Number.isFinite(data)) throw refused(Op.Log, this.data, 0, data);
    return node(Op.Log, data, this, null);
  }

  relu(): Value {
    return node(Op.Relu, this.data > 0 ? this.data : 0, this, null);
  }

  tanh(): Value {
    return node(Op.Tanh, Math.tanh(this.data), this, null);
  }

  /**
   * Sets `grad` of every node in this graph: ∂this/∂node. Each node's old grad is replaced, so
   * calling it twice gives the same grads (no silent accumulation; see BLUEPRINT.md). Iterative:
   * no recursion. Nodes outside this graph keep their grads.
   */
  backward(): void {
    propagateAll(this);
  }

  /** Zeroes the grad of every node in this graph. */
  zeroGrad(): void {
    buildOrder(this, true);
  }

  toString(): string {
    const name = this.label === undefined ? '' : `${this.label}: `;
    const op = this._chunk.code[this._slot] === Op.Leaf ? '' : `, op=${this.op}`;
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
 * The chain rule in one pass, in reverse creation order. A node's operands always exist before it,
 * so creation order (chunk seq, then slot) is a topological order: sweeping it downwards, a node
 * is processed only after all its consumers have added their contribution. Only reached nodes are
 * visited: each chunk keeps, for the length of the pass, the reached nodes by slot, and chunks are
 * swept highest seq first. Each op adds (∂c/∂operand) · c.grad to its operands' grads: one line
 * per op, as in the seed's table. The first contribution to a node overwrites its old grad, so
 * grads are reset without a separate pass.
 */
function propagateAll(root: Value): void {
  const queue: Chunk[] = [];
  reach(queue, root, 1);
  try {
    while (queue.length > 0) sweep(queue, queue.pop() as Chunk);
  } catch (err) {
    for (const chunk of queue) release(chunk);
    throw err;
  }
}

/** Processes a chunk's reached nodes, highest slot first: a node's operands in the chunk sit below it. */
function sweep(queue: Chunk[], chunk: Chunk): void {
  const reached = chunk.reached as (Value | undefined)[];
  const grads = chunk.grad;
  const codes = chunk.code;
  try {
    for (let s = chunk.top; chunk.waiting > 0; s--) {
      const c = reached[s];
      if (c === undefined) continue;
      reached[s] = undefined;
      chunk.waiting--;
      const g = grads[s];
      if (!Number.isFinite(g)) throw gradientOverflow(c, g);
      const a = c._a;
      if (a === null) continue; // a leaf: nothing to pass on
      const x = a._chunk.data[a._slot];
      const b = c._b;
      if (b === null) {
        switch (codes[s]) {
          case Op.Pow:
            reach(queue, a, checked(c, powDerivative(x, chunk.exponent[s])) * g);
            break;
          case Op.Neg:
            reach(queue, a, -g);
            break;
          case Op.Exp:
            reach(queue, a, chunk.data[s] * g);
            break;
          case Op.Log:
            reach(queue, a, checked(c, 1 / x) * g);
            break;
          case Op.Relu:
            reach(queue, a, x > 0 ? g : 0);
            break; // ReLU'(0) = 0, as PyTorch
          case Op.Tanh:
            reach(queue, a, tanhDerivative(x, chunk.data[s]) * g);
            break; // 1 − c², without its cancellation
        }
      } else {
        const y = b._chunk.data[b._slot];
        switch (codes[s]) {
          case Op.Add:
            reach(queue, a, g);
            reach(queue, b, g);
            break;
          case Op.Sub:
            reach(queue, a, g);
            reach(queue, b, -g);
            break;
          case Op.Mul:
            reach(queue, a, y * g);
            reach(queue, b, x * g);
            break;
          case Op.Div:
            reach(queue, a, checked(c, 1 / y) * g);
            reach(queue, b, checked(c, -(x / y) / y) * g);
            break; // not −x/(y·y): y·y underflows
        }
      }
    }
  } finally {
    release(chunk);
  }
}

/** Adds `contribution` to v's grad; the first contribution of a pass replaces the old grad. */
function reach(queue: Chunk[], v: Value, contribution: number): void {
  const chunk = v._chunk;
  const slot = v._slot;
  let reached = chunk.reached;
  if (reached === null) {
    reached = chunk.reached = new Array<Value | undefined>(CHUNK_SLOTS);
    enqueue(queue, chunk);
  }
  if (reached[slot] === undefined) {
    reached[slot] = v;
    chunk.grad[slot] = contribution + 0; // + 0 turns a first contribution of -0 into 0, as 0 + (-0) is
    chunk.waiting++;
    if (slot > chunk.top) chunk.top = slot;
  } else {
    chunk.grad[slot] += contribution;
  }
}

/** Keeps `queue` sorted by seq, so pop() gives the latest chunk. Chunks mostly arrive in descending order. */
function enqueue(queue: Chunk[], chunk: Chunk): void {
  let i = queue.length;
  queue.push(chunk);
  while (i > 0 && queue[i - 1].seq > chunk.seq) {
    queue[i] = queue[i - 1];
    i--;
  }
  queue[i] = chunk;
}

/** Ends a chunk's part in a pass (also after an error), so it holds no node references. */
function release(chunk: Chunk): void {
  chunk.reached = null;
  chunk.top = -1;
  chunk.waiting = 0;
}

function checked(c: Value, local: number): number {
  if (!Number.isFinite(local)) throw localDerivativeError(c, local);
  return local;
}

function localDerivativeError(c: Value, local: number): DomainError {
  const a = (c._a as Value).data;
  const op = spec(c._chunk.code[c._slot]);
  if (op.exponent) {
    const n = c._chunk.exponent[c._slot];
    return new DomainError(
      op.name,
      [a, n],
      `the gradient of ${op.name} is not finite at ${formatOperand(a)} ${op.symbol} ${formatOperand(n)}: d/da = ${String(local)}`,
    );
  }
  const operands = c._b === null ? [a] : [a, c._b.data];
  const shown =
    op.arity === 2 ? `${formatOperand(a)} ${op.symbol} ${formatOperand(operands[1])}` : `${op.name}(${String(a)})`;
  return new DomainError(
    op.name,
    operands,
    `the gradient of ${op.name} is not finite at ${shown}: local derivative ${String(local)}`,
  );
}

function gradientOverflow(c: Value, g: number): DomainError {
  const code = c._chunk.code[c._slot];
  const name = code === Op.Leaf ? 'value' : spec(code).name;
  const which = c.label === undefined ? `a ${name === 'value' ? 'leaf' : name} node` : `'${c.label}'`;
  return new DomainError(
    name,
    [c.data],
    `the gradient reaching ${which} is not finite (${String(g)}): the chain rule overflowed`,
  );
}

function nonFiniteData(x: unknown): DomainError {
  return new DomainError('value', [Number(x)], `a Value needs a finite number, got ${String(x)}`);
}

function operand(o: Value | number, code: Op): Value {
  if (o instanceof Value) return o;
  if (typeof o === 'number') return new Value(o);
  throw new TypeError(`${spec(code).name} expects a Value or a number, got ${o === null ? 'null' : typeof o}`);
}

/**
 * The DomainError for c = op(a, b), with the op table's message. Asked only once c is not finite
 * (or pow's exponent is not): exactly what the table's rule refuses, which a unit test checks.
 */
function refused(code: Op, a: number, b: number, c: number): DomainError {
  const op = spec(code);
  const message = refusal(op, a, b, c) ?? `${op.name} gives ${String(c)}`;
  return new DomainError(op.name, op.arity === 2 ? [a, b] : [a], message);
}

function binary(code: Op, a: Value, b: Value, data: number): Value {
  if (!Number.isFinite(data)) throw refused(code, a.data, b.data, data);
  return node(code, data, a, b);
}

function node(code: Op, data: number, a: Value, b: Value | null): Value {
  const out = new Value(data);
  out._chunk.code[out._slot] = code;
  out._a = a;
  out._b = b;
  return out;
}
