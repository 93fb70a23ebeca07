import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultEngine } from '../../../core/plan/default-engine';
import { planFromRequest } from '../../../core/plan/plan-request';
import { installBridge } from '../../../renderer/bridge/current';
import ScenarioExtras from '../../../renderer/components/ScenarioExtras.vue';
import { useCompareStore } from '../../../renderer/stores/compare-store';
import { useModelStore } from '../../../renderer/stores/model-store';
import { planRequestFor } from '../../../renderer/stores/plan-requests';
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
    if (q4?.scenario.mode !== 'inference' || bf16?.scenario.mode !== 'inference') {
      throw new Error('the first screen compares bf16 and Q4_K_M inference plans');
    }
    expect(q4.scenario.engine).toBe('llama.cpp');
    expect(q4.scenario.moeOffloadLayers).toBe(48); // Qwen3-30B-A3B: 48 layers, all experts in RAM
    expect(bf16.scenario.moeOffloadLayers).toBeUndefined();
  });

  it('plans the llama.cpp cards of Gemma 3 27B with the full-size SWA cache, as --swa-full does', async () => {
    await startWorkbench();
    useModelStore().chooseCatalog('google/gemma-3-27b-pt');
    useScenarioStore().swaFull = true;
    const compare = useCompareStore();
    await compare.refresh();
    const byFormat = new Map<string, ReturnType<typeof planFromRequest>>();
    for (const cell of compare.cells) {
      if (cell.key.kind !== 'inference') continue;
      const engine = defaultEngine(cell.key.formatId);
      // `headroom plan google/gemma-3-27b-pt --gpu nvidia-rtx-4090 --weights <format>
      // [--swa-full]`: the flag only on llama.cpp, which refuses nothing else (electron/cli).
      const cli = planFromRequest({
        modelId: 'google/gemma-3-27b-pt',
        deviceIds: ['nvidia-rtx-4090'],
        weightsFormat: cell.key.formatId,
        kvFormat: 'fp16',
        contextTokens: 4096,
        batch: 1,
        engine,
        marginFraction: 0.05,
        unit: 'GiB',
        ...(engine === 'llama.cpp' ? { swaFull: true } : {}),
      });
      expect(cell.outcome).toEqual({ ok: true, value: cli });
      byFormat.set(cell.key.formatId, cli);
    }
    const q4 = byFormat.get('q4_k_m');
    if (!q4) throw new Error('the first screen compares Q4_K_M');
    expect(q4.scenario.swaFull).toBe(true);
    // Gemma 3 27B: 62 layers × 16 KV heads × 128 × 2 (K and V) × 2 B = 8192 B per token per
    // layer. --swa-full: all 62 layers hold the 4096-token context (llama_kv_cache_iswa with
    // swa_full); without it the 52 sliding layers hold GGML_PAD(1024 + 512, 256) = 1536 cells.
    expect(q4.memory.breakdown.kvCache).toBe(62 * 4096 * 8192);
    const windowed = planFromRequest({
      modelId: 'google/gemma-3-27b-pt',
      deviceIds: ['nvidia-rtx-4090'],
      weightsFormat: 'q4_k_m',
      kvFormat: 'fp16',
      contextTokens: 4096,
      batch: 1,
      engine: 'llama.cpp',
      marginFraction: 0.05,
      unit: 'GiB',
    });
    expect(windowed.memory.breakdown.kvCache).toBe((10 * 4096 + 52 * 1536) * 8192);
  });

  it('shows the SWA checkbox only for models llama.cpp slides a window for, on llama.cpp cards', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    await startWorkbench();
    const wrapper = mount(ScenarioExtras, { global: { plugins: [pinia] } });
    const checkbox = () => wrapper.find('[data-testid="swa-full"]');
    // Llama 3.1 8B has no sliding window.
    expect(checkbox().exists()).toBe(false);
    useModelStore().chooseCatalog('google/gemma-3-27b-pt');
    await flushPromises();
    expect(checkbox().exists()).toBe(true);
    await checkbox().setValue(true);
    expect(useScenarioStore().swaFull).toBe(true);
    // Pinned to vLLM no card plans with llama.cpp; Mistral 7B v0.1's window llama.cpp ignores
    // (LLM_ARCH_LLAMA reads no sliding window: core/memory/engine-kv.ts LLAMA_CPP_SWA_FAMILIES).
    useScenarioStore().engine = 'vllm';
    await flushPromises();
    expect(checkbox().exists()).toBe(false);
    useScenarioStore().engine = 'auto';
    useModelStore().chooseCatalog('mistralai/Mistral-7B-v0.1');
    await flushPromises();
    expect(checkbox().exists()).toBe(false);
    wrapper.unmount();
  });

  it('ignores a negative image count or a layer count below 1', () => {
    const scenario = useScenarioStore();
    scenario.setImages(-1);
    scenario.setMoeOffload(0);
    expect(scenario.images).toBe(0);
    expect(scenario.moeOffload).toBeNull();
  });
});

describe("vLLM's expert layout in the workbench", () => {
  const group = {
    key: 'catalog:nvidia-h200-sxm-141gb',
    device: { source: 'catalog', id: 'nvidia-h200-sxm-141gb' },
    count: 8,
  } as const;
  const scenario = {
    kvFormat: 'bf16',
    contextTokens: 32_768,
    batch: 64,
    engine: 'vllm',
    marginFraction: 0.05,
  } as const;

  it('sends --data-parallel 8 --expert-parallel for one rank per GPU and plans what the CLI plans', () => {
    const request = planRequestFor({
      model: { kind: 'catalog', id: 'deepseek-ai/DeepSeek-V3' },
      group,
      scenario: { ...scenario, moeParallel: 'data' },
      weightsFormat: 'fp8_e4m3',
      unit: 'GB',
    });
    expect(request).toMatchObject({ dataParallel: 8, expertParallel: true });
    const plan = planFromRequest(request);
    expect(plan.scenario.mode === 'inference' && plan.scenario.dataParallel).toBe(8);
  });

  it('sends nothing for other engines or one GPU, where the layout does not apply', () => {
    const base = {
      model: { kind: 'catalog', id: 'deepseek-ai/DeepSeek-V3' },
      weightsFormat: 'q4_k_m',
      unit: 'GB',
    } as const;
    const llama = planRequestFor({
      ...base,
      group,
      scenario: { ...scenario, engine: 'llama.cpp', moeParallel: 'data' },
    });
    expect(llama.dataParallel).toBeUndefined();
    const one = planRequestFor({
      ...base,
      group: { ...group, count: 1 },
      scenario: { ...scenario, moeParallel: 'expert' },
    });
    expect(one.expertParallel).toBeUndefined();
  });

  it('shows the control for MoE models only and falls back to tensor parallelism for a dense one', async () => {
    setActivePinia(createPinia());
    installBridge(testBridge());
    await startWorkbench();
    const models = useModelStore();
    models.chooseCatalog('Qwen/Qwen3-30B-A3B');
    await flushPromises();
    const wrapper = mount(ScenarioExtras);
    await flushPromises();
    expect(wrapper.find('[data-testid="moe-parallel"]').exists()).toBe(true);
    useScenarioStore().moeParallel = 'data';
    models.chooseCatalog('meta-llama/Llama-3.1-8B');
    await flushPromises();
    expect(wrapper.find('[data-testid="moe-parallel"]').exists()).toBe(false);
    expect(useScenarioStore().moeParallel).toBe('tensor');
  });
});
