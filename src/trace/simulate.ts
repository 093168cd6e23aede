// The backward pass of a hand-written engine, simulated on the traced graph with the user's own
// forward values, right or with one of the classic bugs. When the user's gradients equal one
// bug's simulation (and not the right one), that bug is the likely cause: found by recomputing,
// not by pattern-matching the user's code.

import { OPS, type OpName } from '../../engine';
import type { CheckGraph, CheckNode } from './checkGraph';
import type { EngineBug } from './protocol';

/** How backward() visits the nodes. */
export type Walk =
  /** micrograd's: a DFS post-order (children in stored order), reversed. Right. */
  | 'topo'
  /** The same with each node's children taken last first. Right. */
  | 'topo-children-reversed'
  /** Kahn's order from the root: a node once all its consumers are done. Right. */
  | 'kahn'
  /** The topological order, not reversed: the root passes its gradient on last. */
  | 'topo-not-reversed'
  /** `n._backward(); for c in n._prev: c.backward()` with a visited set. */
  | 'dfs-preorder'
  /** The same without a visited set: a node reached twice passes its gradient on twice. */
  | 'dfs-preorder-repeated'
  /** A queue from the root, each node once. */
  | 'bfs'
  /** A queue from the root without a visited set. */
  | 'bfs-repeated';

export type Derivative =
  'right' | 'tanh-1-minus-t' | 'pow-n-x-n' | 'pow-missing-n' | 'relu-output' | 'relu-zero' | 'sigmoid-s';

export interface Variant {
  walk: Walk;
  /** false: `child.grad = …` instead of `+=`. */
  accumulate: boolean;
  derivative: Derivative;
}

export const RIGHT: Variant = { walk: 'topo', accumulate: true, derivative: 'right' };

/** A simulation that would take more node visits than this (repeated walks grow exponentially) gives up. */
export const MAX_SIMULATED_STEPS = 200_000;

/** The gradients a backward pass of this kind computes, by node id; null when it gave up. */
export function simulateBackward(g: CheckGraph, variant: Variant): number[] | null {
  const grad = new Array<number>(g.nodes.length).fill(0);
  grad[g.root] = 1;
  // One node's `_backward`: each operand that is a node gets local · out.grad, added or assigned.
  const step = (id: number): void => {
    const node = g.nodes[id];
    if (node.op === null) return;
    const out = grad[id];
    // An engine's sigmoid is one node there, expanded into several here: its wrong derivative
    // skips the expansion (whose added nodes then pass 0 on) and goes to x directly.
    const composite = g.composites.get(id);
    if (variant.derivative === 'sigmoid-s' && composite?.name === 'sigmoid') {
      const x = composite.operands[0];
      if ('node' in x) grad[x.node] += g.data[id] * out;
      return;
    }
    const [a, b] = operandValues(g, node);
    node.operands.forEach((operand, i) => {
      if (!('node' in operand)) return;
      const contribution = localDerivative(node.op!, i, a, b, g.data[id], variant.derivative) * out;
      grad[operand.node] = variant.accumulate ? grad[operand.node] + contribution : contribution;
    });
  };
  return walkOrder(g, variant.walk, step) === null ? null : grad;
}

/** The operand values [a, b] of a node in operand order; pow's b is its exponent. */
function operandValues(g: CheckGraph, node: CheckNode): [number, number] {
  const value = (k: number): number => {
    const operand = node.operands[k];
    return operand === undefined ? 0 : 'node' in operand ? g.data[operand.node] : operand.constant;
  };
  return [value(0), node.exponent ?? value(1)];
}

/** ∂c/∂(operand i) by the op table, or by the variant's wrong derivative. */
function localDerivative(op: OpName, i: number, a: number, b: number, c: number, derivative: Derivative): number {
  switch (derivative) {
    case 'tanh-1-minus-t':
      if (op === 'tanh') return 1 - c;
      break;
    case 'pow-n-x-n':
      if (op === 'pow') return b * a ** b;
      break;
    case 'pow-missing-n':
      if (op === 'pow') return a ** (b - 1);
      break;
    case 'relu-output':
      if (op === 'relu') return c;
      break;
    case 'relu-zero':
      if (op === 'relu') return 0;
      break;
  }
  // The user's engine takes tanh' from its own output; the op table's switches to sech² of the
  // input for |t| ≥ 0.5, which differs when the user's forward value is not tanh of its input.
  if (op === 'tanh') return 1 - c * c;
  return OPS[op].local[i](a, b, c);
}

/**
 * Calls `step` on node ids in the walk's order; returns the number of steps, or null past
 * MAX_SIMULATED_STEPS.
 */
