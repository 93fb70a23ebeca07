import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadroomError } from '../../../../core/errors';
import {
  decodeInto,
  fp32ToBf16Bits,
  fp32ToFp16Bits,
} from '../../../../core/quantlab/float-formats';
import type { QuantMethodSpec } from '../../../../core/quantlab/methods';
import { quantizeTensor } from '../../../../core/quantlab/quantize';
import { parseSyntheticSpec, syntheticTensor } from '../../../../core/quantlab/synthetic';
import {
  scanSafetensors,
  type ScanProgress,
} from '../../../../electron/services/quantlab/stream-scan';
import { readSafetensorsTensor } from '../../../../electron/services/quantlab/tensor-reader';
import {
  stopWarmScanWorkers,
  warmScanWorkerCount,
} from '../../../../electron/services/quantlab/worker-pool';
import { encodeValues, writeSafetensors } from './safetensors-writer';

let dir: string;
let file: string;
/** The float32 values each tensor decodes to (bf16/f16 rounding applied). */
const decoded = new Map<string, { values: Float32Array; shape: { rows: number; cols: number } }>();

const METHODS: QuantMethodSpec[] = [
  { method: 'absmax', bits: 8, granularity: { kind: 'tensor' } },
  { method: 'absmax', bits: 8, granularity: { kind: 'block', blockSize: 64 } },
  { method: 'zeropoint', bits: 4, granularity: { kind: 'row' } },
  { method: 'llm.int8', threshold: 6 },
  { method: 'nf4', blockSize: 64, doubleQuant: true },
  { method: 'q8_0' },
  { method: 'q4_k' },
];

