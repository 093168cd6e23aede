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
export type Request = TraceRequest;
