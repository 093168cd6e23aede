// The analysis worker in VS Code for the Web: a dedicated Web Worker started by the web worker
// extension host.
import type { AnalysisReply, AnalysisRequest } from './messages';
import { serve } from './serve';

interface WorkerScope {
  onmessage: ((event: { data: AnalysisRequest }) => void) | null;
  postMessage(message: AnalysisReply): void;
}

const scope = globalThis as unknown as WorkerScope;
serve({
  onRequest: (handle) => {
    scope.onmessage = (event) => handle(event.data);
  },
  reply: (reply) => scope.postMessage(reply),
});
