/**
 * A small pool of scan worker threads: hands out jobs as workers free up, sends each worker a
 * job's context (tensor, methods, statistics) once, reports bytes read as they are read, and
 * stops every thread at once on an abort or a failure. Threads of a scan that finished stay
 * warm for the next one (see IDLE_WORKER_MS).
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BugError, deserializeError } from '../../../core/errors';
import type { ScanJob } from '../../../core/quantlab/scan-jobs';
import { defaultWorkerCount } from './memory-budget';
import type { JobContext, JobMessage, WorkerReply } from './scan-protocol';

/**
 * How long finished scans' threads stay warm. Starting a worker costs its V8 isolate, loading
 * the lab's modules and building their tables, which a scan of the next file or method no
 * longer pays (issue 20, on the 2-core build machine from sources: absmax int8 b64 over 256 MiB
 * with 2 workers took 4.1–5.0 CPU-s/GB cold and 1.4–1.7 warm, about 0.35 CPU-s per start).
 * Idle threads are unref'd: they never keep the process alive.
 */
const IDLE_WORKER_MS = 30_000;

/** Warm threads, most recently used last; at most as many as a default scan starts (memory-budget.ts). */
const idleWorkers: Worker[] = [];
/** What removes an idle thread from the list when it dies while idle. */
const idleExitHandlers = new WeakMap<Worker, () => void>();
let idleTimer: ReturnType<typeof setTimeout> | undefined;

/** Threads kept warm now. */
export function warmScanWorkerCount(): number {
  return idleWorkers.length;
}

/** Stops the warm threads (they would stop IDLE_WORKER_MS after the last scan anyway). */
export async function stopWarmScanWorkers(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  await Promise.all(idleWorkers.splice(0).map((worker) => worker.terminate()));
}

/** A warm thread when one is idle, else a new one. */
function takeWorker(): Worker {
  const worker = idleWorkers.pop();
  if (!worker) return spawnScanWorker();
  const onExit = idleExitHandlers.get(worker);
  if (onExit) worker.off('exit', onExit);
  worker.ref();
  return worker;
}

/** Keeps a thread warm for the next scan (or ends it when enough are idle already). */
function keepWarm(worker: Worker): void {
  if (idleWorkers.length >= defaultWorkerCount()) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const onExit = (): void => {
    const index = idleWorkers.indexOf(worker);
    if (index >= 0) idleWorkers.splice(index, 1);
  };
  idleExitHandlers.set(worker, onExit);
  worker.once('exit', onExit);
  idleWorkers.push(worker);
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void stopWarmScanWorkers(), IDLE_WORKER_MS);
  idleTimer.unref();
}

/** A finished job's result. */
type DoneReply = Extract<WorkerReply, { type: 'done' }>;

/**
 * No V8 heap limits on scan workers. A 4 MiB young generation once saved 30 MiB over 8 workers,
 * but it made the WebAssembly kernels 3× slower on the build machine (issue 20: a bf16 decode
 * went from 15 to 387 ms per 128 MiB, a scan from 0.58 to 0.17 GB/s); the data live in typed
 * arrays and kernel memory outside the heap, and the memory-bound test holds the total.
 */
/** Starts one scan worker: through the tsx bootstrap when running from sources, else the built file. */
function spawnScanWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return new Worker(new URL('./worker-bootstrap.mjs', here), {
      workerData: { entry: fileURLToPath(new URL('./scan-worker.ts', here)) },
    });
  }
  return new Worker(new URL('./scan-worker.js', here));
}

interface PassOptions {
  readonly chunkBytes: number;
  readonly signal?: AbortSignal;
  /** Called with the bytes of each chunk read. */
  readonly onBytes?: (bytes: number) => void;
  /** Called with each finished job, in completion order (not job order). */
  readonly onDone: (reply: DoneReply) => void;
}

/**
 * Scan workers for one scan (both passes). Call release() when the scan finished (its threads
 * stay warm for the next scan) or close() to stop them.
 */
export class ScanWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly contextKeys: (string | undefined)[] = [];
  /** Threads being stopped (after an abort or a failure); close() waits for them too. */
  private stopping: Promise<unknown> = Promise.resolve();

  constructor(readonly size: number) {}

  private worker(index: number): Worker {
    let worker = this.workers[index];
    if (!worker) {
      worker = takeWorker();
      this.workers[index] = worker;
    }
    return worker;
  }

  /** Runs the jobs, handing each result to options.onDone as it arrives; resolves when all are done. */
  run(
    jobs: readonly ScanJob[],
    contextFor: (job: ScanJob) => JobContext,
    options: PassOptions,
  ): Promise<void> {
    if (jobs.length === 0) return Promise.resolve();
    const active = Math.min(this.size, jobs.length);
    return new Promise<void>((resolve, reject) => {
      let next = 0;
      let finished = 0;
      let settled = false;
      const listeners: (() => void)[] = [];
      const settle = (error?: unknown): void => {
        if (settled) return;
        settled = true;
        for (const remove of listeners) remove();
        if (error === undefined) resolve();
        else {
          void this.close();
          reject(error);
        }
      };
      const onAbort = (): void => settle(options.signal?.reason ?? new Error('aborted'));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      listeners.push(() => options.signal?.removeEventListener('abort', onAbort));

      const dispatch = (index: number): void => {
        const job = jobs[next++];
        if (!job) return;
        const context = contextFor(job);
        const fresh = this.contextKeys[index] !== context.key;
        this.contextKeys[index] = context.key;
        const message: JobMessage = {
          type: 'job',
          job,
          chunkBytes: options.chunkBytes,
          contextKey: context.key,
          ...(fresh ? { context } : {}),
        };
        this.worker(index).postMessage(message);
      };
      for (let index = 0; index < active; index++) {
        const worker = this.worker(index);
        const onMessage = (reply: WorkerReply): void => {
          if (settled) return;
          if (reply.type === 'progress') options.onBytes?.(reply.bytes);
          else if (reply.type === 'error') settle(deserializeError(reply.error));
          else {
            options.onDone(reply);
            if (++finished === jobs.length) settle();
            else dispatch(index);
          }
        };
        const onError = (error: Error): void =>
          settle(new BugError(`scan worker failed: ${error.message}`));
        const onExit = (code: number): void =>
          settle(new BugError(`scan worker exited with code ${code}`));
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        listeners.push(() => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        });
        dispatch(index);
      }
    });
  }

  /** Hands the threads, idle now, to the next scan. */
  release(): void {
    this.contextKeys.length = 0;
    for (const worker of this.workers.splice(0)) if (worker) keepWarm(worker);
  }

  /** Stops every worker thread; resolves once they have all exited. */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    this.contextKeys.length = 0;
    const stopped = Promise.all([this.stopping, ...workers.map((worker) => worker?.terminate())]);
    this.stopping = stopped;
    await stopped;
  }
}
