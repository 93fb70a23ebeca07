/**
 * bitsandbytes 4-bit blockwise quantization, NF4 and FP4 (QLoRA, Dettmers et al. 2023):
 * per block of B values, absmax = max|x| (float32); each x·(1/absmax) picks a code with the
 * decision trees of csrc/kernels.cu (dQuantizeNF4 / dQuantizeFP4); x̂ = code · absmax.
 * Double quantization (QLoRA section 3; bitsandbytes functional.py quantize_4bit with
 * compress_statistics): offset = mean(absmax), then absmax − offset is quantized with the 8-bit
 * dynamic map in groups of 256 blocks (backends/default/ops.py quantize_blockwise: nearest code,
 * first on ties); x̂ uses the reconstructed absmax, codes stay those of the exact absmax.
 */
import { BugError } from '../errors';
import {
  cachedDynamicMap,
  FP4_CODE,
  FP4_CODE_BY_RANK,
  FP4_THRESHOLDS,
  NF4_CODE,
  NF4_THRESHOLDS,
} from './bnb-codebooks';
import type { ChunkKernel } from './kernel';
import { BNB_DQ_BLOCK, type QuantMethodSpec } from './methods';
import type { TensorStats } from './tensor-stats';

type Bnb4Spec = Extract<QuantMethodSpec, { method: 'nf4' | 'fp4' }>;

const NF4_T = Float32Array.from(NF4_THRESHOLDS);
const FP4_T = Float32Array.from(FP4_THRESHOLDS);
const NF4_VALUES = Float32Array.from(NF4_CODE);
const FP4_VALUES = Float32Array.from(FP4_CODE);

/** dQuantizeNF4: the number of thresholds below the normalised value (NaN → 0, as the tree). */
export function nf4Index(normalized: number): number {
  let i = normalized > NF4_T[7]! ? 8 : 0;
  i += normalized > NF4_T[i + 3]! ? 4 : 0;
  i += normalized > NF4_T[i + 1]! ? 2 : 0;
  i += normalized > NF4_T[i]! ? 1 : 0;
  return i;
}

/** dQuantizeFP4: sign bit 0b1000 for x < 0, the magnitude's interval code in the low bits. */
export function fp4Index(normalized: number): number {
  const sign = normalized < 0 ? 0b1000 : 0;
  const a = normalized < 0 ? -normalized : normalized;
  let rank = 0;
  while (rank < FP4_T.length && a > FP4_T[rank]!) rank++;
  return sign | FP4_CODE_BY_RANK[rank]!;
}

/**
 * A fast exact path for the decision trees: a table over 8192 equal bins of [−1, 1] holding the
 * code of every bin that no decision point (threshold, or 0 for FP4's sign) comes within 10^-6
 * of; the remaining bins (at most two per decision point) fall back to the tree. Branch-light, so
 * random data does not pay a misprediction per tree level.
 */
const LUT_BINS = 8192;
const LUT_HALF = LUT_BINS / 2;
const LUT_MARGIN = 1e-6;

function decisionTable(
  exact: (normalized: number) => number,
  points: readonly number[],
): Int8Array {
  const table = new Int8Array(LUT_BINS);
  for (let bin = 0; bin < LUT_BINS; bin++) {
    const low = bin / LUT_HALF - 1;
    const high = (bin + 1) / LUT_HALF - 1;
    const ambiguous = points.some(
      (point) => point >= low - LUT_MARGIN && point <= high + LUT_MARGIN,
    );
    table[bin] = ambiguous ? -1 : exact((low + high) / 2);
  }
  return table;
}

const NF4_TABLE = decisionTable(nf4Index, NF4_THRESHOLDS);
const FP4_TABLE = decisionTable(fp4Index, [0, ...FP4_THRESHOLDS, ...FP4_THRESHOLDS.map((t) => -t)]);

/** Index of the nearest code of a sorted map (torch.argmin of |x − code|: the first on ties). */
function nearestCodeIndex(sortedCode: Float32Array, x: number): number {
  let low = 0;
  let high = sortedCode.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sortedCode[mid]! < x) low = mid + 1;
    else high = mid;
  }
  if (low === 0) return 0;
  const below = Math.fround(Math.abs(Math.fround(x - sortedCode[low - 1]!)));
  const above = Math.fround(Math.abs(Math.fround(x - sortedCode[low]!)));
  return below <= above ? low - 1 : low;
}

