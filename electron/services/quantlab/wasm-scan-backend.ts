/**
 * The WebAssembly SIMD scan backend of the worker threads (issue 20): block absmax and
 * zero-point at 8 or 4 bits and NF4/FP4 (with or without double quantization) run in
 * scan-kernels.wat, every method's error sums too; the other methods (per-tensor, -row and
 * -column scales, LLM.int8, GGUF) run core's TypeScript kernels on the same memory. Sums are
 * bit-identical to core's TYPESCRIPT_SCAN_BACKEND (tests/unit/electron/quantlab/wasm-scan.test.ts).
 */
import { doubleQuantizeAbsmax, dqOffset } from '../../../core/quantlab/bnb-4bit';
import { fp32Bits, fp32FromBits } from '../../../core/quantlab/float-formats';
import type { ChunkKernel, KernelOutput } from '../../../core/quantlab/kernel';
import { writeLinearGroup } from '../../../core/quantlab/linear';
import type { ErrorSums } from '../../../core/quantlab/metrics';
import {
  absmaxLevels,
  zeropointLevels,
  type LinearBits,
  type QuantMethodSpec,
} from '../../../core/quantlab/methods';
import { createKernel } from '../../../core/quantlab/quantize';
import {
  twoPassErrorKernel,
  TYPESCRIPT_SCAN_BACKEND,
  type AbsmaxOutliers,
  type ErrorKernel,
  type ScanBackend,
} from '../../../core/quantlab/scan-backend';
import type { TensorStats } from '../../../core/quantlab/tensor-stats';
import { BugError } from '../../../core/errors';
import type { ScanArena } from './wasm/scan-kernels';

/**
 * The least float32 ≥ t: for a float32 a, a ≥ t (compared as float64, as the TypeScript loop
 * does) exactly when a ≥ this (compared as float32, as the kernel does).
 */
export function float32AtLeast(threshold: number): number {
  const rounded = Math.fround(threshold);
  if (!(rounded < threshold)) return rounded;
  const bits = fp32Bits(rounded);
  return fp32FromBits(rounded > 0 ? bits + 1 : rounded < 0 ? bits - 1 : 0x00000001);
}

/** Only x̂ is asked for, into the arena's scratch: the scan's case. Anything else goes to core. */
function scanOutput(arena: ScanArena, out: KernelOutput): boolean {
  return (
    out.dequantized.buffer === arena.dq.buffer &&
    out.dequantized.byteOffset === arena.dq.byteOffset &&
    !out.codes &&
    !out.scales &&
    !out.zeroPoints &&
    !out.bytes
  );
}

function linearBlockKernel(
  arena: ScanArena,
  spec: Extract<QuantMethodSpec, { method: 'absmax' | 'zeropoint' }>,
  blockSize: number,
  fallback: ChunkKernel,
): ChunkKernel {
  const { kernels, blockA, blockB, params } = arena;
  const symmetric = spec.method === 'absmax';
  const high = symmetric ? absmaxLevels(spec.bits) : zeropointLevels(spec.bits);
  const low = symmetric ? -high : 0;
  return (x, xStart, count, globalStart, out) => {
    if (!scanOutput(arena, out) || !arena.reaches(x, count))
      return fallback(x, xStart, count, globalStart, out);
    const xp = arena.pointerOf(x, xStart, count, arena.xCopy);
    const blocks = Math.ceil(count / blockSize);
    if (symmetric) {
      kernels.block_absmax(xp, count, blockSize, blockA.byteOffset);
      for (let b = 0; b < blocks; b++)
        writeLinearGroup('absmax', spec.bits, 0, blockA[b]!, params, 3 * b);
    } else {
      kernels.block_minmax(xp, count, blockSize, blockA.byteOffset, blockB.byteOffset);
      for (let b = 0; b < blocks; b++)
        writeLinearGroup('zeropoint', spec.bits, blockA[b]!, blockB[b]!, params, 3 * b);
    }
    kernels.linear_dequant(xp, arena.dq.byteOffset, count, blockSize, params.byteOffset, low, high);
  };
}

