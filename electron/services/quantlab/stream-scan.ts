/**
 * Whole-checkpoint error scans of local safetensors files: every tensor (or the named ones)
 * streamed in chunks through worker threads on all cores, in bounded memory, cancellable,
 * with progress. Methods that need tensor-wide scales (per-tensor, per-row, per-column,
 * LLM.int8, double quantization) get a first pass that collects them.
 */
import {
  validateMethod,
  type QuantMethodSpec,
  LLM_INT8_DEFAULT_THRESHOLD,
} from '../../../core/quantlab/methods';
import {
  emptyErrorSums,
  finishMetrics,
  mergeErrorSums,
  type QuantMetrics,
} from '../../../core/quantlab/metrics';
import {
  finishScanRow,
  mergeScanSums,
  type ScanRow,
  type ScanSums,
} from '../../../core/quantlab/scan';
import { jobBytes, planScanJobs, type ScanJob } from '../../../core/quantlab/scan-jobs';
import {
  mergeStats,
  statsLimitProblem,
  statsRequest,
  type TensorStats,
} from '../../../core/quantlab/tensor-stats';
import { DEFAULT_CHUNK_BYTES, defaultWorkerCount } from './memory-budget';
import {
  openCheckpoint,
  selectTensors,
  type LabTensor,
  type SkippedTensor,
} from './safetensors-tensors';
import type { JobContext, ScanKernels, ScanPass } from './scan-protocol';
import { ScanWorkerPool } from './worker-pool';

export interface ScanProgress {
  readonly pass: ScanPass;
  /** Bytes read so far, both passes counted. */
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** Milliseconds since the scan started (headers read included). */
  readonly elapsedMs: number;
}

interface ScanOptions {
  readonly methods: readonly QuantMethodSpec[];
  /** Tensor names; all F32/F16/BF16 tensors when absent or empty. */
  readonly tensors?: readonly string[];
  /** |x| at or above which a value counts as an outlier in the table (default 6.0). */
  readonly outlierThreshold?: number;
  /** Worker threads (default: every core the memory budget allows). */
  readonly workers?: number;
  /** Bytes per file read in each worker (default 1 MiB). */
  readonly chunkBytes?: number;
  /** WebAssembly SIMD kernels (default) or core's TypeScript ones (the reference, for benchmarks). */
  readonly kernels?: ScanKernels;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ScanProgress) => void;
}

/** Per method, over every scanned value of the file. */
interface ScanTotal {
  readonly label: string;
  readonly metrics: QuantMetrics;
  readonly storedBytes: number;
}

export interface ScanReport {
  readonly path: string;
  /** The safetensors files read (one, or a sharded checkpoint's shards). */
  readonly files: readonly string[];
  /** |x| at or above which values counted as outliers. */
  readonly outlierThreshold: number;
  readonly rows: readonly ScanRow[];
  readonly skipped: readonly SkippedTensor[];
  readonly totals: readonly ScanTotal[];
  readonly workers: number;
  readonly bytesRead: number;
  /** The kernels the workers ran (ScanBackend names), e.g. ["WebAssembly SIMD"]. */
  readonly kernels: readonly string[];
}

/**
 * Merges first-pass statistics as jobs finish, so at most one result per worker is held at a
 * time (a result carries per-row and per-column arrays the size of its tensor). Min, max and
 * the outlier flags merge exactly in any order; the block-absmax sums of double quantization
 * are kept per job and added in job order at the end, so the offset does not depend on timing.
 */
class StatsMerger {
  private readonly merged = new Map<number, TensorStats>();
  private readonly blockSums: { sum: number; blocks: number }[][] = [];

  constructor(private readonly jobs: readonly ScanJob[]) {}

  add(jobId: number, stats: TensorStats): void {
    this.blockSums[jobId] = stats.blockAbsmax.map(({ sum, blocks }) => ({ sum, blocks }));
    for (const entry of stats.blockAbsmax) {
      entry.sum = 0;
      entry.blocks = 0;
    }
    const tensorIndex = this.jobs[jobId]!.tensorIndex;
    const into = this.merged.get(tensorIndex);
    if (into) mergeStats(into, stats);
    else this.merged.set(tensorIndex, stats);
  }

  finish(): Map<number, TensorStats> {
    this.jobs.forEach((job) => {
      const stats = this.merged.get(job.tensorIndex)!;
      this.blockSums[job.id]!.forEach(({ sum, blocks }, k) => {
        stats.blockAbsmax[k]!.sum += sum;
        stats.blockAbsmax[k]!.blocks += blocks;
      });
    });
    return this.merged;
  }
}

