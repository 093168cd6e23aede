// Topological order without recursion: micrograd's recursive build_topo overflows the stack on a
// deep chain. Visits are stamped on the nodes (two stamps per sort: entered, done) instead of a
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
    if (n._mark !== entered && n._mark !== done) {
      n._mark = entered;
      // Pushed second-operand first so that the first operand's subgraph comes first.
      const a = n._a;
      const b = n._b;
      if (b !== null && b._mark !== done && b._mark !== entered) stack.push(b);
      if (a !== null && a._mark !== done && a._mark !== entered) stack.push(a);
      continue;
    }
    stack.pop();
    if (n._mark === entered) {
      n._mark = done;
      if (zeroGrads) n.grad = 0;
      order.push(n);
    }
  }
  return order;
}

/** Every node reachable from `root`, children before parents, root last. Iterative. */
export function topoSort(root: Value): Value[] {
  return buildOrder(root, false);
}
