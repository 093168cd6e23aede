// The CodeLens texts, built from a lens by pure functions (no vscode), e.g.
//   o = 0.7071 · ∂o/∂x1 = −1.5000 · ∂o/∂w1 = 1.0000 · +3 more · ✓ gradcheck
import { formatSigned, type Lens, type Problem } from '../core';

const SEPARATOR = ' · ';
const MAX_ERROR_LENGTH = 90;
const MAX_TARGET_LENGTH = 32;

/** A number as the lenses show it: fixed precision and a real minus sign (U+2212). */
export function displayNumber(value: number, precision: number): string {
  return formatSigned(value, precision);
}

/** `∂o/∂x1`; a target that is an expression is parenthesised: `∂(a*b)/∂a`. */
export function partial(target: string, name: string): string {
  return `∂${wrap(target)}/∂${wrap(name)}`;
}

export function valuesTitle(lens: Lens, precision: number, maxVariables: number): string {
  const target = shorten(lens.target, MAX_TARGET_LENGTH);
  const parts = [`${target} = ${displayNumber(lens.value ?? Number.NaN, precision)}`];
  const shown = lens.variables.slice(0, maxVariables);
  parts.push(
    ...shown.map((variable) => `${partial(target, variable.name)} = ${displayNumber(variable.grad, precision)}`),
  );
  const hidden = lens.variables.length - shown.length;
  if (hidden > 0) parts.push(`+${hidden} more`);
  if (lens.gradcheck) parts.push(lens.gradcheck.ok ? '✓ gradcheck' : '✗ gradcheck');
  return parts.join(SEPARATOR);
}

/** The first error of a failing lens, short enough for one lens line. */
export function errorTitle(lens: Lens, problem: Problem): string {
  return shorten(`✗ ${shorten(lens.target, MAX_TARGET_LENGTH)}: ${problem.message}`, MAX_ERROR_LENGTH);
}

export function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

function wrap(name: string): string {
  return /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name) ? name : `(${name})`;
}
