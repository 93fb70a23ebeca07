/**
 * What a scan runs on: the chunk kernels, the error sums and the scan's own absmax / outlier
 * count. The TypeScript backend here is the reference; electron/services/quantlab/wasm provides
 * a WebAssembly SIMD one for worker threads (issue 20) that must give bit-identical sums, which
 * tests/unit/core/quantlab/scan-pinned.test.ts and its electron twin hold both to.
 */
import type { ChunkKernel, KernelOutput } from './kernel';
import type { ErrorSums } from './metrics';
import { accumulateErrors } from './metrics';
import type { QuantMethodSpec, TensorShape } from './methods';
import { createKernel } from './quantize';
import type { TensorStats } from './tensor-stats';

/** max |x| and the count of |x| ≥ threshold over a range (a holder reused between calls). */
export interface AbsmaxOutliers {
  absmax: number;
  outliers: number;
}

/**
 * Quantizes x[xStart, xStart + count), the tensor's elements globalStart …, and adds the error
 * sums of x̂ against x into `sums`: what a chunk kernel followed by accumulateErrors does, in
 * one call so that a backend can do both in one pass without storing x̂.
 */
export type ErrorKernel = (
  sums: ErrorSums,
  x: Float32Array,
  xStart: number,
  count: number,
  globalStart: number,
) => void;

export interface ScanBackend {
  /** Shown in benchmarks: "TypeScript", "WebAssembly SIMD". */
  readonly name: string;
  /** Room for x̂ of `elements` values, reused by every kernel call of a plan. */
  scratch(elements: number): Float32Array;
  /** The chunk kernel of a method (the first-pass statistics when it needs them). */
  kernel(spec: QuantMethodSpec, shape: TensorShape, stats?: TensorStats): ChunkKernel;
  /**
   * The error kernel of a method; `output` is the plan's x̂ scratch (from `scratch`), for
   * kernels that store x̂ before summing its errors.
   */
  errorKernel(
    spec: QuantMethodSpec,
    shape: TensorShape,
    stats: TensorStats | undefined,
    output: KernelOutput,
  ): ErrorKernel;
  /** Writes max |x| and the count of |x| ≥ threshold over x[from, to) into `into`. */
  absmaxAndOutliers(
    x: Float32Array,
    from: number,
    to: number,
    threshold: number,
    into: AbsmaxOutliers,
  ): void;
  /** Adds the error sums of originals x[xStart …] against dequantized[0 …], as metrics.ts does. */
  accumulateErrors(
    sums: ErrorSums,
    x: Float32Array,
    xStart: number,
    dequantized: Float32Array,
    count: number,
  ): void;
}

/** max |x| and the count of |x| ≥ threshold over x[from, to): a small function V8 optimizes whole. */
function absmaxAndOutliers(
  x: Float32Array,
  from: number,
  to: number,
  threshold: number,
  into: AbsmaxOutliers,
): void {
  let absmax = 0; // a literal seed keeps the loop unboxed (see metrics.ts)
  let outliers = 0;
  for (let i = from; i < to; i++) {
    const a = Math.abs(x[i]!);
    absmax = a > absmax ? a : absmax;
    outliers += a >= threshold ? 1 : 0;
  }
  into.absmax = absmax;
  into.outliers = outliers;
}

/** An error kernel in two passes: the chunk kernel's x̂ into `output`, then its error sums. */
export function twoPassErrorKernel(
  kernel: ChunkKernel,
  output: KernelOutput,
  accumulate: ScanBackend['accumulateErrors'],
): ErrorKernel {
  return (sums, x, xStart, count, globalStart) => {
    kernel(x, xStart, count, globalStart, output);
    accumulate(sums, x, xStart, output.dequantized, count);
  };
}

/** The reference backend: core's TypeScript kernels. */
export const TYPESCRIPT_SCAN_BACKEND: ScanBackend = {
  name: 'TypeScript',
  scratch: (elements) => new Float32Array(elements),
  kernel: createKernel,
  errorKernel: (spec, shape, stats, output) =>
    twoPassErrorKernel(createKernel(spec, shape, stats), output, accumulateErrors),
  absmaxAndOutliers,
  accumulateErrors,
};
