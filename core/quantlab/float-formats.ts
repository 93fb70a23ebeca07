/**
 * IEEE binary16 (fp16) and bfloat16 conversions, bit-exact with the reference code that
 * Headroom's quantizers reproduce:
 * - fp32 → fp16 rounds to nearest, ties to even, and turns NaN into 0x7E00, as
 *   ggml_compute_fp32_to_fp16 in ggml/src/ggml-impl.h does (the FP16 library's algorithm);
 * - fp16 → fp32 and bf16 → fp32 are exact widenings (bf16 is the top half of an fp32,
 *   Google's bfloat16 definition; ggml_compute_bf16_to_fp32 shifts it left by 16).
 *
 * Byte order: typed-array views use the host's order; safetensors and GGUF store little-endian
 * data (safetensors README: "Endianness is assumed to be little endian"), which is the order of
 * every platform Headroom ships on (x86-64, arm64). `hostIsLittleEndian` lets callers check.
 */

const F32_SCRATCH = new Float32Array(1);
const U32_SCRATCH = new Uint32Array(F32_SCRATCH.buffer);

/** True on little-endian hosts (the byte order of safetensors data). */
export const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** fp16 exponent bias (IEEE 754-2008 binary16: 5 exponent bits, bias 15). */
const FP16_EXPONENT_BIAS = 15;
/** fp32 exponent bias (IEEE 754 binary32: 8 exponent bits, bias 127). */
const FP32_EXPONENT_BIAS = 127;
/** The quiet NaN ggml writes for any NaN input (ggml-impl.h: `UINT16_C(0x7E00)`). */
export const FP16_NAN_BITS = 0x7e00;

/** The raw bits of a float32 (the value is rounded to float32 first). */
export function fp32Bits(value: number): number {
  F32_SCRATCH[0] = value;
  return U32_SCRATCH[0]!;
}

/** The float32 with these raw bits. */
export function fp32FromBits(bits: number): number {
  U32_SCRATCH[0] = bits >>> 0;
  return F32_SCRATCH[0]!;
}

/**
 * float32 → fp16 bits, round to nearest even; overflow gives ±Inf, NaN gives 0x7E00 (ggml).
 * @example fp32ToFp16Bits(1) // 0x3c00
 */
export function fp32ToFp16Bits(value: number): number {
  const bits = fp32Bits(value);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return mantissa === 0 ? sign | 0x7c00 : sign | FP16_NAN_BITS;
  const halfExponent = exponent - FP32_EXPONENT_BIAS + FP16_EXPONENT_BIAS;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half (or zero): shift the full significand into place, rounding to even.
    if (halfExponent < -10) return sign;
    const significand = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    const half = significand >>> shift;
    const rest = significand & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    const roundUp = rest > halfway || (rest === halfway && (half & 1) === 1);
    return sign | (half + (roundUp ? 1 : 0));
  }
  const half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  const roundUp = rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1);
  // A carry out of the mantissa bumps the exponent, and past the top gives Inf: both correct.
  return sign | (half + (roundUp ? 1 : 0));
}

/** fp16 bits → the exact float32 value. */
export function fp16BitsToFp32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - FP16_EXPONENT_BIAS);
}

/** The value after a round trip through fp16 (what storing it as fp16 keeps). */
export function roundToFp16(value: number): number {
  return fp16BitsToFp32(fp32ToFp16Bits(value));
}

let fp16Table: Float32Array | undefined;

/** All 65 536 fp16 values as float32, built once (256 KiB): decoding is one lookup. */
export function fp16DecodeTable(): Float32Array {
  if (fp16Table === undefined) {
    const table = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) table[bits] = fp16BitsToFp32(bits);
    fp16Table = table;
  }
  return fp16Table;
}

/** The element types Headroom reads from safetensors files, as the header spells them. */
const READABLE_DTYPES = ['F32', 'F16', 'BF16'] as const;
export type ReadableDtype = (typeof READABLE_DTYPES)[number];

/** Bytes per element of each readable dtype. */
export const DTYPE_BYTES: Readonly<Record<ReadableDtype, number>> = { F32: 4, F16: 2, BF16: 2 };

/** True when a safetensors dtype is one Headroom can decode. */
export function isReadableDtype(dtype: string): dtype is ReadableDtype {
  return (READABLE_DTYPES as readonly string[]).includes(dtype);
}

/**
 * Decodes `count` elements of little-endian `bytes` (starting at byte 0 of the view) into
 * `out`. `bytes` must start on an element boundary of its buffer (Node's unpooled buffers do).
 */
export function decodeInto(
  dtype: ReadableDtype,
  bytes: Uint8Array,
  count: number,
  out: Float32Array,
): void {
  if (dtype === 'F32') {
    out.set(new Float32Array(bytes.buffer, bytes.byteOffset, count));
    return;
  }
  const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
  if (dtype === 'BF16') {
    const wide = new Uint32Array(out.buffer, out.byteOffset, count);
    for (let i = 0; i < count; i++) wide[i] = halves[i]! << 16;
    return;
  }
  const table = fp16DecodeTable();
  for (let i = 0; i < count; i++) out[i] = table[halves[i]!]!;
}

/** bf16 bits of a float32, round to nearest even (torch's float → bfloat16 conversion). */
export function fp32ToBf16Bits(value: number): number {
  const bits = fp32Bits(value);
  if ((bits & 0x7fffffff) > 0x7f800000) return ((bits >>> 16) | 0x40) & 0xffff;
  const rounding = 0x7fff + ((bits >>> 16) & 1);
  return ((bits + rounding) >>> 16) & 0xffff;
}
