// Where a Value's numbers live. V8 keeps a double held in an object field in a separate heap box,
// so a node with `data` and `grad` fields costs three heap objects; the garbage collector copying
// them dominated a training step (BLUEPRINT.md, "Speed"). Here the doubles live in typed arrays
// shared by a chunk of nodes: a node costs one object. A chunk lives while any of its nodes does.
import type { Value } from './value';

/** Nodes per chunk: big enough to amortise the arrays, small enough that one survivor pins little. */
export const CHUNK_SLOTS = 2048;

export class Chunk {
  readonly data = new Float64Array(CHUNK_SLOTS);
  readonly grad = new Float64Array(CHUNK_SLOTS);
  /** Op codes (value.ts's `Op`); 0 is a leaf. */
  readonly code = new Uint8Array(CHUNK_SLOTS);
  /** Labels by slot, for the few labelled nodes (kept out of every node object). */
  labels: (string | undefined)[] | null = null;
  private exponents: Float64Array | null = null;
  private marks: Int32Array | null = null;
  /** The marks generation `marks` was stamped in (see renewMarks). */
  private marksGeneration = 0;
  used = 0;
  /** Creation order of chunks: a node's operands are in its own chunk at a lower slot, or in a chunk with a lower seq. */
  readonly seq: number;
  /** During backward(): the nodes of this chunk reached but not yet processed, by slot; else null. */
  reached: (Value | undefined)[] | null = null;
  /** During backward(): the highest reached slot. */
  top = -1;
  /** During backward(): how many reached nodes wait to be processed. */
  waiting = 0;

  constructor(seq: number) {
    this.seq = seq;
  }

  // Fresh memory is what a chunk costs (page faults and zeroing, about 1 µs per 4 KB page), so
  // the arrays that few chunks need are allocated on first use: most chunks hold no pow node and
  // are never sorted.

  /** The constant exponent of pow nodes (a field would box it in every node). */
  get exponent(): Float64Array {
    return (this.exponents ??= new Float64Array(CHUNK_SLOTS));
  }

  /** Visit stamps of the topological sort (topo.ts); cleared on first use after the counter restarts. */
  get mark(): Int32Array {
    const marks = this.marks;
    if (marks !== null && this.marksGeneration === marksGeneration) return marks;
    return this.freshMarks();
  }

  private freshMarks(): Int32Array {
    this.marksGeneration = marksGeneration;
    if (this.marks === null) return (this.marks = new Int32Array(CHUNK_SLOTS));
    return this.marks.fill(0);
  }
}

/** Bumped when the sort's stamp counter starts over: every chunk's stamps are then stale. */
let marksGeneration = 0;

/** Makes every chunk's visit stamps stale; each chunk clears its own on its next sort. @internal */
export function renewMarks(): void {
  marksGeneration++;
}

let chunks = 0;
let current = new Chunk(chunks++);

/** The chunk the next node goes into. */
export function chunkWithRoom(): Chunk {
  if (current.used === CHUNK_SLOTS) current = new Chunk(chunks++);
  return current;
}