function walkOrder(g: CheckGraph, walk: Walk, step: (id: number) => void): number | null {
  let steps = 0;
  const take = (id: number): boolean => {
    if (++steps > MAX_SIMULATED_STEPS) return false;
    step(id);
    return true;
  };
  switch (walk) {
    case 'topo':
      for (let k = g.order.length - 1; k >= 0; k--) take(g.order[k]);
      return steps;
    case 'topo-children-reversed': {
      const order = postOrder(g, true);
      for (let k = order.length - 1; k >= 0; k--) take(order[k]);
      return steps;
    }
    case 'kahn':
      for (const id of kahnOrder(g)) take(id);
      return steps;
    case 'topo-not-reversed':
      for (const id of g.order) take(id);
      return steps;
    case 'dfs-preorder':
    case 'dfs-preorder-repeated': {
      const repeated = walk === 'dfs-preorder-repeated';
      const seen = new Uint8Array(g.nodes.length);
      // Recursion as a stack of (node, next child): each node's step runs before its children's.
      const stack: { id: number; next: number }[] = [];
      const enter = (id: number): boolean => {
        seen[id] = 1;
        stack.push({ id, next: 0 });
        return take(id);
      };
      if (!enter(g.root)) return null;
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        const children = g.children[top.id];
        if (top.next >= children.length) {
          stack.pop();
          continue;
        }
        const child = children[top.next++];
        if ((repeated || !seen[child]) && !enter(child)) return null;
      }
      return steps;
    }
    case 'bfs':
    case 'bfs-repeated': {
      const repeated = walk === 'bfs-repeated';
      const seen = new Uint8Array(g.nodes.length);
      const queue = [g.root];
      seen[g.root] = 1;
      for (let head = 0; head < queue.length; head++) {
        if (!take(queue[head])) return null;
        for (const child of g.children[queue[head]]) {
          if (!repeated && seen[child]) continue;
          seen[child] = 1;
          queue.push(child);
        }
      }
      return steps;
    }
  }
}

/** DFS post-order from the root (children last-first when `reversedChildren`). */
function postOrder(g: CheckGraph, reversedChildren: boolean): number[] {
  const state = new Uint8Array(g.nodes.length);
  const order: number[] = [];
  const childrenOf = (id: number) => (reversedChildren ? [...g.children[id]].reverse() : g.children[id]);
  const stack: { id: number; children: number[]; next: number }[] = [
    { id: g.root, children: childrenOf(g.root), next: 0 },
  ];
  state[g.root] = 1;
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.children.length) {
      const child = top.children[top.next++];
      if (state[child] === 0) {
        state[child] = 1;
        stack.push({ id: child, children: childrenOf(child), next: 0 });
      }
      continue;
    }
    stack.pop();
    order.push(top.id);
  }
  return order;
}

/** Root first; a node once every node that uses it has been processed. */
function kahnOrder(g: CheckGraph): number[] {
  const users = new Int32Array(g.nodes.length);
  for (const id of g.order) for (const child of new Set(g.children[id])) users[child]++;
  const order: number[] = [];
  const queue = [g.root];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    order.push(id);
    for (const child of new Set(g.children[id])) if (--users[child] === 0) queue.push(child);
  }
  return order;
}

/**
 * The bug variants tried. When several reproduce the user's numbers, the first is named and the
 * others given as alternatives: a wrong derivative first (it can only match when its op is in the
 * graph), then `=` for `+=`, then the walks.
 */
export const BUG_VARIANTS: readonly { bug: EngineBug; variant: Variant; description: string }[] = [
  {
    bug: 'tanh-derivative',
    variant: { walk: 'topo', accumulate: true, derivative: 'tanh-1-minus-t' },
    description: 'tanh\u2019s derivative is taken as 1 \u2212 t instead of 1 \u2212 t\u00b2 (t = tanh(x))',
  },
  {
    bug: 'pow-derivative-n-x-n',
    variant: { walk: 'topo', accumulate: true, derivative: 'pow-n-x-n' },
    description: 'the derivative of x**n is taken as n\u00b7x**n instead of n\u00b7x**(n\u22121)',
  },
  {
    bug: 'pow-derivative-missing-n',
    variant: { walk: 'topo', accumulate: true, derivative: 'pow-missing-n' },
    description: 'the derivative of x**n is taken as x**(n\u22121), without the factor n',
  },
  {
    bug: 'relu-derivative',
    variant: { walk: 'topo', accumulate: true, derivative: 'relu-output' },
    description: 'relu\u2019s derivative is taken as its output (out.data) instead of 1 where the input is positive',
  },
  {
    bug: 'relu-derivative',
    variant: { walk: 'topo', accumulate: true, derivative: 'relu-zero' },
    description: 'relu passes no gradient back where its input is positive (its derivative there is 1, not 0)',
  },
  {
    bug: 'sigmoid-derivative',
    variant: { walk: 'topo', accumulate: true, derivative: 'sigmoid-s' },
    description: 'sigmoid\u2019s derivative is taken as s instead of s\u00b7(1 \u2212 s) (s = sigmoid(x))',
  },
  ...(['topo', 'topo-children-reversed', 'kahn'] as const).map((walk) => ({
    bug: 'assign-instead-of-accumulate' as const,
    variant: { walk, accumulate: false, derivative: 'right' as const },
    description:
      'the backward functions assign the gradient (`child.grad = …`) instead of adding to it (`+=`): a value used more than once keeps only one use\u2019s gradient',
  })),
  ...(
    [
      [
        'topo-not-reversed',
        'it walks the topological order without reversing it, so the output passes its gradient on last',
      ],
      [
        'dfs-preorder',
        'it walks the graph depth-first from the output, so a node passes its gradient on before all of it has arrived',
      ],
      [
        'dfs-preorder-repeated',
        'it recurses into the operands without a visited set and without a topological order, so a node reached twice passes its gradient on twice',
      ],
      [
        'bfs',
        'it walks the graph breadth-first from the output, so a node passes its gradient on before all of it has arrived',
      ],
      [
        'bfs-repeated',
        'it walks the graph breadth-first without a visited set, so a node reached twice passes its gradient on twice',
      ],
    ] as const
  ).map(([walk, how]) => ({
    bug: 'no-topological-order' as const,
    variant: { walk, accumulate: true, derivative: 'right' as const },
    description: `backward() does not follow a topological order: ${how}`,
  })),
];
