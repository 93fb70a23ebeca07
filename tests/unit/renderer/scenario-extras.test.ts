import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultEngine } from '../../../core/plan/default-engine';
import { planFromRequest } from '../../../core/plan/plan-request';
import { installBridge } from '../../../renderer/bridge/current';
import { useCompareStore } from '../../../renderer/stores/compare-store';
import { useModelStore } from '../../../renderer/stores/model-store';
import { useScenarioStore } from '../../../renderer/stores/scenario-store';
import { startWorkbench } from '../../../renderer/stores/startup';
import { testBridge } from './test-bridge';

// Issue 13: the workbench's experts-in-RAM, images and draft controls send what
// `headroom plan --moe-offload --images --draft` sends, through the real bridge and schemas.

describe('experts in RAM, images and draft model in the workbench', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    installBridge(testBridge());
  });

  it('plans every Gemma 3 27B card with two images and a Gemma 3 1B draft as the CLI does', async () => {
    await startWorkbench();
    useModelStore().chooseCatalog('google/gemma-3-27b-pt');
    const scenario = useScenarioStore();
    scenario.setImages(2);
    scenario.draft = 'google/gemma-3-1b-pt';
    const compare = useCompareStore();
    await compare.refresh();
    const inference = compare.cells.filter((cell) => cell.key.kind === 'inference');
    expect(inference.length).toBeGreaterThan(0);
    for (const cell of inference) {
      if (cell.key.kind !== 'inference') continue;
      const cli = planFromRequest({
        modelId: 'google/gemma-3-27b-pt',
        deviceIds: ['nvidia-rtx-4090'],
        weightsFormat: cell.key.formatId,
        kvFormat: 'fp16',
        contextTokens: 4096,
        batch: 1,
        engine: defaultEngine(cell.key.formatId),
        marginFraction: 0.05,
        unit: 'GiB',
        images: 2,
        draft: 'google/gemma-3-1b-pt',
      });
      expect(cell.outcome).toEqual({ ok: true, value: cli });
      expect(cli.memory.multimodal?.imageTokens).toBe(512);
      expect(cli.memory.speculative?.model).toBe('google/gemma-3-1b-pt');
    }
  });

  it('keeps experts in RAM for the llama.cpp cards only (a llama.cpp setting)', async () => {
    await startWorkbench();
    useModelStore().chooseCatalog('Qwen/Qwen3-30B-A3B');
    useScenarioStore().setMoeOffload('all');
    const compare = useCompareStore();
    await compare.refresh();
    const byFormat = new Map(
      compare.cells.flatMap((cell) =>
        cell.key.kind === 'inference' && cell.outcome.ok
          ? [[cell.key.formatId, cell.outcome.value] as const]
          : [],
      ),
    );
    const q4 = byFormat.get('q4_k_m');
    const bf16 = byFormat.get('bf16');
    if (!q4 || !bf16) throw new Error('the first screen compares bf16 and Q4_K_M');
    if (q4.scenario.mode !== 'inference' || bf16.scenario.mode !== 'inference')
      throw new Error('inference cells carry inference scenarios');
    expect(q4.scenario.engine).toBe('llama.cpp');
    expect(q4.scenario.moeOffloadLayers).toBe(48); // Qwen3-30B-A3B: 48 layers, all experts in RAM
    expect(bf16.scenario.moeOffloadLayers).toBeUndefined();
  });

  it('ignores a negative image count or a layer count below 1', () => {
    const scenario = useScenarioStore();
    scenario.setImages(-1);
    scenario.setMoeOffload(0);
    expect(scenario.images).toBe(0);
    expect(scenario.moeOffload).toBeNull();
  });
});
