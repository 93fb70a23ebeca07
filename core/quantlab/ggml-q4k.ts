/**
 * GGUF Q4_K, bit-exact with ggml's reference quantizer (ggml/src/ggml-quants.c
 * quantize_row_q4_K_ref with make_qkx2_quants, nearest_int and get_scale_min_k4; llama.cpp
 * master), float32 arithmetic throughout. A 256-weight super-block holds 8 sub-blocks of 32:
 * each gets a 4-bit affine fit (scale, min) found by a weighted search, then the 8 scales and
 * 8 mins are themselves quantized to 6 bits against fp16 super-scales d and dmin:
 *   block_q4_K = { ggml_half d; ggml_half dmin; uint8_t scales[12]; uint8_t qs[128]; } (144 bytes)
 * x̂ = d·sc · q − dmin·m for each sub-block (dequantize_row_q4_K). A partial last super-block is
 * padded with zeros (ggml itself only quantizes whole super-blocks).
 */
import { fp16BitsToFp32, fp32ToFp16Bits } from './float-formats';
import type { ChunkKernel } from './kernel';
import { QK_K } from '../formats/ggml-types';

const f = Math.fround;
const SUB_BLOCK = 32;
const SUB_BLOCKS = QK_K / SUB_BLOCK;
/** 4-bit codes: nmax = 15 (quantize_row_q4_K_ref → make_qkx2_quants(32, 15, …)). */
const Q4_LEVELS = 15;
/** 6-bit sub-block scales and mins: 63. */
const SCALE_LEVELS = 63;
/** make_qkx2_quants search of quantize_row_q4_K_ref: rmin = −1, rdelta = 0.1, nstep = 20. */
const SEARCH_RMIN = -1;
const SEARCH_RDELTA = f(0.1);
const SEARCH_STEPS = 20;
/** nearest_int's magic: 1.5 · 2^23 (rounds a float32 to an integer, ties to even, |x| ≤ 2^22). */
const NEAREST_INT_MAGIC = 12582912;
/** Bytes of block_q4_K: 2 + 2 + 12 + 128 (ggml-common.h). */
const BLOCK_BYTES = 144;

/** ggml's nearest_int: float32 round-to-nearest-even through the 1.5·2^23 trick. */
function nearestInt(value: number): number {
  return f(value + NEAREST_INT_MAGIC) - NEAREST_INT_MAGIC;
}

/** Scratch reused by every call (kernels run to completion, one at a time per thread). */
const LAUX = new Uint8Array(SUB_BLOCK);
const WEIGHTS = new Float32Array(SUB_BLOCK);
const SCALES = new Float32Array(SUB_BLOCKS);
const MINS = new Float32Array(SUB_BLOCKS);
const PADDED = new Float32Array(QK_K);
const CODES = new Uint8Array(QK_K);

