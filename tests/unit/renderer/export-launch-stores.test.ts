import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { launchSettings } from '../../../core/launch';
import { requireCatalogDevice } from '../../../core/plan/lookups';
import { planFromRequest } from '../../../core/plan/plan-request';
import { DEFAULT_MARGIN_FRACTION } from '../../../core/plan/verdict';
import type { FitReport } from '../../../core/report/types';
import { formatBytes } from '../../../core/units/bytes';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installBridge, useBridge } from '../../../renderer/bridge/current';
import { useMeasurementsStore } from '../../../renderer/stores/measurements-store';
import { exportRequest } from '../../../renderer/stores/report-plans';
import { useCompareStore } from '../../../renderer/stores/compare-store';
import { useExportStore } from '../../../renderer/stores/export-store';
import { enginesFor, launchEngineFor, useLaunchStore } from '../../../renderer/stores/launch-store';
import { useSettingsStore } from '../../../renderer/stores/settings-store';
import { startWorkbench } from '../../../renderer/stores/startup';
import { APP_VERSION } from '../../../electron/services/app-version';
import { testBridge } from './test-bridge';

/**
 * Llama 3.1 8B in BF16: 16,060,522,496 bytes of weights (Hugging Face meta-llama/Llama-3.1-8B,
 * model.safetensors.index.json metadata.total_size).
 */
const LLAMA_31_8B_BF16_BYTES = 16_060_522_496;

async function firstScreen(): Promise<ReturnType<typeof useCompareStore>> {
  await startWorkbench();
  const compare = useCompareStore();
  await compare.refresh();
  return compare;
}

