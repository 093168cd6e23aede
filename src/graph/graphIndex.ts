// Checks a Graph from the core before anything draws it, and orders it. The graph arrives as JSON
// (from the core, or restored webview state), so it is validated rather than trusted: a dangling
// child id, a cycle or a non-finite number is a clear GraphModelError, never a hang or a NaN.
import type { Graph, GraphNode } from '../core/types';

export class GraphModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphModelError';
  }
}

export interface GraphIndex {
  nodes: readonly GraphNode[];
  /** Node id → position in `nodes`. */
  positionOf: ReadonlyMap<number, number>;
  /** Position of the output node. */
  output: number;
  /** Positions reachable from the output, children before parents, output last. */
  topological: number[];
}

export function indexGraph(graph: Graph): GraphIndex {
  if (!graph || !Array.isArray(graph.nodes)) throw new GraphModelError('the graph has no node list');
  const positionOf = new Map<number, number>();
  graph.nodes.forEach((node, position) => {
    checkNode(node, position);
    if (positionOf.has(node.id)) throw new GraphModelError(`node id ${node.id} appears twice`);
    positionOf.set(node.id, position);
  });
  for (const node of graph.nodes) {
    for (const child of node.children) {
      if (!positionOf.has(child)) throw new GraphModelError(`node ${node.id} has an unknown child ${child}`);
    }
  }
  const output = positionOf.get(graph.output);
  if (output === undefined) throw new GraphModelError(`the output id ${graph.output} is not a node`);
  return { nodes: graph.nodes, positionOf, output, topological: topologicalFrom(graph.nodes, positionOf, [output]) };
}

function checkNode(node: GraphNode, position: number): void {
  if (!node || typeof node !== 'object') throw new GraphModelError(`node #${position} is not an object`);
  if (!Number.isInteger(node.id)) throw new GraphModelError(`node #${position} has no integer id`);
  if (!Number.isFinite(node.data) || !Number.isFinite(node.grad)) {
    throw new GraphModelError(`node ${node.id} has a non-finite data or grad`);
  }
  if (typeof node.op !== 'string' || !Array.isArray(node.children)) {
    throw new GraphModelError(`node ${node.id} needs an op string and a children array`);
  }
  if (node.label !== null && typeof node.label !== 'string')
    throw new GraphModelError(`node ${node.id} has a bad label`);
}

/**
 * Iterative depth-first post-order from each seed in turn, operands in order, skipping what is
 * done (micrograd's recursive build_topo overflows on deep chains).
 */
export function topologicalFrom(
  nodes: readonly GraphNode[],
  positionOf: ReadonlyMap<number, number>,
  seeds: readonly number[],
): number[] {
  const state = new Uint8Array(nodes.length); // 0 new, 1 on the stack, 2 done
  const order: number[] = [];
  const stack: number[] = [];
  for (const seed of seeds) {
    if (state[seed] !== 0) continue;
    stack.push(seed);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (state[top] === 0) {
        state[top] = 1;
        const children = nodes[top].children;
        for (let i = children.length - 1; i >= 0; i--) {
          const child = positionOf.get(children[i]) as number;
          if (state[child] === 1) throw new GraphModelError(`the graph has a cycle through node ${nodes[child].id}`);
          if (state[child] === 0) stack.push(child);
        }
        continue;
      }
      stack.pop();
      if (state[top] === 1) {
        state[top] = 2;
        order.push(top);
      }
    }
  }
  return order;
}
