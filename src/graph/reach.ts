// Finding one's way in a drawn graph: the values whose name matches a search, what feeds a value
// (everything it is computed from) and what a value feeds (everything computed from it, up to the
// output). Pure, on the view's positions; iterative walks, so a deep chain cannot overflow.
import type { GraphView } from '../shared/graphView';

/** Each value's operands (positions, in operand order), from the chain-rule edges. */
export function operandsOf(view: GraphView): number[][] {
  const operands: number[][] = view.nodes.map(() => []);
  for (const edge of view.edges) operands[edge.to][edge.operand] = edge.from;
  return operands;
}

/** Each value's users: the values computed from it (a value used twice by one op appears once). */
export function usersOf(view: GraphView): number[][] {
  const users: number[][] = view.nodes.map(() => []);
  for (const edge of view.edges) if (!users[edge.from].includes(edge.to)) users[edge.from].push(edge.to);
  return users;
}

/** Positions reachable from the output, every value after its operands. */
export function childrenFirst(view: GraphView, operands: readonly number[][]): number[] {
  const state = new Uint8Array(view.nodes.length);
  const order: number[] = [];
  const stack = [view.output];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (state[top] === 0) {
      state[top] = 1;
      for (const child of operands[top]) if (child !== undefined && state[child] === 0) stack.push(child);
      continue;
    }
    stack.pop();
    if (state[top] === 1) {
      state[top] = 2;
      order.push(top);
    }
  }
  return order;
}

/** `start` and everything reachable from it through `next`, as a membership array. */
function closure(count: number, start: number, next: readonly (readonly number[])[]): boolean[] {
  const seen = new Array<boolean>(count).fill(false);
  if (start < 0 || start >= count) return seen;
  const stack = [start];
  seen[start] = true;
  while (stack.length > 0) {
    const top = stack.pop() as number;
    for (const other of next[top]) {
      if (other === undefined || seen[other]) continue;
      seen[other] = true;
      stack.push(other);
    }
  }
  return seen;
}

/** What feeds the value at `position`: itself and every value it is computed from. */
export function feeding(view: GraphView, position: number): boolean[] {
  return closure(view.nodes.length, position, operandsOf(view));
}

/** What the value at `position` feeds: itself and every value computed from it. */
export function fedBy(view: GraphView, position: number): boolean[] {
  return closure(view.nodes.length, position, usersOf(view));
}

/**
 * The values whose name contains `query` (ignoring case and surrounding spaces): exact names
 * first, then in the view's order. An empty query matches nothing.
 */
export function searchByName(view: GraphView, query: string): number[] {
  const wanted = query.trim().toLowerCase();
  if (wanted === '') return [];
  const exact: number[] = [];
  const partial: number[] = [];
  view.nodes.forEach((node, position) => {
    const name = node.name.toLowerCase();
    if (name === wanted) exact.push(position);
    else if (name.includes(wanted)) partial.push(position);
  });
  return [...exact, ...partial];
}