describe('the Export panel', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    installBridge(testBridge());
  });

  it('offers every planned card of Compare, labelled as `headroom report --compare weights=…` labels them', async () => {
    const compare = await firstScreen();
    useSettingsStore().setShowTraining(false);
    await compare.refresh();
    const exporter = useExportStore();
    expect(exporter.candidates.map((candidate) => candidate.title)).toEqual([
      'NVIDIA GeForce RTX 4090 24GB · BF16',
      'NVIDIA GeForce RTX 4090 24GB · Q8_0 (llama.cpp)',
      'NVIDIA GeForce RTX 4090 24GB · Q4_K_M (llama.cpp)',
    ]);
    exporter.format = 'json';
    const outcome = await exporter.run();
    expect(outcome?.kind).toBe('downloaded');
    if (outcome?.kind !== 'downloaded' || outcome.report.encoding !== 'text')
      throw new Error('expected a JSON download');
    expect(outcome.report.fileName).toBe('headroom-report-llama-3.1-8b.json');
    const report = JSON.parse(outcome.report.text) as FitReport;
    expect(report.schema).toBe('headroom.report/v1');
    expect(report.comparison).toEqual({ option: 'weights', values: ['bf16', 'q8_0', 'q4_k_m'] });
    expect(report.plans.map((entry) => entry.label)).toEqual([
      'weights=bf16',
      'weights=q8_0',
      'weights=q4_k_m',
    ]);
    // The report's plans are the cards' plans: the same request planned on the Node side.
    compare.cells.forEach((cell, i) => {
      if (!cell.outcome.ok) throw new Error(cell.outcome.error.message);
      expect(report.plans[i]!.plan).toEqual(cell.outcome.value);
    });
    expect(report.plans[0]!.plan.memory.breakdown.weights).toBe(LLAMA_31_8B_BF16_BYTES);
    // This machine's recorded detection is the hardware snapshot (no GPU on the build machine).
    expect(report.hardware.detection?.gpuVerdict.kind).toBe('none-found');
  });

  it('writes the Markdown report with the cards’ totals in the unit the toggle shows', async () => {
    const compare = await firstScreen();
    useSettingsStore().setUnit('GiB');
    await compare.refresh();
    const exporter = useExportStore();
    exporter.format = 'md';
    const outcome = await exporter.run();
    if (outcome?.kind !== 'downloaded' || outcome.report.encoding !== 'text')
      throw new Error('expected a Markdown download');
    expect(outcome.report.mimeType).toBe('text/markdown; charset=utf-8');
    const text = outcome.report.text;
    expect(text.startsWith('# Fit report')).toBe(true);
    // A mixed set (inference cards and the training card) keeps the cards' titles.
    expect(text).toContain('| NVIDIA GeForce RTX 4090 24GB · training |');
    const bf16 = compare.cells[0]!.outcome;
    if (!bf16.ok) throw new Error(bf16.error.message);
    // The card shows the total as formatBytes does; the report's table prints the same number.
    const shown = formatBytes(bf16.value.memory.total, 'GiB');
    expect(shown).toMatch(/ GiB$/);
    expect(text).toContain(
      `| NVIDIA GeForce RTX 4090 24GB · BF16 | Fits | ${shown.replace(' GiB', '')} |`,
    );
  });

  it('adds plan vs measured for the imported runs, as `headroom report --measured` does (issue 18)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-export-measured-'));
    setActivePinia(createPinia());
    installBridge(testBridge({ measureDir: dir }));
    await firstScreen();
    const exporter = useExportStore();
    exporter.format = 'md';
    exporter.includeMeasured = true;
    // Nothing imported yet: the report says how to get runs instead of an empty section.
    expect(await exporter.run()).toBeNull();
    expect(exporter.error).toMatch(/No measured runs are stored yet: import an engine log first/);

    const measurements = useMeasurementsStore();
    await measurements.importFiles(
      [
        {
          name: 'train.log',
          text: readFileSync('tests/fixtures/measure/pytorch-training-memory-summary.log', 'utf8'),
        },
      ],
      { deviceId: 'nvidia-h200-sxm-141gb', modelRef: '' },
    );
    const outcome = await exporter.run();
    if (outcome?.kind !== 'downloaded' || outcome.report.encoding !== 'text')
      throw new Error('expected a Markdown download');
    expect(outcome.report.text).toContain('## Plan vs measured');
    // The run names no model, so it is listed with why it was not planned, as the view says.
    expect(outcome.report.text).toMatch(
      /\| train\.log:\d+ \| — \| — \| — \| not planned: .*names no model/,
    );

    // A CSV report holds one table: the panel does not ask, and the bridge refuses if asked.
    exporter.format = 'csv';
    const csv = await exporter.run();
    if (csv?.kind !== 'downloaded' || csv.report.encoding !== 'text')
      throw new Error('expected a CSV download');
    expect(csv.report.text).not.toContain('train.log');
    await expect(
      useBridge().exportReport({
        ...exportRequest(exporter.chosen, 'csv', 'GiB'),
        includeMeasured: true,
      }),
    ).rejects.toThrow(/A CSV report holds one table/);
  });

  it('leaves out the cards the user unticks, and refuses an empty report', async () => {
    await firstScreen();
    const exporter = useExportStore();
    for (const candidate of exporter.candidates) exporter.toggle(candidate.id, false);
    expect(await exporter.run()).toBeNull();
    expect(exporter.error).toBe('Choose at least one plan to export.');
    exporter.toggle(exporter.candidates[1]!.id, true);
    exporter.format = 'json';
    const outcome = await exporter.run();
    if (outcome?.kind !== 'downloaded' || outcome.report.encoding !== 'text')
      throw new Error('expected a download');
    const report = JSON.parse(outcome.report.text) as FitReport;
    expect(report.plans.map((entry) => entry.label)).toEqual(['plan']);
    expect(report.plans[0]!.plan.scenario).toMatchObject({ weightsFormat: 'q8_0' });
  });

  it('says that saving through a dialog needs the desktop app (browser mode downloads)', async () => {
    // A valid request (the dispatch's schemas refuse an empty report before the service runs).
    const request = {
      modelId: 'meta-llama/Llama-3.1-8B',
      deviceIds: ['nvidia-rtx-4090'],
      contextTokens: 4096,
      batch: 1,
      engine: 'llama.cpp',
      marginFraction: 0.1,
      unit: 'GB',
    } as const;
    await expect(
      testBridge().saveReport({
        plans: [{ label: 'plan', request }],
        comparison: null,
        format: 'md',
        unit: 'GB',
      }),
    ).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
  });
});

