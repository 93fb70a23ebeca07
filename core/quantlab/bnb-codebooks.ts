/**
 * The code books of bitsandbytes' 4-bit and 8-bit blockwise formats, as bitsandbytes defines
 * them (bitsandbytes/functional.py get_4bit_type and create_dynamic_map; csrc/kernels.cu
 * dQuantizeNF4 / dQuantizeFP4 / dDequantizeFP4Tree).
 */

/**
 * NF4: 16 quantiles of N(0, 1) normalised to [−1, 1], one extra positive value so that 0 is
 * exact (Dettmers et al. 2023, "QLoRA", section 3 and Appendix E; bitsandbytes get_4bit_type('nf4')).
 */
export const NF4_CODE: readonly number[] = [
  -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
  -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
  0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
  0.7229568362236023, 1.0,
];

/**
 * The decision thresholds of csrc/kernels.cu dQuantizeNF4, ascending: code k + 1 is chosen
 * when the normalised value is greater than threshold k (each is the midpoint of two codes).
 */
export const NF4_THRESHOLDS: readonly number[] = [
  -0.8480964004993439, -0.6106329262256622, -0.4599952697753906, -0.33967943489551544,
  -0.23460740596055984, -0.13791173323988914, -0.045525018125772476, 0.03979014977812767,
  0.1202552504837513, 0.2035212516784668, 0.2920137718319893, 0.3893125355243683,
  0.5016634166240692, 0.6427869200706482, 0.8614784181118011,
];

/**
 * FP4 (E2M1, bias 3) magnitudes by the low three code bits, normalised by 12, the largest
 * (bitsandbytes get_4bit_type('fp4'): 0b000 = 0, 0b001 = 0.0625, 0b010 = 8, 0b011 = 12,
 * 0b100 = 4, 0b101 = 6, 0b110 = 2, 0b111 = 3; divided by its absmax). Bit 3 is the sign.
 */
const FP4_MAGNITUDES: readonly number[] = [0, 0.0625, 8, 12, 4, 6, 2, 3].map((v) => v / 12);

/** dQuantizeFP4's thresholds on |x| (ascending) and the code of each interval above them. */
export const FP4_THRESHOLDS: readonly number[] = [
  0.00260417, 0.0859375, 0.20833333, 0.29166667, 0.4166667, 0.583333, 0.8333333,
];
/** Codes (low three bits) of the intervals below, between and above FP4_THRESHOLDS. */
export const FP4_CODE_BY_RANK: readonly number[] = [
  0b000, 0b001, 0b110, 0b111, 0b100, 0b101, 0b010, 0b011,
];

/** The FP4 code book as signed values by 4-bit code (bit 3 set = negative). */
export const FP4_CODE: readonly number[] = Array.from(
  { length: 16 },
  (_, code) => (code & 0b1000 ? -1 : 1) * FP4_MAGNITUDES[code & 0b111]!,
);

/**
 * bitsandbytes' dynamic (tree) 8-bit map, create_dynamic_map(signed=True, max_exponent_bits=7,
 * total_bits=8) (Dettmers et al. 2022, "8-bit Optimizers via Block-wise Quantization"): for
 * i = 0 … 6, the 2^i midpoints of linspace(0.1, 1, 2^i + 1) scaled by 10^(i − 6), both signs,
 * then 0 and 1; sorted. Double quantization stores NF4's block absmax values with it. Built
 * in double precision and rounded to float32 (bitsandbytes computes it in float32; entries
 * agree to float32 rounding).
 */
export function dynamicMap(): Float32Array {
  const maxExponentBits = 7;
  const data: number[] = [];
  for (let i = 0; i < maxExponentBits; i++) {
    const items = 2 ** i + 1;
    const boundaries = Array.from({ length: items }, (_, k) => 0.1 + (0.9 * k) / (items - 1));
    const scale = 10 ** (-(maxExponentBits - 1) + i);
    for (let k = 0; k + 1 < items; k++) {
      const mean = (boundaries[k]! + boundaries[k + 1]!) / 2;
      data.push(scale * mean, -scale * mean);
    }
  }
  data.push(0, 1);
  return Float32Array.from(data.sort((a, b) => a - b));
}

let dynamicMapCache: Float32Array | undefined;

/** dynamicMap(), built once. */
export function cachedDynamicMap(): Float32Array {
  dynamicMapCache ??= dynamicMap();
  return dynamicMapCache;
}
