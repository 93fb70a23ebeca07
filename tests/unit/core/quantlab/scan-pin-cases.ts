/**
 * The scan outputs pinned before the issue 20 kernels (fast JS and WebAssembly) replaced the
 * originals: every method's error sums, bit for bit, on a bf16-rounded tensor with the cases
 * a kernel can get wrong (an all-zero block, −0, subnormals, outliers, ties of the rounding).
 * `scan-pinned.json` holds what the original kernels computed; regenerate it only for an
 * intended change of results:  npx tsx tests/unit/core/quantlab/scan-pin-cases.ts > tests/unit/core/quantlab/scan-pinned.json
 */
import { fp32FromBits, fp32ToBf16Bits } from '../../../../core/quantlab/float-formats';
import type { QuantMethodSpec, TensorShape } from '../../../../core/quantlab/methods';
import {
  createScanPlan,
  emptyScanSums,
  mergeScanSums,
  scanChunk,
} from '../../../../core/quantlab/scan';
import type { ScanSums } from '../../../../core/quantlab/scan';
import type { ScanBackend } from '../../../../core/quantlab/scan-backend';
import { syntheticTensor } from '../../../../core/quantlab/synthetic';
import {
  accumulateStats,
  emptyStats,
  mergeStats,
  statsRequest,
} from '../../../../core/quantlab/tensor-stats';

/** 48 rows × 4096: three 65 536-element scan sub-chunks, and a row length past every block. */
export const PIN_SHAPE: TensorShape = { rows: 48, cols: 4096 };
/** Job size of the pinned scan (2^17, aligned to every method below, as scan-jobs cuts). */
export const PIN_JOB_ELEMENTS = 2 ** 17;

const block = (blockSize: number) => ({ kind: 'block', blockSize }) as const;

/** Every method and granularity the lab has. */
export const PIN_METHODS: QuantMethodSpec[] = [
  ...([8, 4] as const).flatMap((bits) =>
    (['absmax', 'zeropoint'] as const).flatMap((method) =>
      [
        { kind: 'tensor' } as const,
        { kind: 'row' } as const,
        { kind: 'column' } as const,
        block(32),
        block(64),
        block(4096),
      ].map((granularity) => ({ method, bits, granularity })),
    ),
  ),
  { method: 'llm.int8', threshold: 6 },
  { method: 'llm.int8', threshold: 0.05 },
  { method: 'nf4', blockSize: 64, doubleQuant: false },
  { method: 'nf4', blockSize: 64, doubleQuant: true },
  { method: 'nf4', blockSize: 4096, doubleQuant: false },
  { method: 'fp4', blockSize: 64, doubleQuant: false },
  { method: 'fp4', blockSize: 128, doubleQuant: true },
  { method: 'q8_0' },
  { method: 'q4_0' },
  { method: 'q4_k' },
];

/** The pinned tensor: Student-t weights rounded to bf16, with edge cases written in. */
export function pinTensor(): Float32Array {
  const values = syntheticTensor({
    distribution: 'student-t',
    count: PIN_SHAPE.rows * PIN_SHAPE.cols,
    seed: 20,
    scale: 0.02,
    degreesOfFreedom: 4,
    outliers: { count: 24, magnitude: 8 },
  });
  for (let i = 0; i < values.length; i++)
    values[i] = fp32FromBits(fp32ToBf16Bits(values[i]!) << 16);
  values.fill(0, 4096, 4096 + 64); // one all-zero block of 64 (absmax 0)
  for (let i = 8192; i < 8192 + 64; i += 2) values[i] = -0;
  for (let i = 12288; i < 12288 + 32; i++) values[i] = fp32FromBits((i - 12287) << 16); // bf16 subnormals
  // Exact ties of absmax int8 rounding: with absmax 127·2^-7 in a block, x·Q/absmax = k + 0.5.
  const tie = 20480;
  values[tie] = 127 / 128;
  for (let k = 1; k < 32; k++) values[tie + k] = (k + 0.5) / 128;
  return values;
}

/** Scans the tensor the way workers do: first pass per job, merged; scan per job, merged in order. */
export function scanPinned(
  values: Float32Array,
  spec: QuantMethodSpec,
  backend?: ScanBackend,
): ScanSums {
  const methods = [spec];
  const request = statsRequest(methods);
  const jobs: [number, number][] = [];
  for (let start = 0; start < values.length; start += PIN_JOB_ELEMENTS)
    jobs.push([start, Math.min(values.length, start + PIN_JOB_ELEMENTS)]);
  const stats = emptyStats(PIN_SHAPE, request);
  for (const [start, end] of jobs) {
    const part = emptyStats(PIN_SHAPE, request);
    accumulateStats(part, PIN_SHAPE.cols, values, start, end - start, start);
    mergeStats(stats, part);
  }
  const plan = createScanPlan(methods, PIN_SHAPE, stats, undefined, backend);
  const total = emptyScanSums(1);
  for (const [start, end] of jobs) {
    const part = emptyScanSums(1);
    scanChunk(part, plan, values, start, end - start, start);
    mergeScanSums(total, part);
  }
  return total;
}

/**
 * Sums as JSON-safe data: numbers as they are (JSON round-trips float64 exactly), NaN and ±∞
 * as strings (JSON would make them null). The original q8_0/q4_0 kernels gave NaN on the block
 * of bf16 subnormals (1/d overflows to ∞ and the fp16 d is 0); they now store code 0 there as
 * ggml does (core/quantlab/ggml-legacy.ts toInt8), and those two entries alone were re-pinned.
 */
export function pinnable(sums: ScanSums): unknown {
  return JSON.parse(
    JSON.stringify(sums, (_key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
    ),
  );
}

/** The pinned outputs, keyed by a method's JSON. */
export function pinnedOutputs(): Record<string, unknown> {
  const values = pinTensor();
  return Object.fromEntries(
    PIN_METHODS.map((spec) => [JSON.stringify(spec), pinnable(scanPinned(values, spec))]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(pinnedOutputs(), null, 1)}\n`);
}