describe('launch settings of a card', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    installBridge(testBridge());
  });

  it('offers vLLM, SGLang, llama.cpp, Ollama and bitsandbytes for inference; DeepSpeed, FSDP, bitsandbytes and torchrun for training', () => {
    // core/launch/types.ts LAUNCH_TARGETS: bnb runs either kind of plan.
    expect(enginesFor('inference')).toEqual(['vllm', 'sglang', 'llama.cpp', 'ollama', 'bnb']);
    expect(enginesFor('training')).toEqual(['deepspeed', 'fsdp', 'bnb', 'torchrun']);
  });

  it('opens the BF16 card on no engine (transformers has no launch settings); vLLM then plans again with vLLM’s profile', async () => {
    const compare = await firstScreen();
    const cell = compare.cells[0]!;
    const request = cell.request;
    if (request.mode === 'training') throw new Error('expected an inference card');
    // BF16 safetensors follow transformers (core/plan/default-engine.ts), which has no writer.
    expect(request.engine).toBe('transformers');
    const launch = useLaunchStore();
    await launch.show({ title: 'BF16', kind: 'inference', request });
    expect(launch.engine).toBeNull();
    expect(launch.settings).toBeNull();
    expect(launch.samePlan).toBe(false);
    await launch.choose('vllm');
    expect(launch.error).toBeNull();
    const settings = launch.settings!;
    expect(settings.engine).toBe('vllm');
    expect(settings.text).toMatch(/^vllm serve meta-llama\/Llama-3\.1-8B \\$/m);
    // The context the controls set (4k, the first screen's default) is the served length.
    expect(settings.text).toContain('--max-model-len 4096');
    const cli = launchSettings('vllm', {
      plan: planFromRequest({ ...request, engine: 'vllm' }),
      devices: request.deviceIds.map(requireCatalogDevice),
      headroomVersion: APP_VERSION,
    });
    expect(settings).toEqual(cli);
  });

  it('opens a bitsandbytes NF4 card (transformers) on bitsandbytes, the writer of its own plan', () => {
    // core/launch/types.ts LAUNCH_TARGETS: bnb plans with transformers and loads only bnb formats.
    const request = { modelId: 'meta-llama/Llama-3.1-8B', deviceIds: ['nvidia-rtx-4090'] };
    const base = {
      ...request,
      contextTokens: 4096,
      batch: 1,
      marginFraction: DEFAULT_MARGIN_FRACTION,
      unit: 'GB' as const,
    };
    expect(launchEngineFor({ ...base, weightsFormat: 'nf4', engine: 'transformers' })).toBe('bnb');
    expect(launchEngineFor({ ...base, weightsFormat: 'bf16', engine: 'transformers' })).toBeNull();
    expect(launchEngineFor({ ...base, weightsFormat: 'awq_int4', engine: 'vllm' })).toBe('vllm');
  });

  it('card, launch settings and report of the Q4_K_M card agree on one verdict from one plan', async () => {
    const compare = await firstScreen();
    const cell = compare.cells.find(
      (c) => c.key.kind === 'inference' && c.key.formatId === 'q4_k_m',
    )!;
    if (!cell.outcome.ok) throw new Error(cell.outcome.error.message);
    const card = cell.outcome.value;
    const launch = useLaunchStore();
    await launch.show({ title: 'Q4_K_M', kind: 'inference', request: cell.request });
    expect(launch.samePlan).toBe(true);
    // The settings' first line names the plan and its verdict (core/launch/common.ts provenance).
    expect(launch.settings!.text.split('\n')[0]).toContain(`(verdict: ${card.verdict.status})`);
    const exporter = useExportStore();
    for (const candidate of exporter.candidates) exporter.toggle(candidate.id, false);
    exporter.toggle(exporter.candidates.find((c) => c.title.includes('Q4_K_M'))!.id, true);
    exporter.format = 'json';
    const outcome = await exporter.run();
    if (outcome?.kind !== 'downloaded' || outcome.report.encoding !== 'text')
      throw new Error('expected a download');
    const report = JSON.parse(outcome.report.text) as FitReport;
    expect(report.plans[0]!.plan).toEqual(card);
    expect(report.plans[0]!.plan.verdict).toEqual(card.verdict);
  });

  it('opens the Q4_K_M card on llama.cpp: the engine the card was planned with, so card and launch settings share one plan', async () => {
    const compare = await firstScreen();
    const cell = compare.cells.find(
      (c) => c.key.kind === 'inference' && c.key.formatId === 'q4_k_m',
    )!;
    const request = cell.request;
    if (request.mode === 'training') throw new Error('expected an inference card');
    // GGUF weights: the engine follows the format (core/plan/default-engine.ts).
    expect(request.engine).toBe('llama.cpp');
    const launch = useLaunchStore();
    await launch.show({ title: 'Q4_K_M', kind: 'inference', request });
    expect(launch.engine).toBe('llama.cpp');
    expect(launch.settings!.engine).toBe('llama.cpp');
    expect(launchEngineFor(request)).toBe('llama.cpp');
  });

  it('switches engine and shows a DeepSpeed config for the training card', async () => {
    const compare = await firstScreen();
    const training = compare.cells.find((cell) => cell.key.kind === 'training')!;
    const launch = useLaunchStore();
    await launch.show({ title: 'Training', kind: 'training', request: training.request });
    expect(launch.engine).toBe('deepspeed');
    const config = JSON.parse(launch.settings!.text) as Record<string, unknown>;
    expect(config).toHaveProperty('zero_optimization');
    await launch.choose('torchrun');
    expect(launch.settings!.text).toMatch(/torchrun/);
  });

  it('refuses a training engine for an inference plan with a message', async () => {
    const compare = await firstScreen();
    const launch = useLaunchStore();
    await launch.show({ title: 'BF16', kind: 'inference', request: compare.cells[0]!.request });
    await launch.choose('deepspeed');
    expect(launch.settings).toBeNull();
    expect(launch.error).toMatch(/deepspeed runs training/);
  });
});
