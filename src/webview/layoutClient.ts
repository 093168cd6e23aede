// Runs layouts in the worker, one at a time: a new request cancels the running one by terminating
// the worker (Graphviz cannot be interrupted from inside), and finished layouts are cached by the
// DOT's hash so that toggling views or restoring the panel does not lay out again.
//
// The worker script is fetched from the extension's dist/ and started from a blob: URL, because a
// webview's resources are served from another origin than the webview document and a Worker must
// be same-origin. That needs CSP `connect-src <webview resource origin>` and `worker-src blob:`.
import type { Layout } from '../graph/layout';
import type { LayoutReply, LayoutRequest } from './layoutMessages';

export class CancelledError extends Error {
  constructor() {
    super('layout cancelled');
    this.name = 'CancelledError';
  }
}

export interface LayoutResult {
  layout: Layout;
  /** Graphviz's own time in the worker (0 when cached). */
  ms: number;
  cached: boolean;
}

interface Job {
  id: number;
  resolve(result: LayoutResult): void;
  reject(error: Error): void;
}

const CACHE_SIZE = 8;

export class LayoutClient {
  private worker: Worker | undefined;
  private workerUrl: Promise<string> | undefined;
  private job: Job | undefined;
  private nextId = 1;
  /** Grows with every request, so a request overtaken while the worker starts gives up. */
  private generation = 0;
  private readonly cache = new Map<string, Layout>();

  constructor(private readonly scriptUri: string) {}

  async layout(dot: string, hash: string): Promise<LayoutResult> {
    this.cancel();
    const generation = ++this.generation;
    const cached = this.cache.get(hash);
    if (cached) {
      this.cache.delete(hash); // re-insert: most recently used last
      this.cache.set(hash, cached);
      return { layout: cached, ms: 0, cached: true };
    }
    const worker = await this.ensureWorker();
    if (generation !== this.generation) throw new CancelledError();
    const result = await new Promise<LayoutResult>((resolve, reject) => {
      const id = this.nextId++;
      this.job = { id, resolve, reject };
      worker.postMessage({ id, dot } satisfies LayoutRequest);
    });
    this.remember(hash, result.layout);
    return result;
  }

  /** Starts the worker and compiles Graphviz before the first graph arrives. */
  warmUp(): void {
    if (this.worker || this.job) return;
    void this.ensureWorker()
      .then((worker) => worker.postMessage({ id: 0, dot: null } satisfies LayoutRequest))
      .catch(() => undefined); // the real request reports the failure
  }

  /** Stops a running layout; its promise rejects with CancelledError. */
  cancel(): void {
    const job = this.job;
    if (!job) return;
    this.job = undefined;
    this.worker?.terminate();
    this.worker = undefined;
    job.reject(new CancelledError());
  }

  dispose(): void {
    this.cancel();
    this.worker?.terminate();
    this.worker = undefined;
  }

  private async ensureWorker(): Promise<Worker> {
    if (this.worker) return this.worker;
    this.workerUrl ??= fetch(this.scriptUri)
      .then((response) => {
        if (!response.ok) throw new Error(`cannot load the layout worker (${response.status})`);
        return response.text();
      })
      .then((source) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    const url = await this.workerUrl.catch((error: unknown) => {
      this.workerUrl = undefined; // a failed fetch is tried again by the next layout, not cached
      throw error;
    });
    if (this.worker) return this.worker; // another request started it meanwhile
    const worker = new Worker(url);
    worker.onmessage = (event: MessageEvent<LayoutReply>) => this.settle(event.data);
    worker.onerror = (event) => this.fail(event.message || 'the layout worker failed');
    this.worker = worker;
    return worker;
  }

  private settle(reply: LayoutReply): void {
    const job = this.job;
    if (!job || job.id !== reply.id || 'warm' in reply) return;
    this.job = undefined;
    if ('error' in reply) job.reject(new Error(reply.error));
    else job.resolve({ layout: reply.layout, ms: reply.ms, cached: false });
  }

  private fail(message: string): void {
    const job = this.job;
    this.job = undefined;
    this.worker?.terminate();
    this.worker = undefined;
    job?.reject(new Error(message));
  }

  private remember(hash: string, layout: Layout): void {
    this.cache.set(hash, layout);
    while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
  }
}
