// Repeated blocks: structurally identical subgraphs, such as the neurons of one layer, that the
// graph view can fold into one box each. A block is a value (its root) with everything that feeds
// only it: a value joins when every value computed from it is already inside, so the block meets
// the rest of the graph only through its root and its inputs (for a neuron: its weights, its bias,
// the products and sums, the tanh; not the inputs x, which the other neurons use too). Two blocks
// are alike when their insides have the same ops in the same shape, inputs counted by position.
// Linear passes plus the blocks' own sizes, within a work budget so a huge graph cannot stall it.
import type { GraphView } from '../shared/graphView';
import { childrenFirst, operandsOf, usersOf } from './reach';

export interface Block {
  /** Position of the value the block computes. */
  root: number;
  /** Positions inside the block, its root included. */
  members: number[];
  /** Blocks of the same kind are alike; kinds are numbered from 0. */
  kind: number;
  /** How many blocks of this kind were found (at least 2). */
  alike: number;
}

export interface RepeatedBlocks {
  blocks: Block[];
  /** The search stopped at its work budget: some repeats may not be found. */
  incomplete: boolean;
}

/** Smallest block worth folding: fewer values than this are clearer drawn out. */
export const MIN_BLOCK_SIZE = 4;
/** Steps of block growing before the search gives up (a few tens of milliseconds). */
const WORK_BUDGET = 2_000_000;

export function findRepeatedBlocks(view: GraphView, minSize = MIN_BLOCK_SIZE): RepeatedBlocks {
  const operands = operandsOf(view);
  const users = usersOf(view);
  const order = childrenFirst(view, operands);
  // The shape of each value's whole cone: only values whose cone repeats can root alike blocks.
  const coneShape = coneShapes(view, order, operands);
  const coneCount = new Map<number, number>();
  for (const p of order) coneCount.set(coneShape[p], (coneCount.get(coneShape[p]) ?? 0) + 1);
  const candidates: Array<{ root: number; members: number[]; shape: string }> = [];
  let work = 0;
  let incomplete = false;
  for (const root of order) {
    if (view.nodes[root].op === '' || (coneCount.get(coneShape[root]) ?? 0) < 2) continue;
    const members = exclusiveCone(root, operands, users);
    work += members.length;
    if (work > WORK_BUDGET) {
      incomplete = true;
      break;
    }
    if (members.length < minSize) continue;
    candidates.push({ root, members, shape: blockShape(view, root, members, operands) });
  }
  return { blocks: chooseBlocks(candidates, view.nodes.length), incomplete };
}

/**
 * A small integer per value for the shape of everything it is computed from: the op and its
 * operands' shapes, leaves by kind. Interned, so the keys stay short on deep graphs.
 */
function coneShapes(view: GraphView, order: readonly number[], operands: readonly number[][]): number[] {
  const ids = new Map<string, number>();
  const shape = new Array<number>(view.nodes.length).fill(-1);
  for (const p of order) {
    const node = view.nodes[p];
    const key = node.op === '' ? node.kind : `${node.op}(${operands[p].map((c) => shape[c]).join(',')})`;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    shape[p] = id;
  }
  return shape;
}

/** The root and every value all of whose users are already inside, found from the root down. */
function exclusiveCone(root: number, operands: readonly number[][], users: readonly number[][]): number[] {
  const members = [root];
  const usersInside = new Map<number, number>();
  const stack = [root];
  while (stack.length > 0) {
    const top = stack.pop() as number;
    for (const child of new Set(operands[top])) {
      const inside = (usersInside.get(child) ?? 0) + 1;
      usersInside.set(child, inside);
      if (inside === users[child].length) {
        members.push(child);
        stack.push(child);
      }
    }
  }
  return members;
}

/** The block's shape as text: its members in a fixed order, inputs by first use. */
function blockShape(view: GraphView, root: number, members: readonly number[], operands: readonly number[][]): string {
  const inside = new Set(members);
  const parts: string[] = [];
  const inputs = new Map<number, number>();
  // Depth first from the root, operands in order: the same walk on alike blocks gives the same text.
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const top = stack.pop() as number;
    if (seen.has(top)) {
      parts.push('^');
      continue;
    }
    seen.add(top);
    const node = view.nodes[top];
    const args = operands[top].map((c) => {
      if (inside.has(c)) return 'm';
      if (!inputs.has(c)) inputs.set(c, inputs.size);
      return `i${inputs.get(c)}`;
    });
    parts.push(node.op === '' ? node.kind : `${node.op}(${args.join(',')})`);
    for (let i = operands[top].length - 1; i >= 0; i--) if (inside.has(operands[top][i])) stack.push(operands[top][i]);
  }
  // Inputs are named by order of first use, not by position: alike neurons read the same x1
  // while alike layers read different values, and both are the same shape.
  return parts.join(' ');
}

/** Largest blocks first; a block inside an accepted one is not folded separately. */
function chooseBlocks(candidates: Array<{ root: number; members: number[]; shape: string }>, count: number): Block[] {
  const groups = new Map<string, Array<{ root: number; members: number[] }>>();
  for (const candidate of candidates) {
    const group = groups.get(candidate.shape);
    if (group) group.push(candidate);
    else groups.set(candidate.shape, [candidate]);
  }
  const bySize = [...groups.values()]
    .filter((group) => group.length >= 2)
    .sort((a, b) => b[0].members.length - a[0].members.length);
  const covered = new Uint8Array(count);
  const blocks: Block[] = [];
  let kind = 0;
  for (const group of bySize) {
    const free = group.filter((block) => covered[block.root] === 0);
    if (free.length < 2) continue;
    for (const block of free) {
      for (const member of block.members) covered[member] = 1;
      blocks.push({ root: block.root, members: block.members, kind, alike: free.length });
    }
    kind++;
  }
  return blocks;
}
