/**
 * GGUF Q8_0 and Q4_0, bit-exact with ggml's reference quantizers (ggml/src/ggml-quants.c
 * quantize_row_q8_0_ref / quantize_row_q4_0_ref and dequantize_row_q8_0 / _q4_0, llama.cpp
 * master): float32 arithmetic throughout (Math.fround after every operation), roundf for Q8_0,
 * the int8 truncation of x·id + 8.5 for Q4_0, scales stored as fp16 (GGML_FP32_TO_FP16).
 * Blocks follow the structs of ggml-common.h:
 *   block_q8_0 = { ggml_half d; int8_t qs[32]; }   (34 bytes)
 *   block_q4_0 = { ggml_half d; uint8_t qs[16]; }  (18 bytes; qs[j] = q[j] | q[j + 16] << 4)
 * ggml needs rows that are whole blocks; a partial last block here is padded with zeros, which
 * leaves its scale unchanged (a zero never raises an absmax).
 */
import { fp16DecodeTable, fp32ToFp16Bits } from './float-formats';
import type { ChunkKernel } from './kernel';
import { roundHalfEven } from './kernel';
import { ggmlTypeOf } from './methods';

const f = Math.fround;
/** Weights per block of Q8_0 and Q4_0 (ggml-common.h QK8_0 = QK4_0 = 32). */
const QK_LEGACY = 32;
/** Q8_0 scale: d = amax / ((1 << 7) − 1). */
const Q8_LEVELS = 127;
/** Q4_0 scale: d = max / −8, codes offset by 8 (ggml-quants.c quantize_row_q4_0_ref). */
const Q4_0_DIVISOR = -8;
const Q4_0_OFFSET = 8;
const Q4_0_ROUNDING_BIAS = 8.5;

function writeHalf(bytes: Uint8Array, at: number, bits: number): void {
  bytes[at] = bits & 0xff;
  bytes[at + 1] = bits >>> 8;
}

const FP16 = fp16DecodeTable();

/** Reads a little-endian ggml_half. */
function readHalf(bytes: Uint8Array, at: number): number {
  return FP16[bytes[at]! | (bytes[at + 1]! << 8)]!;
}

/**
 * C's float → int8_t conversion as ggml's x86-64 builds perform it (cvttss2si to int32, whose
 * out-of-range and NaN answer is INT32_MIN, then the low byte): truncation toward zero, and 0
 * for ±∞ and NaN. JavaScript's ToInt32 then the low byte gives the same for every float32: a
 * float32 of magnitude ≥ 2^31 is a multiple of 256. Only a block of values so small that
 * d = amax / 127 (or max / −8) is a float32 subnormal reaches it with a non-finite value:
 * id = 1 / d overflows to ∞ in ggml's `id = d ? 1.0f/d : 0.0f` too, every x · id is ±∞ or NaN,
 * and ggml stores code 0 (and d rounds to an fp16 zero, so x̂ = 0). (The conversion is
 * undefined behaviour in C; AArch64's saturating fcvtzs would store 0xff for +∞.)
 * @example toInt8(-3.7) // -3
 * @example toInt8(Infinity) // 0
 */
export function toInt8(value: number): number {
  return (value << 24) >> 24;
}

/**
 * C's roundf (half away from zero) without a sign branch: round half to even, then move the
 * rare exact ties (|v − r| = ½) away from zero. Exact for float32 inputs.
 */
function roundf(v: number): number {
  const r = roundHalfEven(v);
  return Math.abs(v - r) === 0.5 ? v + Math.sign(v) * 0.5 : r;
}

