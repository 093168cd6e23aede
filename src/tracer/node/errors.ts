// The exception that ended the program, as the result reports it: its class, its message, and the
// innermost stack frame in a user unit (sucrase keeps lines, so the line is the user's own).

import type { TracedError } from './wire';

export function tracedError(err: unknown, unitNames: string[]): TracedError {
  const type = errorType(err);
  const message = err instanceof Error ? err.message : safeString(err);
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : `${type}: ${message}`;
  // The tracer's own frames (below the user's entry) are none of the user's business.
  const traceback = stack
    .split('\n')
    .filter((text) => !text.includes(__filename))
    .join('\n');
  const frame = innermostUserFrame(stack, unitNames) ?? syntaxErrorLine(err, unitNames);
  return { type, message, unit: frame?.unit ?? null, line: frame?.line ?? null, traceback };
}

/** The first `at … (FILE:LINE:COL)` / `at FILE:LINE:COL` line of the stack whose FILE is a unit. */
export function innermostUserFrame(stack: string, unitNames: string[]): { unit: number; line: number } | null {
  for (const text of stack.split('\n')) {
    const m = /^\s*at (?:.*?\()?(.+?):(\d+):(\d+)\)?\s*$/.exec(text);
    if (!m) continue;
    const unit = unitNames.indexOf(m[1]);
    if (unit >= 0) return { unit, line: Number(m[2]) - 1 };
  }
  // A SyntaxError's stack starts with "FILE:LINE" (Node's source-line header), not an `at` frame.
  const head = /^(.+?):(\d+)\n/.exec(stack);
  if (head) {
    const unit = unitNames.indexOf(head[1]);
    if (unit >= 0) return { unit, line: Number(head[2]) - 1 };
  }
  return null;
}

/** sucrase's parse errors say where as `(LINE:COL)` in the message; they concern the entry (unit 0). */
function syntaxErrorLine(err: unknown, unitNames: string[]): { unit: number; line: number } | null {
  const loc = (err as { loc?: { line?: unknown } } | null)?.loc;
  const fromLoc = typeof loc?.line === 'number' ? loc.line : null;
  const fromMessage = err instanceof Error ? /\((\d+):(\d+)\)\s*$/.exec(err.message) : null;
  const line = fromLoc ?? (fromMessage ? Number(fromMessage[1]) : null);
  if (line === null || unitNames.length === 0 || !(err as { gradlensEntry?: boolean }).gradlensEntry) return null;
  return { unit: 0, line: line - 1 };
}

function errorType(err: unknown): string {
  if (err instanceof Error) return err.name || err.constructor?.name || 'Error';
  if (err === null) return 'null';
  if (typeof err === 'object') return (err as object).constructor?.name ?? 'Object';
  return typeof err;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
