/**
 * Worker-thread side of a checkpoint scan: reads its job's byte range from the file in chunks
 * into one reused buffer, decodes to float32 and runs the core's stats or scan accumulators,
 * on the WebAssembly SIMD kernels (issue 20) or core's TypeScript ones. Memory per worker: one
 * read buffer, one float32 chunk and one sub-chunk of scratch, whatever the file size; with
 * WebAssembly they all live in the kernels' own memory, so nothing is copied to reach them.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { HeadroomError, serializeError } from '../../../core/errors';
import { decodeInto, type ReadableDtype } from '../../../core/quantlab/float-formats';
import {
  createScanPlan,
  emptyScanSums,
  SCAN_SUBCHUNK_ELEMENTS,
  scanAlignment,
  scanChunk,
  type ScanPlan,
} from '../../../core/quantlab/scan';
import { TYPESCRIPT_SCAN_BACKEND, type ScanBackend } from '../../../core/quantlab/scan-backend';
import {
  accumulateStats,
  emptyStats,
  statsRequest,
  type TensorStats,
} from '../../../core/quantlab/tensor-stats';
import type { JobContext, JobMessage, WorkerReply } from './scan-protocol';
import { ScanArena } from './wasm/scan-kernels';
import { wasmScanBackend } from './wasm-scan-backend';

let context: JobContext | undefined;
let plan: ScanPlan | undefined;
let handle: { path: string; fd: number } | undefined;
let buffer = new Uint8Array(0);
let floats = new Float32Array(0);

function reply(message: WorkerReply): void {
  parentPort!.postMessage(message);
}

/**
 * Bytes read are reported at most this often (and at the end of each job). A message per
 * 1 MiB chunk cost the worker 0.4 CPU-s/GB in postMessage (issue 20: 342 ms of a 2 s
 * profile on the 2-core build machine); 20 reports a second keep the GB/s and time left live.
 */
const PROGRESS_INTERVAL_MS = 50;
let unreportedBytes = 0;
let reportedMs = 0;

function reportProgress(): void {
  if (unreportedBytes > 0) reply({ type: 'progress', bytes: unreportedBytes });
  unreportedBytes = 0;
  reportedMs = performance.now();
}

/**
 * The job's file, opened once per job. Reads are synchronous: the worker is its own thread
 * with nothing else to do meanwhile, and a read of a chunk from the page cache is a copy
 * of well under a millisecond (cancelling stays prompt); the promise API's hop to libuv's
 * thread pool and back per chunk cost more CPU than the copy itself (issue 20).
 */
function fileFor(path: string): number {
  if (handle?.path === path) return handle.fd;
  closeFile();
  handle = { path, fd: openSync(path, 'r') };
  return handle.fd;
}

function closeFile(): void {
  const fd = handle?.fd;
  handle = undefined;
  if (fd !== undefined) closeSync(fd);
}

/** A buffer of at least `bytes`, 8-byte aligned at offset 0 (unpooled), reused between chunks. */
function ensureBuffers(bytes: number, elements: number): void {
  if (buffer.length < bytes) buffer = new Uint8Array(new ArrayBuffer(bytes));
  if (floats.length < elements) floats = new Float32Array(elements);
}

let arena: ScanArena | undefined;
let arenaBackend: ScanBackend | undefined;
/** Set when WebAssembly could not start here: the TypeScript kernels then do the work. */
let wasmUnavailable = false;

/** Kernel memory for these sizes, reused while it is large enough (undefined without WebAssembly). */
function ensureArena(chunkElements: number, subChunkElements: number): ScanArena | undefined {
  if (wasmUnavailable) return undefined;
  if (arena && arena.chunkElements >= chunkElements && arena.subChunkElements >= subChunkElements)
    return arena;
  try {
    arena = new ScanArena(chunkElements, subChunkElements);
    arenaBackend = wasmScanBackend(arena);
  } catch {
    wasmUnavailable = true;
    arena = undefined;
  }
  return arena;
}

/** Where a chunk's bytes go and where its float32 values come out, for either kind of kernel. */
interface ChunkIo {
  readonly target: Uint8Array;
  readonly values: Float32Array;
  readonly backend: ScanBackend;
  decode(dtype: ReadableDtype, count: number): void;
}

function chunkIo(context: JobContext, chunkElements: number): ChunkIo {
  const { tensor, methods } = context;
  const subChunk = Math.max(SCAN_SUBCHUNK_ELEMENTS, scanAlignment(methods));
  const kernelMemory =
    context.kernels === 'wasm' ? ensureArena(chunkElements, subChunk) : undefined;
  if (kernelMemory) {
    return {
      target: kernelMemory.readTarget(tensor.dtype),
      values: kernelMemory.x,
      backend: arenaBackend!,
      decode: (dtype, count) => kernelMemory.decode(dtype, count),
    };
  }
  ensureBuffers(chunkElements * tensor.bytesPerElement, chunkElements);
  return {
    target: buffer,
    values: floats,
    backend: TYPESCRIPT_SCAN_BACKEND,
    decode: (dtype, count) => decodeInto(dtype, buffer, count, floats),
  };
}

function runJob(message: JobMessage): WorkerReply {
  if (message.context) {
    context = message.context;
    plan = undefined;
  }
  if (!context || context.key !== message.contextKey)
    throw new Error('scan worker: job without its context');
  const { tensor, methods } = context;
  const { job } = message;
  const bytesPerElement = tensor.bytesPerElement;
  const alignment = scanAlignment(methods);
  const chunkElements = Math.max(
    alignment,
    Math.floor(message.chunkBytes / bytesPerElement / alignment) * alignment,
  );
  const io = chunkIo(context, chunkElements);
  const fd = fileFor(context.path);
  const stats: TensorStats | undefined =
    context.pass === 'stats' ? emptyStats(tensor.view, statsRequest(methods)) : undefined;
  if (context.pass === 'scan' && plan?.backend !== io.backend) {
    plan = createScanPlan(
      methods,
      tensor.view,
      context.stats,
      context.outlierThreshold,
      io.backend,
    );
  }
  const sums = context.pass === 'scan' ? emptyScanSums(methods.length) : undefined;
  for (let start = job.start; start < job.end; start += chunkElements) {
    const count = Math.min(chunkElements, job.end - start);
    const length = count * bytesPerElement;
    const position = tensor.dataStart + start * bytesPerElement;
    const bytesRead = readSync(fd, io.target, 0, length, position);
    if (bytesRead !== length) {
      throw new HeadroomError(
        'BAD_FILE',
        `${context.path}: the file ends inside tensor "${tensor.name}" (read ${bytesRead} of ${length} bytes at ${position}).`,
      );
    }
    io.decode(tensor.dtype, count);
    if (stats) accumulateStats(stats, tensor.view.cols, io.values, 0, count, start);
    else scanChunk(sums!, plan!, io.values, 0, count, start);
    unreportedBytes += length;
    if (performance.now() - reportedMs >= PROGRESS_INTERVAL_MS) reportProgress();
  }
  reportProgress();
  // No file stays open between jobs: a worker kept warm after its scan holds none.
  closeFile();
  return stats
    ? { type: 'done', jobId: job.id, stats, kernels: io.backend.name }
    : { type: 'done', jobId: job.id, sums: sums!, kernels: io.backend.name };
}

parentPort!.on('message', (message: JobMessage) => {
  try {
    reply(runJob(message));
  } catch (thrown) {
    closeFile();
    reply({ type: 'error', jobId: message.job.id, error: serializeError(thrown) });
  }
});
