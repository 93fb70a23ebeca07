/**
 * Error scans without keeping the quantized tensor: each chunk is quantized and dequantized
 * into a small scratch buffer and only the error sums survive. This is what streams a whole
 * checkpoint through worker threads (electron/services/quantlab) in bounded memory; the
 * per-tensor results form the lab's sortable scan table.
 */
import type { KernelOutput } from './kernel';
import { llmInt8Stats, llmInt8Summary } from './llm-int8';
import {
  emptyErrorSums,
  finishMetrics,
  mergeErrorSums,
  type ErrorSums,
  type QuantMetrics,
} from './metrics';
import {
  cliMethodName,
  groupAlignment,
  LLM_INT8_DEFAULT_THRESHOLD,
  methodLabel,
  storedBytes,
  type CliMethodName,
  type QuantMethodSpec,
  type TensorShape,
} from './methods';
import {
  TYPESCRIPT_SCAN_BACKEND,
  type AbsmaxOutliers,
  type ErrorKernel,
  type ScanBackend,
} from './scan-backend';
import { statsAbsmax, type TensorStats } from './tensor-stats';

/** Elements quantized per kernel call while scanning (256 KiB of float32: stays in cache). */
export const SCAN_SUBCHUNK_ELEMENTS = 65536;

/** Running results of one tensor (or one range of it): plain data, merged in range order. */
export interface ScanSums {
  count: number;
  absmax: number;
  /** Values with |x| ≥ the scan's outlier threshold. */
  outlierCount: number;
  /** One entry per method, in the plan's order. */
  readonly errors: ErrorSums[];
}

/** The kernels of a scan, bound to one tensor's shape and first-pass statistics. */
export interface ScanPlan {
  readonly methods: readonly QuantMethodSpec[];
  /** Per method: quantize a run and add its error sums. */
  readonly errorKernels: readonly ErrorKernel[];
  readonly outlierThreshold: number;
  /** Elements per kernel call: a multiple of every method's group alignment. */
  readonly subChunk: number;
  readonly backend: ScanBackend;
  /** The absmax holder, reused: no allocation per chunk. */
  readonly absmax: AbsmaxOutliers;
}

/** Elements a streamed range must start on for these methods (the largest group; all are powers of two). */
export function scanAlignment(methods: readonly QuantMethodSpec[]): number {
  return methods.reduce((alignment, spec) => Math.max(alignment, groupAlignment(spec)), 1);
}

/**
 * Binds the methods to a tensor (stats: the first pass, when any method needs one), on the
 * TypeScript kernels unless another backend is given.
 */
export function createScanPlan(
  methods: readonly QuantMethodSpec[],
  shape: TensorShape,
  stats?: TensorStats,
  outlierThreshold = LLM_INT8_DEFAULT_THRESHOLD,
  backend: ScanBackend = TYPESCRIPT_SCAN_BACKEND,
): ScanPlan {
  const subChunk = Math.max(SCAN_SUBCHUNK_ELEMENTS, scanAlignment(methods));
  // One x̂ scratch for every method's kernel: no allocation per chunk.
  const output: KernelOutput = { dequantized: backend.scratch(subChunk) };
  return {
    methods,
    errorKernels: methods.map((spec) => backend.errorKernel(spec, shape, stats, output)),
    outlierThreshold,
    subChunk,
    backend,
    absmax: { absmax: 0, outliers: 0 },
  };
}

/** Empty sums for a plan's methods. */
export function emptyScanSums(methodCount: number): ScanSums {
  return {
    count: 0,
    absmax: 0,
    outlierCount: 0,
    errors: Array.from({ length: methodCount }, emptyErrorSums),
  };
}

/**
 * Scans `count` values `x[xStart …]`, the tensor's elements `globalStart …` (a multiple of
 * scanAlignment(plan.methods)).
 */
