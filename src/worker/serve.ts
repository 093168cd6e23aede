// The analysis worker's one loop: take a job, run the core on it, post the lenses back. It runs
// off the extension host's thread (worker_threads on the desktop, a Web Worker in VS Code for the
// Web), so a large or hostile document never stalls the host that every extension shares.
import { analyzeCells, analyzeText } from '../core';
import type { AnalysisJob, AnalysisReply, AnalysisRequest } from './messages';

export interface WorkerPort {
  onRequest(handle: (request: AnalysisRequest) => void): void;
  reply(reply: AnalysisReply): void;
}

export function serve(port: WorkerPort): void {
  port.onRequest((request) => port.reply(answer(request)));
}

function answer({ id, job }: AnalysisRequest): AnalysisReply {
  const started = Date.now();
  try {
    return { id, lenses: run(job), ms: Date.now() - started };
  } catch (error) {
    return { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

function run(job: AnalysisJob) {
  return job.kind === 'text' ? analyzeText(job.text, job.options) : analyzeCells(job.cells, job.options);
}