/** make_qkx2_quants (n = 32, use_mad = false): returns [scale, the_min]; writes codes to L. */
function makeQkx2Quants(
  x: Float32Array,
  weights: Float32Array,
  L: Uint8Array,
  offset: number,
): [number, number] {
  const n = SUB_BLOCK;
  const nmax = Q4_LEVELS;
  const Laux = LAUX;
  let min = x[0]!;
  let max = x[0]!;
  let sumW = weights[0]!;
  let sumX = f(sumW * x[0]!);
  for (let i = 1; i < n; i++) {
    if (x[i]! < min) min = x[i]!;
    if (x[i]! > max) max = x[i]!;
    const w = weights[i]!;
    sumW = f(sumW + w);
    sumX = f(sumX + f(w * x[i]!));
  }
  if (min > 0) min = 0;
  if (max === min) {
    L.fill(0, offset, offset + n);
    return [0, -min];
  }
  let iscale = f(nmax / f(max - min));
  let scale = f(1 / iscale);
  let bestError = 0;
  for (let i = 0; i < n; i++) {
    const l = nearestInt(f(iscale * f(x[i]! - min)));
    L[offset + i] = Math.max(0, Math.min(nmax, l));
    const diff = f(f(f(scale * L[offset + i]!) + min) - x[i]!);
    bestError = f(bestError + f(weights[i]! * f(diff * diff)));
  }
  for (let is = 0; is <= SEARCH_STEPS; is++) {
    iscale = f(f(f(SEARCH_RMIN + f(SEARCH_RDELTA * is)) + nmax) / f(max - min));
    let sumL = 0;
    let sumL2 = 0;
    let sumXL = 0;
    for (let i = 0; i < n; i++) {
      const l = Math.max(0, Math.min(nmax, nearestInt(f(iscale * f(x[i]! - min)))));
      Laux[i] = l;
      const w = weights[i]!;
      sumL = f(sumL + f(w * l));
      sumL2 = f(sumL2 + f(f(w * l) * l));
      sumXL = f(sumXL + f(f(w * l) * x[i]!));
    }
    const D = f(f(sumW * sumL2) - f(sumL * sumL));
    if (D > 0) {
      let thisScale = f(f(f(sumW * sumXL) - f(sumX * sumL)) / D);
      let thisMin = f(f(f(sumL2 * sumX) - f(sumL * sumXL)) / D);
      if (thisMin > 0) {
        thisMin = 0;
        thisScale = f(sumXL / sumL2);
      }
      let curError = 0;
      for (let i = 0; i < n; i++) {
        const diff = f(f(f(thisScale * Laux[i]!) + thisMin) - x[i]!);
        curError = f(curError + f(weights[i]! * f(diff * diff)));
      }
      if (curError < bestError) {
        L.set(Laux, offset);
        bestError = curError;
        scale = thisScale;
        min = thisMin;
      }
    }
  }
  return [scale, -min];
}

/** get_scale_min_k4: the 6-bit scale and min of sub-block j from the packed scales[12]. */
export function scaleMinK4(j: number, q: Uint8Array, at: number): [number, number] {
  if (j < 4) return [q[at + j]! & 63, q[at + j + 4]! & 63];
  return [
    (q[at + j + 4]! & 0xf) | ((q[at + j - 4]! >> 6) << 4),
    (q[at + j + 4]! >> 4) | ((q[at + j]! >> 6) << 4),
  ];
}

/** Quantizes one 256-value super-block (`x` holds it, zero-padded) into `block` at `at`. */
function quantizeSuperBlock(x: Float32Array, block: Uint8Array, at: number, L: Uint8Array): void {
  const weights = WEIGHTS;
  const scales = SCALES;
  const mins = MINS;
  let maxScale = 0;
  let maxMin = 0;
  for (let j = 0; j < SUB_BLOCKS; j++) {
    const sub = x.subarray(SUB_BLOCK * j, SUB_BLOCK * (j + 1));
    let sumX2 = 0;
    for (let l = 0; l < SUB_BLOCK; l++) sumX2 = f(sumX2 + f(sub[l]! * sub[l]!));
    const avX = f(Math.sqrt(f(sumX2 / SUB_BLOCK)));
    for (let l = 0; l < SUB_BLOCK; l++) weights[l] = f(avX + Math.abs(sub[l]!));
    const [scale, min] = makeQkx2Quants(sub, weights, L, SUB_BLOCK * j);
    scales[j] = scale;
    mins[j] = min;
    if (scales[j]! > maxScale) maxScale = scales[j]!;
    if (mins[j]! > maxMin) maxMin = mins[j]!;
  }
  const invScale = maxScale > 0 ? f(SCALE_LEVELS / maxScale) : 0;
  const invMin = maxMin > 0 ? f(SCALE_LEVELS / maxMin) : 0;
  const s = at + 4; // scales[12] follow d and dmin
  block.fill(0, at, at + BLOCK_BYTES);
  for (let j = 0; j < SUB_BLOCKS; j++) {
    const ls = Math.min(SCALE_LEVELS, nearestInt(f(invScale * scales[j]!)) & 0xff);
    const lm = Math.min(SCALE_LEVELS, nearestInt(f(invMin * mins[j]!)) & 0xff);
    if (j < 4) {
      block[s + j] = ls;
      block[s + j + 4] = lm;
    } else {
      block[s + j + 4] = (ls & 0xf) | ((lm & 0xf) << 4);
      block[s + j - 4] = block[s + j - 4]! | ((ls >> 4) << 6);
      block[s + j] = block[s + j]! | ((lm >> 4) << 6);
    }
  }
  const dBits = fp32ToFp16Bits(f(maxScale / SCALE_LEVELS));
  const dminBits = fp32ToFp16Bits(f(maxMin / SCALE_LEVELS));
  block[at] = dBits & 0xff;
  block[at + 1] = dBits >>> 8;
  block[at + 2] = dminBits & 0xff;
  block[at + 3] = dminBits >>> 8;
  const dh = fp16BitsToFp32(dBits);
  const dminh = fp16BitsToFp32(dminBits);
  for (let j = 0; j < SUB_BLOCKS; j++) {
    const [sc, m] = scaleMinK4(j, block, s);
    const d = f(dh * sc);
    if (!d) continue; // ggml keeps the search's codes for a zero scale
    const dm = f(dminh * m);
    for (let ii = 0; ii < SUB_BLOCK; ii++) {
      const l = nearestInt(f(f(x[SUB_BLOCK * j + ii]! + dm) / d));
      L[SUB_BLOCK * j + ii] = Math.max(0, Math.min(Q4_LEVELS, l));
    }
  }
  const qs = at + 16;
  for (let j = 0; j < QK_K; j += 64) {
    for (let l = 0; l < 32; l++) block[qs + j / 2 + l] = L[j + l]! | (L[j + l + 32]! << 4);
  }
}

