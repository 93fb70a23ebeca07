/**
 * A small three-dtype checkpoint whose streamed scan report was pinned before the issue 20
 * kernels replaced the originals: BF16, F16 (with fp16 subnormals) and F32 tensors through the
 * real worker threads, file decoding included. Regenerate `stream-pinned.json` only for an
 * intended change of results:
 *   npx tsx tests/unit/electron/quantlab/stream-pin-cases.ts > tests/unit/electron/quantlab/stream-pinned.json
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fp32ToBf16Bits, fp32ToFp16Bits } from '../../../../core/quantlab/float-formats';
import type { QuantMethodSpec } from '../../../../core/quantlab/methods';
import { parseSyntheticSpec, syntheticTensor } from '../../../../core/quantlab/synthetic';
import { scanSafetensors } from '../../../../electron/services/quantlab/stream-scan';
import { encodeValues, writeSafetensors } from './safetensors-writer';

export const STREAM_PIN_METHODS: QuantMethodSpec[] = [
  { method: 'absmax', bits: 8, granularity: { kind: 'block', blockSize: 64 } },
  { method: 'absmax', bits: 4, granularity: { kind: 'tensor' } },
  { method: 'zeropoint', bits: 4, granularity: { kind: 'row' } },
  { method: 'nf4', blockSize: 64, doubleQuant: false },
  { method: 'fp4', blockSize: 64, doubleQuant: true },
  { method: 'q4_k' },
];

/** Writes the pinned checkpoint into `dir` and returns its path. */
export function writeStreamPinFile(dir: string): string {
  const file = join(dir, 'pinned.safetensors');
  const f16 = syntheticTensor(parseSyntheticSpec('normal:16384:seed=5:scale=0.001'));
  f16[7] = 3e-6; // fp16 subnormal
  const tensors = [
    {
      name: 'bf16',
      dtype: 'BF16',
      shape: [256, 512],
      spec: 'student-t:131072:seed=4:df=4:scale=0.02',
    },
    { name: 'f16', dtype: 'F16', shape: [64, 256], values: f16 },
    { name: 'f32', dtype: 'F32', shape: [1000], spec: 'laplace:1000:seed=6' },
  ] as const;
  writeSafetensors(
    file,
    tensors.map((tensor) => {
      const values =
        'values' in tensor
          ? tensor.values
          : syntheticTensor({
              ...parseSyntheticSpec(tensor.spec),
              outliers: { count: 3, magnitude: 8 },
            });
      return {
        name: tensor.name,
        dtype: tensor.dtype,
        shape: tensor.shape,
        data: encodeValues(
          values,
          tensor.dtype,
          tensor.dtype === 'BF16' ? fp32ToBf16Bits : fp32ToFp16Bits,
        ),
      };
    }),
  );
  return file;
}

/** The report's rows and totals as JSON-safe data (non-finite numbers as strings). */
export function pinnableReport(report: { rows: unknown; totals: unknown }): unknown {
  return JSON.parse(
    JSON.stringify({ rows: report.rows, totals: report.totals }, (_key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
    ),
  );
}

/** Scans the pinned file in `dir` (2 workers, 64 KiB reads: several jobs and chunks per tensor). */
export async function streamPinned(dir: string): Promise<unknown> {
  const report = await scanSafetensors(writeStreamPinFile(dir), {
    methods: STREAM_PIN_METHODS,
    workers: 2,
    chunkBytes: 64 * 1024,
  });
  return pinnableReport(report);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-stream-pin-'));
  try {
    process.stdout.write(`${JSON.stringify(await streamPinned(dir), null, 1)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
