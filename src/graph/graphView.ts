// The graph as the webview draws it: value nodes with their display names, one chain-rule edge
// per operand with its local derivative and contribution spelled out, and the backward steps.
// Built from a Lens's Graph on the extension side and sent as one message (plain JSON).
import { visibleText } from '../../engine/graph';
import type { Graph, GraphNode } from '../core/types';
import { planBackward } from './backwardSteps';
import type { GraphView, ViewEdge, ViewNode } from '../shared/graphView';
import { DEFAULT_PRECISION, formatSigned } from './format';
import { indexGraph, type GraphIndex } from './graphIndex';
import { operandDerivatives, type OperandDerivative } from './localDerivative';

/** Above this many values the reduced view (ops folded into their outputs) is the default. */
export const REDUCED_VIEW_THRESHOLD = 1500;

export function buildGraphView(graph: Graph, precision = DEFAULT_PRECISION): GraphView {
  const index = indexGraph(graph);
  const nodes = index.nodes.map((node) => toViewNode(node, precision));
  const nameOf = (position: number): string => nodes[position].name;
  const plan = planBackward(index, nameOf);
  return {
    nodes,
    edges: buildEdges(index, nameOf, precision),
    output: index.output,
    initialGrads: plan.initialGrads,
    steps: plan.steps,
    precision,
    reducedByDefault: nodes.length > REDUCED_VIEW_THRESHOLD,
  };
}

function toViewNode(node: GraphNode, precision: number): ViewNode {
  // A `Value(…, label=…)` string may hold control characters: names are shown as the DOT shows them.
  const name =
    node.label !== null
      ? visibleText(node.label)
      : node.kind === 'constant'
        ? formatSigned(node.data, precision)
        : `v${node.id}`;
  const view: ViewNode = {
    id: node.id,
    label: node.label,
    name,
    kind: node.kind,
    op: node.op,
    data: node.data,
    grad: node.grad,
  };
  if (node.range) view.range = node.range;
  return view;
}

function buildEdges(index: GraphIndex, nameOf: (p: number) => string, precision: number): ViewEdge[] {
  return index.nodes.flatMap((node, to) =>
    operandDerivatives(index, to, nameOf).map((derivative, operand) =>
      chainRuleEdge(node, nameOf(to), derivative, to, operand, precision),
    ),
  );
}

function chainRuleEdge(
  node: GraphNode,
  outName: string,
  { child: from, name, local }: OperandDerivative,
  to: number,
  operand: number,
  precision: number,
): ViewEdge {
  const derivative = `\u2202${outName}/\u2202${name}`;
  const contribution = local.value * node.grad;
  const number = (x: number): string => formatSigned(x, precision);
  // A constant derivative (1, −1) needs no `= 1.0000` after it.
  const value = /^\u2212?\d+$/.test(local.symbolic) ? '' : ` = ${number(local.value)}`;
  const text = `${derivative} = ${local.symbolic}${value} \u00d7 ${number(node.grad)} = ${number(contribution)}`;
  return { from, to, operand, text, local: local.value, contribution };
}