/**
 * dequantize_row_q4_K for one block: writes x̂ for its 256 values (or the first `count`).
 * Codes, when asked for, are the nibbles.
 */
export function dequantizeQ4KBlock(
  block: Uint8Array,
  at: number,
  out: Float32Array,
  outAt: number,
  count: number,
  codes?: Int32Array,
): void {
  const dh = fp16BitsToFp32(block[at]! | (block[at + 1]! << 8));
  const dminh = fp16BitsToFp32(block[at + 2]! | (block[at + 3]! << 8));
  for (let j = 0; j < QK_K; j += 64) {
    const [sc1, m1] = scaleMinK4(j / 32, block, at + 4);
    const [sc2, m2] = scaleMinK4(j / 32 + 1, block, at + 4);
    const d1 = f(dh * sc1);
    const min1 = f(dminh * m1);
    const d2 = f(dh * sc2);
    const min2 = f(dminh * m2);
    for (let l = 0; l < 32; l++) {
      const byte = block[at + 16 + j / 2 + l]!;
      const low = j + l;
      const high = j + 32 + l;
      if (low < count) {
        out[outAt + low] = f(f(d1 * (byte & 0xf)) - min1);
        if (codes) codes[outAt + low] = byte & 0xf;
      }
      if (high < count) {
        out[outAt + high] = f(f(d2 * (byte >> 4)) - min2);
        if (codes) codes[outAt + high] = byte >> 4;
      }
    }
  }
}

/** The Q4_K chunk kernel: scales are the fp16 d of each super-block; bytes the block_q4_K structs. */
export const q4KKernel: ChunkKernel = (x, xStart, count, _globalStart, out) => {
  const padded = PADDED;
  const L = CODES;
  const block = out.bytes ?? new Uint8Array(Math.ceil(count / QK_K) * BLOCK_BYTES);
  for (let b = 0; b * QK_K < count; b++) {
    const start = b * QK_K;
    const length = Math.min(QK_K, count - start);
    padded.fill(0);
    padded.set(x.subarray(xStart + start, xStart + start + length));
    const at = b * BLOCK_BYTES;
    quantizeSuperBlock(padded, block, at, L);
    if (out.scales) out.scales[b] = fp16BitsToFp32(block[at]! | (block[at + 1]! << 8));
    dequantizeQ4KBlock(block, at, out.dequantized, start, length, out.codes);
  }
};
