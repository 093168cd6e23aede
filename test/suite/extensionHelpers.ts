// Shared by the extension's own suites (lens, hover, diagnostics, commands, notebook, settings):
// opening fixtures and untitled documents, asking VS Code's provider APIs, waiting for results.
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'gradient-lens.gradient-lens';

export function fixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is not open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function activate(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  await extension.activate();
}

export async function openFixture(name: string): Promise<vscode.TextEditor> {
  await activate();
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture(name)));
}

/**
 * The line of `document` that holds `text`, e.g. `lineOf(document, 'o = n.tanh()')`: the suites name
 * fixture lines by their content, so that editing a fixture moves no test. The text must be on
 * exactly one line.
 */
export function lineOf(document: vscode.TextDocument, text: string): number {
  const lines: number[] = [];
  for (let line = 0; line < document.lineCount; line++) {
    if (document.lineAt(line).text.includes(text)) lines.push(line);
  }
  assert.strictEqual(
    lines.length,
    1,
    `${JSON.stringify(text)} should be on exactly one line of ${document.uri.path.split('/').pop()}, not ${lines.length}`,
  );
  return lines[0];
}

/** Where `part` is in the line that holds `text` (`lineOf`), within `text`: `rangeOf(document, 'n = x1*w1', 'w1')`. */
export function rangeOf(document: vscode.TextDocument, text: string, part = text): vscode.Range {
  assert.ok(text.includes(part), `${JSON.stringify(part)} is not in ${JSON.stringify(text)}`);
  const line = lineOf(document, text);
  const lineText = document.lineAt(line).text;
  const start = lineText.indexOf(part, lineText.indexOf(text));
  return new vscode.Range(line, start, line, start + part.length);
}

/** A position inside `range`, in its middle: on a name, as a hover or a click would be. */
export function middleOf(range: vscode.Range): vscode.Position {
  return range.start.translate(0, Math.floor((range.end.character - range.start.character) / 2));
}

/** An unsaved document: the extension must serve those too. */
export async function openUntitled(content: string, language = 'python'): Promise<vscode.TextEditor> {
  await activate();
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language, content }));
}

/**
 * Closes the active editor without saving (untitled documents are thrown away), and waits until an
 * untitled document is really closed: the next untitled document reuses its name, and opened
 * before the close reaches the extension host, it came back as this stale one (seen once: the
 * 10,000-line file of scale.test.ts had the 5 lines of the document before it).
 */
export async function closeWithoutSaving(): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  if (document?.isUntitled)
    await eventually(() => (document.isClosed ? true : undefined), 'the untitled document to close');
}

/** Polls until `probe` returns a value: lenses and diagnostics follow edits after a debounce. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last !== undefined) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolved lenses, as VS Code's CodeLens API returns them. */
export async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 1000)) ?? [];
}

export async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  return (await codeLenses(uri)).map((lens) => lens.command?.title ?? '');
}

/** Waits until a lens with exactly this title is on `line`, and returns all titles on that line. */
export async function waitForTitle(uri: vscode.Uri, line: number, title: string): Promise<string[]> {
  let seen: string[] = [];
  try {
    return await eventually(
      async () => {
        seen = (await codeLenses(uri))
          .filter((lens) => lens.range.start.line === line)
          .map((lens) => lens.command?.title ?? '');
        return seen.includes(title) ? seen : undefined;
      },
      `the lens "${title}" on line ${line + 1}`,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; lens titles on that line: ${JSON.stringify(seen)}`);
  }
}

/** The hover text at a position, every section joined. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers =
    (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
    .join('\n');
}

export function gradientDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Gradient Lens');
}

/** Sets a `gradientLens.*` user setting for the duration of `body`, then restores it. */
export async function withSetting<T>(key: string, value: unknown, body: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('gradientLens');
  const previous = config.inspect(key)?.globalValue;
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await body();
  } finally {
    await vscode.workspace.getConfiguration('gradientLens').update(key, previous, vscode.ConfigurationTarget.Global);
  }
}