function bnb4bitKernel(
  arena: ScanArena,
  spec: Extract<QuantMethodSpec, { method: 'nf4' | 'fp4' }>,
  stats: TensorStats | undefined,
  fallback: ChunkKernel,
): ChunkKernel {
  const { kernels, blockA, blockB, inverse } = arena;
  const blockSize = spec.blockSize;
  const offset = spec.doubleQuant ? dqOffset(spec, stats) : 0;
  const table = spec.method === 'nf4' ? arena.nf4Table : arena.fp4Table;
  const dequant = spec.method === 'nf4' ? kernels.nf4_dequant : kernels.fp4_dequant;
  return (x, xStart, count, globalStart, out) => {
    if (!scanOutput(arena, out) || !arena.reaches(x, count))
      return fallback(x, xStart, count, globalStart, out);
    const xp = arena.pointerOf(x, xStart, count, arena.xCopy);
    const blocks = Math.ceil(count / blockSize);
    kernels.block_absmax(xp, count, blockSize, blockA.byteOffset);
    // Codes use the exact absmax, x̂ the double-quantized one (core/quantlab/bnb-4bit.ts).
    const exact = spec.doubleQuant ? blockB : blockA;
    if (spec.doubleQuant) {
      blockB.set(blockA.subarray(0, blocks));
      doubleQuantizeAbsmax(blockA, blocks, offset);
    }
    for (let b = 0; b < blocks; b++) inverse[b] = Math.fround(1 / exact[b]!);
    dequant(
      xp,
      arena.dq.byteOffset,
      count,
      blockSize,
      inverse.byteOffset,
      blockA.byteOffset,
      table.byteOffset,
    );
  };
}

/** Adds a kernel's error sums into `sums`, as core/quantlab/metrics.ts accumulateErrors adds its own. */
function addErrors(
  sums: ErrorSums,
  count: number,
  [sse, signal, maxError, relative, nonzero, zeroed]: readonly number[],
): void {
  sums.count += count;
  sums.sumSquaredError += sse!;
  sums.sumSquaredSignal += signal!;
  sums.maxAbsError = Math.max(sums.maxAbsError, maxError!);
  sums.sumRelativeError += relative!;
  sums.nonzeroCount += nonzero!;
  sums.zeroedCount += zeroed!;
}

/**
 * The one-pass error kernel of absmax in blocks (absmax_block_errors in scan-kernels.wat) for
 * runs of an even count in reach of the kernels; the two-pass one for the rest.
 */
function absmaxBlockErrorKernel(
  arena: ScanArena,
  bits: LinearBits,
  blockSize: number,
  twoPass: ErrorKernel,
): ErrorKernel {
  const levels = absmaxLevels(bits);
  return (sums, x, xStart, count, globalStart) => {
    if (count % 2 !== 0 || !arena.reaches(x, count))
      return twoPass(sums, x, xStart, count, globalStart);
    const xp = arena.pointerOf(x, xStart, count, arena.xCopy);
    addErrors(sums, count, arena.kernels.absmax_block_errors(xp, count, blockSize, levels));
  };
}

/** A scan backend on one arena (one per worker thread). */
export function wasmScanBackend(arena: ScanArena): ScanBackend {
  const { kernels } = arena;
  const backend: ScanBackend = {
    name: 'WebAssembly SIMD',
    scratch(elements) {
      if (elements > arena.dq.length) throw new BugError('scan arena: scratch too small');
      return arena.dq.subarray(0, elements);
    },
    kernel(spec, shape, stats) {
      const fallback = createKernel(spec, shape, stats);
      if (
        (spec.method === 'absmax' || spec.method === 'zeropoint') &&
        spec.granularity.kind === 'block'
      )
        return linearBlockKernel(arena, spec, spec.granularity.blockSize, fallback);
      if (spec.method === 'nf4' || spec.method === 'fp4')
        return bnb4bitKernel(arena, spec, stats, fallback);
      return fallback;
    },
    errorKernel(spec, shape, stats, output) {
      const twoPass = twoPassErrorKernel(
        backend.kernel(spec, shape, stats),
        output,
        backend.accumulateErrors,
      );
      return spec.method === 'absmax' && spec.granularity.kind === 'block'
        ? absmaxBlockErrorKernel(arena, spec.bits, spec.granularity.blockSize, twoPass)
        : twoPass;
    },
    absmaxAndOutliers(
      x: Float32Array,
      from: number,
      to: number,
      threshold: number,
      into: AbsmaxOutliers,
    ) {
      if (!arena.owns(x))
        return TYPESCRIPT_SCAN_BACKEND.absmaxAndOutliers(x, from, to, threshold, into);
      const [absmax, outliers] = kernels.absmax_outliers(
        x.byteOffset + from * 4,
        to - from,
        float32AtLeast(threshold),
      );
      into.absmax = absmax;
      into.outliers = outliers;
    },
    accumulateErrors(
      sums: ErrorSums,
      x: Float32Array,
      xStart: number,
      dequantized: Float32Array,
      count: number,
    ) {
      if (!arena.reaches(x, count) || !arena.reaches(dequantized, count))
        return TYPESCRIPT_SCAN_BACKEND.accumulateErrors(sums, x, xStart, dequantized, count);
      addErrors(
        sums,
        count,
        kernels.accumulate(
          arena.pointerOf(x, xStart, count, arena.xCopy),
          arena.pointerOf(dequantized, 0, count, arena.dqCopy),
          count,
        ),
      );
    },
  };
  return backend;
}
