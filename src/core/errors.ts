// The error a parse or an evaluation step raises inside the core. It never leaves the core: the
// analysis turns it into a Problem at its span.

import type { Span } from './positions';
import type { ProblemCode } from './types';

export class AnalysisError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly span: Span,
    /** For 'unbound': the missing name. */
    readonly unboundName?: string,
  ) {
    super(message);
  }
}

export function parseError(message: string, span: Span): AnalysisError {
  return new AnalysisError('parse', message, span);
}
