/**
 * Linear quantizers: absmax (symmetric) and zero-point (asymmetric/affine), at 8 or 4 bits,
 * per tensor, per row, per column or per block.
 *
 * - absmax: q = round(x · Q / absmax), x̂ = q · absmax / Q with Q = 2^(b−1) − 1 (127 or 7); the
 *   seed articles' worked example ([1.2, …, 5.4] → [28, …, 127]) and bitsandbytes'
 *   int8_vectorwise_quant (`round(A * (127 / row_stats))`).
 * - zero-point: scale = (max − min) / (2^b − 1), zero = round(−min / scale), q = clamp(round(x /
 *   scale) + zero, 0, 2^b − 1), x̂ = scale · (q − zero) (Jacob et al. 2018, eq. 1); the range is
 *   widened to include 0 so that 0 is exact (same paper, section 2.1).
 * Rounding is half to even, as torch.round and numpy.rint.
 */
import type { ChunkKernel, KernelOutput } from './kernel';
import { roundHalfEven } from './kernel';
import {
  absmaxLevels,
  zeropointLevels,
  type LinearBits,
  type QuantMethodSpec,
  type TensorShape,
} from './methods';
import type { TensorStats } from './tensor-stats';
import { BugError } from '../errors';

type LinearSpec = Extract<QuantMethodSpec, { method: 'absmax' | 'zeropoint' }>;

/** The parameters of one group: x → q = clamp(round(x · inverse) + zero), x̂ = (q − zero) · step. */
interface LinearGroup {
  readonly inverse: number;
  readonly step: number;
  readonly zero: number;
}

/**
 * Writes the group parameters (inverse, step, zero) of absmax or zero-point for a group with
 * this min and max into params[at …at + 2]: the one formula, without an object per group (a
 * streamed scan has a group every 32 values).
 */
export function writeLinearGroup(
  method: 'absmax' | 'zeropoint',
  bits: LinearBits,
  min: number,
  max: number,
  params: Float64Array,
  at: number,
): void {
  let inverse = 0;
  let step = 0;
  let zero = 0;
  if (method === 'absmax') {
    const absmax = Math.max(Math.abs(min), Math.abs(max));
    const levels = absmaxLevels(bits);
    if (absmax !== 0) {
      inverse = levels / absmax;
      step = absmax / levels;
    }
  } else {
    const levels = zeropointLevels(bits);
    const low = Math.min(min, 0);
    const high = Math.max(max, 0);
    const range = (high - low) / levels;
    if (range !== 0) {
      inverse = 1 / range;
      step = range;
      zero = Math.min(levels, Math.max(0, roundHalfEven(-low / range)));
    }
  }
  params[at] = inverse;
  params[at + 1] = step;
  params[at + 2] = zero;
}

const GROUP_SCRATCH = new Float64Array(3);

/** The group parameters of absmax or zero-point for a group with this min and max. */
export function linearGroup(
  method: 'absmax' | 'zeropoint',
  bits: LinearBits,
  min: number,
  max: number,
): LinearGroup {
  writeLinearGroup(method, bits, min, max, GROUP_SCRATCH, 0);
  return { inverse: GROUP_SCRATCH[0]!, step: GROUP_SCRATCH[1]!, zero: GROUP_SCRATCH[2]! };
}

/**
 * Quantizes x[from, to) with one group's parameters into out[outOffset …]. Numbers, not an
 * object, so V8 keeps the loop unboxed. Absmax needs no clamp: |x| ≤ absmax bounds |q| by Q.
 */
function quantizeRun(
  x: Float32Array,
  from: number,
  to: number,
  outOffset: number,
  inverse: number,
  step: number,
  zero: number,
  highCode: number,
  clamp: boolean,
  out: KernelOutput,
): void {
  const dequantized = out.dequantized;
  const codes = out.codes;
  if (!clamp) {
    for (let i = from; i < to; i++) {
      const q = roundHalfEven(x[i]! * inverse);
      dequantized[outOffset + i - from] = q * step;
      if (codes) codes[outOffset + i - from] = q;
    }
    return;
  }
  for (let i = from; i < to; i++) {
    // Math.min/max keep q a float64 (a ternary mixing it with the integer bounds boxes it).
    const q = Math.min(highCode, Math.max(0, roundHalfEven(x[i]! * inverse) + zero));
    dequantized[outOffset + i - from] = (q - zero) * step;
    if (codes) codes[outOffset + i - from] = q;
  }
}

