// Starts the analysis worker on the desktop: a worker_threads thread running dist/analysisWorker.js.
// The web build replaces this file with spawnWorker.web.ts (see esbuild.js).
import * as vscode from 'vscode';
import { Worker } from 'worker_threads';
import type { WorkerHandle } from './analysisClient';

export async function spawnWorker(extensionUri: vscode.Uri): Promise<WorkerHandle> {
  const worker = new Worker(vscode.Uri.joinPath(extensionUri, 'dist', 'analysisWorker.js').fsPath);
  let terminated = false;
  return {
    post: (request) => worker.postMessage(request),
    listen: (onReply, onCrash) => {
      worker.on('message', onReply);
      worker.on('error', (error) => onCrash(error.stack ?? error.message));
      worker.on('exit', (code) => {
        if (!terminated) onCrash(`exited with code ${code}`);
      });
    },
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
  };
}
