import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MeasuredComparison, PlanRequest } from '../../../core/bridge';
import type { MemoryCorrection } from '../../../core/measure/corrections';
import type { Plan } from '../../../core/plan/types';
import type { ServingPlan } from '../../../core/serving';
import { createBridgeService, dispatchBridgeCall } from '../../../electron/services/bridge-service';
import { createMemorySettings, createSettingsFile } from '../../../electron/services/settings';
import { runHeadroom } from '../../helpers/run-command';
import { describeWithShared, SHARED_DIR } from '../../helpers/shared';

// Issues 18 and 19 over the bridge: the same calls the Measurements and Serving views make,
// through dispatch (schemas, envelopes) as the app sends them, against the CLI's answers.

async function call<T>(
  service: ReturnType<typeof createBridgeService>,
  method: string,
  ...args: unknown[]
): Promise<T> {
  const answer = await dispatchBridgeCall(service, method, JSON.parse(JSON.stringify(args)));
  if (!answer.ok) throw new Error(`${method}: ${answer.error.message}`);
  return answer.value as T;
}

const CASES = resolve(SHARED_DIR, 'calibration/h200-2026-12-04/cases.jsonl');

/** The shared run inf-llama8b-bf16-c4096-b1 as a Compare card asks for it. */
const LLAMA_ON_H200: PlanRequest = {
  modelId: 'meta-llama/Llama-3.1-8B',
  deviceIds: ['nvidia-h200-sxm-141gb'],
  weightsFormat: 'bf16',
  contextTokens: 4096,
  batch: 1,
  engine: 'transformers',
  marginFraction: 0.05,
  unit: 'GiB',
};

describeWithShared('Measurements over the bridge (issue 18)', () => {
  it('imports the shared H200 runs, compares them, and corrects plans only when turned on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-bridge-measure-'));
    const service = createBridgeService('browser', {
      settings: createMemorySettings(),
      measureDir: dir,
    });
    const imported = await call<{ imported: number; stored: number }>(
      service,
      'importMeasuredRuns',
      { files: [{ name: 'cases.jsonl', text: readFileSync(CASES, 'utf8') }] },
    );
    expect(imported).toEqual({ imported: 16, stored: 16 });
    const compared = await call<MeasuredComparison>(service, 'compareMeasuredRuns');
    expect(compared.corrected).toBe(false);
    const llama = compared.runs.find((run) => run.name === 'inf-llama8b-bf16-c4096-b1')!;
    // docs/accuracy.md: this run's plan is −0.1 % from its measurement.
    const total = llama.categories.find((row) => row.category === 'total')!;
    expect((total.error * 100).toFixed(1)).toBe('-0.1');

    const corrections = await call<MemoryCorrection[]>(service, 'deriveCorrections');
    expect(corrections.map((c) => [c.engine, c.runs])).toEqual([
      ['pytorch-training', 9],
      ['transformers', 7],
    ]);
    const off = await call<Plan>(service, 'plan', LLAMA_ON_H200);
    expect(off.accuracy.summary).not.toMatch(/corrected/);

    await call(service, 'saveSettings', { applyCorrections: true });
    const on = await call<Plan>(service, 'plan', LLAMA_ON_H200);
    expect(on.accuracy.summary).toMatch(/^corrected by 7 runs on this machine/);
    const correctedRuns = await call<MeasuredComparison>(service, 'compareMeasuredRuns');
    expect(correctedRuns.corrected).toBe(true);
    for (const run of correctedRuns.runs) {
      const row = run.categories.find((entry) => entry.category === 'total')!;
      expect(Math.abs(row.error), run.name).toBeLessThanOrEqual(0.03);
    }

    await call(service, 'saveSettings', { applyCorrections: false });
    expect(await call<Plan>(service, 'plan', LLAMA_ON_H200)).toEqual(off);
  });
});

describe('Measurements over the bridge: bad files', () => {
  it('imports nothing when one file of several is cut short, naming its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-bridge-measure-'));
    const service = createBridgeService('browser', {
      settings: createMemorySettings(),
      measureDir: dir,
    });
    const answer = await dispatchBridgeCall(service, 'importMeasuredRuns', [
      {
        files: [
          {
            name: 'ok.log',
            text: readFileSync(
              'tests/fixtures/measure/pytorch-training-memory-summary.log',
              'utf8',
            ),
          },
          {
            name: 'cut.log',
            text: readFileSync('tests/fixtures/measure/pytorch-memory-truncated.log', 'utf8'),
          },
        ],
      },
    ]);
    expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_FILE' } });
    expect(!answer.ok && answer.error.message).toMatch(/^cut\.log line 17:/);
    const compared = await call<MeasuredComparison>(service, 'compareMeasuredRuns');
    expect(compared.runs).toEqual([]);
  });
});

describe('Serving over the bridge (issue 19)', () => {
  it("answers the issue's question as `headroom serve-plan --json` does, with the settings' prices", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-bridge-serving-'));
    const prices = { 'nvidia-h100-sxm-80gb': 2.49, 'nvidia-a100-sxm-80gb': 1.29 };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ servingPricesUsdPerHour: prices }));
    const service = createBridgeService('browser', { settings: createSettingsFile(dir) });
    const plan = await call<ServingPlan>(service, 'servePlan', {
      modelId: 'meta-llama/Llama-3.1-8B',
      engine: 'vllm',
      promptTokens: 1000,
      outputTokens: 300,
      requestsPerSecond: 20,
      ttftSeconds: 1,
      tpotSeconds: 0.05,
      deviceIds: ['nvidia-h100-sxm-80gb', 'nvidia-a100-sxm-80gb'],
      maxGpus: 8,
    });
    // The CLI reads the same settings file (HEADROOM_CONFIG_DIR) for its prices.
    const cli = await runHeadroom(
      [
        'serve-plan',
        '--model',
        'meta-llama/Llama-3.1-8B',
        '--prompt',
        '1000',
        '--output',
        '300',
        '--rate',
        '20',
        '--ttft',
        '1s',
        '--tpot',
        '50ms',
        '--device',
        'nvidia-h100-sxm-80gb',
        '--device',
        'nvidia-a100-sxm-80gb',
        '--json',
      ],
      { ...process.env, HEADROOM_CONFIG_DIR: dir },
    );
    expect(cli.stderr).toBe('');
    expect(plan).toEqual(JSON.parse(cli.stdout));
    expect(plan.setup!.costPerHourUsd).toBeCloseTo(
      prices[plan.setup!.device as keyof typeof prices] * plan.setup!.gpus,
      10,
    );
  });

  it('refuses a price for a device the catalog does not have, and a GPU count without one device', async () => {
    const service = createBridgeService('browser', { settings: createMemorySettings() });
    const badPrice = await dispatchBridgeCall(service, 'saveSettings', [
      { servingPricesUsdPerHour: { 'no-such-gpu': 2 } },
    ]);
    expect(badPrice).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    const noDevice = await dispatchBridgeCall(service, 'servePlan', [
      {
        modelId: 'meta-llama/Llama-3.1-8B',
        engine: 'vllm',
        promptTokens: 1000,
        outputTokens: 300,
        ttftSeconds: 1,
        tpotSeconds: 0.05,
        deviceIds: [],
        gpus: 2,
        maxGpus: 8,
      },
    ]);
    expect(!noDevice.ok && noDevice.error.message).toMatch(/exactly one device type/);
  });
});
