// The hover's explanation of one variable's gradient (issue 11): the chain rule in the
// statement's names with the numbers, each use's contribution when there are several, and why
// the gradient is 0 or tiny. Plain text lines for the hover's code block.
//   ∂o/∂w1 = x1 · (1 − o²) = 2.0000 × 0.5000 = 1.0000
import { explanationLine } from '../core/explain';
import type { Lens, VariableResult } from '../core';
import { displayNumber, partial } from './lensTitle';

/** A line longer than this is broken before each `=`, the parts aligned under the first. */
const LINE_WIDTH = 100;

export function explanationLines(lens: Lens, variable: VariableResult, precision: number): string[] {
  const explanation = variable.explanation;
  if (!explanation) return [`${partial(lens.target, variable.name)} = ${displayNumber(variable.grad, precision)}`];
  const line = explanationLine(lens.target, variable.name, variable.grad, explanation, precision);
  const lines = line.length <= LINE_WIDTH ? [line] : broken(line);
  if (explanation.why) lines.push(`why: ${explanation.why}`);
  return lines;
}

/** `∂o/∂x = a = b = c` as `∂o/∂x = a`, then `      = b`, `      = c`. */
function broken(line: string): string[] {
  const parts = line.split(' = ');
  const indent = ' '.repeat(parts[0].length + 1);
  return [`${parts[0]} = ${parts[1]}`, ...parts.slice(2).map((part) => `${indent}= ${part}`)];
}
