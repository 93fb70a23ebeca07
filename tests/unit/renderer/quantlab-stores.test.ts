import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { quantizeTensor, syntheticTensor } from '../../../core/quantlab';
import { installBridge } from '../../../renderer/bridge/current';
import { MAX_LAB_VALUES, SWEEP_FAMILIES } from '../../../renderer/quantlab/experiment';
import { useQuantLabStore } from '../../../renderer/stores/quantlab-store';
import { reviveRow, useScanStore } from '../../../renderer/stores/scan-store';
import { safetensorsHeader } from '../../helpers/model-file-writers';
import { testBridge } from './test-bridge';

/** shared/seeds/004… ("LLMs quantization"): the eight weights of the worked example… */
const SEED_VALUES = [1.2, -0.5, -4.3, 1.2, -3.1, 0.8, 2.4, 5.4];
/** …"which, rounded off, would be [28, -12, -101, 28, -73, 19, 56, 127]" (absmax int8)… */
const SEED_ABSMAX_CODES = [28, -12, -101, 28, -73, 19, 56, 127];
/** …and dequantized "[1.190551181, -0.5102362205, -4.294488189, 1.190551181, -3.103937008, 0.8078740157, 2.381102362, 5.4]". */
const SEED_DEQUANTIZED = [
  1.190551181, -0.5102362205, -4.294488189, 1.190551181, -3.103937008, 0.8078740157, 2.381102362,
  5.4,
];

