import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { applyCorrections, deriveCorrections } from '../../../core/measure/corrections';
import { parseMeasuredFile } from '../../../core/measure/import';
import { compareRuns, planForArgs } from '../../../electron/measure/replan';
import {
  correctionsText,
  readCorrectionsFile,
  type StoredRun,
} from '../../../electron/measure/store';
import type { Plan } from '../../../core/plan/types';
import { runHeadroom } from '../../helpers/run-command';
import { describeWithShared, SHARED_DIR } from '../../helpers/shared';
import { formatPercent } from '../../../core/units/numbers';

// Issue 18: your own runs. The shared H200 runs imported as a user would import theirs must give
// the errors of docs/accuracy.md (the calibration issue's table), and a correction derived from
// them must bring every re-plan within ±3 % of its measurement, while plans without it stay as
// they were.
const CASES = resolve(SHARED_DIR, 'calibration/h200-2026-12-04/cases.jsonl');
const CONFIGS = resolve(SHARED_DIR, 'data/hf-configs');
const CORRECTED_TOLERANCE = 0.03;

/** docs/accuracy.md's memory table: run id → the error it prints ("−0.1 %"). */
function accuracyTable(): Map<string, string> {
  const rows = new Map<string, string>();
  const text = readFileSync('docs/accuracy.md', 'utf8');
  const memory = text.slice(text.indexOf('## Memory'), text.indexOf('## Speed'));
  for (const line of memory.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length === 7 && /^(inf|tr)-/.test(cells[1]!)) rows.set(cells[1]!, cells[5]!);
  }
  return rows;
}

const percent = (fraction: number): string => formatPercent(fraction, { signed: true });

function storedRuns(): StoredRun[] {
  return parseMeasuredFile(readFileSync(CASES, 'utf8'), CASES).map((run) => ({
    ...run,
    importedAt: '2026-12-05T00:00:00.000Z',
    deviceId: 'nvidia-h200-sxm-141gb',
    modelRef: null,
  }));
}

describeWithShared('measure: your own runs against the plans', () => {
  it('reproduces the accuracy table of docs/accuracy.md from the imported shared runs', async () => {
    const table = accuracyTable();
    const results = await compareRuns(storedRuns(), { configDir: CONFIGS });
    expect(results.length).toBe(table.size);
    for (const result of results) {
      const total = result.comparisons.find((row) => row.category === 'total')!;
      expect([result.run.calibration!.id, percent(total.error)]).toEqual([
        result.run.calibration!.id,
        table.get(result.run.calibration!.id),
      ]);
    }
  });

  it('with the correction on, every re-plan is within ±3 % of its measurement; off, unchanged', async () => {
    const runs = storedRuns();
    const plain = await compareRuns(runs, { configDir: CONFIGS });
    const corrections = deriveCorrections(
      plain.map((result) => ({
        deviceId: result.run.deviceId!,
        engine: result.run.engine === 'transformers' ? 'transformers' : 'pytorch-training',
        comparisons: result.comparisons,
      })),
    );
    expect(corrections.map((c) => [c.engine, c.runs])).toEqual([
      ['pytorch-training', 9],
      ['transformers', 7],
    ]);
    const corrected = await compareRuns(runs, { configDir: CONFIGS, corrections });
    for (const result of corrected) {
      const total = result.comparisons.find((row) => row.category === 'total')!;
      expect(Math.abs(total.error), result.run.calibration!.id).toBeLessThanOrEqual(
        CORRECTED_TOLERANCE,
      );
      expect(result.plan!.accuracy.summary).toMatch(/^corrected by (7|9) runs on this machine/);
    }
    // Off: the plan is the CLI's plan, object for object.
    const first = plain[0]!;
    expect(applyCorrections(first.plan!, [])).toBe(first.plan);
    expect(await planForArgs(first.args!)).toEqual(first.plan);
    // A correction for another device does not touch the plan.
    const elsewhere = corrections.map((c) => ({ ...c, deviceId: 'nvidia-a100-sxm-80gb' }));
    expect(applyCorrections(first.plan!, elsewhere)).toBe(first.plan);
  });

  it('imports through the CLI, stores the runs, and compares them as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-measure-'));
    const env = { ...process.env, HEADROOM_CONFIG_DIR: dir };
    const imported = await runHeadroom(['measure', 'import', CASES, '--json'], env);
    expect(imported.stderr).toBe('');
    expect(JSON.parse(imported.stdout).stored).toBe(16);
    const compared = await runHeadroom(['measure', 'compare', '--configs', CONFIGS, '--json'], env);
    expect(compared.code).toBe(0);
    const runs = JSON.parse(compared.stdout).runs as { categories: { category: string }[] }[];
    expect(runs).toHaveLength(16);
    expect(runs.every((run) => run.categories.some((row) => row.category === 'total'))).toBe(true);

    // The same comparison as CSV: one row per run and category, the same measured bytes.
    const csv = await runHeadroom(
      ['measure', 'compare', '--configs', CONFIGS, '--csv', '--unit', 'GiB'],
      env,
    );
    expect(csv.code).toBe(0);
    const lines = csv.stdout.split('\r\n').filter((line) => line !== '');
    expect(lines[0]).toBe('run,category,plan (GiB),measured (GiB),error');
    const categories = runs.flatMap(
      (run) => run.categories as { category: string; measuredBytes: number }[],
    );
    expect(lines).toHaveLength(1 + categories.length);
    const measuredGiB = lines.slice(1).map((line) => Number(line.split(',')[3]));
    categories.forEach((row, index) =>
      expect(measuredGiB[index]).toBeCloseTo(row.measuredBytes / 2 ** 30, 2),
    );
  });

  it('refuses plan vs measured in a CSV report (one table per file) and says where it goes', async () => {
    const result = await runHeadroom([
      'report',
      '--model',
      'meta-llama/Llama-3.1-8B',
      '--device',
      'nvidia-h200-sxm-141gb',
      '--format',
      'csv',
      '--measured',
      CASES,
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/headroom measure compare --csv/);
  });

  it('imports nothing when one file of several is not understood', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-measure-'));
    const bad = join(dir, 'cut.log');
    writeFileSync(bad, readFileSync('tests/fixtures/measure/llama-server-truncated.log'));
    const result = await runHeadroom(['measure', 'import', CASES, bad], {
      ...process.env,
      HEADROOM_CONFIG_DIR: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cut\.log line 5: the log ends after the weights/);
    expect(existsSync(join(dir, 'measurements.json'))).toBe(false);
  });
});

