// A one-message result for a lens that has no graph to draw (it has an error): the first error,
// or, for a lens without one, every value and gradient.
import * as vscode from 'vscode';
import { firstError, type Lens } from '../../core';
import type { Settings } from '../config';
import { errorTitle, valuesTitle } from '../../text/lensTitle';

export function lensSummary(lens: Lens, settings: Settings): string {
  const error = firstError(lens);
  // Every variable, not the capped list of the CodeLens.
  return error ? errorTitle(lens, error) : valuesTitle(lens, settings.precision, Number.MAX_SAFE_INTEGER, Infinity);
}

export function showLensSummary(lens: Lens, settings: Settings): Thenable<unknown> {
  const text = `Gradient Lens: ${lensSummary(lens, settings)}`;
  return firstError(lens) ? vscode.window.showWarningMessage(text) : vscode.window.showInformationMessage(text);
}
