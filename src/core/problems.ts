// Questions every view asks of a lens's problems.

import type { Lens, Problem } from './types';

/** The error that makes a lens fail (value null), if any; warnings don't. */
export function firstError(lens: Lens): Problem | undefined {
  return lens.problems.find((problem) => problem.severity === 'error');
}
