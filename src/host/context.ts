// The one object that activate() builds and hands to every feature's register(), as
// rust-analyzer's editors/code hands its Ctx: the analysis cache, the log, the settings reader and
// the graph panel come from here, never from a global or through another service.
import * as vscode from 'vscode';
import { readSettings, type SettingsReader } from './config';
import { LensStore } from './lensStore';
import { Log } from './log';
import { GraphPanelManager } from './panel/graphPanel';

export interface Context {
  readonly extensionUri: vscode.Uri;
  /** Production for a user; Development or Test when VS Code runs the extension from source or for tests. */
  readonly mode: vscode.ExtensionMode;
  readonly log: Log;
  readonly settings: SettingsReader;
  readonly store: LensStore;
  readonly graphPanel: GraphPanelManager;
}

/** Builds the context; its parts are disposed with the extension. */
export function createContext(extension: vscode.ExtensionContext): Context {
  const log = new Log();
  const settings = readSettings;
  const store = new LensStore(log, settings);
  const services = { extensionUri: extension.extensionUri, mode: extension.extensionMode, log, settings, store };
  const graphPanel = new GraphPanelManager(services);
  extension.subscriptions.push(log, store, graphPanel);
  return { ...services, graphPanel };
}
