// Small helpers shared by the core's unit tests.
import * as assert from 'assert';
import { analyzeText, type AnalyzeOptions, type Lens, type Range } from '../../../src/core';

/** The one lens of `text` (fails if there is not exactly one). */
export function only(text: string, options?: AnalyzeOptions): Lens {
  const lenses = analyzeText(text, options);
  assert.strictEqual(lenses.length, 1, `expected one lens, got ${lenses.length}`);
  return lenses[0];
}

/** A lens that must have evaluated without errors. */
export function ok(text: string, options?: AnalyzeOptions): Lens {
  const lens = only(text, options);
  const errors = lens.problems.filter((p) => p.severity === 'error');
  assert.deepStrictEqual(
    errors.map((p) => p.message),
    [],
    'unexpected errors',
  );
  assert.notStrictEqual(lens.value, null);
  return lens;
}

/** The value of the lens. */
export function value(text: string, options?: AnalyzeOptions): number {
  return ok(text, options).value as number;
}

/** ∂target/∂name (the variable must be unique by name). */
export function grad(lens: Lens, name: string): number {
  const found = lens.variables.filter((v) => v.name === name);
  assert.strictEqual(found.length, 1, `expected one variable ${name}, got ${found.length}`);
  return found[0].grad;
}

export function range(line: number, start: number, end: number, endLine = line): Range {
  return { start: { line, character: start }, end: { line: endLine, character: end } };
}

export function close(actual: number | null, expected: number, tol = 1e-9): void {
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${actual} is not ${expected}`,
  );
}

/** The text under `r` in `text`, to check ranges readably. */
export function textAt(text: string, r: Range): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  return [
    lines[r.start.line].slice(r.start.character),
    ...lines.slice(r.start.line + 1, r.end.line),
    lines[r.end.line].slice(0, r.end.character),
  ].join('\n');
}

/** The lens's one error: an 'unbound' problem for `name` (so the "Add binding" quick fix applies). */
export function unbound(lens: Lens, name: string, message?: RegExp): string {
  const errors = lens.problems.filter((p) => p.severity === 'error');
  assert.deepStrictEqual(
    errors.map((p) => [p.code, p.name]),
    [['unbound', name]],
    errors.map((p) => p.message).join('\n'),
  );
  assert.strictEqual(lens.value, null);
  if (message) assert.match(errors[0].message, message);
  return errors[0].message;
}

/** The comment styles, standing for the two languages. */
export const PY: AnalyzeOptions = { comments: 'hash' };
export const JS: AnalyzeOptions = { comments: 'slash' };
