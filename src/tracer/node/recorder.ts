// What the probes record at each execution of a site. Kept cheap: the value for the history, the
// references to the value and to the named nodes, and a snapshot of the graph's leaf data
// (training loops update `p.data` after the site; the gradients at the end must be the ones of the
// last execution, so the leaves are put back to these values while they are measured).
// Nothing here may throw into the user's program.

import { childrenOf, isNode, type Node } from './duck';

export interface LeafSnapshot {
  leaves: Node[];
  data: number[];
}

export interface SiteRecord {
  executions: number;
  history: (number | null)[];
  historyStride: number;
  /**
   * The last execution: what the site held, the named nodes then, the leaves' data then (or why
   * they were not kept).
   */
  last: {
    value: unknown;
    names: [string, Node][];
    /** Names bound to objects and arrays that are not nodes (`this`, `lin`, `params`): their members may be. */
    holders: [string, object][];
    leaves: LeafSnapshot | null;
    leavesMissing: string | null;
  } | null;
  /** Time spent walking this site's graphs for the snapshots, in ms. */
  snapshotMs: number;
  /** Set once the snapshots cost more than the program itself: no more of them. */
  snapshotsOff: boolean;
  /** The probe's marks of the names that threw (temporal dead zone), by their index in its list. */
  skipNames: number[];
}

/**
 * A site executed very often over a large graph (a probe in an engine's own `plus`) would walk
 * that graph at every execution: past this share of the run's time spent on one site's snapshots
 * (and at least SNAPSHOT_FLOOR_MS of it), that site keeps no more of them, and its result says so.
 */
const SNAPSHOT_SHARE = 0.5;
const SNAPSHOT_FLOOR_MS = 500;

export class Recorder {
  readonly records: SiteRecord[];
  private readonly started = performance.now();

  constructor(
    siteCount: number,
    private readonly historyLimit: number,
    private readonly graphNodeLimit: number,
  ) {
    this.records = Array.from({ length: siteCount }, () => ({
      executions: 0,
      history: [],
      historyStride: 1,
      last: null,
      snapshotMs: 0,
      snapshotsOff: false,
      skipNames: [],
    }));
  }

  /** The object the probes call (installed as a global before the user's code runs). */
  api() {
    return {
      probe: (id: number, read: () => unknown, names: NamesReader): void => {
        let value: unknown;
        try {
          value = read();
        } catch {
          return;
        }
        this.record(id, value, names);
      },
      ret: <T>(id: number, value: T, names: NamesReader): T => {
        this.record(id, value, names);
        return value;
      },
      expr: <T>(id: number, value: T, names: NamesReader): T => {
        this.record(id, value, names);
        return value;
      },
    };
  }

  private record(id: number, value: unknown, readNames: NamesReader): void {
    const rec = this.records[id];
    if (!rec) return;
    try {
      rec.executions++;
      if ((rec.executions - 1) % rec.historyStride === 0) {
        rec.history.push(historyValue(value));
        if (rec.history.length > this.historyLimit) {
          // Downsample evenly: keep every other value, and from now on every other execution.
          rec.history = rec.history.filter((_, k) => k % 2 === 0);
          rec.historyStride *= 2;
        }
      }
      const names: [string, Node][] = [];
      const holders: [string, object][] = [];
      // A name in its temporal dead zone throws a ReferenceError at every execution: without a
      // stack trace to capture, that costs little.
      const stackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        // The marks of the names that threw are cleared at executions 1, 2, 4, 8, …: a name out of
        // its dead zone later is read again, at a cost that grows only with the log of the count.
        if ((rec.executions & (rec.executions - 1)) === 0) rec.skipNames = [];
        readNames((name, bound) => {
          if (isNode(bound)) names.push([name, bound]);
          else if (typeof bound === 'object' && bound !== null) holders.push([name, bound]);
        }, rec.skipNames);
      } finally {
        Error.stackTraceLimit = stackTraceLimit;
      }
      rec.last = { value, names, holders, leaves: null, leavesMissing: null };
      if (!isNode(value)) return;
      if (rec.snapshotsOff) {
        rec.last.leavesMissing = `the site ran ${rec.executions} times over large graphs, too often to keep its leaves' data each time`;
        return;
      }
      const started = performance.now();
      rec.last.leaves = this.leafSnapshot(value);
      if (!rec.last.leaves) rec.last.leavesMissing = `its graph had more than ${this.graphNodeLimit} nodes then`;
      const now = performance.now();
      rec.snapshotMs += now - started;
      if (rec.snapshotMs > SNAPSHOT_FLOOR_MS && rec.snapshotMs > SNAPSHOT_SHARE * (now - this.started)) {
        rec.snapshotsOff = true;
      }
    } catch {
      // A getter of the user's that throws: the execution still counts, its details are lost.
    }
  }

  /** The leaves reachable from `root` and their data now; null past the graph node limit. */
  private leafSnapshot(root: Node): LeafSnapshot | null {
    const seen = new Set<Node>([root]);
    const stack: Node[] = [root];
    const leaves: Node[] = [];
    const data: number[] = [];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const children = childrenOf(node);
      if (children.length === 0) {
        leaves.push(node);
        data.push(node.data as number);
      }
      for (const child of children) {
        if (seen.has(child)) continue;
        if (seen.size >= this.graphNodeLimit) return null;
        seen.add(child);
        stack.push(child);
      }
    }
    return { leaves, data };
  }
}

/** A probe's reader of the names in scope: it calls `visit` for each name it can read. */
export type NamesReader = (visit: (name: string, value: unknown) => void, skip: number[]) => void;

function historyValue(value: unknown): number | null {
  const n = typeof value === 'number' ? value : isNode(value) ? value.data : null;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}
