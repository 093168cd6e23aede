// What crosses between the extension host and the analysis worker: one request, one reply, both
// plain data (structured-clone safe). The host side is src/host/analysis/; the worker side
// src/worker/serve.ts.
import type { AnalyzeOptions, Lens } from '../core';

export type AnalysisJob =
  { kind: 'text'; text: string; options: AnalyzeOptions } | { kind: 'cells'; cells: string[]; options: AnalyzeOptions };

export interface AnalysisRequest {
  id: number;
  job: AnalysisJob;
}

export type AnalysisReply = { id: number; lenses: Lens[] | Lens[][]; ms: number } | { id: number; error: string };
