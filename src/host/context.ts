// The one object that activate() builds and hands to every feature's register(), as
// rust-analyzer's editors/code hands its Ctx: the analysis cache, the log, the settings reader and
// the graph panel come from here, never from a global or through another service.
import * as vscode from 'vscode';
import { analyzeCells, analyzeText } from '../core';
import { AnalysisClient } from './analysis/analysisClient';
import { spawnWorker } from './analysis/spawnWorker';
import { readSettings, type SettingsReader } from './config';
import { LensStore } from './lensStore';
import { Log } from './log';
import { GraphPanelManager } from './panel/graphPanel';
import { TraceResults } from './trace/traceResults';
import { TraceSession } from './trace/traceSession';

export interface Context {
  readonly extensionUri: vscode.Uri;
  /** Production for a user; Development or Test when VS Code runs the extension from source or for tests. */
  readonly mode: vscode.ExtensionMode;
  readonly log: Log;
  readonly settings: SettingsReader;
  readonly store: LensStore;
  readonly graphPanel: GraphPanelManager;
  /** Trace mode: runs the user's program and keeps the traced results that the store lays over its own. */
  readonly trace: TraceSession;
}

/**
 * An analysis running longer is stopped. The core's budgets keep the worst hostile input to a few
 * seconds on a busy two-core machine; this is the backstop for what they do not foresee.
 */
const ANALYSIS_TIMEOUT_MS = 20_000;

/** Builds the context; its parts are disposed with the extension. */
export function createContext(extension: vscode.ExtensionContext): Context {
  const log = new Log();
  const settings = readSettings;
  const analysis = new AnalysisClient({
    spawn: () => spawnWorker(extension.extensionUri),
    inThread: (job) =>
      job.kind === 'text' ? analyzeText(job.text, job.options) : analyzeCells(job.cells, job.options),
    timeoutMs: ANALYSIS_TIMEOUT_MS,
    log,
  });
  extension.subscriptions.push({ dispose: () => analysis.dispose() });
  const traced = new TraceResults();
  const store = new LensStore(log, settings, analysis, traced);
  const services = { extensionUri: extension.extensionUri, mode: extension.extensionMode, log, settings, store };
  const graphPanel = new GraphPanelManager(services);
  const trace = new TraceSession({ extensionUri: extension.extensionUri, log, settings, results: traced });
  extension.subscriptions.push(log, traced, store, graphPanel, trace);
  return { ...services, graphPanel, trace };
}
