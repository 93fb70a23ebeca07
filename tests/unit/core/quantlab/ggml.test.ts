import { describe, expect, it } from 'vitest';
import { GGML_TYPES } from '../../../../core/formats/ggml-types';
import { fp16BitsToFp32, fp32FromBits } from '../../../../core/quantlab/float-formats';
import { dequantizeQ4_0, dequantizeQ8_0, toInt8 } from '../../../../core/quantlab/ggml-legacy';
import { dequantizeQ4KBlock } from '../../../../core/quantlab/ggml-q4k';
import { quantizeTensor, vectorInput } from '../../../../core/quantlab/quantize';

/**
 * The input of the expected bytes below: x[i] = (((i·7919 + 13) mod 2003) − 1001) / 128, times 8
 * when i mod 97 = 5 (outliers). Every value is a multiple of 1/128, exact in float32.
 */
function referenceInput(count: number): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => {
    const v = (((i * 7919 + 13) % 2003) - 1001) / 128;
    return i % 97 === 5 ? v * 8 : v;
  });
}

/**
 * Expected blocks: ggml/src/ggml-quants.c quantize_row_q8_0_ref, quantize_row_q4_0_ref and
 * quantize_row_q4_K_ref (with make_qkx2_quants, nearest_int, get_scale_min_k4 and
 * ggml-impl.h's fp32→fp16) of llama.cpp master (01243c58), compiled with gcc 12 -O2 both with
 * -ffp-contract=off and -march=native (identical bytes), run on referenceInput().
 */
const Q8_0_64 =
  '5534e31b1815137f0d0b08050200fdfaf8f5f2f0edeae8e51c191714110f0c090704b92b05f9ede1d5c9bdb1a5998d81786c6054483c3024180c00f4e8dcd0c4b8aca094';
const Q4_0_64 = '4cc49a969697a7a067677878787878788989aa3bd8c8b7a6a5958473626251403f3f2e1d';
const Q4_K_512 =
  'a82941377f56d7765051117f1716fd1680857565545f443423231303f2f2e2d2c1c1b1a0909085756565544434342313c0cfcebebdbc0cabaaa99998f7f7f6e5e4e4d3d2d2c1c0cfcebdbdbcabaaaa9991808f7e6d5d5c4b3b2a291808f7f6e6d5d4c3b3a2a1918f7f7e6d5c4c4b3a29a09085757565544f443423131302f2f2e2d1c1c1b1a0909085756564544434336529ba37d87a57d8503d10d00ff8f7fcd2d1c0cfcebebdbc0babaaa99998f7f6f6e5e4e4d3d2d1c1c0cfcebdbdbcabaaa29291807f7f6e5d4c4c3b2a291908f7e6d6d5c4b3b3a291808f7f6e6e5d4c3ba191908076766555454f3424241303f3e3d2d2c2b1b1a1918080766555554534d3d2d1d0c0cfcebebdbc0babaaa99898f7f6e5e5e4e3d2d2d1c0cfcfcebdbdbc';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

describe('GGUF reference quantizers, byte for byte', () => {
  it('q8_0 matches quantize_row_q8_0_ref', () => {
    expect(
      hex(quantizeTensor(vectorInput(referenceInput(64)), { method: 'q8_0' }).ggmlBytes!),
    ).toBe(Q8_0_64);
  });

  it('q4_0 matches quantize_row_q4_0_ref', () => {
    expect(
      hex(quantizeTensor(vectorInput(referenceInput(64)), { method: 'q4_0' }).ggmlBytes!),
    ).toBe(Q4_0_64);
  });

  it('q4_k matches quantize_row_q4_K_ref', () => {
    expect(
      hex(quantizeTensor(vectorInput(referenceInput(512)), { method: 'q4_k' }).ggmlBytes!),
    ).toBe(Q4_K_512);
  });

  it('q4_k dequantizes as dequantize_row_q4_K does', () => {
    // The same C build's dequantize_row_q4_K of Q4_K_512, values 0–7 and 300–303 (%.9g).
    const out = new Float32Array(512);
    const bytes = fromHex(Q4_K_512);
    dequantizeQ4KBlock(bytes, 0, out, 0, 256);
    dequantizeQ4KBlock(bytes, 144, out, 256, 256);
    const expected = [
      -7.25390625, 6.66577148, 6.66577148, 6.66577148, 3.88183594, 34.505127, 3.88183594,
      3.88183594,
    ];
    expected.forEach((value, i) => expect(out[i]).toBeCloseTo(value, 5));
    [-7.45794678, -7.45794678, 7.20843506, 7.20843506].forEach((value, i) =>
      expect(out[300 + i]).toBeCloseTo(value, 5),
    );
    expect(
      Array.from(quantizeTensor(vectorInput(referenceInput(512)), { method: 'q4_k' }).dequantized),
    ).toEqual(Array.from(out));
  });
});

