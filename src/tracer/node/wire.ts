// The request and result shapes, from the runner's contract (src/trace/protocol.ts, types only:
// nothing of the runner is bundled into the tracer).
import type { TraceRequest, TraceSiteRequest } from '../../trace/protocol';

export type {
  TraceResult,
  TracedError,
  TracedGraph,
  TracedNode,
  TracedSite,
  TracedValue,
  TracedVariable,
} from '../../trace/protocol';

export type SiteRequest = TraceSiteRequest;

export type Request = TraceRequest & {
  /**
   * When set, the tracer stops the program itself this many milliseconds after it starts and
   * writes its result (`stopped: 'timeout'`): a program busy in a synchronous loop never runs a
   * SIGTERM handler, so the runner's signal alone would end it without a result.
   */
  timeoutMs?: number;
};
