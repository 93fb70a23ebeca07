import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultEngine } from '../../../core/plan/default-engine';
import { planFromRequest } from '../../../core/plan/plan-request';
import { installBridge } from '../../../renderer/bridge/current';
import { useCompareStore } from '../../../renderer/stores/compare-store';
import { useDevicesStore } from '../../../renderer/stores/devices-store';
import { useModelStore } from '../../../renderer/stores/model-store';
import { useScenarioStore } from '../../../renderer/stores/scenario-store';
import { useSettingsStore } from '../../../renderer/stores/settings-store';
import { startWorkbench } from '../../../renderer/stores/startup';
import { describeWithShared, readSharedJson } from '../../helpers/shared';
import { testBridge } from './test-bridge';

/**
 * Llama 3.1 8B: 8,030,261,248 parameters, 16,060,522,496 bytes in BF16 (Hugging Face
 * meta-llama/Llama-3.1-8B, model.safetensors.index.json metadata.total_size; the model page
 * rounds it to "8.03B params"). BF16 stores 2 bytes per parameter.
 */
const LLAMA_31_8B_PARAMS = 8_030_261_248;
const LLAMA_31_8B_BF16_BYTES = 16_060_522_496;
/** RTX 4090: 24 GB of GDDR6X (NVIDIA spec page), which nvidia-smi reports as 24564 MiB of 24576: 24 GiB. */
const RTX_4090_MEMORY_BYTES = 24 * 2 ** 30;

describe('the first screen', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    // The real Node-side bridge service, called in-process: no IPC, HTTP or mocks.
    installBridge(testBridge());
  });

  it('plans Llama 3.1 8B on one RTX 4090 in its published format, Q8_0 and Q4_K_M, and for training', async () => {
    await startWorkbench();
    const compare = useCompareStore();
    await compare.refresh();
    expect(compare.cells.map((cell) => cell.key)).toEqual([
      { kind: 'inference', groupKey: 'catalog:nvidia-rtx-4090', formatId: 'bf16' },
      { kind: 'inference', groupKey: 'catalog:nvidia-rtx-4090', formatId: 'q8_0' },
      { kind: 'inference', groupKey: 'catalog:nvidia-rtx-4090', formatId: 'q4_k_m' },
      { kind: 'training', groupKey: 'catalog:nvidia-rtx-4090' },
    ]);
    const bf16 = compare.cells[0]!.outcome;
    if (!bf16.ok) throw new Error(bf16.error.message);
    expect(bf16.value.model.params).toBe(LLAMA_31_8B_PARAMS);
    expect(bf16.value.memory.breakdown.weights).toBe(LLAMA_31_8B_BF16_BYTES);
    expect(bf16.value.memory.perDevice[0]!.capacity).toBe(RTX_4090_MEMORY_BYTES);
    expect(bf16.value.memory.perDevice[0]!.capacityKind).toBe('total');
    // 16.06 GB of weights on a 25.77 GB card at 4k context: it fits.
    expect(bf16.value.verdict.status).toBe('fits');
  });

  it('sends what `headroom plan` sends: every card equals the CLI planner’s plan for the same flags, --engine following the format', async () => {
    await startWorkbench();
    const compare = useCompareStore();
    await compare.refresh();
    for (const cell of compare.cells) {
      if (cell.key.kind !== 'inference') continue;
      const cli = planFromRequest({
        modelId: 'meta-llama/Llama-3.1-8B',
        deviceIds: ['nvidia-rtx-4090'],
        weightsFormat: cell.key.formatId,
        kvFormat: 'fp16',
        contextTokens: 4096,
        batch: 1,
        engine: defaultEngine(cell.key.formatId),
        marginFraction: 0.05,
        unit: 'GiB',
      });
      expect(cell.outcome).toEqual({ ok: true, value: cli });
    }
  });

  describeWithShared('defaults read from the model’s config.json', () => {
    it('compares the format Llama 3.1 8B is published in (config.json torch_dtype)', async () => {
      const config = readSharedJson('data/hf-configs/meta-llama__Llama-3.1-8B.json') as {
        torch_dtype: string;
      };
      await startWorkbench();
      const published = config.torch_dtype === 'bfloat16' ? 'bf16' : config.torch_dtype;
      expect(useScenarioStore().weightsFormats[0]).toBe(published);
    });
  });
});

describe('the controls re-plan every card', () => {
  beforeEach(async () => {
    setActivePinia(createPinia());
    installBridge(testBridge());
    await startWorkbench();
  });

  it('prints sizes in GB when the unit toggle says so (the verdict words come from the planner)', async () => {
    const compare = useCompareStore();
    useSettingsStore().setUnit('GB');
    await compare.refresh();
    const plan = compare.cells[0]!.outcome;
    if (!plan.ok) throw new Error(plan.error.message);
    expect(compare.entries[0]!.request.unit).toBe('GB');
    expect(plan.value.verdict.reason).toMatch(/ GB/);
    expect(plan.value.verdict.reason).not.toMatch(/GiB/);
  });

  it('shows a bad format as that card’s error and still plans the others', async () => {
    const compare = useCompareStore();
    useScenarioStore().setWeightsFormats(['bf16', 'q4_k_z']);
    await compare.refresh();
    expect(compare.cells[0]!.outcome.ok).toBe(true);
    const bad = compare.cells[1]!.outcome;
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('UNKNOWN_FORMAT');
      expect(bad.error.message).toContain('q4_k_z');
    }
    expect(compare.error).toBeNull();
  });

  it('plans with no device when none is chosen: the model’s need, verdict "no-device"', async () => {
    const compare = useCompareStore();
    useDevicesStore().remove('catalog:nvidia-rtx-4090');
    await compare.refresh();
    expect(compare.entries.every((entry) => entry.request.deviceIds.length === 0)).toBe(true);
    const plan = compare.cells[0]!.outcome;
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.verdict.status).toBe('no-device');
    expect(plan.value.memory.breakdown.weights).toBe(LLAMA_31_8B_BF16_BYTES);
  });

  it('plans a bare parameter count, and says the architecture is missing', async () => {
    const compare = useCompareStore();
    useModelStore().chooseParams(7e9);
    await compare.refresh();
    const plan = compare.cells[0]!.outcome;
    if (!plan.ok) throw new Error(plan.error.message);
    expect(compare.entries[0]!.request.params).toBe(7e9);
    expect(plan.value.model.layers).toBeNull();
    expect(plan.value.warnings.join(' ')).toMatch(/parameter count/);
  });

  it('keeps only the latest answer when controls change faster than plans return', async () => {
    const compare = useCompareStore();
    const scenario = useScenarioStore();
    const revision = compare.revision;
    const first = compare.refresh();
    scenario.setContextTokens(8192);
    const second = compare.refresh();
    await Promise.all([first, second]);
    expect(compare.revision).toBe(revision + 1);
    const plan = compare.cells[0]!.outcome;
    expect(plan.ok && plan.value.scenario.contextTokens).toBe(8192);
  });
});
