// Which documents get lenses, and which comment syntax the analysis should look for in them.
import * as vscode from 'vscode';
import type { Settings } from './config';
import type { AnalyzeOptions } from '../core';

/** The analysis's own comment-style option, not a copy of its values. */
export type CommentStyle = NonNullable<AnalyzeOptions['comments']>;

const HASH_LANGUAGES = new Set(['python']);
const SLASH_LANGUAGES = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact']);

/** Python comments are `#`, the JavaScript family's `//` and block comments; an added language may use either. */
export function commentStyleFor(languageId: string): CommentStyle {
  if (HASH_LANGUAGES.has(languageId)) return 'hash';
  if (SLASH_LANGUAGES.has(languageId)) return 'slash';
  return 'both';
}

export function isSupported(document: vscode.TextDocument, settings: Settings): boolean {
  return settings.enabled && settings.languages.includes(document.languageId);
}

export function documentSelector(settings: Settings): vscode.DocumentFilter[] {
  return settings.languages.map((language) => ({ language }));
}

/**
 * Registers a provider for the configured languages, and registers it again when the
 * `gradientLens.languages` setting changes, so an added language works without a reload.
 */
export function registerForLanguages(
  readSettings: () => Settings,
  register: (selector: vscode.DocumentFilter[]) => vscode.Disposable,
): vscode.Disposable {
  let registration = register(documentSelector(readSettings()));
  const watcher = vscode.workspace.onDidChangeConfiguration((event) => {
    if (!event.affectsConfiguration('gradientLens.languages')) return;
    registration.dispose();
    registration = register(documentSelector(readSettings()));
  });
  return {
    dispose: () => {
      watcher.dispose();
      registration.dispose();
    },
  };
}
