// The CodeLens texts, built from a lens by pure functions (no vscode), e.g.
//   o = 0.7071 · ∂o/∂x1 = −1.5000 · ∂o/∂w1 = 1.0000 · +3 more · ✓ gradcheck
import { formatSigned, type Lens, type Problem } from '../core';

const SEPARATOR = ' · ';
const MAX_ERROR_LENGTH = 90;
const MAX_TARGET_LENGTH = 32;
/**
 * Characters of a values lens: about a full-width editor's columns at the CodeLens's smaller
 * font. The host cannot measure the editor, so a narrow one still scrolls the end of a long lens
 * out of view, but never a title of thousands of characters.
 */
export const MAX_TITLE_WIDTH = 140;
/** A variable's name in the values lens: a long one would leave no room for the others. */
const MAX_NAME_LENGTH = 24;

/** A number as the lenses show it: fixed precision and a real minus sign (U+2212). */
export function displayNumber(value: number, precision: number): string {
  return formatSigned(value, precision);
}

/** `∂o/∂x1`; a target that is an expression is parenthesised: `∂(a*b)/∂a`. */
export function partial(target: string, name: string): string {
  return `∂${wrap(target)}/∂${wrap(name)}`;
}

/**
 * The values lens: at most `maxVariables` gradients, and no more than fit in `maxWidth` characters
 * (a CodeLens does not wrap: past the editor's edge it is cut off), the rest as "+N more".
 */
export function valuesTitle(lens: Lens, precision: number, maxVariables: number, maxWidth = MAX_TITLE_WIDTH): string {
  const target = shorten(lens.target, MAX_TARGET_LENGTH);
  const head = `${target} = ${displayNumber(lens.value ?? Number.NaN, precision)}`;
  const tail = lens.gradcheck ? [lens.gradcheck.ok ? '✓ gradcheck' : '✗ gradcheck'] : [];
  const parts = [head];
  let width = head.length + tail.reduce((sum, part) => sum + SEPARATOR.length + part.length, 0);
  const limit = Math.min(maxVariables, lens.variables.length);
  for (let k = 0; k < limit; k++) {
    const variable = lens.variables[k];
    const part = `${partial(target, shorten(variable.name, MAX_NAME_LENGTH))} = ${displayNumber(variable.grad, precision)}`;
    // Room for this part, and for "+N more" if others stay hidden.
    const more = k + 1 < lens.variables.length ? SEPARATOR.length + `+${lens.variables.length} more`.length : 0;
    if (width + SEPARATOR.length + part.length + more > maxWidth) break;
    parts.push(part);
    width += SEPARATOR.length + part.length;
  }
  const hidden = lens.variables.length - (parts.length - 1);
  if (hidden > 0) parts.push(`+${hidden} more`);
  parts.push(...tail);
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
