import * as vscode from 'vscode';
import { registerCommands } from './host/commands';
import { createContext } from './host/context';
import { GraphPanelRecorder } from './host/panel/graphPanelTestSupport';
import { LensCodeLensProvider } from './host/providers/codeLensProvider';
import { LensDiagnostics } from './host/providers/diagnostics';
import { LensHoverProvider } from './host/providers/hoverProvider';
import { GradientInlayHints } from './host/providers/inlayHints';
import { LensQuickFixes } from './host/providers/quickFixes';
import { SizeLimitStatus } from './host/providers/sizeLimitStatus';
import { TraceOnSave } from './host/trace/traceOnSave';
import { TraceStatus } from './host/trace/traceStatus';

export function activate(context: vscode.ExtensionContext): void {
  const ctx = createContext(context);
  const features = [
    LensCodeLensProvider,
    LensHoverProvider,
    GradientInlayHints,
    LensDiagnostics,
    LensQuickFixes,
    SizeLimitStatus,
    TraceStatus,
    TraceOnSave,
  ];
  context.subscriptions.push(...features.map((feature) => feature.register(ctx)), registerCommands(ctx));
  // The extension-host tests watch the graph panel; a user's VS Code never installs the recorder.
  if (ctx.mode !== vscode.ExtensionMode.Production) context.subscriptions.push(GraphPanelRecorder.register(ctx));
}

export function deactivate(): void {}
