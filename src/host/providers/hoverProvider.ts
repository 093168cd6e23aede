// Hovers over the names and operators of every @grad lens. The text comes from the pure builders in
// hover/hoverMarkdown.ts. The one command a hover may run is the "Plot o against x1" link under a
// variable (src/text/plotLink.ts): the MarkdownString trusts that command and no other.
import * as vscode from 'vscode';
import { locate, type Lens, type Located, type Position, type Range } from '../../core';
import type { Context } from '../context';
import { toCorePosition, toVsRange } from '../convert';
import { registerForLanguages } from '../languages';
import { guard } from '../log';
import { lensHover, opHover, variableHover } from '../../text/hoverMarkdown';
import { plotLink } from '../../text/plotLink';
import { CommandId } from '../commands/ids';
import { isTraced, traceHover, traceSuffix } from '../../text/traceText';
import { containsPosition } from '../../core/ranges';
import { locateInCellAbove } from '../notebooks';

/** A name or operator (from the core's `locate`), or the lens as a whole (its target or annotation). */
type HoverTarget = Located | { kind: 'lens'; range: Range };

/** A name shared by many lenses shows at most this many sections. */
const MAX_SECTIONS = 3;

export class LensHoverProvider implements vscode.HoverProvider {
  static register(ctx: Context): vscode.Disposable {
    const provider = new LensHoverProvider(ctx);
    return registerForLanguages(ctx.settings, (selector) => vscode.languages.registerHoverProvider(selector, provider));
  }

  private constructor(private readonly ctx: Context) {}

  provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    return guard(this.ctx.log, 'provideHover', undefined, async () => {
      const found = await this.findAll(document, toCorePosition(position), token);
      if (found.length === 0 || token.isCancellationRequested) return undefined;
      const precision = this.ctx.settings(document).precision;
      const now = Date.now();
      const sections = found.map(({ lens, located }) => {
        // A traced lens says where its numbers came from; over the whole lens, with the plot of its history.
        const traced = traceSuffix(lens, now);
        switch (located.kind) {
          case 'variable':
            return withPlot(
              withTrace(variableHover(lens, located.variable, precision), traced && `*${traced}*`),
              located.variable.leaf && lens.graph
                ? plotLink(
                    CommandId.PlotAgainst,
                    document.uri.toString(),
                    lens.line,
                    lens.target,
                    located.variable.name,
                  )
                : '',
            );
          case 'op':
            return withTrace(
              opHover(lens, located.op, document.getText(toVsRange(located.op.range)), precision),
              traced && `*${traced}*`,
            );
          case 'lens':
            return withTrace(lensHover(lens, precision), traceHover(lens, precision, now));
        }
      });
      const markdown = new vscode.MarkdownString(sections.join('\n\n---\n\n'));
      markdown.supportHtml = false;
      markdown.isTrusted = { enabledCommands: [CommandId.PlotAgainst] };
      return new vscode.Hover(markdown, toVsRange(rangeOf(found[0].located)));
    });
  }

  /** The lenses with something at `at`: this document's, else (in a notebook) those of the cells below. */
  private async findAll(
    document: vscode.TextDocument,
    at: Position,
    token: vscode.CancellationToken,
  ): Promise<Array<{ lens: Lens; located: HoverTarget }>> {
    const found: Array<{ lens: Lens; located: HoverTarget }> = [];
    const add = (lens: Lens, located: HoverTarget | undefined) => {
      if (located && found.length < MAX_SECTIONS) found.push({ lens, located });
    };
    for (const lens of await this.ctx.store.get(document)) {
      if (token.isCancellationRequested) return [];
      // Over a traced lens's target or annotation, the whole lens (with its plot) comes first: the
      // runner gives a traced name that it cannot place in the statement the whole statement as its range.
      add(lens, isTraced(lens) ? (summaryAt(lens, at) ?? locate(lens, at)) : (locate(lens, at) ?? summaryAt(lens, at)));
    }
    if (found.length > 0) return found;
    const below = await this.ctx.store.cellsBelow(document);
    for (const lens of below?.lenses ?? []) {
      if (token.isCancellationRequested) return [];
      add(lens, locateInCellAbove(lens, at, below!.index));
    }
    return found;
  }
}

function withPlot(section: string, link: string): string {
  return link ? `${section}\n\n${link}` : section;
}

function withTrace(section: string, trace: string): string {
  return trace ? `${section}\n\n${trace}` : section;
}

/** Over the target name or the annotation: the whole lens. */
function summaryAt(lens: Lens, at: Position): HoverTarget | undefined {
  const range = [lens.targetRange, lens.tagRange].find((each) => each.cell === undefined && containsPosition(each, at));
  return range && { kind: 'lens', range };
}

function rangeOf(target: HoverTarget): Range {
  return target.kind === 'op' ? target.op.range : target.range;
}
