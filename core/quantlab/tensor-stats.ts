/**
 * The first pass over a tensor: the statistics that methods with tensor-, row- or
 * column-wide scales need before they can quantize any chunk (absmax, min/max per row or
 * column, LLM.int8()'s outlier columns, the mean block absmax of double quantization).
 * Accumulated chunk by chunk and merged, so a streamed tensor needs only O(rows + cols) memory.
 */
import { HeadroomError } from '../errors';
import type { QuantMethodSpec, TensorShape } from './methods';

/** Most rows / columns whose statistics the lab keeps (4 Mi rows, 1 Mi columns: 64 + 12 MiB). */
const MAX_STAT_ROWS = 2 ** 22;
const MAX_STAT_COLUMNS = 2 ** 20;

/** What the first pass must collect for a set of methods. */
interface StatsRequest {
  readonly rows: boolean;
  readonly columns: boolean;
  readonly llmInt8Thresholds: readonly number[];
  /** Block sizes whose mean block absmax double quantization needs. */
  readonly blockAbsmaxSizes: readonly number[];
  /** Whether any method needs a first pass at all. */
  readonly needed: boolean;
}

/** LLM.int8() decomposition statistics for one threshold. */
export interface LlmInt8Stats {
  readonly threshold: number;
  /** 1 where the column holds a value with |x| ≥ threshold (kept in fp16). */
  readonly outlierColumns: Uint8Array;
  /** Row absmax over the values with |x| < threshold (bitsandbytes zeroes the outliers first). */
  readonly inlierRowAbsmax: Float32Array;
  outlierValues: number;
}

/** Σ absmax over the blocks of one size, and the block count (for the DQ offset, their mean). */
interface BlockAbsmaxSum {
  readonly blockSize: number;
  sum: number;
  blocks: number;
}

export interface TensorStats {
  count: number;
  min: number;
  max: number;
  readonly rowMin?: Float32Array;
  readonly rowMax?: Float32Array;
  readonly colMin?: Float32Array;
  readonly colMax?: Float32Array;
  readonly llmInt8: LlmInt8Stats[];
  readonly blockAbsmax: BlockAbsmaxSum[];
}

/** The first-pass needs of a list of methods. */
export function statsRequest(methods: readonly QuantMethodSpec[]): StatsRequest {
  let rows = false;
  let columns = false;
  let tensor = false;
  const thresholds = new Set<number>();
  const blockSizes = new Set<number>();
  for (const spec of methods) {
    if (spec.method === 'absmax' || spec.method === 'zeropoint') {
      const kind = spec.granularity.kind;
      if (kind === 'row') rows = true;
      if (kind === 'column') columns = true;
      if (kind === 'tensor') tensor = true;
    } else if (spec.method === 'llm.int8') {
      thresholds.add(spec.threshold);
    } else if ((spec.method === 'nf4' || spec.method === 'fp4') && spec.doubleQuant) {
      blockSizes.add(spec.blockSize);
    }
  }
  return {
    rows,
    columns,
    llmInt8Thresholds: [...thresholds],
    blockAbsmaxSizes: [...blockSizes],
    needed: rows || columns || tensor || thresholds.size > 0 || blockSizes.size > 0,
  };
}

function filled(length: number, value: number): Float32Array {
  return new Float32Array(length).fill(value);
}

/** Why the first pass cannot keep statistics for this shape (too many rows or columns), if it cannot. */
export function statsLimitProblem(shape: TensorShape, request: StatsRequest): string | undefined {
  const needsRows = request.rows || request.llmInt8Thresholds.length > 0;
  const needsColumns = request.columns || request.llmInt8Thresholds.length > 0;
  if (needsRows && shape.rows > MAX_STAT_ROWS) {
    return `per-row methods need at most ${MAX_STAT_ROWS} rows; this tensor has ${shape.rows}`;
  }
  if (needsColumns && shape.cols > MAX_STAT_COLUMNS) {
    return `per-column methods and LLM.int8 need at most ${MAX_STAT_COLUMNS} columns; this tensor has ${shape.cols} (a 1-D tensor is one row)`;
  }
  return undefined;
}

/** Empty statistics for a tensor of this shape; refuses shapes too wide to keep per-row/column stats. */
export function emptyStats(shape: TensorShape, request: StatsRequest): TensorStats {
  const problem = statsLimitProblem(shape, request);
  if (problem)
    throw new HeadroomError('BAD_ARGUMENT', `${problem[0]!.toUpperCase()}${problem.slice(1)}.`);
  return {
    count: 0,
    min: Infinity,
    max: -Infinity,
    ...(request.rows
      ? { rowMin: filled(shape.rows, Infinity), rowMax: filled(shape.rows, -Infinity) }
      : {}),
    ...(request.columns
      ? { colMin: filled(shape.cols, Infinity), colMax: filled(shape.cols, -Infinity) }
      : {}),
    llmInt8: request.llmInt8Thresholds.map((threshold) => ({
      threshold,
      outlierColumns: new Uint8Array(shape.cols),
      inlierRowAbsmax: new Float32Array(shape.rows),
      outlierValues: 0,
    })),
    blockAbsmax: request.blockAbsmaxSizes.map((blockSize) => ({ blockSize, sum: 0, blocks: 0 })),
  };
}

