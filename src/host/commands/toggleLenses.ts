// "Gradient Lens: Toggle Lenses": flips `gradientLens.lens.enabled` where it is set (workspace
// or user settings), hiding or showing the CodeLenses; hovers and diagnostics stay.
import * as vscode from 'vscode';
import { SECTION } from '../config';

/** Returns the new value of `gradientLens.lens.enabled`. */
export async function toggleLenses(): Promise<boolean> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const inspected = config.inspect<boolean>('lens.enabled');
  const target =
    inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const enabled = !config.get<boolean>('lens.enabled', true);
  await config.update('lens.enabled', enabled, target);
  vscode.window.setStatusBarMessage(
    enabled ? 'Gradient Lens: lenses shown' : 'Gradient Lens: lenses hidden (hovers and problems stay)',
    3000,
  );
  return enabled;
}
