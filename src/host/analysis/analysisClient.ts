// The extension host's side of the analysis worker: one worker, a queue of jobs keyed by document,
// and three rules. A newer job for a document replaces its older one: a queued one is dropped, a
// running one is answered "superseded" at once and, if it is still running a moment later, the
// worker is stopped and started afresh (the only way to interrupt it), so a stale analysis never
// delays a fresh one for long, while the usual short analysis costs no restart. A job that runs
// past the time limit stops the worker and fails with that reason. And where no worker can be
// started, jobs run on this thread, and the log says so once.
import type { Lens } from '../../core';
import type { AnalysisJob, AnalysisReply, AnalysisRequest } from '../../worker/messages';

export interface WorkerHandle {
  post(request: AnalysisRequest): void;
  /** Every reply, and a crash of the worker as `error`. */
  listen(onReply: (reply: AnalysisReply) => void, onCrash: (error: string) => void): void;
  terminate(): void;
}

export type Outcome<T> = { lenses: T; ms: number } | { superseded: true } | { failed: string };

interface Job {
  id: number;
  key: string;
  job: AnalysisJob;
  settle(outcome: Outcome<Lens[] | Lens[][]>): void;
  /** Answered "superseded" while running: its reply, if it comes, is dropped. */
  superseded?: boolean;
}

/** How long a superseded job may still run before its worker is restarted. */
const SUPERSEDED_GRACE_MS = 300;

export interface AnalysisClientOptions {
  /** Starts a worker; rejects (or throws) where this host cannot start one. */
  spawn(): Promise<WorkerHandle>;
  /** Runs a job here, when no worker could be started. */
  inThread(job: AnalysisJob): Lens[] | Lens[][];
  timeoutMs: number;
  log: { info(message: string): void; debug(message: string): void; error(where: string, error: unknown): void };
}

export class AnalysisClient {
  private worker: WorkerHandle | undefined;
  private starting: Promise<WorkerHandle | undefined> | undefined;
  private noWorker = false;
  private readonly queue: Job[] = [];
  private running: Job | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  private disposed = false;

  constructor(private readonly options: AnalysisClientOptions) {}

  text(key: string, text: string, options: AnalysisJob['options']): Promise<Outcome<Lens[]>> {
    return this.submit(key, { kind: 'text', text, options }) as Promise<Outcome<Lens[]>>;
  }

  cells(key: string, cells: string[], options: AnalysisJob['options']): Promise<Outcome<Lens[][]>> {
    return this.submit(key, { kind: 'cells', cells, options }) as Promise<Outcome<Lens[][]>>;
  }

  dispose(): void {
    this.disposed = true;
    this.stopWorker();
    for (const job of this.queue.splice(0)) job.settle({ superseded: true });
    this.running?.settle({ superseded: true });
    this.running = undefined;
  }

  private submit(key: string, job: AnalysisJob): Promise<Outcome<Lens[] | Lens[][]>> {
    return new Promise((resolve) => {
      if (this.disposed) return resolve({ superseded: true });
      for (let i = this.queue.length - 1; i >= 0; i--) {
        if (this.queue[i].key === key) this.queue.splice(i, 1)[0].settle({ superseded: true });
      }
      this.queue.push({ id: this.nextId++, key, job, settle: resolve });
      if (this.running?.key === key) this.supersedeRunning(this.running);
      void this.pump();
    });
  }

  /** Starts the next job when the worker is free. */
  private async pump(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = job;
    const worker = await this.ensureWorker();
    if (this.running !== job) return; // cancelled while the worker started
    if (job.superseded) return this.finish(job); // answered while the worker started: nothing to run
    if (!worker) return this.runHere(job);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.running !== job) return;
      const seconds = this.options.timeoutMs / 1000;
      this.cancelRunning({ failed: `the analysis took longer than ${seconds} s and was stopped` });
    }, this.options.timeoutMs);
    worker.post({ id: job.id, job: job.job });
  }

  private runHere(job: Job): void {
    try {
      const started = Date.now();
      job.settle({ lenses: this.options.inThread(job.job), ms: Date.now() - started });
    } catch (error) {
      job.settle({ failed: error instanceof Error ? error.message : String(error) });
    }
    this.finish(job);
  }

  private onReply(reply: AnalysisReply): void {
    const job = this.running;
    if (!job || job.id !== reply.id) return; // the reply of a job whose worker was stopped
    if (!job.superseded)
      job.settle('error' in reply ? { failed: reply.error } : { lenses: reply.lenses, ms: reply.ms });
    this.finish(job);
  }

  /** Answers the running job now; its worker gets a short grace to finish before it is restarted. */
  private supersedeRunning(job: Job): void {
    if (job.superseded) return;
    job.superseded = true;
    job.settle({ superseded: true });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.running !== job) return;
      this.options.log.debug('analysis: restarting the worker under a superseded analysis');
      this.cancelRunning({ superseded: true });
    }, SUPERSEDED_GRACE_MS);
  }

  private onCrash(error: string): void {
    this.options.log.error('analysis worker', error);
    this.worker = undefined;
    this.cancelRunning({ failed: `the analysis worker stopped: ${error}` });
  }

  private finish(job: Job): void {
    if (this.running !== job) return;
    clearTimeout(this.timer);
    this.running = undefined;
    void this.pump();
  }

  /** Settles the running job and stops the worker under it: a worker cannot be interrupted otherwise. */
  private cancelRunning(outcome: Outcome<never>): void {
    const job = this.running;
    if (!job) return;
    this.stopWorker();
    job.settle(outcome);
    this.finish(job);
  }

  private stopWorker(): void {
    clearTimeout(this.timer);
    this.worker?.terminate();
    this.worker = undefined;
    this.starting = undefined;
  }

  private ensureWorker(): Promise<WorkerHandle | undefined> {
    if (this.worker) return Promise.resolve(this.worker);
    if (this.noWorker || this.disposed) return Promise.resolve(undefined);
    const starting = (this.starting ??= this.start());
    return starting;
  }

  private async start(): Promise<WorkerHandle | undefined> {
    try {
      const worker = await this.options.spawn();
      this.options.log.debug('analysis: worker started');
      if (this.disposed || this.worker) {
        // Disposed meanwhile, or a second start raced this one: keep at most one worker.
        worker.terminate();
        return this.worker;
      }
      worker.listen(
        (reply) => (this.worker === worker ? this.onReply(reply) : undefined),
        (error) => (this.worker === worker ? this.onCrash(error) : undefined),
      );
      this.worker = worker;
      return worker;
    } catch (error) {
      this.noWorker = true;
      this.options.log.info(
        `no analysis worker could be started here, so the analysis runs on the extension host's thread: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    } finally {
      this.starting = undefined;
    }
  }
}
