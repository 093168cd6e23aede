// The backward pass as a sequence of steps the webview can walk, exactly as `backward()` runs it:
// every grad starts at 0, the output's at 1, and nodes are processed in reverse creation order
// (creationOrder.ts), the engine's sweep. Processing a node adds `local × node.grad` to each
// operand's grad (`+=`), first operand first, so a value used twice (a * a, or by two parents)
// receives two contributions. In the engine's order and with the engine's numbers (the op
// table's local derivatives, which the engine's switch restates exactly), every partial sum is
// the engine's: the final grads are bit-identical to the graph's, and a sum that overflows here
// overflowed in the engine, whose lens then has an error and no graph. Leaves and constants have
// nothing to propagate, so they get no step of their own: a step that changes nothing would only
// slow the walk-through down.
import { creationOrder } from './creationOrder';
import { GraphModelError, type GraphIndex } from './graphIndex';
import { operandDerivatives } from './localDerivative';
import type { BackwardStep, Contribution } from '../shared/graphView';

export interface BackwardPlan {
  /** Grads before the first step: 0 everywhere, 1 at the output. */
  initialGrads: number[];
  steps: BackwardStep[];
  /** Grads after the last step; equal to the engine's grads for a graph from the core. */
  finalGrads: number[];
}

export function planBackward(index: GraphIndex, nameOf: (position: number) => string): BackwardPlan {
  const grads = new Array<number>(index.nodes.length).fill(0);
  grads[index.output] = 1;
  const initialGrads = grads.slice();
  const steps: BackwardStep[] = [];
  const order = creationOrder(index);
  for (let i = order.length - 1; i >= 0; i--) {
    const position = order[i];
    if (index.nodes[position].children.length === 0) continue;
    steps.push({ node: position, contributions: propagate(index, position, grads, nameOf) });
  }
  return { initialGrads, steps, finalGrads: grads };
}

function propagate(
  index: GraphIndex,
  position: number,
  grads: number[],
  nameOf: (p: number) => string,
): Contribution[] {
  const node = index.nodes[position];
  const upstream = grads[position];
  return operandDerivatives(index, position, nameOf).map(({ child, local }, operand) => {
    const amount = local.value * upstream;
    const before = grads[child];
    const after = before + amount;
    // Not in a graph from the core (see above); a graph without source ranges, whose creation
    // order is lost, could still sum in another order than the engine did.
    if (!Number.isFinite(amount) || !Number.isFinite(after))
      throw new GraphModelError(
        `the gradient node ${node.id} ('${node.op}') passes to node ${index.nodes[child].id} is not a finite number`,
      );
    grads[child] = after;
    return { child, operand, local: local.value, upstream, amount, before, after };
  });
}
