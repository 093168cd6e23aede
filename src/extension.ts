import * as vscode from 'vscode';
import { DifferentiateSelectionCommand } from './host/commands/differentiateSelection';
import { OpenProblemCommand } from './host/commands/openProblem';
import { ShowGraphCommand } from './host/commands/showGraph';
import { ToggleLensesCommand } from './host/commands/toggleLenses';
import { GraphPanel } from './host/panel/graphPanel';
import { LensStore } from './host/lensStore';
import { LensCodeLensProvider } from './host/providers/codeLensProvider';
import { LensDiagnostics } from './host/providers/diagnostics';
import { LensHoverProvider } from './host/providers/hoverProvider';
import { LensQuickFixes } from './host/providers/quickFixes';
import { SizeLimitStatus } from './host/providers/sizeLimitStatus';

export function activate(context: vscode.ExtensionContext): void {
  const store = new LensStore();
  const features = [LensCodeLensProvider, LensHoverProvider, LensDiagnostics, LensQuickFixes, SizeLimitStatus,
    DifferentiateSelectionCommand, ShowGraphCommand, ToggleLensesCommand, OpenProblemCommand, GraphPanel];
  context.subscriptions.push(store, ...features.map((feature) => feature.register(context, store)));
}

export function deactivate(): void {}
