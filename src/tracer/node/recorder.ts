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
  /** The last execution: what the site held, the named nodes then, the leaves' data then. */
  last: { value: unknown; names: [string, Node][]; leaves: LeafSnapshot | null } | null;
}

export class Recorder {
  readonly records: SiteRecord[];

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
      readNames((name, bound) => {
        if (isNode(bound)) names.push([name, bound]);
      });
      rec.last = { value, names, leaves: isNode(value) ? this.leafSnapshot(value) : null };
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
export type NamesReader = (visit: (name: string, value: unknown) => void) => void;

function historyValue(value: unknown): number | null {
  const n = typeof value === 'number' ? value : isNode(value) ? value.data : null;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}
