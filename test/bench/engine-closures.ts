// micrograd's design ported to TypeScript, for comparison only: every node carries a `_backward`
// closure and backward() builds the order with a recursive DFS (fine for this shallow workload).
// The engine replaced exactly this with op codes; the bench shows what that buys.
export class ClosureValue {
  grad = 0;
  backwardStep: () => void = noop;

  constructor(
    public data: number,
    readonly prev: readonly ClosureValue[] = [],
  ) {}

  add(o: ClosureValue | number): ClosureValue {
    const other = o instanceof ClosureValue ? o : new ClosureValue(o);
    const out = new ClosureValue(this.data + other.data, [this, other]);
    out.backwardStep = () => {
      this.grad += out.grad;
      other.grad += out.grad;
    };
    return out;
  }

  sub(o: ClosureValue | number): ClosureValue {
    const other = o instanceof ClosureValue ? o : new ClosureValue(o);
    const out = new ClosureValue(this.data - other.data, [this, other]);
    out.backwardStep = () => {
      this.grad += out.grad;
      other.grad -= out.grad;
    };
    return out;
  }

  mul(o: ClosureValue | number): ClosureValue {
    const other = o instanceof ClosureValue ? o : new ClosureValue(o);
    const out = new ClosureValue(this.data * other.data, [this, other]);
    out.backwardStep = () => {
      this.grad += other.data * out.grad;
      other.grad += this.data * out.grad;
    };
    return out;
  }

  pow(n: number): ClosureValue {
    const out = new ClosureValue(this.data ** n, [this]);
    out.backwardStep = () => {
      this.grad += n * this.data ** (n - 1) * out.grad;
    };
    return out;
  }

  tanh(): ClosureValue {
    const t = Math.tanh(this.data);
    const out = new ClosureValue(t, [this]);
    out.backwardStep = () => {
      this.grad += (1 - t * t) * out.grad;
    };
    return out;
  }

  backward(): void {
    const topo: ClosureValue[] = [];
    const visited = new Set<ClosureValue>();
    const build = (v: ClosureValue): void => {
      if (visited.has(v)) return;
      visited.add(v);
      for (const child of v.prev) build(child);
      topo.push(v);
    };
    build(this);
    for (const v of topo) v.grad = 0;
    this.grad = 1;
    for (let i = topo.length - 1; i >= 0; i--) topo[i].backwardStep();
  }
}

function noop(): void {}
