/**
 * The quantization methods of the lab, as data: which method, how many bits, over which
 * groups of values. A spec is validated once (`validateMethod`) and then trusted everywhere.
 */
import { HeadroomError } from '../errors';
import { GGML_TYPES, type GgmlType } from '../formats/ggml-types';
import { SETTING_NAMES } from '../setting-names';

/** Over which values one scale (and zero point) is shared. */
export type Granularity =
  | { readonly kind: 'tensor' }
  /** One scale per row of the [rows, cols] view: per output channel of a weight matrix. */
  | { readonly kind: 'row' }
  /** One scale per column: per input feature. */
  | { readonly kind: 'column' }
  /** One scale per `blockSize` consecutive values of the flattened tensor. */
  | { readonly kind: 'block'; readonly blockSize: number };

export type LinearBits = 8 | 4;

export type QuantMethodSpec =
  /** Symmetric: q = round(x · (2^(b−1) − 1) / absmax). */
  | { readonly method: 'absmax'; readonly bits: LinearBits; readonly granularity: Granularity }
  /** Asymmetric (affine): x ≈ scale · (q − zero), q in [0, 2^b − 1]. */
  | { readonly method: 'zeropoint'; readonly bits: LinearBits; readonly granularity: Granularity }
  /** LLM.int8(): row-wise int8 with columns holding |x| ≥ threshold kept in fp16. */
  | { readonly method: 'llm.int8'; readonly threshold: number }
  /** bitsandbytes 4-bit: NF4 or FP4 code book, one absmax per block, optionally double-quantized. */
  | {
      readonly method: 'nf4' | 'fp4';
      readonly blockSize: number;
      readonly doubleQuant: boolean;
    }
  /** GGUF reference quantizers (ggml-quants.c `quantize_row_*_ref`). */
  | { readonly method: 'q8_0' | 'q4_0' | 'q4_k' };

/** The CLI's `--method` names: `blockwise` is absmax over blocks. */
export const CLI_METHOD_NAMES = [
  'absmax',
  'zeropoint',
  'blockwise',
  'llm.int8',
  'nf4',
  'fp4',
  'q8_0',
  'q4_0',
  'q4_k',
] as const;
export type CliMethodName = (typeof CLI_METHOD_NAMES)[number];

/** Block sizes the lab accepts: powers of two from 32 to 4096 (issue 9: "block 32 … 4096"). */
export const MIN_BLOCK_SIZE = 32;
export const MAX_BLOCK_SIZE = 4096;
/**
 * Smallest block for values held in memory (the lab's pasted values, `quantizeTensor`): 2, so
 * that a short list can show blocks helping (issue 17). Streamed scans keep MIN_BLOCK_SIZE:
 * their kernels size per-block buffers by it (electron/services/quantlab/wasm/scan-kernels.ts).
 */
export const MIN_IN_MEMORY_BLOCK_SIZE = 2;
/** bitsandbytes 4-bit default block: 64 (QLoRA section 3, "blocksize of 64 for W"). */
export const BNB_4BIT_DEFAULT_BLOCK = 64;
/** Double quantization groups 256 first-level absmax values (QLoRA section 3; bitsandbytes `blocksize=256`). */
export const BNB_DQ_BLOCK = 256;
/** LLM.int8() outlier threshold 6.0 (Dettmers et al. 2022, section 3.2: "|x| ≥ 6"). */
export const LLM_INT8_DEFAULT_THRESHOLD = 6;
/** Default block of `blockwise` when --block is not given: 64, as bitsandbytes 4-bit. */
export const DEFAULT_BLOCKWISE_SIZE = 64;

/** float32 scale, as bitsandbytes stores absmax (`absmax` tensors are torch.float32). */
const SCALE_BYTES = 4;
/** A zero point is stored in the code's own type (Jacob et al. 2018, eq. 1: Z has q's type): one byte. */
const ZERO_POINT_BYTES = 1;
/** fp16 copy of an LLM.int8() outlier value (Dettmers et al. 2022: outliers multiplied in fp16). */
const FP16_BYTES = 2;

/** Largest |code| of a symmetric b-bit absmax quantizer: 127 for int8, 7 for int4. */
export function absmaxLevels(bits: LinearBits): number {
  return 2 ** (bits - 1) - 1;
}

/** Top code of an unsigned b-bit zero-point quantizer: 255 for uint8, 15 for uint4. */
export function zeropointLevels(bits: LinearBits): number {
  return 2 ** bits - 1;
}

function isValidBlock(size: number, minBlockSize: number): boolean {
  return (
    Number.isInteger(size) &&
    size >= minBlockSize &&
    size <= MAX_BLOCK_SIZE &&
    (size & (size - 1)) === 0
  );
}

/**
 * Throws BAD_ARGUMENT unless the spec is one the lab can run.
 * @param minBlockSize the smallest block the caller's path handles (MIN_BLOCK_SIZE for scans,
 * MIN_IN_MEMORY_BLOCK_SIZE for values in memory)
 */
export function validateMethod(
  spec: QuantMethodSpec,
  minBlockSize: number = MIN_BLOCK_SIZE,
): QuantMethodSpec {
  const blockMessage = `Set ${SETTING_NAMES.quantBlock} to one of the powers of two from ${minBlockSize} to ${MAX_BLOCK_SIZE}`;
  if (spec.method === 'absmax' || spec.method === 'zeropoint') {
    if (spec.bits !== 8 && spec.bits !== 4) {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        `For ${spec.method}, set ${SETTING_NAMES.quantBits} to 8 or 4.`,
      );
    }
    const g = spec.granularity;
    if (g.kind === 'block' && !isValidBlock(g.blockSize, minBlockSize)) {
      throw new HeadroomError('BAD_ARGUMENT', `${blockMessage}; got ${g.blockSize}.`);
    }
  } else if (spec.method === 'llm.int8') {
    if (!(spec.threshold > 0 && Number.isFinite(spec.threshold))) {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        `Set ${SETTING_NAMES.quantThreshold} to a positive number (e.g. 6.0).`,
      );
    }
  } else if (spec.method === 'nf4' || spec.method === 'fp4') {
    if (!isValidBlock(spec.blockSize, minBlockSize)) {
      throw new HeadroomError('BAD_ARGUMENT', `${blockMessage}; got ${spec.blockSize}.`);
    }
  }
  return spec;
}

