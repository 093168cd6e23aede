// A learner's micrograd, written the way learners write it (a closure `_backward` per node,
// `_prev` children, `_op` strings), with each classic bug as a switch. It stands for the user's
// engine in the engine-check tests: the check must find the bug from the numbers alone, so this
// file shares no code with src/trace/simulate.ts.

import type { TracedGraph, TracedValue, TracedVariable } from '../../../src/trace/protocol';

export interface Bugs {
  /** `child.grad = …` instead of `+=`. */
  assign?: boolean;
  /** How backward() orders the nodes. */
  walk?: 'topo' | 'topo-not-reversed' | 'dfs-preorder' | 'dfs-recursive' | 'bfs';
  tanh?: '1-t';
  pow?: 'n*x^n' | 'x^(n-1)';
  relu?: 'output' | 'zero';
  /** sigmoid's derivative taken as s instead of s·(1 − s). */
  sigmoid?: 's';
  /** micrograd's `_prev = set(children)`: `a + a` keeps `a` once. */
  setChildren?: boolean;
}

export class Engine {
  constructor(readonly bugs: Bugs = {}) {}

  leaf(data: number, label?: string): V {
    return new V(this, data, [], '', label);
  }
}

export class V {
  grad = 0;
  _backward: () => void = () => undefined;
  readonly _prev: V[];

  constructor(
    readonly engine: Engine,
    public data: number,
    children: V[],
    readonly _op: string,
    public label?: string,
  ) {
    this._prev = engine.bugs.setChildren ? [...new Set(children)] : children;
  }

  private put(child: V, amount: number): void {
    if (this.engine.bugs.assign) child.grad = amount;
    else child.grad += amount;
  }

  private wrap(o: V | number): V {
    return o instanceof V ? o : this.engine.leaf(o);
  }

  add(o: V | number): V {
    const other = this.wrap(o);
    const out = new V(this.engine, this.data + other.data, [this, other], '+');
    out._backward = () => {
      out.put(this, out.grad);
      out.put(other, out.grad);
    };
    return out;
  }

  mul(o: V | number): V {
    const other = this.wrap(o);
    const out = new V(this.engine, this.data * other.data, [this, other], '*');
    out._backward = () => {
      out.put(this, other.data * out.grad);
      out.put(other, this.data * out.grad);
    };
    return out;
  }

  pow(n: number): V {
    const out = new V(this.engine, this.data ** n, [this], `**${n}`);
    out._backward = () => {
      const bug = this.engine.bugs.pow;
      const local =
        bug === 'n*x^n' ? n * this.data ** n : bug === 'x^(n-1)' ? this.data ** (n - 1) : n * this.data ** (n - 1);
      out.put(this, local * out.grad);
    };
    return out;
  }

  tanh(): V {
    const t = Math.tanh(this.data);
    const out = new V(this.engine, t, [this], 'tanh');
    out._backward = () => out.put(this, (this.engine.bugs.tanh === '1-t' ? 1 - t : 1 - t * t) * out.grad);
    return out;
  }

  relu(): V {
    const out = new V(this.engine, this.data < 0 ? 0 : this.data, [this], 'ReLU');
    out._backward = () => {
      const bug = this.engine.bugs.relu;
      const local = bug === 'output' ? out.data : bug === 'zero' ? 0 : out.data > 0 ? 1 : 0;
      out.put(this, local * out.grad);
    };
    return out;
  }

  exp(): V {
    const out = new V(this.engine, Math.exp(this.data), [this], 'exp');
    out._backward = () => out.put(this, out.data * out.grad);
    return out;
  }

  log(): V {
    const out = new V(this.engine, Math.log(this.data), [this], 'log');
    out._backward = () => out.put(this, (1 / this.data) * out.grad);
    return out;
  }

  sigmoid(): V {
    const s = 1 / (1 + Math.exp(-this.data));
    const out = new V(this.engine, s, [this], 'sigmoid');
    out._backward = () => out.put(this, (this.engine.bugs.sigmoid === 's' ? s : s * (1 - s)) * out.grad);
    return out;
  }

  /** `base ** this` as one node (a port's `__rpow__`); `op` as the port spells it. */
  rpow(base: number, op = 'rpow'): V {
    const out = new V(this.engine, base ** this.data, [this], op);
    out._backward = () => out.put(this, out.data * Math.log(base) * out.grad);
    return out;
  }

  /** `this ** other` with a Value exponent, both operands children. */
  powV(other: V): V {
    const out = new V(this.engine, this.data ** other.data, [this, other], '**');
    out._backward = () => {
      out.put(this, other.data * this.data ** (other.data - 1) * out.grad);
      out.put(other, out.data * Math.log(this.data) * out.grad);
    };
    return out;
  }

  neg(): V {
    return this.mul(-1);
  }

  sub(o: V | number): V {
    return this.add(this.wrap(o).neg());
  }

  div(o: V | number): V {
    return this.mul(this.wrap(o).pow(-1));
  }

  backward(): void {
    this.grad = 1;
    const walk = this.engine.bugs.walk ?? 'topo';
    if (walk === 'topo' || walk === 'topo-not-reversed') {
      const topo: V[] = [];
      const visited = new Set<V>();
      const build = (v: V): void => {
        if (visited.has(v)) return;
        visited.add(v);
        for (const child of v._prev) build(child);
        topo.push(v);
      };
      build(this);
      if (walk === 'topo') topo.reverse();
      for (const v of topo) v._backward();
    } else if (walk === 'dfs-preorder') {
      const visited = new Set<V>();
      const go = (v: V): void => {
        visited.add(v);
        v._backward();
        for (const child of v._prev) if (!visited.has(child)) go(child);
      };
      go(this);
    } else if (walk === 'dfs-recursive') {
      const go = (v: V): void => {
        v._backward();
        for (const child of v._prev) go(child);
      };
      go(this);
    } else {
      const queue: V[] = [this];
      const seen = new Set<V>([this]);
      while (queue.length > 0) {
        const v = queue.shift()!;
        v._backward();
        for (const child of v._prev)
          if (!seen.has(child)) {
            seen.add(child);
            queue.push(child);
          }
      }
    }
  }
}

/** What a tracer reports for `root`: every reachable node (ids by first visit), and the named ones. */
export function traced(root: V, named: Record<string, V> = {}): TracedValue & { graph: TracedGraph } {
  for (const v of reachable(root)) v.grad = 0;
  root.backward();
  const nodes = reachable(root);
  const ids = new Map(nodes.map((v, k) => [v, k]));
  const variables: TracedVariable[] = Object.entries(named)
    .filter(([, v]) => ids.has(v))
    .map(([name, v]) => ({ name, node: ids.get(v)!, leaf: v._prev.length === 0 }));
  return {
    kind: 'value',
    value: root.data,
    note: null,
    variables,
    graph: {
      root: 0,
      nodes: nodes.map((v, id) => ({
        id,
        data: v.data,
        grad: v.grad,
        op: v._op,
        label: v.label ?? null,
        children: v._prev.map((c) => ids.get(c)!),
        exponent: null,
      })),
    },
  };
}

function reachable(root: V): V[] {
  const out: V[] = [];
  const seen = new Set<V>([root]);
  const stack = [root];
  while (stack.length > 0) {
    const v = stack.shift()!;
    out.push(v);
    for (const c of v._prev)
      if (!seen.has(c)) {
        seen.add(c);
        stack.push(c);
      }
  }
  return out;
}