/**
 * Adds `count` values `x[xStart …]`, which are elements `globalStart …` of the tensor, to the
 * statistics. `globalStart` must be a multiple of every block size in `stats.blockAbsmax`.
 */
export function accumulateStats(
  stats: TensorStats,
  cols: number,
  x: Float32Array,
  xStart: number,
  count: number,
  globalStart: number,
): void {
  let min = stats.min;
  let max = stats.max;
  for (let i = xStart; i < xStart + count; i++) {
    const v = x[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  stats.min = min;
  stats.max = max;
  stats.count += count;
  const { rowMin, rowMax, colMin, colMax } = stats;
  if (rowMin || colMin || stats.llmInt8.length > 0) {
    for (let i = 0; i < count; i++) {
      const g = globalStart + i;
      const row = Math.floor(g / cols);
      const col = g - row * cols;
      const v = x[xStart + i]!;
      if (rowMin && rowMax) {
        if (v < rowMin[row]!) rowMin[row] = v;
        if (v > rowMax[row]!) rowMax[row] = v;
      }
      if (colMin && colMax) {
        if (v < colMin[col]!) colMin[col] = v;
        if (v > colMax[col]!) colMax[col] = v;
      }
      const a = Math.abs(v);
      for (const int8 of stats.llmInt8) {
        if (a >= int8.threshold) {
          int8.outlierColumns[col] = 1;
          int8.outlierValues++;
        } else if (a > int8.inlierRowAbsmax[row]!) {
          int8.inlierRowAbsmax[row] = a;
        }
      }
    }
  }
  for (const entry of stats.blockAbsmax) {
    for (let start = 0; start < count; start += entry.blockSize) {
      const end = Math.min(count, start + entry.blockSize);
      let absmax = 0;
      for (let i = xStart + start; i < xStart + end; i++) {
        const a = Math.abs(x[i]!);
        if (a > absmax) absmax = a;
      }
      entry.sum += absmax;
      entry.blocks++;
    }
  }
}

function mergeMin(into: Float32Array | undefined, other: Float32Array | undefined): void {
  if (!into || !other) return;
  for (let i = 0; i < into.length; i++) if (other[i]! < into[i]!) into[i] = other[i]!;
}

function mergeMax(into: Float32Array | undefined, other: Float32Array | undefined): void {
  if (!into || !other) return;
  for (let i = 0; i < into.length; i++) if (other[i]! > into[i]!) into[i] = other[i]!;
}

/** Merges the statistics of another range of the same tensor into `into`. */
export function mergeStats(into: TensorStats, other: TensorStats): void {
  into.count += other.count;
  into.min = Math.min(into.min, other.min);
  into.max = Math.max(into.max, other.max);
  mergeMin(into.rowMin, other.rowMin);
  mergeMax(into.rowMax, other.rowMax);
  mergeMin(into.colMin, other.colMin);
  mergeMax(into.colMax, other.colMax);
  into.llmInt8.forEach((entry, k) => {
    const theirs = other.llmInt8[k]!;
    for (let c = 0; c < entry.outlierColumns.length; c++) {
      entry.outlierColumns[c] = entry.outlierColumns[c]! | theirs.outlierColumns[c]!;
    }
    mergeMax(entry.inlierRowAbsmax, theirs.inlierRowAbsmax);
    entry.outlierValues += theirs.outlierValues;
  });
  into.blockAbsmax.forEach((entry, k) => {
    entry.sum += other.blockAbsmax[k]!.sum;
    entry.blocks += other.blockAbsmax[k]!.blocks;
  });
}

/** Statistics of a tensor held in memory, in one call. */
export function tensorStats(
  values: Float32Array,
  shape: TensorShape,
  methods: readonly QuantMethodSpec[],
): TensorStats {
  const stats = emptyStats(shape, statsRequest(methods));
  accumulateStats(stats, shape.cols, values, 0, values.length, 0);
  return stats;
}

/** The tensor's absmax from its min and max. */
export function statsAbsmax(stats: TensorStats): number {
  return stats.count === 0 ? 0 : Math.max(Math.abs(stats.min), Math.abs(stats.max));
}