function runGroup(
  x: Float32Array,
  from: number,
  to: number,
  outOffset: number,
  group: LinearGroup,
  highCode: number,
  clamp: boolean,
  out: KernelOutput,
): void {
  quantizeRun(
    x,
    from,
    to,
    outOffset,
    +group.inverse,
    +group.step,
    +group.zero,
    highCode,
    clamp,
    out,
  );
}

/** Group parameters for every row or column from the first-pass statistics. */
function groupsFromStats(
  spec: LinearSpec,
  mins: Float32Array | undefined,
  maxs: Float32Array | undefined,
): LinearGroup[] {
  if (!mins || !maxs) throw new BugError('linear kernel: row/column statistics were not collected');
  return Array.from(mins, (min, k) => linearGroup(spec.method, spec.bits, min, maxs[k]!));
}

/**
 * The chunk kernel of an absmax or zero-point spec. Tensor, row and column granularities read
 * their scales from `stats` (the first pass); blocks compute theirs from the chunk.
 */
export function linearKernel(
  spec: LinearSpec,
  shape: TensorShape,
  stats?: TensorStats,
): ChunkKernel {
  const symmetric = spec.method === 'absmax';
  const highCode = symmetric ? absmaxLevels(spec.bits) : zeropointLevels(spec.bits);
  const lowCode = symmetric ? -highCode : 0;
  const clamp = !symmetric;
  const g = spec.granularity;
  if (g.kind === 'block') {
    const blockSize = g.blockSize;
    const params = new Float64Array(3);
    return (x, xStart, count, _globalStart, out) => {
      let block = 0;
      for (let start = 0; start < count; start += blockSize, block++) {
        const end = Math.min(count, start + blockSize);
        let min = 0;
        let max = 0;
        if (symmetric) {
          for (let i = xStart + start; i < xStart + end; i++) {
            const a = Math.abs(x[i]!);
            max = a > max ? a : max;
          }
        } else {
          min = Infinity;
          max = -Infinity;
          for (let i = xStart + start; i < xStart + end; i++) {
            const v = x[i]!;
            min = v < min ? v : min;
            max = v > max ? v : max;
          }
        }
        writeLinearGroup(spec.method, spec.bits, min, max, params, 0);
        if (out.scales) out.scales[block] = params[1]!;
        if (out.zeroPoints) out.zeroPoints[block] = params[2]!;
        quantizeRun(
          x,
          xStart + start,
          xStart + end,
          start,
          params[0]!,
          params[1]!,
          params[2]!,
          highCode,
          clamp,
          out,
        );
      }
    };
  }
  if (!stats) throw new BugError('linear kernel: tensor statistics are required');
  if (g.kind === 'tensor') {
    const group = linearGroup(spec.method, spec.bits, stats.min, stats.max);
    return (x, xStart, count, _globalStart, out) =>
      runGroup(x, xStart, xStart + count, 0, group, highCode, clamp, out);
  }
  const cols = shape.cols;
  if (g.kind === 'row') {
    const groups = groupsFromStats(spec, stats.rowMin, stats.rowMax);
    return (x, xStart, count, globalStart, out) => {
      let done = 0;
      while (done < count) {
        const g0 = globalStart + done;
        const row = Math.floor(g0 / cols);
        const run = Math.min(count - done, (row + 1) * cols - g0);
        runGroup(x, xStart + done, xStart + done + run, done, groups[row]!, highCode, clamp, out);
        done += run;
      }
    };
  }
  const groups = groupsFromStats(spec, stats.colMin, stats.colMax);
  const inverse = Float64Array.from(groups, (group) => group.inverse);
  const step = Float64Array.from(groups, (group) => group.step);
  const zero = Float64Array.from(groups, (group) => group.zero);
  return (x, xStart, count, globalStart, out) => {
    let col = globalStart % cols;
    const { dequantized, codes } = out;
    for (let i = 0; i < count; i++) {
      const z = zero[col]!;
      const q = Math.min(
        highCode,
        Math.max(lowCode, roundHalfEven(x[xStart + i]! * inverse[col]!) + z),
      );
      dequantized[i] = (q - z) * step[col]!;
      if (codes) codes[i] = q;
      if (++col === cols) col = 0;
    }
  };
}