/** The Q8_0 chunk kernel (codes are qs[j], scales the fp16 d, bytes the block_q8_0 structs). */
export const q8_0Kernel: ChunkKernel = (x, xStart, count, _globalStart, out) => {
  const { dequantized, codes, scales, bytes } = out;
  const blockBytes = ggmlTypeOf('q8_0').bytesPerBlock;
  for (let b = 0; b * QK_LEGACY < count; b++) {
    const start = b * QK_LEGACY;
    const end = Math.min(count, start + QK_LEGACY);
    let amax = 0;
    for (let i = start; i < end; i++) amax = Math.max(amax, Math.abs(x[xStart + i]!));
    const d = f(amax / Q8_LEVELS);
    const id = d ? f(1 / d) : 0;
    const dBits = fp32ToFp16Bits(d);
    const dh = FP16[dBits]!;
    if (scales) scales[b] = dh;
    const at = b * blockBytes;
    if (bytes) {
      writeHalf(bytes, at, dBits);
      bytes.fill(0, at + 2, at + blockBytes);
    }
    for (let i = start; i < end; i++) {
      const q = toInt8(roundf(f(x[xStart + i]! * id)));
      dequantized[i] = f(q * dh);
      if (codes) codes[i] = q;
      if (bytes) bytes[at + 2 + i - start] = q & 0xff;
    }
  }
};

/** The Q4_0 chunk kernel (codes are the nibbles 0…15, x̂ = (q − 8) · d). */
export const q4_0Kernel: ChunkKernel = (x, xStart, count, _globalStart, out) => {
  const { dequantized, codes, scales, bytes } = out;
  const blockBytes = ggmlTypeOf('q4_0').bytesPerBlock;
  const nibbles = new Uint8Array(QK_LEGACY);
  for (let b = 0; b * QK_LEGACY < count; b++) {
    const start = b * QK_LEGACY;
    const end = Math.min(count, start + QK_LEGACY);
    let amax = 0;
    let max = 0;
    for (let i = start; i < end; i++) {
      const v = x[xStart + i]!;
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = f(max / Q4_0_DIVISOR);
    const id = d ? f(1 / d) : 0;
    const dBits = fp32ToFp16Bits(d);
    const dh = FP16[dBits]!;
    if (scales) scales[b] = dh;
    nibbles.fill(Q4_0_OFFSET); // a zero pad value quantizes to 8 (0 · id + 8.5 → 8)
    for (let i = start; i < end; i++) {
      const scaled = f(x[xStart + i]! * id);
      const q = Math.min(15, toInt8(f(scaled + Q4_0_ROUNDING_BIAS)));
      nibbles[i - start] = q;
      dequantized[i] = f((q - Q4_0_OFFSET) * dh);
      if (codes) codes[i] = q;
    }
    if (bytes) {
      const at = b * blockBytes;
      writeHalf(bytes, at, dBits);
      for (let j = 0; j < QK_LEGACY / 2; j++) {
        bytes[at + 2 + j] = nibbles[j]! | (nibbles[j + QK_LEGACY / 2]! << 4);
      }
    }
  }
};

/** dequantize_row_q8_0: x̂ = qs[j] · d, from the stored blocks. */
export function dequantizeQ8_0(bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  const blockBytes = ggmlTypeOf('q8_0').bytesPerBlock;
  for (let i = 0; i < count; i++) {
    const at = Math.floor(i / QK_LEGACY) * blockBytes;
    const d = readHalf(bytes, at);
    const q = (bytes[at + 2 + (i % QK_LEGACY)]! << 24) >> 24;
    out[i] = f(q * d);
  }
  return out;
}

/** dequantize_row_q4_0: x̂ = ((qs[j] & 0x0F) − 8) · d, ((qs[j] >> 4) − 8) · d for j + 16. */
export function dequantizeQ4_0(bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  const blockBytes = ggmlTypeOf('q4_0').bytesPerBlock;
  const half = QK_LEGACY / 2;
  for (let i = 0; i < count; i++) {
    const at = Math.floor(i / QK_LEGACY) * blockBytes;
    const j = i % QK_LEGACY;
    const byte = bytes[at + 2 + (j % half)]!;
    const q = j < half ? byte & 0x0f : byte >> 4;
    out[i] = f((q - Q4_0_OFFSET) * readHalf(bytes, at));
  }
  return out;
}
