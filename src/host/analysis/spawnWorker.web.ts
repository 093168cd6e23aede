// Starts the analysis worker in VS Code for the Web: a dedicated Web Worker running
// dist/web/analysisWorker.js. The extension's files are served from another origin than the
// extension host, so the script is read through the file system and started from a blob: URL
// (as the graph webview starts its layout worker).
import * as vscode from 'vscode';
import type { AnalysisReply, AnalysisRequest } from '../../worker/messages';
import type { WorkerHandle } from './analysisClient';

/** The few Web Worker APIs used here (the host's tsconfig has no DOM types). */
interface WebWorker {
  postMessage(message: AnalysisRequest): void;
  onmessage: ((event: { data: AnalysisReply }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
  terminate(): void;
}
interface WebGlobals {
  Worker?: new (url: string, options: { name: string }) => WebWorker;
  Blob: new (parts: Uint8Array[], options: { type: string }) => object;
  URL: { createObjectURL(blob: object): string; revokeObjectURL(url: string): void };
}

/** The Web Worker's name, as `self.name` inside it. */
export const ANALYSIS_WORKER_NAME = 'gradient-lens-analysis';

export async function spawnWorker(extensionUri: vscode.Uri): Promise<WorkerHandle> {
  const web = globalThis as unknown as WebGlobals;
  if (typeof web.Worker !== 'function') throw new Error('this extension host cannot start a Web Worker');
  const code = await vscode.workspace.fs.readFile(
    vscode.Uri.joinPath(extensionUri, 'dist', 'web', 'analysisWorker.js'),
  );
  const url = web.URL.createObjectURL(new web.Blob([code], { type: 'text/javascript' }));
  // The name shows in the browser's worker list (the UI test finds the worker by it).
  const worker = new web.Worker(url, { name: ANALYSIS_WORKER_NAME });
  return {
    post: (request) => worker.postMessage(request),
    listen: (onReply, onCrash) => {
      worker.onmessage = (event) => onReply(event.data);
      worker.onerror = (event) => onCrash(event.message ?? 'the worker failed');
    },
    terminate: () => {
      worker.terminate();
      web.URL.revokeObjectURL(url);
    },
  };
}
