// The analysis worker and its client: real worker_threads threads running the compiled worker
// (out/src/worker/node.js), as the desktop extension host starts them.
import * as assert from 'assert';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { analyzeText } from '../../../src/core';
import { AnalysisClient, type Outcome, type WorkerHandle } from '../../../src/host/analysis/analysisClient';
import type { Lens } from '../../../src/core';
import { annotatedChain } from '../../bench/hostileInputs';

const WORKER = path.join(__dirname, '..', '..', '..', 'src', 'worker', 'node.js');
const NEURON = 'x1 = 2.0\nw1 = -3.0\nb = 6.8813735870195432\nn = x1*w1 + b\no = n.tanh()  # @grad\n';

function threadWorker(script = WORKER): Promise<WorkerHandle> {
  const worker = new Worker(script);
  let terminated = false;
  return Promise.resolve({
    post: (request) => worker.postMessage(request),
    listen: (onReply, onCrash) => {
      worker.on('message', onReply);
      worker.on('error', (error) => onCrash(error.message));
      worker.on('exit', (code) => (terminated ? undefined : onCrash(`exited with code ${code}`)));
    },
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
  });
}

function client(options: Partial<ConstructorParameters<typeof AnalysisClient>[0]> = {}) {
  const logged: string[] = [];
  const c = new AnalysisClient({
    spawn: () => threadWorker(),
    inThread: (job) => (job.kind === 'text' ? analyzeText(job.text, job.options) : []),
    timeoutMs: 20_000,
    log: { info: (m) => logged.push(m), debug: () => undefined, error: (w, e) => logged.push(`${w}: ${String(e)}`) },
    ...options,
  });
  return { c, logged };
}

function lensesOf(outcome: Outcome<Lens[]>): Lens[] {
  assert.ok('lenses' in outcome, `expected lenses, got ${JSON.stringify(outcome)}`);
  return outcome.lenses;
}

describe('host: the analysis worker', () => {
  it('analyses in a worker thread exactly as in process', async () => {
    const { c } = client();
    try {
      const lenses = lensesOf(await c.text('a', NEURON, { comments: 'hash' }));
      assert.deepStrictEqual(lenses, JSON.parse(JSON.stringify(analyzeText(NEURON, { comments: 'hash' }))));
      assert.strictEqual(lenses[0].value, Math.tanh(2 * -3 + 6.8813735870195432));
    } finally {
      c.dispose();
    }
  });

  it('a newer job for a document replaces the older one, queued or running; other documents wait their turn', async () => {
    const { c } = client();
    try {
      const slow = c.text('a', annotatedChain(4000).text, { comments: 'hash' });
      const other = c.text('b', 'y = 2 * 3  # @grad\n', { comments: 'hash' });
      const queued = c.text('b', 'y = 2 * 4  # @grad\n', { comments: 'hash' });
      const newer = c.text('a', 'y = 2 * 5  # @grad\n', { comments: 'hash' });
      assert.deepStrictEqual(await slow, { superseded: true });
      assert.deepStrictEqual(await other, { superseded: true });
      assert.strictEqual(lensesOf(await queued)[0].value, 8);
      assert.strictEqual(lensesOf(await newer)[0].value, 10);
    } finally {
      c.dispose();
    }
  });

  it('a job past the time limit stops the worker and fails with the reason; the next job gets a fresh worker', async () => {
    const { c } = client({ timeoutMs: 30 });
    try {
      const outcome = await c.text('a', annotatedChain(20_000).text, { comments: 'hash' });
      assert.deepStrictEqual(outcome, { failed: 'the analysis took longer than 0.03 s and was stopped' });
    } finally {
      c.dispose();
    }
    const { c: next } = client();
    try {
      assert.strictEqual(lensesOf(await next.text('a', 'y = 3 * 3  # @grad\n', { comments: 'hash' }))[0].value, 9);
    } finally {
      next.dispose();
    }
  });

  it('a worker that dies fails its job with the reason, and the next job starts a new one', async () => {
    let spawned = 0;
    const crashing = path.join(__dirname, 'crashingWorker.js');
    const { c, logged } = client({ spawn: () => threadWorker(spawned++ === 0 ? crashing : WORKER) });
    try {
      const outcome = await c.text('a', NEURON, { comments: 'hash' });
      assert.ok('failed' in outcome && /the analysis worker stopped/.test(outcome.failed), JSON.stringify(outcome));
      assert.ok(logged.some((line) => line.startsWith('analysis worker')));
      assert.strictEqual(lensesOf(await c.text('a', 'y = 3 * 3  # @grad\n', { comments: 'hash' }))[0].value, 9);
      assert.strictEqual(spawned, 2);
    } finally {
      c.dispose();
    }
  });

  it('where no worker can start, jobs run on this thread and the log says so once', async () => {
    const { c, logged } = client({ spawn: () => Promise.reject(new Error('no Worker here')) });
    try {
      assert.strictEqual(lensesOf(await c.text('a', 'y = 3 * 3  # @grad\n', { comments: 'hash' }))[0].value, 9);
      assert.strictEqual(lensesOf(await c.text('b', 'y = 3 * 4  # @grad\n', { comments: 'hash' }))[0].value, 12);
      assert.deepStrictEqual(logged.filter((line) => line.includes('no analysis worker')).length, 1);
      assert.match(logged[0], /runs on the extension host's thread: no Worker here/);
    } finally {
      c.dispose();
    }
  });
});
