// One values lens and one "Show graph" lens above each @grad statement, or one error lens that
// opens the problem. Lenses are returned with their ranges first; their commands are filled in
// resolveCodeLens, as the codelens-sample does, so that only visible lenses format numbers.
import * as vscode from 'vscode';
import { firstError, type Lens } from '../../core';
import { CommandId } from '../commands/ids';
import type { Settings } from '../config';
import type { Context } from '../context';
import { toVsRange } from '../convert';
import { registerForLanguages } from '../languages';
import { documentOfRange } from '../notebooks';
import { errorTitle } from '../../text/lensTitle';
import { lensValuesTitle, withTraceSuffix } from '../../text/traceText';
import { guard } from '../log';

type Kind = 'values' | 'graph' | 'error';

class GradientCodeLens extends vscode.CodeLens {
  constructor(
    readonly kind: Kind,
    readonly lens: Lens,
    readonly document: vscode.TextDocument,
  ) {
    super(new vscode.Range(lens.line, 0, lens.line, 0));
  }
}

export class LensCodeLensProvider implements vscode.CodeLensProvider<GradientCodeLens> {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  static register(ctx: Context): vscode.Disposable {
    const provider = new LensCodeLensProvider(ctx);
    return registerForLanguages(ctx.settings, (selector) =>
      vscode.languages.registerCodeLensProvider(selector, provider),
    );
  }

  private constructor(private readonly ctx: Context) {
    this.onDidChangeCodeLenses = (listener, thisArgs, disposables) =>
      ctx.store.onDidUpdate(() => listener.call(thisArgs), undefined, disposables);
  }

  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<GradientCodeLens[]> {
    return guard(this.ctx.log, 'provideCodeLenses', [], async () => {
      if (!this.ctx.settings(document).lensEnabled) return [];
      if (!(await this.ctx.store.settled(document, token))) return [];
      return (await this.ctx.store.get(document)).flatMap((lens): GradientCodeLens[] =>
        firstError(lens)
          ? [new GradientCodeLens('error', lens, document)]
          : [new GradientCodeLens('values', lens, document), new GradientCodeLens('graph', lens, document)],
      );
    });
  }

  resolveCodeLens(codeLens: GradientCodeLens): GradientCodeLens {
    return guard(this.ctx.log, 'resolveCodeLens', codeLens, () => {
      codeLens.command = commandFor(codeLens, this.ctx.settings(codeLens.document));
      return codeLens;
    });
  }
}

function commandFor(codeLens: GradientCodeLens, settings: Settings): vscode.Command {
  const { lens, document } = codeLens;
  switch (codeLens.kind) {
    case 'values':
      // Also a link to the graph: on a narrow editor a long title can push "Show graph" out of view.
      return {
        ...showGraph(document, lens),
        title: lensValuesTitle(lens, settings.precision, settings.maxVariables, Date.now()),
      };
    case 'graph':
      return showGraph(document, lens);
    case 'error': {
      const problem = firstError(lens)!;
      return {
        title: withTraceSuffix(errorTitle(lens, problem), lens, Date.now()),
        command: CommandId.OpenProblem,
        arguments: [documentOfRange(document, problem.range).uri, toVsRange(problem.range)],
        tooltip: problem.message,
      };
    }
  }
}

function showGraph(document: vscode.TextDocument, lens: Lens): vscode.Command {
  return {
    title: 'Show graph',
    command: CommandId.ShowGraph,
    arguments: [document.uri, lens.line],
    tooltip: 'Open the computation graph of this lens',
  };
}
