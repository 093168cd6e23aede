// Topological order without recursion: micrograd's recursive build_topo overflows the stack on a
// deep chain. Visits are stamped in the nodes' chunks (two stamps per sort: entered, done) instead of a
// Set, so a sort allocates only its stack and its result.
import type { Value } from './value';

let epoch = 0;

/**
 * Every node reachable from `root`, children before parents, operands in operand order,
 * root last. With `zeroGrads`, also sets each node's grad to 0 on the way (one pass, not two).
 * @internal
 */
export function buildOrder(root: Value, zeroGrads: boolean): Value[] {
  epoch += 2;
  const entered = epoch;
  const done = epoch + 1;
  const order: Value[] = [];
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const n = stack[stack.length - 1];
    const marks = n._chunk.mark;
    const mark = marks[n._slot];
    if (mark !== entered && mark !== done) {
      marks[n._slot] = entered;
      // Pushed second-operand first so that the first operand's subgraph comes first.
      const a = n._a;
      const b = n._b;
      if (b !== null && !visited(b, entered)) stack.push(b);
      if (a !== null && !visited(a, entered)) stack.push(a);
      continue;
    }
    stack.pop();
    if (mark === entered) {
      marks[n._slot] = done;
      if (zeroGrads) n._chunk.grad[n._slot] = 0;
      order.push(n);
    }
  }
  return order;
}

/** Entered or done in the sort whose stamps start at `entered`. */
function visited(v: Value, entered: number): boolean {
  const mark = v._chunk.mark[v._slot];
  return mark === entered || mark === entered + 1;
}

/** Every node reachable from `root`, children before parents, root last. Iterative. */
export function topoSort(root: Value): Value[] {
  return buildOrder(root, false);
}
