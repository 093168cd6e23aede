// Reads the `gradientLens.trace.*` settings, as config.ts reads the others: nothing cached, a
// wrong type in hand-edited JSON falls back to the default rather than throwing.
import * as vscode from 'vscode';
import { SECTION } from '../config';

export type TraceMode = 'off' | 'onCommand' | 'onSave';

export interface TraceSettings {
  /** `off`: the command says trace mode is off; `onCommand` (default); `onSave`: also after each save. */
  mode: TraceMode;
  /** The Python interpreter when the Python extension has none selected; '' for `python3` on PATH. */
  python: string;
  /** The Node.js executable; '' for `node` on PATH. */
  node: string;
  /** A run is stopped after this long. */
  timeoutSeconds: number;
}

export const TRACE_SETTING = {
  mode: `${SECTION}.trace.mode`,
  python: `${SECTION}.trace.python`,
  node: `${SECTION}.trace.node`,
  timeoutSeconds: `${SECTION}.trace.timeoutSeconds`,
} as const;

export const DEFAULT_TIMEOUT_SECONDS = 30;

export function readTraceSettings(scope?: vscode.ConfigurationScope): TraceSettings {
  const config = vscode.workspace.getConfiguration(`${SECTION}.trace`, scope);
  const mode = config.get<unknown>('mode', 'onCommand');
  const timeout = config.get<unknown>('timeoutSeconds', DEFAULT_TIMEOUT_SECONDS);
  return {
    mode: mode === 'off' || mode === 'onSave' ? mode : 'onCommand',
    python: trimmedString(config.get<unknown>('python', '')),
    node: trimmedString(config.get<unknown>('node', '')),
    timeoutSeconds:
      typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0
        ? Math.min(timeout, 24 * 60 * 60)
        : DEFAULT_TIMEOUT_SECONDS,
  };
}

function trimmedString(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
