// Topological order without recursion: micrograd's recursive build_topo overflows the stack on a
// deep chain. Visits are stamped in the nodes' chunks (two stamps per sort: entered, done) instead of a
// Set, so a sort allocates only its stack and its result.
//
// The stamps are Int32, so after 2^30 sorts in one process the counter would pass the largest
// Int32: a stored stamp would then wrap and never equal the counter again, and every later sort
// would revisit nodes without end. Before that, the counter starts over and every chunk's stamps
// are cleared; chunks are not listed anywhere (a list would keep dead graphs alive), so each one
// clears its own stamps the first time a sort touches it after the restart (store.ts).
import { renewMarks } from './store';
import type { Value } from './value';

/** The largest stamp an Int32Array holds. @internal */
export const SORT_EPOCH_LIMIT = 0x7fffffff;

let epoch = 0;

/** Moves the stamp counter, e.g. next to SORT_EPOCH_LIMIT, so that a test reaches the wrap cheaply. @internal */
export function setSortEpoch(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > SORT_EPOCH_LIMIT)
    throw new RangeError(`sort epoch must be an integer from 0 to ${SORT_EPOCH_LIMIT}, got ${String(value)}`);
  epoch = value;
}

/**
 * Every node reachable from `root`, children before parents, operands in operand order,
 * root last. With `zeroGrads`, also sets each node's grad to 0 on the way (one pass, not two).
 * @internal
 */
export function buildOrder(root: Value, zeroGrads: boolean): Value[] {
  // This sort stamps epoch + 2 (entered) and epoch + 3 (done); both must fit in an Int32.
  if (epoch > SORT_EPOCH_LIMIT - 3) {
    epoch = 0;
    renewMarks();
  }
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