/** The values as the file stores them, read back: bf16/f16 rounding applied. */
function roundTo(dtype: 'F32' | 'F16' | 'BF16', values: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  decodeInto(
    dtype,
    encodeValues(values, dtype, dtype === 'BF16' ? fp32ToBf16Bits : fp32ToFp16Bits),
    values.length,
    out,
  );
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-quantlab-'));
  file = join(dir, 'model.safetensors');
  const specs = [
    {
      name: 'layers.0.mlp.down_proj.weight',
      dtype: 'BF16',
      rows: 300,
      cols: 512,
      spec: 'student-t:153600:seed=1:df=4:scale=0.5',
    },
    {
      name: 'layers.0.self_attn.q_proj.weight',
      dtype: 'F16',
      rows: 64,
      cols: 256,
      spec: 'normal:16384:seed=2',
    },
    { name: 'norm.weight', dtype: 'F32', rows: 1, cols: 1000, spec: 'laplace:1000:seed=3' },
  ] as const;
  const tensors = specs.map(({ name, dtype, rows, cols, spec }) => {
    const values = roundTo(
      dtype,
      syntheticTensor({ ...parseSyntheticSpec(spec), outliers: { count: 5, magnitude: 7 } }),
    );
    decoded.set(name, { values, shape: { rows, cols } });
    return {
      name,
      dtype,
      shape: rows === 1 ? [cols] : [rows, cols],
      data: encodeValues(values, dtype, dtype === 'BF16' ? fp32ToBf16Bits : fp32ToFp16Bits),
    };
  });
  // An integer tensor and an empty one: skipped with a reason, not failing the scan.
  writeSafetensors(file, [
    ...tensors,
    { name: 'position_ids', dtype: 'I32', shape: [8], data: new Uint8Array(32) },
    { name: 'empty', dtype: 'F32', shape: [0], data: new Uint8Array(0) },
  ]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('streaming scans of a safetensors file', () => {
  it('give each tensor the metrics of quantizing it in memory, for every kind of method', async () => {
    const report = await scanSafetensors(file, {
      methods: METHODS,
      workers: 2,
      chunkBytes: 64 * 1024,
    });
    expect(report.rows.map((row) => row.name)).toEqual([...decoded.keys()]);
    for (const row of report.rows) {
      const tensor = decoded.get(row.name)!;
      METHODS.forEach((spec, m) => {
        const whole = quantizeTensor(tensor, spec);
        const scanned = row.results[m]!;
        expect(scanned.storedBytes).toBe(whole.storedBytes);
        expect(scanned.metrics.maxAbsError).toBe(whole.metrics.maxAbsError);
        expect(scanned.metrics.zeroedFraction).toBe(whole.metrics.zeroedFraction);
        expect(scanned.metrics.mse / whole.metrics.mse).toBeCloseTo(1, 10);
      });
    }
    expect(report.skipped).toEqual([
      { name: 'position_ids', dtype: 'I32', reason: 'the lab reads F32, F16 and BF16 only' },
      { name: 'empty', dtype: 'F32', reason: 'empty tensor' },
    ]);
  });

  it('give bit-identical results with 1 worker or 3 (jobs merge in a fixed order)', async () => {
    const one = await scanSafetensors(file, {
      methods: METHODS,
      workers: 1,
      chunkBytes: 64 * 1024,
    });
    const three = await scanSafetensors(file, {
      methods: METHODS,
      workers: 3,
      chunkBytes: 64 * 1024,
    });
    expect(three.rows).toEqual(one.rows);
    expect(three.totals).toEqual(one.totals);
  });

  it('keeps a finished scan’s thread warm for the next scan, and stops a cancelled scan’s', async () => {
    const methods = METHODS.slice(0, 2);
    await stopWarmScanWorkers();
    await scanSafetensors(file, { methods, workers: 1 });
    expect(warmScanWorkerCount()).toBe(1);
    // The next scan runs on that thread and gives it back: still one, none started.
    await scanSafetensors(file, { methods, workers: 1 });
    expect(warmScanWorkerCount()).toBe(1);
    const controller = new AbortController();
    const cancelled = scanSafetensors(file, {
      methods,
      workers: 1,
      chunkBytes: 64 * 1024,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('cancelled')),
    });
    await expect(cancelled).rejects.toThrow('cancelled');
    expect(warmScanWorkerCount()).toBe(0);
  });

  it('report progress up to every byte of both passes', async () => {
    const seen: ScanProgress[] = [];
    const report = await scanSafetensors(file, {
      methods: [{ method: 'absmax', bits: 8, granularity: { kind: 'tensor' } }],
      workers: 2,
      chunkBytes: 16 * 1024,
      onProgress: (p) => seen.push(p),
    });
    const dataBytes = 153600 * 2 + 16384 * 2 + 1000 * 4;
    expect(seen.at(-1)).toEqual({
      pass: 'scan',
      bytesDone: 2 * dataBytes,
      bytesTotal: 2 * dataBytes,
      elapsedMs: expect.any(Number),
    });
    expect(seen.some((p) => p.pass === 'stats')).toBe(true);
    for (let k = 1; k < seen.length; k++) {
      expect(seen[k]!.bytesDone).toBeGreaterThan(seen[k - 1]!.bytesDone);
      expect(seen[k]!.elapsedMs).toBeGreaterThanOrEqual(seen[k - 1]!.elapsedMs);
    }
    expect(seen[0]!.elapsedMs).toBeGreaterThan(0);
    expect(report.bytesRead).toBe(2 * dataBytes);
  });

  it('stops when cancelled, rejecting with the signal’s reason', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    const scan = scanSafetensors(file, {
      methods: [{ method: 'q4_k' }],
      workers: 2,
      chunkBytes: 4096,
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    });
    await expect(scan).rejects.toBe(reason);
  });

  it('scans only the named tensors, and names what it cannot find', async () => {
    const report = await scanSafetensors(file, {
      methods: [{ method: 'q8_0' }],
      tensors: ['norm.weight'],
    });
    expect(report.rows.map((row) => row.name)).toEqual(['norm.weight']);
    await expect(
      scanSafetensors(file, { methods: [{ method: 'q8_0' }], tensors: ['lm_head.weight'] }),
    ).rejects.toThrow(/No tensor "lm_head.weight"/);
  });

  it('refuses a truncated file before reading tensor data', async () => {
    const truncated = join(dir, 'truncated.safetensors');
    writeSafetensors(truncated, [
      { name: 'w', dtype: 'F32', shape: [1024], data: new Uint8Array(4096) },
    ]);
    truncateSync(truncated, 3000);
    await expect(
      scanSafetensors(truncated, { methods: [{ method: 'q8_0' }] }),
    ).rejects.toBeInstanceOf(HeadroomError);
  });
});

