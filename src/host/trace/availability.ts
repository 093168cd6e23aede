// Whether Trace Gradients can run here, and if not, why, in words the command shows. Tracing runs
// the user's program, so it needs a trusted workspace, a process to run it in (not VS Code for the
// Web) and a file on this computer (not a virtual workspace); the static lenses work everywhere.
import type { TraceMode } from './settings';

export interface TraceConditions {
  /** Why the extension host cannot run programs at all (VS Code for the Web), else undefined. */
  runnerUnavailable: string | undefined;
  /** vscode.workspace.isTrusted. */
  trusted: boolean;
  mode: TraceMode;
  /** The file or notebook to trace; undefined when no editor is active. */
  target: { scheme: string; languageId: string; name: string } | undefined;
}

export interface Refusal {
  reason: string;
  /** A setting that lifts it (the message offers to open it). */
  setting?: string;
  /** Restricted Mode: the message offers to manage workspace trust. */
  trust?: boolean;
}

export const SUPPORTED_LANGUAGES_TEXT = 'Python (files and notebooks), JavaScript and TypeScript';

export function traceRefusal(conditions: TraceConditions, languages: ReadonlySet<string>): Refusal | undefined {
  if (conditions.runnerUnavailable) return { reason: conditions.runnerUnavailable };
  if (!conditions.trusted)
    return {
      reason:
        'Trace Gradients runs your program, so it is unavailable in Restricted Mode. Trust this workspace to trace it; the static lenses work without trust.',
      trust: true,
    };
  if (conditions.mode === 'off')
    return { reason: 'Trace mode is off (gradientLens.trace.mode is "off").', setting: 'gradientLens.trace.mode' };
  const target = conditions.target;
  if (!target) return { reason: `Open a file or notebook to trace: ${SUPPORTED_LANGUAGES_TEXT}.` };
  if (target.scheme === 'untitled')
    return {
      reason: `${target.name} is not saved yet: save it in your workspace first, so that it runs where its imports resolve.`,
    };
  if (target.scheme !== 'file')
    return {
      reason: `${target.name} is not a file on this computer (its location is a ${target.scheme}: URI, as in a virtual workspace), so Trace Gradients cannot run it. The static lenses work here.`,
    };
  if (!languages.has(target.languageId))
    return { reason: `Trace Gradients runs ${SUPPORTED_LANGUAGES_TEXT}, not ${target.languageId}.` };
  return undefined;
}
