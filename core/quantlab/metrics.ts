/**
 * Error metrics of a quantization: what dequantize(quantize(x)) did to x. Kept as running
 * sums so a tensor streamed in chunks (and split across worker threads) gives the same numbers
 * as one pass over it in memory; sums merge in a fixed order for bit-identical results.
 */

/** Running sums over (original, dequantized) pairs; plain data, safe to post between threads. */
export interface ErrorSums {
  /** Values compared. */
  count: number;
  /** Σ (x − x̂)². */
  sumSquaredError: number;
  /** Σ x² (signal power, for the SNR). */
  sumSquaredSignal: number;
  /** max |x − x̂|. */
  maxAbsError: number;
  /** Σ |x − x̂| / |x| over x ≠ 0. */
  sumRelativeError: number;
  /** Values with x ≠ 0. */
  nonzeroCount: number;
  /** Values with x ≠ 0 whose dequantized value is 0 (information lost entirely). */
  zeroedCount: number;
}

/** The metrics every method reports (issue 9), for a tensor, a sample or a whole checkpoint. */
export interface QuantMetrics {
  /** Mean squared error, mean of (x − x̂)². */
  readonly mse: number;
  /** √mse, in the tensor's own units. */
  readonly rmse: number;
  readonly maxAbsError: number;
  /**
   * Signal-to-noise ratio, 10·log10(Σx² / Σ(x − x̂)²) in dB; Infinity when the error is zero
   * (JSON prints it as null).
   */
  readonly snrDb: number;
  /** Mean of |x − x̂| / |x| over the nonzero x (0 when every x is 0). */
  readonly meanRelError: number;
  /** Share of all values that were nonzero and came back as exactly 0. */
  readonly zeroedFraction: number;
}

/** Empty sums. */
export function emptyErrorSums(): ErrorSums {
  return {
    count: 0,
    sumSquaredError: 0,
    sumSquaredSignal: 0,
    maxAbsError: 0,
    sumRelativeError: 0,
    nonzeroCount: 0,
    zeroedCount: 0,
  };
}

/**
 * Adds `count` pairs: originals `x[xStart …]`, dequantized `dequantized[0 …]`.
 * The hot loop of every scan: locals only, one pass.
 */
export function accumulateErrors(
  sums: ErrorSums,
  x: Float32Array,
  xStart: number,
  dequantized: Float32Array,
  count: number,
): void {
  let sse = 0;
  let signal = 0;
  // Loop-carried locals start from literals: seeding one from an object field (a small
  // integer 0) makes V8 box it on every iteration, three times slower.
  let maxError = 0;
  let relative = 0;
  let nonzero = 0;
  let zeroed = 0;
  for (let i = 0; i < count; i++) {
    const v = x[xStart + i]!;
    const d = dequantized[i]!;
    const e = v - d;
    sse += e * e;
    signal += v * v;
    const absError = Math.abs(e);
    maxError = absError > maxError ? absError : maxError;
    if (v !== 0) {
      nonzero++;
      relative += absError / Math.abs(v);
      if (d === 0) zeroed++;
    }
  }
  sums.count += count;
  sums.sumSquaredError += sse;
  sums.sumSquaredSignal += signal;
  sums.maxAbsError = Math.max(sums.maxAbsError, maxError);
  sums.sumRelativeError += relative;
  sums.nonzeroCount += nonzero;
  sums.zeroedCount += zeroed;
}

/** Adds `other` into `into` (merge partial sums; call in a fixed order for determinism). */
export function mergeErrorSums(into: ErrorSums, other: ErrorSums): void {
  into.count += other.count;
  into.sumSquaredError += other.sumSquaredError;
  into.sumSquaredSignal += other.sumSquaredSignal;
  into.maxAbsError = Math.max(into.maxAbsError, other.maxAbsError);
  into.sumRelativeError += other.sumRelativeError;
  into.nonzeroCount += other.nonzeroCount;
  into.zeroedCount += other.zeroedCount;
}

/** Signal-to-noise ratio in dB from the two powers. */
function snrDecibels(signalPower: number, noisePower: number): number {
  if (noisePower === 0) return Infinity;
  return 10 * Math.log10(signalPower / noisePower);
}

/** The reported metrics from the sums (all zero for an empty tensor). */
export function finishMetrics(sums: ErrorSums): QuantMetrics {
  const mse = sums.count === 0 ? 0 : sums.sumSquaredError / sums.count;
  return {
    mse,
    rmse: Math.sqrt(mse),
    maxAbsError: sums.maxAbsError,
    snrDb: snrDecibels(sums.sumSquaredSignal, sums.sumSquaredError),
    meanRelError: sums.nonzeroCount === 0 ? 0 : sums.sumRelativeError / sums.nonzeroCount,
    zeroedFraction: sums.count === 0 ? 0 : sums.zeroedCount / sums.count,
  };
}

/** Metrics of a dequantized copy against the original, in one call. */
export function errorMetrics(original: Float32Array, dequantized: Float32Array): QuantMetrics {
  const sums = emptyErrorSums();
  accumulateErrors(sums, original, 0, dequantized, original.length);
  return finishMetrics(sums);
}