describe('the quantization lab store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows the seed example: absmax int8 codes and dequantized values as the seed article prints them', async () => {
    const lab = useQuantLabStore();
    expect(lab.inputKind).toBe('seed');
    expect(lab.chosenMethods[0]!.id).toBe('absmax-8');
    await lab.run();
    expect(lab.error).toBeNull();
    const primary = lab.result!.primary;
    expect(Array.from(primary.codes)).toEqual(SEED_ABSMAX_CODES);
    Array.from(primary.dequantized).forEach((value, i) =>
      // float32 arithmetic: 7 significant digits of the article's doubles.
      expect(value).toBeCloseTo(SEED_DEQUANTIZED[i]!, 5),
    );
    expect(lab.result!.summaries.map((summary) => summary.method)).toEqual([
      'absmax',
      'zeropoint',
      'blockwise',
      'nf4',
    ]);
    // Absmax int8 of one group has the 255 levels q · 5.4/127, q = −127…127.
    expect(lab.result!.levels).toHaveLength(255);
    expect(lab.result!.levels.at(-1)).toBeCloseTo(5.4, 5);
  });

  it('draws error against block size for each family and against outlier magnitude for each method', async () => {
    const lab = useQuantLabStore();
    lab.inputKind = 'synthetic';
    lab.count = 8192;
    lab.outlierCount = 1;
    await lab.run();
    const result = lab.result!;
    // Linear families start with the whole tensor (core/quantlab/experiments.ts), then 32 … 4096.
    expect(result.blockSweep.map((sweep) => sweep.points.length)).toEqual([9, 9, 8]);
    expect(result.blockSweep.map((sweep) => sweep.label)).toEqual(
      SWEEP_FAMILIES.map((family) => family.label),
    );
    // Blocks confine an outlier to its own block (the seed articles): absmax int8 in blocks of
    // 32 loses less than over the whole tensor.
    const absmax = result.blockSweep[0]!.points;
    expect(absmax[1]!.metrics.rmse).toBeLessThan(absmax[0]!.metrics.rmse);
    expect(result.outlierSweep).toHaveLength(7);
    // One outlier stretches the per-tensor absmax scale: the other values' error grows with it.
    const perTensor = result.outlierSweep.map((point) => point.results[0]!.inlierMetrics.rmse);
    expect(perTensor.at(-1)!).toBeGreaterThan(perTensor[0]! * 10);
  });

  it('quantizes a million values in steps, reporting progress, and refuses more', async () => {
    const lab = useQuantLabStore();
    lab.inputKind = 'synthetic';
    lab.count = MAX_LAB_VALUES;
    lab.setMethod('zeropoint-8', false);
    lab.setMethod('blockwise-8', false);
    lab.setMethod('nf4', false);
    const seen: number[] = [];
    const running = lab.run();
    const poll = setInterval(() => seen.push(lab.progress), 1);
    await running;
    clearInterval(poll);
    expect(lab.error).toBeNull();
    expect(lab.result!.primary.elements).toBe(MAX_LAB_VALUES);
    expect(new Set(seen.filter((p) => p > 0 && p < 1)).size).toBeGreaterThan(2);
    lab.count = MAX_LAB_VALUES + 1;
    await lab.run();
    expect(lab.error).toMatch(/1 to 1,000,000 values/);
  }, 120_000);

  it('reads pasted numbers, and says which one is not a number', async () => {
    const lab = useQuantLabStore();
    lab.inputKind = 'pasted';
    lab.pastedText = '1.2 -0.5\n-4.3; 1.2, -3.1 0.8 2.4 5.4';
    await lab.run();
    expect(Array.from(lab.result!.primary.codes)).toEqual(SEED_ABSMAX_CODES);
    lab.pastedText = '1, two, 3';
    await lab.run();
    // UI wording: the field as the page names it, not the CLI's --values flag.
    expect(lab.error).toBe('Pasted values: "two" is not a number.');
  });

  it('takes blocks from 2 for values in the page, so eight pasted values show blocks helping', async () => {
    const lab = useQuantLabStore();
    lab.inputKind = 'pasted';
    lab.pastedText = SEED_VALUES.join(', ');
    lab.setMethod('zeropoint-8', false);
    lab.setMethod('nf4', false);
    lab.block = 2;
    await lab.run();
    expect(lab.error).toBeNull();
    const [perTensor, blocksOfTwo] = lab.result!.summaries;
    expect(blocksOfTwo!.label).toMatch(/block 2\b/);
    // Each pair gets its own scale: −0.5 next to 1.2 no longer shares 5.4's step of 5.4/127.
    expect(blocksOfTwo!.metrics.rmse).toBeLessThan(perTensor!.metrics.rmse);
  });

  it('shows the method the user picks in detail: its codes, levels and JSON', async () => {
    const lab = useQuantLabStore();
    await lab.run();
    await lab.showDetail('nf4');
    expect(lab.error).toBeNull();
    expect(lab.result!.primary.method).toBe('nf4');
    // NF4: 16 levels (QLoRA appendix E); the summary table keeps the menu's order.
    expect(lab.result!.levels).toHaveLength(16);
    expect(lab.result!.summaries.map((summary) => summary.method)).toEqual([
      'absmax',
      'zeropoint',
      'blockwise',
      'nf4',
    ]);
    expect(JSON.parse(lab.resultJson()!)).toMatchObject({ schema: 'headroom.quant/v1' });
  });

  it('exports the first method as `headroom quant --json` does (schema headroom.quant/v1)', async () => {
    const lab = useQuantLabStore();
    await lab.run();
    const json = JSON.parse(lab.resultJson()!) as { schema: string; quantized: number[] };
    expect(json.schema).toBe('headroom.quant/v1');
    expect(json.quantized).toEqual(SEED_ABSMAX_CODES);
  });
});

/** Worker threads start through tsx from the sources: seconds on a busy 2-core machine. */
const SCAN_TIMEOUT_MS = 60_000;

