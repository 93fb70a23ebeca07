/**
 * Messages between the scan runner and its worker threads (structured-clone plain data).
 */
import type { SerializedError } from '../../../core/errors';
import type { QuantMethodSpec } from '../../../core/quantlab/methods';
import type { ScanSums } from '../../../core/quantlab/scan';
import type { ScanJob, ScanTensor } from '../../../core/quantlab/scan-jobs';
import type { TensorStats } from '../../../core/quantlab/tensor-stats';

/** First pass (tensor-wide statistics) or the error scan itself. */
export type ScanPass = 'stats' | 'scan';

/** Which kernels a worker scans with: WebAssembly SIMD (the default) or core's TypeScript. */
export const SCAN_KERNELS = ['wasm', 'typescript'] as const;
export type ScanKernels = (typeof SCAN_KERNELS)[number];

/** What a job needs beyond its range; sent once per tensor and pass to each worker. */
export interface JobContext {
  /** Identifies the context; a worker caches the last one it was sent. */
  readonly key: string;
  readonly path: string;
  readonly tensor: ScanTensor;
  readonly pass: ScanPass;
  readonly methods: readonly QuantMethodSpec[];
  readonly outlierThreshold: number;
  readonly kernels: ScanKernels;
  /** The first pass's merged statistics, for methods that need them in the scan pass. */
  readonly stats?: TensorStats;
}

export interface JobMessage {
  readonly type: 'job';
  readonly job: ScanJob;
  /** Bytes per file read (the worker's one reused buffer). */
  readonly chunkBytes: number;
  readonly contextKey: string;
  /** Present when this worker has not been sent this context yet. */
  readonly context?: JobContext;
}

export type WorkerReply =
  | { readonly type: 'progress'; readonly bytes: number }
  | {
      readonly type: 'done';
      readonly jobId: number;
      readonly stats?: TensorStats;
      readonly sums?: ScanSums;
      /** The backend that ran the job (ScanBackend.name). */
      readonly kernels: string;
    }
  | { readonly type: 'error'; readonly jobId: number; readonly error: SerializedError };
