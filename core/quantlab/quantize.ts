/**
 * The lab's front door for a tensor in memory: quantize it with one method and get back the
 * codes, the dequantized values, the scales, the error metrics and the bytes it would store.
 * Pure: plain typed arrays in, plain data out (a UI calls it directly; the CLI prints it).
 */
import { HeadroomError } from '../errors';
import { bnb4bitKernel } from './bnb-4bit';
import { q4_0Kernel, q8_0Kernel } from './ggml-legacy';
import { q4KKernel } from './ggml-q4k';
import type { ChunkKernel } from './kernel';
import { linearGroup, linearKernel } from './linear';
import { llmInt8Kernel, llmInt8Stats, llmInt8Summary, type LlmInt8Summary } from './llm-int8';
import { errorMetrics, type QuantMetrics } from './metrics';
import {
  cliMethodName,
  elementCount,
  ggmlTypeOf,
  methodLabel,
  storedBytes,
  validateMethod,
  MIN_IN_MEMORY_BLOCK_SIZE,
  type CliMethodName,
  type QuantMethodSpec,
  type TensorShape,
} from './methods';
import { MAX_IN_MEMORY_ELEMENTS } from './synthetic';
import { tensorStats, type TensorStats } from './tensor-stats';

/** A tensor in memory: row-major values with their [rows, cols] view (1-D: one row). */
export interface TensorInput {
  readonly values: Float32Array;
  readonly shape: TensorShape;
}

/** Everything one method did to one tensor. */
export interface QuantResult {
  readonly spec: QuantMethodSpec;
  readonly method: CliMethodName;
  readonly label: string;
  readonly elements: number;
  /** The stored code of each value (signed for absmax, unsigned for the others). */
  readonly codes: Int32Array;
  readonly dequantized: Float32Array;
  /**
   * The scale of each group, in group order: absmax/Q (or the zero-point step) per tensor, row,
   * column or block; the row absmax of LLM.int8; the block absmax of NF4/FP4 (reconstructed
   * under double quantization); the fp16 d of each GGUF block.
   */
  readonly scales: Float32Array;
  /** Zero-point methods: the zero point of each group. */
  readonly zeroPoints?: Float32Array;
  /** GGUF methods: the blocks exactly as ggml stores them. */
  readonly ggmlBytes?: Uint8Array;
  readonly llmInt8?: LlmInt8Summary;
  readonly metrics: QuantMetrics;
  readonly storedBytes: number;
}

/** A 1-D tensor of these values: one row. */
export function vectorInput(values: Float32Array): TensorInput {
  return { values, shape: { rows: 1, cols: values.length } };
}

/** The chunk kernel of a method, with the first-pass statistics the method needs. */
export function createKernel(
  spec: QuantMethodSpec,
  shape: TensorShape,
  stats?: TensorStats,
): ChunkKernel {
  switch (spec.method) {
    case 'absmax':
    case 'zeropoint':
      return linearKernel(spec, shape, stats);
    case 'llm.int8':
      return llmInt8Kernel(shape, llmInt8Stats(stats, spec.threshold));
    case 'nf4':
    case 'fp4':
      return bnb4bitKernel(spec, stats);
    case 'q8_0':
      return q8_0Kernel;
    case 'q4_0':
      return q4_0Kernel;
    case 'q4_k':
      return q4KKernel;
  }
}

/** How many scale groups a method has on this tensor (the length of QuantResult.scales). */
export function groupCount(spec: QuantMethodSpec, shape: TensorShape): number {
  const n = elementCount(shape);
  switch (spec.method) {
    case 'absmax':
    case 'zeropoint': {
      const g = spec.granularity;
      if (g.kind === 'tensor') return 1;
      if (g.kind === 'row') return shape.rows;
      if (g.kind === 'column') return shape.cols;
      return Math.ceil(n / g.blockSize);
    }
    case 'llm.int8':
      return shape.rows;
    case 'nf4':
    case 'fp4':
      return Math.ceil(n / spec.blockSize);
    default:
      return Math.ceil(n / ggmlTypeOf(spec.method).weightsPerBlock);
  }
}