/** The CLI name of a spec (`blockwise` for absmax over blocks). */
export function cliMethodName(spec: QuantMethodSpec): CliMethodName {
  if (spec.method === 'absmax' && spec.granularity.kind === 'block') return 'blockwise';
  return spec.method;
}

function granularityLabel(g: Granularity): string {
  return g.kind === 'block' ? `block ${g.blockSize}` : `per-${g.kind}`;
}

/** A short human label: "absmax int8 per-tensor", "NF4 block 64 + DQ", "GGUF q4_k". */
export function methodLabel(spec: QuantMethodSpec): string {
  switch (spec.method) {
    case 'absmax':
      return `absmax int${spec.bits} ${granularityLabel(spec.granularity)}`;
    case 'zeropoint':
      return `zero-point uint${spec.bits} ${granularityLabel(spec.granularity)}`;
    case 'llm.int8':
      return `LLM.int8 threshold ${spec.threshold}`;
    case 'nf4':
    case 'fp4':
      return `${spec.method.toUpperCase()} block ${spec.blockSize}${spec.doubleQuant ? ' + DQ' : ''}`;
    default:
      return `GGUF ${spec.method}`;
  }
}

/** The tensor as the lab sees it: a row-major [rows, cols] view of `rows · cols` values. */
export interface TensorShape {
  readonly rows: number;
  readonly cols: number;
}

/** The element count of a shape. */
export function elementCount(shape: TensorShape): number {
  return shape.rows * shape.cols;
}

/** GGML type behind a GGUF method, for its block layout. */
export function ggmlTypeOf(method: 'q8_0' | 'q4_0' | 'q4_k'): GgmlType {
  return GGML_TYPES[method];
}

/**
 * Bytes the quantized tensor takes, scales included.
 * - absmax: codes + one fp32 scale per group; zero-point adds a one-byte zero point per group;
 * - LLM.int8: int8 matrix + fp32 scale per row + fp16 copies of the outlier columns (the
 *   accounting of core/formats/catalog-plain.ts LLM_INT8_BITS_PER_WEIGHT);
 * - NF4/FP4: 4-bit codes + fp32 absmax per block; with double quantization one byte per block
 *   + an fp32 absmax per 256 blocks + the fp32 offset (bitsandbytes quantize_4bit, compress_statistics);
 * - GGUF: whole blocks of the ggml-common.h struct (a partial last block is padded).
 */
export function storedBytes(spec: QuantMethodSpec, shape: TensorShape, outlierColumns = 0): number {
  const n = elementCount(shape);
  switch (spec.method) {
    case 'absmax':
    case 'zeropoint': {
      const g = spec.granularity;
      const groups =
        g.kind === 'tensor'
          ? 1
          : g.kind === 'row'
            ? shape.rows
            : g.kind === 'column'
              ? shape.cols
              : Math.ceil(n / g.blockSize);
      const perGroup = SCALE_BYTES + (spec.method === 'zeropoint' ? ZERO_POINT_BYTES : 0);
      return Math.ceil((n * spec.bits) / 8) + groups * perGroup;
    }
    case 'llm.int8':
      return n + shape.rows * SCALE_BYTES + outlierColumns * shape.rows * FP16_BYTES;
    case 'nf4':
    case 'fp4': {
      const blocks = Math.ceil(n / spec.blockSize);
      const codes = Math.ceil(n / 2);
      if (!spec.doubleQuant) return codes + blocks * SCALE_BYTES;
      return codes + blocks + Math.ceil(blocks / BNB_DQ_BLOCK) * SCALE_BYTES + SCALE_BYTES;
    }
    default: {
      const type = ggmlTypeOf(spec.method);
      return Math.ceil(n / type.weightsPerBlock) * type.bytesPerBlock;
    }
  }
}

/**
 * Elements a streamed range must start on so that no group straddles two ranges: the block
 * (or super-block, or double-quantization group) of block-local methods, 1 for the others
 * (their scales come from a first pass over the whole tensor).
 */
export function groupAlignment(spec: QuantMethodSpec): number {
  switch (spec.method) {
    case 'absmax':
    case 'zeropoint':
      return spec.granularity.kind === 'block' ? spec.granularity.blockSize : 1;
    case 'llm.int8':
      return 1;
    case 'nf4':
    case 'fp4':
      return spec.doubleQuant ? spec.blockSize * BNB_DQ_BLOCK : spec.blockSize;
    default:
      return ggmlTypeOf(spec.method).weightsPerBlock;
  }
}

/**
 * The [rows, cols] view the lab quantizes a tensor of this shape in: the last dimension is the
 * row length (bitsandbytes int8_vectorwise_quant: rows = prod(shape[:-1])); a 1-D tensor is
 * one row, a scalar 1 × 1.
 */
export function tensorView(shape: readonly number[]): TensorShape {
  if (shape.length === 0) return { rows: 1, cols: 1 };
  const cols = shape[shape.length - 1]!;
  const rows = shape.slice(0, -1).reduce((product, size) => product * size, 1);
  return { rows, cols };
}
