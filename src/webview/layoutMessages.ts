// Messages between the webview and its layout worker (internal to the webview).
import type { Layout } from '../graph/layout';

/** `dot: null` only loads Graphviz, so the first real layout does not pay for compiling it. */
export interface LayoutRequest {
  id: number;
  dot: string | null;
}

export type LayoutReply =
  { id: number; layout: Layout; ms: number } | { id: number; warm: true } | { id: number; error: string };
