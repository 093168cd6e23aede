// Graphs for the graph-model tests and the graph bench, built with the real engine so that the
// grads they carry come from the engine's own backward(), an oracle independent of src/graph.
import { MLP, Value, toGraph } from '../../../engine';
import type { Graph } from '../../../src/core/types';

/** The engine's graph JSON as the core's Graph: labelled leaves are variables, others constants. */
export function graphOf(root: Value): Graph {
  const json = toGraph(root);
  return {
    output: json.output,
    nodes: json.nodes.map((n) => ({
      ...n,
      kind: n.op !== '' ? 'intermediate' : n.label !== null ? 'leaf' : 'constant',
    })),
  };
}

/** micrograd's neuron example: o = tanh(x1*w1 + x2*w2 + b), with its known grads. */
export function microgradNeuron(): Graph {
  const x1 = new Value(2.0, 'x1');
  const x2 = new Value(0.0, 'x2');
  const w1 = new Value(-3.0, 'w1');
  const w2 = new Value(1.0, 'w2');
  const b = new Value(6.8813735870195432, 'b');
  const x1w1 = x1.mul(w1);
  x1w1.label = 'x1w1';
  const n = x1w1.add(x2.mul(w2)).add(b);
  n.label = 'n';
  const o = n.tanh();
  o.label = 'o';
  o.backward();
  return graphOf(o);
}

/** A value used twice: c = a * a + a, so a collects three contributions. */
export function reusedValue(): Graph {
  const a = new Value(3.0, 'a');
  const sq = a.mul(a);
  const c = sq.add(a);
  c.label = 'c';
  c.backward();
  return graphOf(c);
}

/** A tanh MLP with a squared loss; about `hidden` × (3·hidden + 2) values. */
export function mlpGraph(nin: number, hidden: number, layers: number): Graph {
  const model = new MLP(nin, [...Array.from({ length: layers }, () => hidden), 1], { seed: 1 });
  const inputs = Array.from({ length: nin }, (_, i) => (i % 3) / 2 - 0.5);
  const [out] = model.forward(inputs);
  const loss = out.sub(1).pow(2);
  loss.label = 'loss';
  loss.backward();
  return graphOf(loss);
}