/** Scales of the granularities whose groups come from the first pass (tensor, row, column). */
function statsScales(
  spec: Extract<QuantMethodSpec, { method: 'absmax' | 'zeropoint' }>,
  stats: TensorStats,
): { scales: Float32Array; zeroPoints: Float32Array } {
  const g = spec.granularity;
  const mins = g.kind === 'tensor' ? [stats.min] : g.kind === 'row' ? stats.rowMin! : stats.colMin!;
  const maxs = g.kind === 'tensor' ? [stats.max] : g.kind === 'row' ? stats.rowMax! : stats.colMax!;
  const groups = Array.from(mins, (min, k) => linearGroup(spec.method, spec.bits, min, maxs[k]!));
  return {
    scales: Float32Array.from(groups, (group) => group.step),
    zeroPoints: Float32Array.from(groups, (group) => group.zero),
  };
}

function checkInput(tensor: TensorInput): void {
  const { rows, cols } = tensor.shape;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `A tensor shape is rows × cols of whole numbers ≥ 1; got ${rows} × ${cols}.`,
    );
  }
  if (rows * cols !== tensor.values.length) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `The shape ${rows} × ${cols} holds ${rows * cols} values, not ${tensor.values.length}.`,
    );
  }
  if (tensor.values.length > MAX_IN_MEMORY_ELEMENTS) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `At most ${MAX_IN_MEMORY_ELEMENTS} values in memory; stream larger tensors from a file.`,
    );
  }
  if (!tensor.values.every(Number.isFinite)) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'The tensor holds NaN or infinite values; quantization error is undefined for them.',
    );
  }
}

/**
 * Quantizes a tensor held in memory with one method.
 * @example quantizeTensor(vectorInput(Float32Array.of(1.2, -0.5, 5.4)), { method: 'absmax', bits: 8, granularity: { kind: 'tensor' } }).codes // [28, -12, 127]
 */
export function quantizeTensor(tensor: TensorInput, spec: QuantMethodSpec): QuantResult {
  validateMethod(spec, MIN_IN_MEMORY_BLOCK_SIZE);
  checkInput(tensor);
  const { values, shape } = tensor;
  const n = values.length;
  const stats = tensorStats(values, shape, [spec]);
  const groups = groupCount(spec, shape);
  const isGgml = spec.method === 'q8_0' || spec.method === 'q4_0' || spec.method === 'q4_k';
  const out = {
    dequantized: new Float32Array(n),
    codes: new Int32Array(n),
    scales: new Float32Array(groups),
    zeroPoints: new Float32Array(groups),
    ...(isGgml ? { bytes: new Uint8Array(storedBytes(spec, shape)) } : {}),
  };
  createKernel(spec, shape, stats)(values, 0, n, 0, out);
  let scales: Float32Array = out.scales;
  let zeroPoints: Float32Array | undefined;
  let llmInt8: LlmInt8Summary | undefined;
  if (spec.method === 'absmax' || spec.method === 'zeropoint') {
    if (spec.granularity.kind !== 'block') ({ scales, zeroPoints } = statsScales(spec, stats));
    else zeroPoints = out.zeroPoints;
    if (spec.method === 'absmax') zeroPoints = undefined;
  } else if (spec.method === 'llm.int8') {
    const entry = llmInt8Stats(stats, spec.threshold);
    scales = Float32Array.from(entry.inlierRowAbsmax);
    llmInt8 = llmInt8Summary(entry, shape);
  }
  return {
    spec,
    method: cliMethodName(spec),
    label: methodLabel(spec),
    elements: n,
    codes: out.codes,
    dequantized: out.dequantized,
    scales,
    ...(zeroPoints ? { zeroPoints } : {}),
    ...(out.bytes ? { ggmlBytes: out.bytes } : {}),
    ...(llmInt8 ? { llmInt8 } : {}),
    metrics: errorMetrics(values, out.dequantized),
    storedBytes: storedBytes(spec, shape, llmInt8?.outlierColumns.length ?? 0),
  };
}
