import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../core/models/types';
import { planFromRequest } from '../../../core/plan/plan-request';
import type { Plan } from '../../../core/plan/types';
import { planTrainingFromOptions, trainingScenario } from '../../../core/training';
import { checkModelPath } from '../../../electron/main/model-path';
import { createBridgeService, dispatchBridgeCall } from '../../../electron/services/bridge-service';
import { DEFAULT_SETTINGS } from '../../../core/bridge';
import { createMemorySettings } from '../../../electron/services/settings';
import { describeWithShared, SHARED_DIR } from '../../helpers/shared';

describe('settings over the bridge', () => {
  it('answers the defaults, then what was saved, merged patch by patch', async () => {
    const service = createBridgeService('browser', { settings: createMemorySettings() });
    await expect(dispatchBridgeCall(service, 'getSettings', [])).resolves.toEqual({
      ok: true,
      value: DEFAULT_SETTINGS,
    });
    await dispatchBridgeCall(service, 'saveSettings', [{ unit: 'GiB' }]);
    const answer = await dispatchBridgeCall(service, 'saveSettings', [
      { lastModel: { kind: 'catalog', id: 'Qwen/Qwen3-8B' } },
    ]);
    expect(answer).toMatchObject({
      ok: true,
      value: { unit: 'GiB', recentModels: [{ kind: 'catalog', id: 'Qwen/Qwen3-8B' }] },
    });
  });

  it('refuses a patch with a field that is not a setting, or a wrong value, as data', async () => {
    const service = createBridgeService('browser', { settings: createMemorySettings() });
    for (const patch of [{ unit: 'MB' }, { colour: 'red' }, { lastDevices: [{ source: 'x' }] }]) {
      await expect(dispatchBridgeCall(service, 'saveSettings', [patch])).resolves.toMatchObject({
        ok: false,
        error: { code: 'BAD_ARGUMENT' },
      });
    }
  });
});

describe('opening a model path over the bridge', () => {
  it('refuses a relative path on the desktop before reading anything', async () => {
    const service = createBridgeService('desktop', {
      settings: createMemorySettings(),
      checkModelPath: (path) => checkModelPath(path, 'linux'),
    });
    await expect(
      dispatchBridgeCall(service, 'openModelPath', ['models/model.gguf']),
    ).resolves.toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
  });

  it('says which path does not exist', async () => {
    const service = createBridgeService('browser', { settings: createMemorySettings() });
    await expect(
      dispatchBridgeCall(service, 'openModelPath', ['/no/such/folder/model.gguf']),
    ).resolves.toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
  });

  it('refuses a NUL in a path as a bad argument', async () => {
    const service = createBridgeService('browser', { settings: createMemorySettings() });
    await expect(
      dispatchBridgeCall(service, 'openModelPath', ['/models/a\0b']),
    ).resolves.toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
  });
});

describeWithShared('planning a model opened from its config.json', () => {
  let folder: string;
  const service = createBridgeService('browser', { settings: createMemorySettings() });

  beforeAll(async () => {
    // Llama 3.1 8B's own config.json (Hugging Face meta-llama/Llama-3.1-8B), in a model folder.
    folder = join(await mkdtemp(join(tmpdir(), 'headroom-open-')), 'Llama-3.1-8B');
    await mkdir(folder);
    await copyFile(
      join(SHARED_DIR, 'data/hf-configs/meta-llama__Llama-3.1-8B.json'),
      join(folder, 'config.json'),
    );
  });
  afterAll(async () => {
    await rm(join(folder, '..'), { recursive: true, force: true });
  });

  const inference = {
    deviceIds: ['nvidia-rtx-4090'],
    weightsFormat: 'q4_k_m',
    kvFormat: 'fp16',
    contextTokens: 8192,
    batch: 1,
    engine: 'generic' as const,
    marginFraction: 0.05,
    unit: 'GB' as const,
  };

  async function open(): Promise<ModelSpec> {
    const answer = await dispatchBridgeCall(service, 'openModelPath', [folder]);
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value as ModelSpec;
  }

  it('reads the folder and says where the spec came from', async () => {
    const spec = await open();
    expect(spec.source).toEqual({ kind: 'file', path: folder, format: 'config.json' });
    // 8,030,261,248 parameters (model.safetensors.index.json of meta-llama/Llama-3.1-8B).
    expect(spec.params).toBe(8_030_261_248);
  });

  it('plans it by its id with the memory of the catalog model built from the same config', async () => {
    const spec = await open();
    const answer = await dispatchBridgeCall(service, 'planBatch', [
      [
        { ...inference, modelId: spec.id },
        {
          mode: 'training',
          modelId: spec.id,
          deviceIds: ['nvidia-a100-sxm-80gb'],
          scenario: trainingScenario({ finetune: 'qlora' }),
          unit: 'GB',
        },
      ],
    ]);
    if (!answer.ok) throw new Error(answer.error.message);
    const [opened, training] = answer.value as { ok: true; value: Plan }[];
    const catalog = planFromRequest({ ...inference, modelId: 'meta-llama/Llama-3.1-8B' });
    expect(opened!.value.memory).toEqual(catalog.memory);
    expect(opened!.value.verdict).toEqual(catalog.verdict);
    expect(opened!.value.model.source).not.toBe(catalog.model.source);
    const catalogTraining = planTrainingFromOptions({
      modelId: 'meta-llama/Llama-3.1-8B',
      deviceIds: ['nvidia-a100-sxm-80gb'],
      scenario: trainingScenario({ finetune: 'qlora' }),
      unit: 'GB',
    });
    expect(training!.value.memory).toEqual(catalogTraining.memory);
  });
});
