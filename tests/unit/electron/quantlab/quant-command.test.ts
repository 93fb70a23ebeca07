import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadroomError } from '../../../../core/errors';
import { fp32ToBf16Bits } from '../../../../core/quantlab/float-formats';
import { parseSyntheticSpec, syntheticTensor } from '../../../../core/quantlab/synthetic';
import { quantCommand } from '../../../../electron/cli/quant-command';
import { buildProgram } from '../../../../electron/cli/program';
import { runHeadroom } from '../../../helpers/run-command';
import { encodeValues, writeSafetensors } from './safetensors-writer';

const SEED_VALUES = '1.2,-0.5,-4.3,1.2,-3.1,0.8,2.4,5.4';

/** Runs `headroom quant …` in process, collecting what it prints. */
async function quant(
  args: readonly string[],
  interactive = false,
): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const command = quantCommand({
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    interactive,
  }).exitOverride();
  await command.parseAsync([...args], { from: 'user' });
  return { stdout, stderr };
}

async function quantJson(args: readonly string[]): Promise<Record<string, unknown>> {
  const { stdout } = await quant([...args, '--json']);
  return JSON.parse(stdout) as Record<string, unknown>;
}

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-quant-cli-'));
  file = join(dir, 'tiny.safetensors');
  const big = syntheticTensor(parseSyntheticSpec('normal:65536:seed=1:scale=0.02'));
  const small = syntheticTensor(parseSyntheticSpec('normal:1024:seed=2'));
  writeSafetensors(file, [
    {
      name: 'big',
      dtype: 'BF16',
      shape: [128, 512],
      data: encodeValues(big, 'BF16', fp32ToBf16Bits),
    },
    {
      name: 'small',
      dtype: 'F32',
      shape: [32, 32],
      data: encodeValues(small, 'F32', fp32ToBf16Bits),
    },
  ]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('headroom quant --json (schema headroom.quant/v1)', () => {
  it('takes blocks from 2 for pasted values, as the workbench does, and from 32 for a file', async () => {
    const doc = await quantJson(['--values', SEED_VALUES, '--method', 'blockwise', '--block', '2']);
    // The seed's values in pairs, each scaled by its own absmax: [1.2, -0.5] → 127 and
    // round(-0.5 × 127 / 1.2) = round(-52.9) = -53; [-4.3, 1.2] → -127, round(35.4) = 35.
    expect((doc['quantized'] as number[]).slice(0, 4)).toEqual([127, -53, -127, 35]);
    expect(doc['scales']).toHaveLength(4);
    await expect(quant(['--file', file, '--method', 'blockwise', '--block', '2'])).rejects.toThrow(
      /powers of two from 32/,
    );
  });

  it('gives the seed articles’ worked example for pasted values', async () => {
    const doc = await quantJson(['--values', SEED_VALUES, '--method', 'absmax', '--bits', '8']);
    expect(doc['schema']).toBe('headroom.quant/v1');
    expect(doc['method']).toBe('absmax');
    // Seed article: [28, -12, -101, 28, -73, 19, 56, 127].
    expect(doc['quantized']).toEqual([28, -12, -101, 28, -73, 19, 56, 127]);
    expect((doc['dequantized'] as number[])[0]).toBeCloseTo(1.190551181, 6);
    expect(doc['scales']).toHaveLength(1);
    expect(Object.keys(doc['metrics'] as object).sort()).toEqual([
      'maxAbsError',
      'meanRelError',
      'mse',
      'rmse',
      'snrDb',
      'zeroedFraction',
    ]);
    expect(doc['storedBytes']).toBe(12);
  });

  it('omits the per-value arrays above 4096 values', async () => {
    const doc = await quantJson([
      '--synthetic',
      'normal:1e4:seed=1',
      '--outliers',
      '1:54.5',
      '--method',
      'blockwise',
      '--block',
      '64',
    ]);
    expect(doc['method']).toBe('blockwise');
    expect(doc['elements']).toBe(10_000);
    expect(doc['quantized']).toBeUndefined();
    expect(doc['dequantized']).toBeUndefined();
    // 10 000 int8 codes + ⌈10 000 / 64⌉ = 157 float32 scales.
    expect(doc['storedBytes']).toBe(10_000 + 157 * 4);
  });

  it('reads a small file tensor whole, with its values', async () => {
    const doc = await quantJson(['--file', file, '--tensor', 'small', '--method', 'q8_0']);
    expect(doc['shape']).toEqual([32, 32]);
    expect(doc['quantized']).toHaveLength(1024);
    expect(doc['storedBytes']).toBe(32 * 34);
  });

  it('streams a big tensor, or the whole file, and gives the metrics per tensor', async () => {
    const one = await quantJson([
      '--file',
      file,
      '--tensor',
      'big',
      '--method',
      'nf4',
      '--workers',
      '2',
    ]);
    expect(one['quantized']).toBeUndefined();
    expect((one['tensors'] as { name: string }[]).map((t) => t.name)).toEqual(['big']);
    const all = await quantJson(['--file', file, '--method', 'nf4']);
    const tensors = all['tensors'] as {
      name: string;
      storedBytes: number;
      metrics: { mse: number };
    }[];
    expect(tensors.map((t) => t.name)).toEqual(['big', 'small']);
    expect(all['storedBytes']).toBe(tensors[0]!.storedBytes + tensors[1]!.storedBytes);
    expect(tensors[0]!.metrics).toEqual((one['tensors'] as { metrics: unknown }[])[0]!.metrics);
  });

  it('shows a file scan’s progress on a terminal, with its rate once there is one', async () => {
    const { stderr } = await quant(['--file', file, '--method', 'q8_0'], true);
    const lines = stderr.split('\r').filter((line) => line !== '');
    expect(lines.at(-1)).toMatch(/^headroom: reading 100% of 0\.00 GB( \(\d+\.\d\d GB\/s\))? *\n$/);
    for (const line of lines.slice(0, -1))
      expect(line).toMatch(
        /^headroom: reading \d+% of 0\.00 GB( \(\d+\.\d\d GB\/s, .+ left\))? *$/,
      );
  });

  it('counts outliers at the --threshold a file scan is given', async () => {
    const at6 = await quantJson(['--file', file, '--tensor', 'big', '--method', 'q8_0']);
    const atTiny = await quantJson([
      '--file',
      file,
      '--tensor',
      'big',
      '--method',
      'q8_0',
      '--threshold',
      '0.02',
    ]);
    const fraction = (doc: Record<string, unknown>) =>
      (doc['tensors'] as { outlierFraction: number }[])[0]!.outlierFraction;
    expect(fraction(at6)).toBe(0);
    // N(0, 0.02²): P(|x| ≥ σ) = 31.7 %.
    expect(fraction(atTiny)).toBeCloseTo(0.317, 1);
  });

  it('samples a tensor when asked', async () => {
    const doc = await quantJson([
      '--file',
      file,
      '--tensor',
      'big',
      '--sample',
      '2048',
      '--method',
      'llm.int8',
    ]);
    expect(doc['shape']).toEqual([4, 512]);
    expect((doc['input'] as { sampled: boolean }).sampled).toBe(true);
  });
});

describe('headroom quant, human output and bad input', () => {
  it('prints the metrics and, for a few values, the codes', async () => {
    const { stdout } = await quant(['--values', SEED_VALUES, '--method', 'absmax']);
    expect(stdout).toContain('absmax int8 per-tensor');
    expect(stdout).toContain('28 -12 -101 28 -73 19 56 127');
    expect(stdout).toMatch(/SNR\s+49\.51 dB/);
  });

  it('prints a table for a file scan', async () => {
    const { stdout } = await quant(['--file', file, '--method', 'q4_k']);
    expect(stdout).toMatch(/^tensor\s+shape\s+absmax/);
    expect(stdout).toContain('big');
    expect(stdout).toContain('GGUF q4_k, all tensors');
  });

  it.each([
    [['--method', 'absmax'], /exactly one input/],
    [['--values', '1,2', '--synthetic', 'normal:10', '--method', 'absmax'], /exactly one input/],
    [
      ['--values', '1,2', '--outliers', '1:5', '--method', 'absmax'],
      /--outliers k:m goes with --synthetic/,
    ],
    [['--values', '1,2', '--method', 'nf4', '--bits', '8'], /4-bit/],
    [['--values', '1,2,3', '--shape', '2x2', '--method', 'absmax'], /holds 4 values/],
    [['--synthetic', 'gamma:10', '--method', 'absmax'], /unknown distribution/],
    [['--values', '1,2', '--method', 'blockwise', '--block', '48'], /powers of two/],
    [['--values', '1,2', '--method', 'absmax', '--threshold', '4'], /--threshold applies/],
  ])('refuses %j with a message (exit 2)', async (args, message) => {
    await expect(quant(args)).rejects.toThrow(HeadroomError);
    await expect(quant(args)).rejects.toThrow(message);
  });

  it('refuses a missing file with FILE_NOT_FOUND', async () => {
    await expect(
      quant(['--file', join(dir, 'nope.safetensors'), '--method', 'q8_0']),
    ).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});

// Runs only once the lead has added quantCommand() to electron/cli/program.ts.
describe.skipIf(!(await buildProgram()).commands.some((command) => command.name() === 'quant'))(
  'headroom quant as a user runs it',
  () => {
    it('exits 0 with the JSON document', async () => {
      const result = await runHeadroom([
        'quant',
        '--values',
        SEED_VALUES,
        '--method',
        'absmax',
        '--json',
      ]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).quantized).toEqual([28, -12, -101, 28, -73, 19, 56, 127]);
    });

    it('exits 2 with one line on bad input', async () => {
      const result = await runHeadroom(['quant', '--values', '1,x', '--method', 'absmax']);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  },
);
