/** Whole-file quantization scans (issue 9) as they cross the bridge. Re-exported by core/bridge.ts. */
import type { SerializedError } from './errors';
import type { MethodOptions } from './quantlab/method-options';
import type { JsonMetrics } from './quantlab/quant-json';
import type { ScanMethodResult, ScanRow } from './quantlab/scan';

/** A whole-file quantization scan to start (issue 9): a safetensors file, index or folder. */
export interface ScanRequest {
  readonly path: string;
  /** The methods as the CLI's flags name them (`--method nf4 --block 64`). */
  readonly methods: readonly MethodOptions[];
  /** Tensor names; every F32/F16/BF16 tensor when absent or empty. */
  readonly tensors?: readonly string[];
  /** |x| at or above which a value counts as an outlier (default 6.0). */
  readonly outlierThreshold?: number;
}

/** A scan row as it crosses the bridge: an infinite SNR (no error) is null, as JSON writes it. */
export type WireScanRow = Omit<ScanRow, 'results'> & {
  readonly results: readonly (Omit<ScanMethodResult, 'metrics'> & {
    readonly metrics: JsonMetrics;
  })[];
};

/** A finished scan: one row per tensor, the totals per method, and what was skipped. */
export interface ScanResult {
  readonly path: string;
  readonly files: readonly string[];
  readonly outlierThreshold: number;
  readonly rows: readonly WireScanRow[];
  readonly skipped: readonly {
    readonly name: string;
    readonly dtype: string;
    readonly reason: string;
  }[];
  readonly totals: readonly {
    readonly label: string;
    readonly metrics: JsonMetrics;
    readonly storedBytes: number;
  }[];
  readonly workers: number;
  readonly bytesRead: number;
}

/** Where a scan stands; ask again with scanStatus until it is no longer running. */
export type ScanStatus =
  | {
      readonly state: 'running';
      /** `opening`: reading headers; `stats`: the first pass; `scan`: the error scan. */
      readonly pass: 'opening' | 'stats' | 'scan';
      readonly bytesDone: number;
      readonly bytesTotal: number;
      /** Milliseconds since the scan started: with the bytes, its rate and time left (core/quantlab/scan-progress). */
      readonly elapsedMs: number;
    }
  | { readonly state: 'done'; readonly result: ScanResult }
  | { readonly state: 'failed'; readonly error: SerializedError }
  | { readonly state: 'cancelled' };
