import * as vscode from 'vscode';
import { DifferentiateSelectionCommand } from './commands/differentiateSelection';
import { OpenProblemCommand } from './commands/openProblem';
import { ShowGraphCommand } from './commands/showGraph';
import { ToggleLensesCommand } from './commands/toggleLenses';
import { GraphPanel } from './graph/graphPanel';
import { LensStore } from './lensStore';
import { LensCodeLensProvider } from './providers/codeLensProvider';
import { LensDiagnostics } from './providers/diagnostics';
import { LensHoverProvider } from './providers/hoverProvider';
import { LensQuickFixes } from './providers/quickFixes';
import { SizeLimitStatus } from './providers/sizeLimitStatus';

export function activate(context: vscode.ExtensionContext): void {
  const store = new LensStore();
  const features = [LensCodeLensProvider, LensHoverProvider, LensDiagnostics, LensQuickFixes, SizeLimitStatus,
    DifferentiateSelectionCommand, ShowGraphCommand, ToggleLensesCommand, OpenProblemCommand, GraphPanel];
  context.subscriptions.push(store, ...features.map((feature) => feature.register(context, store)));
}

export function deactivate(): void {}