/**
 * Replaces block absmax values by their double-quantized reconstruction: (absmax − offset)
 * in groups of 256, each scaled by its own absmax into the dynamic map, then code · absmax₂ + offset.
 */
export function doubleQuantizeAbsmax(absmax: Float32Array, count: number, offset: number): void {
  const code = cachedDynamicMap();
  for (let start = 0; start < count; start += BNB_DQ_BLOCK) {
    const end = Math.min(count, start + BNB_DQ_BLOCK);
    let absmax2 = 0;
    for (let k = start; k < end; k++) {
      const a = Math.abs(Math.fround(absmax[k]! - offset));
      if (a > absmax2) absmax2 = a;
    }
    const inverse = Math.fround(1 / absmax2);
    for (let k = start; k < end; k++) {
      const centered = Math.fround(absmax[k]! - offset);
      const scaled = absmax2 === 0 ? 0 : Math.min(1, Math.max(-1, Math.fround(centered * inverse)));
      const index = nearestCodeIndex(code, scaled);
      absmax[k] = Math.fround(Math.fround(code[index]! * absmax2) + offset);
    }
  }
}

/** The DQ offset: the mean block absmax of the whole tensor, from the first pass. */
export function dqOffset(spec: Bnb4Spec, stats: TensorStats | undefined): number {
  const entry = stats?.blockAbsmax.find((candidate) => candidate.blockSize === spec.blockSize);
  if (!entry) throw new BugError('double quantization needs the mean block absmax (first pass)');
  return entry.blocks === 0 ? 0 : Math.fround(entry.sum / entry.blocks);
}

/** Codes and x̂ of x[xStart + from, xStart + to): a small top-level function, so V8 optimizes it whole. */
function quantizeBlock(
  x: Float32Array,
  xStart: number,
  from: number,
  to: number,
  inverse: number,
  absmax: number,
  table: Int8Array,
  tree: (normalized: number) => number,
  values: Float32Array,
  dequantized: Float32Array,
  codes: Int32Array | undefined,
): void {
  for (let i = from; i < to; i++) {
    const normalized = Math.fround(x[xStart + i]! * inverse);
    let bin = ((normalized + 1) * LUT_HALF) | 0; // NaN → 0, the tree's answer for NaN too
    bin = bin < 0 ? 0 : bin >= LUT_BINS ? LUT_BINS - 1 : bin;
    let index = table[bin]!;
    if (index < 0) index = tree(normalized);
    dequantized[i] = Math.fround(values[index]! * absmax);
    if (codes) codes[i] = index;
  }
}

/** The chunk kernel of NF4 or FP4, with or without double quantization. */
export function bnb4bitKernel(spec: Bnb4Spec, stats?: TensorStats): ChunkKernel {
  const blockSize = spec.blockSize;
  const isNf4 = spec.method === 'nf4';
  const values = isNf4 ? NF4_VALUES : FP4_VALUES;
  const table = isNf4 ? NF4_TABLE : FP4_TABLE;
  const tree = isNf4 ? nf4Index : fp4Index;
  const offset = spec.doubleQuant ? dqOffset(spec, stats) : 0;
  let absmax = new Float32Array(0);
  return (x, xStart, count, _globalStart, out) => {
    const blocks = Math.ceil(count / blockSize);
    if (absmax.length < blocks) absmax = new Float32Array(blocks);
    for (let b = 0; b < blocks; b++) {
      let max = 0;
      const end = Math.min(count, (b + 1) * blockSize);
      for (let i = xStart + b * blockSize; i < xStart + end; i++) {
        const a = Math.abs(x[i]!);
        max = a > max ? a : max;
      }
      absmax[b] = max;
    }
    const exact = spec.doubleQuant ? absmax.slice(0, blocks) : absmax;
    if (spec.doubleQuant) doubleQuantizeAbsmax(absmax, blocks, offset);
    const { dequantized, codes, scales } = out;
    for (let b = 0; b < blocks; b++) {
      const inverse = Math.fround(1 / exact[b]!);
      const used = absmax[b]!;
      if (scales) scales[b] = used;
      const end = Math.min(count, (b + 1) * blockSize);
      quantizeBlock(
        x,
        xStart,
        b * blockSize,
        end,
        inverse,
        used,
        table,
        tree,
        values,
        dequantized,
        codes,
      );
    }
  };
}
