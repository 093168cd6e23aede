// Hovers over the names and operators of every @grad lens. The text comes from the pure builders in
// hover/hoverMarkdown.ts; nothing in it runs commands, so the MarkdownString stays untrusted.
import * as vscode from 'vscode';
import { locate } from '../core';
import { readSettings } from '../config';
import { toCorePosition, toVsRange } from '../convert';
import { registerForLanguages } from '../languages';
import type { LensStore } from '../lensStore';
import { guard } from '../log';
import { opHover, variableHover } from '../hover/hoverMarkdown';

/** A name shared by many lenses shows at most this many sections. */
const MAX_SECTIONS = 3;

export class LensHoverProvider implements vscode.HoverProvider {
  static register(_context: vscode.ExtensionContext, store: LensStore): vscode.Disposable {
    const provider = new LensHoverProvider(store);
    return registerForLanguages(readSettings, (selector) => vscode.languages.registerHoverProvider(selector, provider));
  }

  private constructor(private readonly store: LensStore) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    return guard(this.store.log, 'provideHover', undefined, () => {
      const precision = readSettings(document).precision;
      const at = toCorePosition(position);
      const sections: string[] = [];
      let range: vscode.Range | undefined;
      for (const lens of this.store.get(document)) {
        if (token.isCancellationRequested || sections.length >= MAX_SECTIONS) break;
        const found = locate(lens, at);
        const coreRange = found && (found.kind === 'variable' ? found.range : found.op.range);
        // In a notebook, a range in another cell is not under this cell's cursor.
        if (!found || !coreRange || coreRange.cell !== undefined) continue;
        const foundRange = toVsRange(coreRange);
        sections.push(
          found.kind === 'variable'
            ? variableHover(lens, found.variable, precision)
            : opHover(lens, found.op, document.getText(foundRange), precision),
        );
        range ??= foundRange;
      }
      if (sections.length === 0 || token.isCancellationRequested) return undefined;
      const markdown = new vscode.MarkdownString(sections.join('\n\n---\n\n'));
      markdown.supportHtml = false;
      return new vscode.Hover(markdown, range);
    });
  }
}
