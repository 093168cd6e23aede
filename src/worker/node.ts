// The analysis worker on the desktop: a worker_threads thread started by the Node extension host.
import { parentPort } from 'worker_threads';
import type { AnalysisReply, AnalysisRequest } from './messages';
import { serve } from './serve';

const port = parentPort;
if (port) {
  serve({
    onRequest: (handle) => port.on('message', (request: AnalysisRequest) => handle(request)),
    reply: (reply: AnalysisReply) => port.postMessage(reply),
  });
}
