// Messages between the webview and its layout worker (internal to the webview).
import type { Layout } from '../graph/layout';

export interface LayoutRequest {
  id: number;
  dot: string;
}

export type LayoutReply = { id: number; layout: Layout; ms: number } | { id: number; error: string };
