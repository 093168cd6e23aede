// The baseline the engine races: a flat typed-array tape. Every node is an index; op, operands,
// data and grad live in parallel typed arrays, and backward is one loop over the indices. No
// objects per node at all, so it is about as fast as scalar autodiff gets in JavaScript.
const enum TapeOp {
  Leaf,
  Add,
  Sub,
  Mul,
  Pow,
  Tanh,
}

export class Tape {
  private op: Uint8Array;
  private a: Int32Array;
  private b: Int32Array;
  private exponent: Float64Array;
  readonly data: Float64Array;
  readonly grad: Float64Array;
  length = 0;
  /** Nodes below this index survive `reset()`: the parameters. */
  private kept = 0;

  constructor(capacity: number) {
    this.op = new Uint8Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.exponent = new Float64Array(capacity);
    this.data = new Float64Array(capacity);
    this.grad = new Float64Array(capacity);
  }

  /** Keeps the nodes recorded so far (the parameters) and forgets the rest on every reset. */
  keep(): void {
    this.kept = this.length;
  }

  reset(): void {
    this.length = this.kept;
  }

  private push(op: TapeOp, data: number, a: number, b: number): number {
    const i = this.length++;
    this.op[i] = op;
    this.a[i] = a;
    this.b[i] = b;
    this.data[i] = data;
    return i;
  }

  leaf(x: number): number {
    return this.push(TapeOp.Leaf, x, -1, -1);
  }

  add(a: number, b: number): number {
    return this.push(TapeOp.Add, this.data[a] + this.data[b], a, b);
  }

  sub(a: number, b: number): number {
    return this.push(TapeOp.Sub, this.data[a] - this.data[b], a, b);
  }

  mul(a: number, b: number): number {
    return this.push(TapeOp.Mul, this.data[a] * this.data[b], a, b);
  }

  pow(a: number, n: number): number {
    const i = this.push(TapeOp.Pow, this.data[a] ** n, a, -1);
    this.exponent[i] = n;
    return i;
  }

  tanh(a: number): number {
    return this.push(TapeOp.Tanh, Math.tanh(this.data[a]), a, -1);
  }

  /** The tape is already in topological order: walk it backwards. */
  backward(out: number): void {
    const { op, a, b, data, grad } = this;
    grad.fill(0, 0, out + 1);
    grad[out] = 1;
    for (let i = out; i >= 0; i--) {
      const g = grad[i];
      switch (op[i]) {
        case TapeOp.Leaf:
          break;
        case TapeOp.Add:
          grad[a[i]] += g;
          grad[b[i]] += g;
          break;
        case TapeOp.Sub:
          grad[a[i]] += g;
          grad[b[i]] -= g;
          break;
        case TapeOp.Mul:
          grad[a[i]] += data[b[i]] * g;
          grad[b[i]] += data[a[i]] * g;
          break;
        case TapeOp.Pow: {
          const n = this.exponent[i];
          grad[a[i]] += n * data[a[i]] ** (n - 1) * g;
          break;
        }
        case TapeOp.Tanh:
          grad[a[i]] += (1 - data[i] * data[i]) * g;
          break;
      }
    }
  }
}