describe('a file scan through the bridge', { timeout: SCAN_TIMEOUT_MS }, () => {
  let folder: string;
  let file: string;
  /** 64 × 64 seeded normal values: the second tensor of the file. */
  const matrix = syntheticTensor({
    distribution: 'normal',
    count: 4096,
    seed: 7,
    scale: 1,
    degreesOfFreedom: 3,
  });

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'headroom-scan-store-'));
    file = join(folder, 'model.safetensors');
    const { header, dataBytes } = safetensorsHeader([
      { name: 'seed', dtype: 'F32', shape: [8] },
      { name: 'layers.0.weight', dtype: 'F32', shape: [64, 64] },
    ]);
    const data = new Float32Array(dataBytes / 4);
    data.set(SEED_VALUES, 0);
    data.set(matrix, 8);
    await writeFile(file, Buffer.concat([header, new Uint8Array(data.buffer)]));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));
  beforeEach(() => {
    setActivePinia(createPinia());
    installBridge(testBridge());
  });

  it('scans a safetensors file with the lab’s methods and gives the in-memory numbers', async () => {
    const lab = useQuantLabStore();
    const scan = useScanStore();
    scan.path = file;
    const status = await scan.start();
    expect(scan.error).toBeNull();
    expect(status?.state).toBe('done');
    // File order, then the table's default order: by name.
    expect(scan.rows.map((row) => row.name)).toEqual(['seed', 'layers.0.weight']);
    expect(scan.sortedRows.map((row) => row.name)).toEqual(['layers.0.weight', 'seed']);
    const seedRow = scan.rows.find((row) => row.name === 'seed')!;
    // The seed row's absmax int8 error from the article's dequantized values.
    const expectedMse =
      SEED_VALUES.reduce((sum, x, i) => sum + (x - SEED_DEQUANTIZED[i]!) ** 2, 0) / 8;
    expect(seedRow.results[0]!.metrics.mse).toBeCloseTo(expectedMse, 8);
    // Streamed in worker threads, the 64 × 64 tensor gives what core computes in memory.
    const weight = scan.rows.find((row) => row.name === 'layers.0.weight')!;
    expect(weight.results.map((result) => result.label)).toEqual([
      'absmax int8 per-tensor',
      'zero-point uint8 per-tensor',
      'absmax int8 block 64',
      'NF4 block 64',
    ]);
    const inMemory = quantizeTensor(
      { values: matrix, shape: { rows: 64, cols: 64 } },
      { method: 'absmax', bits: 8, granularity: { kind: 'tensor' } },
    );
    expect(weight.results[0]!.metrics.rmse).toBeCloseTo(inMemory.metrics.rmse, 10);
    const csv = scan.tableCsv()!.split('\r\n');
    expect(csv[0]).toMatch(
      /^name,dtype,shape,elements,absmax,outlierFraction,absmax int8 per-tensor mse/,
    );
    expect(csv).toHaveLength(4);
    // Sorted by the first method's RMSE, largest first: the 4096 normal values (absmax ≈ 4σ)
    // lose more per value than the eight seed weights (step 5.4/127).
    scan.sortBy({ column: 'metric', methodIndex: 0, metric: 'rmse' });
    expect(scan.sortDirection).toBe('desc');
    const byRmse = scan.sortedRows.map((row) => row.results[0]!.metrics.rmse);
    expect(byRmse[0]).toBeGreaterThanOrEqual(byRmse[1]!);
    const json = JSON.parse(scan.tableJson()!) as { schema: string }[];
    expect(json).toHaveLength(lab.methodOptions.length);
    expect(json[0]!.schema).toBe('headroom.quant/v1');
  });

  it('turns the SNR of an exact scan (null over the bridge, as JSON writes it) back into +∞', () => {
    const row = reviveRow({
      name: 'exact',
      dtype: 'F32',
      shape: [2],
      elements: 2,
      absmax: 1,
      outlierFraction: 0,
      results: [
        {
          method: 'q8_0',
          label: 'GGUF q8_0',
          storedBytes: 34,
          metrics: {
            mse: 0,
            rmse: 0,
            maxAbsError: 0,
            snrDb: null,
            meanRelError: 0,
            zeroedFraction: 0,
          },
        },
      ],
    });
    expect(row.results[0]!.metrics.snrDb).toBe(Infinity);
  });

  it('says what is wrong with a path that is not a checkpoint', async () => {
    const scan = useScanStore();
    scan.path = join(folder, 'missing.safetensors');
    const status = await scan.start();
    expect(status?.state === 'failed' || status === null).toBe(true);
    expect(scan.error).toMatch(/missing\.safetensors/);
  });
});