/** Merges each tensor's scan sums in job order (deterministic whatever the threads did). */
function mergeInJobOrder(
  jobs: readonly ScanJob[],
  sumsByJob: readonly ScanSums[],
): Map<number, ScanSums> {
  const merged = new Map<number, ScanSums>();
  jobs.forEach((job) => {
    const sums = sumsByJob[job.id]!;
    const into = merged.get(job.tensorIndex);
    if (into) mergeScanSums(into, sums);
    else merged.set(job.tensorIndex, sums);
  });
  return merged;
}

/**
 * Scans a checkpoint with the given methods: a safetensors file, a sharded checkpoint's
 * model.safetensors.index.json, or a folder holding either.
 * @example await scanSafetensors('model.safetensors', { methods: [{ method: 'nf4', blockSize: 64, doubleQuant: false }] })
 */
export async function scanSafetensors(path: string, options: ScanOptions): Promise<ScanReport> {
  const startedMs = performance.now();
  const methods = options.methods.map(validateMethod);
  const outlierThreshold = options.outlierThreshold ?? LLM_INT8_DEFAULT_THRESHOLD;
  const checkpoint = await openCheckpoint(path);
  const request = statsRequest(methods);
  const skipped: SkippedTensor[] = [...checkpoint.skipped];
  const tensors: LabTensor[] = [];
  for (const tensor of selectTensors(checkpoint, options.tensors)) {
    const problem = statsLimitProblem(tensor.view, request);
    if (problem) skipped.push({ name: tensor.name, dtype: tensor.dtype, reason: problem });
    else tensors.push(tensor);
  }
  const jobs = planScanJobs(tensors, methods);
  const passBytes = jobBytes(tensors, jobs);
  const bytesTotal = passBytes * (request.needed ? 2 : 1);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const workers = Math.max(
    1,
    Math.min(options.workers ?? defaultWorkerCount(chunkBytes), jobs.length || 1),
  );
  let bytesDone = 0;
  const kernelsUsed = new Set<string>();
  const progress = (pass: ScanPass) => (bytes: number) => {
    bytesDone += bytes;
    options.onProgress?.({ pass, bytesDone, bytesTotal, elapsedMs: performance.now() - startedMs });
  };
  const context = (pass: ScanPass, job: ScanJob, stats?: TensorStats): JobContext => ({
    key: `${pass}:${job.tensorIndex}`,
    path: tensors[job.tensorIndex]!.path,
    tensor: tensors[job.tensorIndex]!,
    pass,
    methods,
    outlierThreshold,
    kernels: options.kernels ?? 'wasm',
    ...(stats ? { stats } : {}),
  });
  const pool = new ScanWorkerPool(workers);
  let finished = false;
  try {
    let stats = new Map<number, TensorStats>();
    if (request.needed) {
      const merger = new StatsMerger(jobs);
      await pool.run(jobs, (job) => context('stats', job), {
        chunkBytes,
        ...(options.signal ? { signal: options.signal } : {}),
        onBytes: progress('stats'),
        onDone: (reply) => {
          kernelsUsed.add(reply.kernels);
          merger.add(reply.jobId, reply.stats!);
        },
      });
      stats = merger.finish();
    }
    const sumsByJob: ScanSums[] = [];
    await pool.run(jobs, (job) => context('scan', job, stats.get(job.tensorIndex)), {
      chunkBytes,
      ...(options.signal ? { signal: options.signal } : {}),
      onBytes: progress('scan'),
      onDone: (reply) => {
        kernelsUsed.add(reply.kernels);
        sumsByJob[reply.jobId] = reply.sums!;
      },
    });
    finished = true;
    const sums = mergeInJobOrder(jobs, sumsByJob);
    const rows = tensors.map((tensor, index) =>
      finishScanRow(tensor, tensor.view, methods, sums.get(index)!, stats.get(index)),
    );
    const totals = methods.map((spec, m) => {
      const all = emptyErrorSums();
      for (const tensorSums of sums.values()) mergeErrorSums(all, tensorSums.errors[m]!);
      return {
        label: rows[0]?.results[m]?.label ?? '',
        metrics: finishMetrics(all),
        storedBytes: rows.reduce((total, row) => total + row.results[m]!.storedBytes, 0),
      };
    });
    return {
      path,
      files: checkpoint.files,
      outlierThreshold,
      rows,
      skipped,
      totals,
      workers,
      bytesRead: bytesDone,
      kernels: [...kernelsUsed],
    };
  } finally {
    // A finished scan's threads stay warm; a cancelled or failed one's are stopped, and the
    // scan settles once they have exited.
    if (finished) pool.release();
    else await pool.close();
  }
}