it('a corrections file round-trips and a factor far from 1 is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-corrections-'));
  const corrections = [
    {
      deviceId: 'nvidia-h200-sxm-141gb',
      engine: 'transformers',
      runs: 7,
      categories: { total: { factor: 1.005, runs: 7 } },
    },
  ];
  const file = join(dir, 'team.json');
  writeFileSync(file, correctionsText(corrections));
  expect(await readCorrectionsFile(file)).toEqual(corrections);
  writeFileSync(
    file,
    correctionsText([{ ...corrections[0]!, categories: { total: { factor: 12, runs: 7 } } }]),
  );
  await expect(readCorrectionsFile(file)).rejects.toThrow(/total factor is not a number/);
});

describeWithShared('plan --corrections-file', () => {
  it('applies a shared correction only when asked, and says so in the accuracy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-corrections-'));
    const file = join(dir, 'team.json');
    writeFileSync(
      file,
      correctionsText([
        {
          deviceId: 'nvidia-h200-sxm-141gb',
          engine: 'transformers',
          runs: 7,
          categories: { total: { factor: 1.05, runs: 7 } },
        },
      ]),
    );
    const args = [
      'plan',
      '--model',
      join(CONFIGS, 'meta-llama__Llama-3.1-8B.json'),
      '--device',
      'nvidia-h200-sxm-141gb',
      '--engine',
      'transformers',
      '--weights',
      'bf16',
      '--json',
    ];
    const [off, on] = await Promise.all([
      runHeadroom(args),
      runHeadroom([...args, '--corrections-file', file]),
    ]);
    const plain = JSON.parse(off.stdout) as Plan;
    const corrected = JSON.parse(on.stdout) as Plan;
    expect(corrected.memory.perDevice[0]!.used).toBeCloseTo(
      plain.memory.perDevice[0]!.used * 1.05,
      0,
    );
    expect(corrected.accuracy.summary).toMatch(/^corrected by 7 runs on this machine/);
    expect(plain.accuracy.summary).not.toMatch(/corrected/);
  });
});