export function scanChunk(
  sums: ScanSums,
  plan: ScanPlan,
  x: Float32Array,
  xStart: number,
  count: number,
  globalStart: number,
): void {
  const { backend, errorKernels, absmax } = plan;
  backend.absmaxAndOutliers(x, xStart, xStart + count, plan.outlierThreshold, absmax);
  sums.absmax = Math.max(sums.absmax, absmax.absmax);
  sums.outlierCount += absmax.outliers;
  sums.count += count;
  for (let done = 0; done < count; done += plan.subChunk) {
    const run = Math.min(plan.subChunk, count - done);
    for (let m = 0; m < errorKernels.length; m++)
      errorKernels[m]!(sums.errors[m]!, x, xStart + done, run, globalStart + done);
  }
}

/** Adds the sums of a later range of the same tensor. */
export function mergeScanSums(into: ScanSums, other: ScanSums): void {
  into.count += other.count;
  into.absmax = Math.max(into.absmax, other.absmax);
  into.outlierCount += other.outlierCount;
  into.errors.forEach((sums, m) => mergeErrorSums(sums, other.errors[m]!));
}

/** One method's outcome on one tensor. */
export interface ScanMethodResult {
  readonly method: CliMethodName;
  readonly label: string;
  readonly metrics: QuantMetrics;
  readonly storedBytes: number;
}

/** One row of the scan table. */
export interface ScanRow {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly elements: number;
  readonly absmax: number;
  /** Share of values with |x| ≥ the outlier threshold (6.0 unless told otherwise). */
  readonly outlierFraction: number;
  readonly results: readonly ScanMethodResult[];
}

/** The finished row of a tensor from its merged sums. */
export function finishScanRow(
  tensor: { readonly name: string; readonly dtype: string; readonly shape: readonly number[] },
  view: TensorShape,
  methods: readonly QuantMethodSpec[],
  sums: ScanSums,
  stats?: TensorStats,
): ScanRow {
  return {
    name: tensor.name,
    dtype: tensor.dtype,
    shape: tensor.shape,
    elements: sums.count,
    absmax: stats ? Math.max(sums.absmax, statsAbsmax(stats)) : sums.absmax,
    outlierFraction: sums.count === 0 ? 0 : sums.outlierCount / sums.count,
    results: methods.map((spec, m) => {
      const outlierColumns =
        spec.method === 'llm.int8'
          ? llmInt8Summary(llmInt8Stats(stats, spec.threshold), view).outlierColumns.length
          : 0;
      return {
        method: cliMethodName(spec),
        label: methodLabel(spec),
        metrics: finishMetrics(sums.errors[m]!),
        storedBytes: storedBytes(spec, view, outlierColumns),
      };
    }),
  };
}

/** Scan-table columns a UI can sort by. */
export type ScanSortKey =
  | { readonly column: 'name' | 'elements' | 'absmax' | 'outlierFraction' }
  | { readonly column: 'metric'; readonly methodIndex: number; readonly metric: keyof QuantMetrics }
  | { readonly column: 'storedBytes'; readonly methodIndex: number };

function sortValue(row: ScanRow, key: ScanSortKey): number | string {
  switch (key.column) {
    case 'name':
      return row.name;
    case 'elements':
    case 'absmax':
    case 'outlierFraction':
      return row[key.column];
    case 'metric':
      return row.results[key.methodIndex]?.metrics[key.metric] ?? NaN;
    case 'storedBytes':
      return row.results[key.methodIndex]?.storedBytes ?? NaN;
  }
}

/** The rows sorted by a column (a new array; ties keep the file order). */
export function sortScanRows(
  rows: readonly ScanRow[],
  key: ScanSortKey,
  direction: 'asc' | 'desc' = 'desc',
): ScanRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const va = sortValue(a.row, key);
      const vb = sortValue(b.row, key);
      const order =
        typeof va === 'string' ? va.localeCompare(String(vb)) : (va as number) - (vb as number);
      return order === 0 || Number.isNaN(order) ? a.index - b.index : sign * order;
    })
    .map(({ row }) => row);
}
