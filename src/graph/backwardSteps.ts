// The backward pass as a sequence of steps the webview can walk, exactly as `backward()` runs it:
// every grad starts at 0, the output's at 1, and nodes are processed in reverse topological order.
// Processing a node adds `local × node.grad` to each operand's grad (`+=`), so a value used twice
// (a * a, or by two parents) receives two contributions. Leaves and constants have nothing to
// propagate, so they get no step of their own: a step that changes nothing would only slow the
// walk-through down.
import { GraphModelError, type GraphIndex } from './graphIndex';
import { operandDerivatives } from './localDerivative';
import type { BackwardStep, Contribution } from '../shared/graphView';

export interface BackwardPlan {
  /** Grads before the first step: 0 everywhere, 1 at the output. */
  initialGrads: number[];
  steps: BackwardStep[];
  /** Grads after the last step; equal to the engine's grads for a correct graph. */
  finalGrads: number[];
}

export function planBackward(index: GraphIndex, nameOf: (position: number) => string): BackwardPlan {
  const grads = new Array<number>(index.nodes.length).fill(0);
  grads[index.output] = 1;
  const initialGrads = grads.slice();
  const steps: BackwardStep[] = [];
  for (let i = index.topological.length - 1; i >= 0; i--) {
    const position = index.topological[i];
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
    if (!Number.isFinite(amount))
      throw new GraphModelError(`node ${node.id} ('${node.op}') gives a non-finite gradient`);
    const before = grads[child];
    grads[child] = before + amount;
    return { child, operand, local: local.value, upstream, amount, before, after: grads[child] };
  });
}
