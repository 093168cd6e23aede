// The order in which the engine created a lens's nodes, recovered from the graph, so that the
// backward steps can replay `backward()` exactly. The engine sweeps the nodes in reverse creation
// order and adds each contribution with `+=` (engine/BLUEPRINT.md, "backward()"): the order in
// which a value's consumers are processed is the order of its partial sums, and floating-point
// addition is not associative. 1e308 + 1e308 − 1e308 overflows where −1e308 + 1e308 + 1e308 does
// not, and three contributions in another order can round to another last bit.
//
// The core's Graph lists its nodes in the engine's topological sort (a depth-first walk from the
// output, operands in order), not in creation order: the core evaluates the assignments a lens
// uses in document order, each expression children first (src/core/evaluate.ts), so with
//     t = x * y;  u = x * 2;  z = u + t  # @grad
// it creates t before u, where the sort lists u's nodes first. The graph does not carry the
// creation order, but its op nodes carry their source ranges, and creation follows the source:
//   - an op that is not an assignment's value has the range of its expression. Within one
//     expression, operands come before the op and left before right, so an op is created after
//     every op whose range ends before its own, and after the ops inside it (same end, later
//     start); across statements, an earlier statement ends earlier;
//   - an assignment's value is the one op with a name, and it has the range of its target (`t`):
//     it is created last in its statement, after the ops among its operands, which end its
//     expression;
//   - the output is created last of all.
// Sorting the ops by these keys gives the order; a depth-first walk seeded by the ops in that
// order (then the output) turns it into a topological order even if a key were off, so the steps
// always process a node after all its consumers. Where an op has no range (a graph built by the
// engine's toGraph, not by the core), the graph's own topological order is the best there is.
import type { GraphNode, Position } from '../core/types';
import { topologicalFrom, type GraphIndex } from './graphIndex';

/** Where a source position is, across the cells of a notebook: cell, line, character. */
type Place = [number, number, number];

interface Keyed {
  position: number;
  end: Place;
  /** Sorts ops with the same end: the one that starts later (inside the other) first. */
  start: Place;
}

const BEFORE_EVERYTHING: Place = [-Infinity, -Infinity, -Infinity];

/** The reachable positions, children before parents, output last, in the engine's creation order. */
export function creationOrder(index: GraphIndex): number[] {
  const keyed = keyedOps(index);
  if (!keyed) return index.topological;
  keyed.sort((a, b) => compare(a.end, b.end) || compare(b.start, a.start) || a.position - b.position);
  const seeds = keyed.map((k) => k.position);
  seeds.push(index.output);
  return topologicalFrom(index.nodes, index.positionOf, seeds);
}

/** A sort key per op reachable from the output (not the output itself); undefined if one has no range. */
function keyedOps(index: GraphIndex): Keyed[] | undefined {
  const keyed: Keyed[] = [];
  for (const position of index.topological) {
    const node = index.nodes[position];
    if (position === index.output || node.children.length === 0) continue;
    if (!node.range) return undefined;
    if (node.label === null) {
      keyed.push({ position, end: placeOf(node, 'end'), start: placeOf(node, 'start') });
      continue;
    }
    // An assignment's value: after its target, and after the unnamed ops among its operands (the
    // last of which ends its expression). A named operand is another statement's value.
    let end = placeOf(node, 'end');
    for (const id of node.children) {
      const child = index.nodes[index.positionOf.get(id) as number];
      if (child.children.length === 0 || child.label !== null) continue;
      if (!child.range) return undefined;
      const childEnd = placeOf(child, 'end');
      if (compare(childEnd, end) > 0) end = childEnd;
    }
    keyed.push({ position, end, start: BEFORE_EVERYTHING });
  }
  return keyed;
}

/**
 * A range's start or end. Ranges in the lens's own cell carry no `cell` (and a file has one
 * "cell"); names resolve only to cells above, so that cell is the last.
 */
function placeOf(node: GraphNode, which: 'start' | 'end'): Place {
  const range = node.range as NonNullable<GraphNode['range']>;
  const p: Position = range[which];
  return [range.cell ?? Infinity, p.line, p.character];
}

function compare(a: Place, b: Place): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
