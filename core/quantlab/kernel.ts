/**
 * The shape of every quantizer in the lab: a chunk kernel that quantizes and dequantizes a
 * run of consecutive tensor elements. The same kernel serves a tensor held in memory (one
 * chunk) and a file streamed in chunks by worker threads (many chunks, any order).
 */

/** Where a kernel writes; only `dequantized` is required (the scan needs nothing else). */
export interface KernelOutput {
  /** x̂ for the chunk's elements, [0, count). */
  readonly dequantized: Float32Array;
  /** The stored code of each element, [0, count). */
  readonly codes?: Int32Array;
  /** Block-local methods: the scale of each block that starts in the chunk, in order. */
  readonly scales?: Float32Array;
  /** Zero-point blocks: the zero point of each block that starts in the chunk. */
  readonly zeroPoints?: Float32Array;
  /** Byte-exact formats (GGUF): the blocks as stored, for the chunk's blocks. */
  readonly bytes?: Uint8Array;
}

/**
 * Quantizes `count` values `x[xStart …]`, the tensor's elements `globalStart …`.
 * `globalStart` is a multiple of the method's groupAlignment(); the chunk ends on a group
 * boundary or at the end of the tensor.
 */
export type ChunkKernel = (
  x: Float32Array,
  xStart: number,
  count: number,
  globalStart: number,
  out: KernelOutput,
) => void;

/** 1.5 · 2^52: adding and subtracting it rounds a double to an integer, ties to even (|v| < 2^51). */
const ROUND_TO_EVEN_MAGIC = 6755399441055744;

/**
 * Round half to even, as torch.round and numpy.rint do (IEEE 754 roundTiesToEven).
 * @example roundHalfEven(2.5) // 2
 */
export function roundHalfEven(value: number): number {
  return value + ROUND_TO_EVEN_MAGIC - ROUND_TO_EVEN_MAGIC;
}