describe('sharded checkpoints', () => {
  it('scan every shard of an index, or of a folder, in the index’s order', async () => {
    const sharded = join(dir, 'sharded');
    mkdirSync(sharded);
    const down = decoded.get('layers.0.mlp.down_proj.weight')!;
    const norm = decoded.get('norm.weight')!;
    const first = 'model-00001-of-00002.safetensors';
    const second = 'model-00002-of-00002.safetensors';
    writeSafetensors(join(sharded, first), [
      {
        name: 'norm.weight',
        dtype: 'F32',
        shape: [1000],
        data: encodeValues(norm.values, 'F32', fp32ToBf16Bits),
      },
    ]);
    writeSafetensors(join(sharded, second), [
      {
        name: 'down',
        dtype: 'BF16',
        shape: [300, 512],
        data: encodeValues(down.values, 'BF16', fp32ToBf16Bits),
      },
    ]);
    // transformers' model.safetensors.index.json: {"metadata": {...}, "weight_map": {tensor: shard}}.
    writeFileSync(
      join(sharded, 'model.safetensors.index.json'),
      JSON.stringify({ metadata: {}, weight_map: { 'norm.weight': first, down: second } }),
    );
    const viaIndex = await scanSafetensors(join(sharded, 'model.safetensors.index.json'), {
      methods: [{ method: 'q8_0' }],
    });
    const viaFolder = await scanSafetensors(sharded, { methods: [{ method: 'q8_0' }] });
    expect(viaIndex.files.map((f) => basename(f))).toEqual([first, second]);
    expect(viaIndex.rows.map((row) => row.name)).toEqual(['norm.weight', 'down']);
    expect(viaFolder.rows).toEqual(viaIndex.rows);
    const whole = quantizeTensor(down, { method: 'q8_0' });
    expect(viaIndex.rows[1]!.results[0]!.metrics.mse / whole.metrics.mse).toBeCloseTo(1, 10);
    const read = await readSafetensorsTensor(sharded, 'down');
    expect(Array.from(read.values)).toEqual(Array.from(down.values));
  });
});

describe('reading one tensor into memory', () => {
  it('reads a tensor whole, decoded exactly', async () => {
    const read = await readSafetensorsTensor(file, 'layers.0.self_attn.q_proj.weight');
    const expected = decoded.get('layers.0.self_attn.q_proj.weight')!;
    expect(read.shape).toEqual(expected.shape);
    expect(read.sampled).toBe(false);
    expect(Array.from(read.values)).toEqual(Array.from(expected.values));
  });

  it('samples whole rows spread over the tensor', async () => {
    const read = await readSafetensorsTensor(file, 'layers.0.mlp.down_proj.weight', {
      sampleElements: 10 * 512,
    });
    const full = decoded.get('layers.0.mlp.down_proj.weight')!;
    expect(read.sampled).toBe(true);
    expect(read.shape).toEqual({ rows: 10, cols: 512 });
    // Rows ⌊k · 300 / 10⌋ = 0, 30, 60, …, 270.
    for (let k = 0; k < 10; k++) {
      const row = k * 30;
      expect(Array.from(read.values.subarray(k * 512, (k + 1) * 512))).toEqual(
        Array.from(full.values.subarray(row * 512, (row + 1) * 512)),
      );
    }
  });
});
