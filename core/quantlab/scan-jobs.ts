/**
 * How a checkpoint scan is cut into jobs for worker threads: each tensor is split into element
 * ranges of a fixed size, aligned to the methods' groups. The cut depends on the tensors and
 * methods only, never on how many workers run, so results merged in job order are identical
 * for 1 or 64 threads.
 */
import type { ReadableDtype } from './float-formats';
import type { QuantMethodSpec, TensorShape } from './methods';
import { scanAlignment } from './scan';

/** A tensor to scan, located in its file. */
export interface ScanTensor {
  readonly name: string;
  readonly dtype: ReadableDtype;
  readonly shape: readonly number[];
  readonly view: TensorShape;
  readonly elements: number;
  /** Absolute byte offset of the tensor's first element in the file. */
  readonly dataStart: number;
  readonly bytesPerElement: number;
}

/** Elements [start, end) of tensor `tensorIndex`. */
export interface ScanJob {
  readonly id: number;
  readonly tensorIndex: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Target size of one job: 2^24 elements (32 MiB of bf16). Large enough that a job's start-up
 * is negligible, small enough that a few tensors keep every core busy.
 */
const SCAN_JOB_ELEMENTS = 2 ** 24;

/** Cuts every tensor into aligned jobs, in file order. */
export function planScanJobs(
  tensors: readonly ScanTensor[],
  methods: readonly QuantMethodSpec[],
  jobElements = SCAN_JOB_ELEMENTS,
): ScanJob[] {
  const alignment = scanAlignment(methods);
  const size = Math.max(alignment, Math.floor(jobElements / alignment) * alignment);
  const jobs: ScanJob[] = [];
  tensors.forEach((tensor, tensorIndex) => {
    for (let start = 0; start < tensor.elements; start += size) {
      jobs.push({
        id: jobs.length,
        tensorIndex,
        start,
        end: Math.min(tensor.elements, start + size),
      });
    }
  });
  return jobs;
}

/** Bytes a list of jobs reads. */
export function jobBytes(tensors: readonly ScanTensor[], jobs: readonly ScanJob[]): number {
  return jobs.reduce(
    (total, job) => total + (job.end - job.start) * tensors[job.tensorIndex]!.bytesPerElement,
    0,
  );
}
