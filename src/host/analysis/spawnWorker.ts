// Starts the analysis worker on the desktop: a worker_threads thread running dist/analysisWorker.js.
// The web build replaces this file with spawnWorker.web.ts (see esbuild.js).
import * as vscode from 'vscode';
import { Worker } from 'worker_threads';
import type { WorkerHandle } from './analysisClient';

export async function spawnWorker(extensionUri: vscode.Uri): Promise<WorkerHandle> {
  // A runaway analysis must not grow the extension host's process without end: past this heap the
  // worker is stopped (the client reports the crash), while the budgets keep every analysis the
  // bench knows under 300 MB.
  const worker = new Worker(vscode.Uri.joinPath(extensionUri, 'dist', 'analysisWorker.js').fsPath, {
    resourceLimits: { maxOldGenerationSizeMb: 1024 },
  });
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
