// What the webview keeps across hiding and window reloads (vscode getState/setState). The panel's
// serializer receives it too, to find the lens again after a reload. Parsed defensively: it comes
// back from storage and may be from an older version.
import type { Orientation } from '../graph/firstView';
import type { Transform } from './panZoom';

export interface PersistedState {
  documentUri?: string;
  line?: number;
  /** The user's choice between the full and the reduced view; absent: the graph's default. */
  reduced?: boolean;
  edgeLabels: boolean;
  /** Boxes filled by the size of their gradient (on unless turned off). */
  colours: boolean;
  /** The user's choice of direction; absent: from the panel's shape (firstView.ts). */
  orientation?: Orientation;
  /** Backward steps done, while stepping. */
  stepIndex?: number;
  transform?: Transform;
  /** The DOT hash the transform belongs to. */
  hash?: string;
}

export function parseState(raw: unknown): PersistedState {
  const state: PersistedState = { edgeLabels: false, colours: true };
  if (typeof raw !== 'object' || raw === null) return state;
  const r = raw as Record<string, unknown>;
  if (typeof r.documentUri === 'string') state.documentUri = r.documentUri;
  if (Number.isInteger(r.line)) state.line = r.line as number;
  if (typeof r.reduced === 'boolean') state.reduced = r.reduced;
  state.edgeLabels = r.edgeLabels === true;
  state.colours = r.colours !== false;
  if (r.orientation === 'LR' || r.orientation === 'TB') state.orientation = r.orientation;
  if (Number.isInteger(r.stepIndex)) state.stepIndex = r.stepIndex as number;
  if (typeof r.hash === 'string') state.hash = r.hash;
  const t = r.transform as Record<string, unknown> | undefined;
  if (t && [t.x, t.y, t.scale].every((v) => typeof v === 'number' && Number.isFinite(v))) {
    state.transform = { x: t.x as number, y: t.y as number, scale: t.scale as number };
  }
  return state;
}
