// Where a Value's numbers live. V8 keeps a double held in an object field in a separate heap box,
// so a node with `data` and `grad` fields costs three heap objects; the garbage collector copying
// them dominated a training step (BLUEPRINT.md, "Speed"). Here the doubles live in typed arrays
// shared by a chunk of nodes: a node costs one object. A chunk lives while any of its nodes does.

/** Nodes per chunk: big enough to amortise the arrays, small enough that one survivor pins little. */
export const CHUNK_SLOTS = 2048;

export class Chunk {
  readonly data = new Float64Array(CHUNK_SLOTS);
  readonly grad = new Float64Array(CHUNK_SLOTS);
  /** The constant exponent of pow nodes (a field would box it in every node). */
  readonly exponent = new Float64Array(CHUNK_SLOTS);
  used = 0;
}

let current = new Chunk();

/** The chunk the next node goes into. */
export function chunkWithRoom(): Chunk {
  if (current.used === CHUNK_SLOTS) current = new Chunk();
  return current;
}