describe('q8_0 and q4_0 on blocks of bf16 subnormals (1 / d overflows)', () => {
  // Block 1: k · 2^-133 for k = 1 … 32 (bf16 bits k << 16); block 2: the same with every odd
  // one negated and x[35] = 0. d = amax / 127 (or max / −8) is a float32 subnormal, so
  // `id = d ? 1.0f/d : 0.0f` is ±∞ in ggml as here, and every x · id is ±∞ or NaN.
  const x = new Float32Array(64);
  for (let k = 0; k < 32; k++) x[k] = fp32FromBits((k + 1) << 16);
  for (let k = 0; k < 32; k++) x[32 + k] = k % 2 ? -x[k]! : x[k]!;
  x[35] = 0;

  /**
   * ggml/src/ggml-quants.c quantize_row_q8_0_ref and quantize_row_q4_0_ref (llama.cpp master,
   * GGML_FP32_TO_FP16 as _cvtss_sh) on x, compiled with gcc 12 at -O0, at -O2
   * -ffp-contract=off and at -O2 -march=native on x86-64: identical bytes. The int8 conversion
   * of ±∞ and NaN (cvttss2si: INT32_MIN, low byte 0) stores code 0, and d rounds to an fp16
   * zero (q4_0's block 1: −0, d = max / −8 < 0).
   */
  const Q8_0_SUBNORMAL = '00'.repeat(68);
  const Q4_0_SUBNORMAL = `0080${'00'.repeat(16)}${'00'.repeat(18)}`;

  it('q8_0 stores what ggml stores, and x̂ is 0 (not NaN)', () => {
    const result = quantizeTensor(vectorInput(x), { method: 'q8_0' });
    expect(Buffer.from(result.ggmlBytes!).toString('hex')).toBe(Q8_0_SUBNORMAL);
    expect(Array.from(result.dequantized)).toEqual(
      Array.from(dequantizeQ8_0(result.ggmlBytes!, 64)),
    );
    expect(Array.from(result.dequantized)).toEqual(new Array(64).fill(0));
    expect(result.metrics.mse).toBeGreaterThanOrEqual(0);
  });

  it('q4_0 stores what ggml stores, and x̂ is ±0 as dequantize_row_q4_0 gives', () => {
    const result = quantizeTensor(vectorInput(x), { method: 'q4_0' });
    expect(Buffer.from(result.ggmlBytes!).toString('hex')).toBe(Q4_0_SUBNORMAL);
    // (0 − 8) · d: +0 where d is −0 (block 1), −0 where d is +0 (block 2).
    expect(Array.from(result.dequantized)).toEqual(
      Array.from(dequantizeQ4_0(result.ggmlBytes!, 64)),
    );
    expect(result.dequantized.every((v) => v === 0)).toBe(true);
    expect(Number.isNaN(result.metrics.mse)).toBe(false);
  });

  it('converts to int8 as ggml’s x86-64 build does: truncation, and 0 for ±∞ and NaN', () => {
    expect(
      [-3.7, 3.7, 127.4, -128, Infinity, -Infinity, NaN, 2 ** 31, -(2 ** 40)].map(toInt8),
    ).toEqual([-3, 3, 127, -128, 0, 0, 0, 0, 0]);
  });
});

describe('GGUF block layouts round-trip (ggml-common.h)', () => {
  const x = referenceInput(96); // three blocks of 32

  it('q8_0: block_q8_0 = { ggml_half d; int8_t qs[32]; }, 34 bytes', () => {
    const result = quantizeTensor(vectorInput(x), { method: 'q8_0' });
    const bytes = result.ggmlBytes!;
    expect(bytes.length).toBe(3 * GGML_TYPES.q8_0.bytesPerBlock);
    expect(GGML_TYPES.q8_0.bytesPerBlock).toBe(2 + 32);
    // Read the structs by hand: d little-endian fp16 at +0, qs as int8 at +2 … +33.
    for (let i = 0; i < x.length; i++) {
      const at = Math.floor(i / 32) * 34;
      const d = fp16BitsToFp32(bytes[at]! | (bytes[at + 1]! << 8));
      const q = (bytes[at + 2 + (i % 32)]! << 24) >> 24;
      expect(q).toBe(result.codes[i]);
      expect(Math.fround(q * d)).toBe(result.dequantized[i]);
    }
    expect(Array.from(dequantizeQ8_0(bytes, x.length))).toEqual(Array.from(result.dequantized));
  });

  it('q4_0: block_q4_0 = { ggml_half d; uint8_t qs[16]; }, low nibbles first, 18 bytes', () => {
    const result = quantizeTensor(vectorInput(x), { method: 'q4_0' });
    const bytes = result.ggmlBytes!;
    expect(bytes.length).toBe(3 * GGML_TYPES.q4_0.bytesPerBlock);
    expect(GGML_TYPES.q4_0.bytesPerBlock).toBe(2 + 16);
    for (let i = 0; i < x.length; i++) {
      const at = Math.floor(i / 32) * 18;
      const j = i % 32;
      // dequantize_row_q4_0: value j in the low nibble of qs[j], value j + 16 in the high one.
      const byte = bytes[at + 2 + (j % 16)]!;
      const nibble = j < 16 ? byte & 0x0f : byte >> 4;
      expect(nibble).toBe(result.codes[i]);
      const d = fp16BitsToFp32(bytes[at]! | (bytes[at + 1]! << 8));
      expect(Math.fround((nibble - 8) * d)).toBe(result.dequantized[i]);
    }
    expect(Array.from(dequantizeQ4_0(bytes, x.length))).toEqual(Array.from(result.dequantized));
  });

  it('stores whole blocks: a partial block costs a whole one, its padding quantizes to 0', () => {
    const result = quantizeTensor(vectorInput(referenceInput(40)), { method: 'q8_0' });
    expect(result.storedBytes).toBe(2 * 34);
    expect(Array.from(result.ggmlBytes!.subarray(34 + 2 + 8))).toEqual(new Array(24).fill(0));
    expect(quantizeTensor(vectorInput(referenceInput(300)), { method: 'q4_k' }).storedBytes).toBe(
      2 * 144,
    );
  });
});
