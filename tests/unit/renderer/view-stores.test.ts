import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultEngine } from '../../../core/plan/default-engine';
import { planFromRequest } from '../../../core/plan/plan-request';
import { installBridge } from '../../../renderer/bridge/current';
import { contextsUpTo } from '../../../renderer/stores/context-presets';
import { useDevicesStore } from '../../../renderer/stores/devices-store';
import { useExplorerStore } from '../../../renderer/stores/explorer-store';
import { useMatrixStore } from '../../../renderer/stores/matrix-store';
import { useModelStore } from '../../../renderer/stores/model-store';
import { useScenarioStore } from '../../../renderer/stores/scenario-store';
import { startWorkbench } from '../../../renderer/stores/startup';
import { describeWithShared, readSharedJson } from '../../helpers/shared';
import { testBridge } from './test-bridge';

const FIRST_SCREEN = {
  modelId: 'meta-llama/Llama-3.1-8B',
  kvFormat: 'fp16',
  contextTokens: 4096,
  batch: 1,
  engine: 'generic',
  marginFraction: 0.05,
  unit: 'GiB',
} as const;

describe('the options matrix store', () => {
  beforeEach(async () => {
    setActivePinia(createPinia());
    installBridge(testBridge());
    await startWorkbench();
  });

  it('plans every format × every device group, each cell as the CLI would', async () => {
    const devices = useDevicesStore();
    devices.addCatalog('nvidia-rtx-3060-12gb');
    const matrix = useMatrixStore();
    await matrix.refresh();
    expect(matrix.cells).toHaveLength(matrix.formats.length * 2);
    for (const format of matrix.formats) {
      const onThe3060 = matrix.outcome(format.id, 'catalog:nvidia-rtx-3060-12gb');
      const cli = planFromRequest({
        ...FIRST_SCREEN,
        deviceIds: ['nvidia-rtx-3060-12gb'],
        weightsFormat: format.id,
        engine: defaultEngine(format.id),
      });
      expect(onThe3060).toEqual({ ok: true, value: cli });
    }
  });

  it('lists only the formats llama.cpp loads when the engine is llama.cpp', () => {
    const matrix = useMatrixStore();
    const all = matrix.formats.length;
    useScenarioStore().engine = 'llama.cpp';
    expect(matrix.formats.length).toBeGreaterThan(0);
    expect(matrix.formats.length).toBeLessThan(all);
    expect(matrix.formats.every((format) => format.engines.includes('llama.cpp'))).toBe(true);
    // GGUF Q4_K_M is llama.cpp's own format; bitsandbytes NF4 runs only in transformers.
    expect(matrix.formats.map((format) => format.id)).toContain('q4_k_m');
    expect(matrix.formats.map((format) => format.id)).not.toContain('nf4');
  });
});

describe('the explorer store', () => {
  beforeEach(async () => {
    setActivePinia(createPinia());
    installBridge(testBridge());
    await startWorkbench();
  });

  it('sweeps context for each format and marks the longest that fits from the planner’s search', async () => {
    const explorer = useExplorerStore();
    await explorer.refresh();
    for (const curve of explorer.curves) {
      expect(curve.points.map((point) => point.contextTokens)).toEqual(explorer.contexts);
      expect(curve.error).toBeNull();
      const searched = planFromRequest({
        ...FIRST_SCREEN,
        deviceIds: ['nvidia-rtx-4090'],
        weightsFormat: curve.formatId,
        engine: defaultEngine(curve.formatId),
        solve: ['max-context'],
      });
      expect(curve.maxContext).toBe(searched.solution?.maxContext);
    }
    // Fewer bits per weight leave more room for the KV cache: Q4_K_M reaches further than BF16.
    const [bf16, , q4] = explorer.curves;
    expect(q4!.maxContext!).toBeGreaterThan(bf16!.maxContext!);
  });

  it('plans the chosen device group', async () => {
    const devices = useDevicesStore();
    devices.addCatalog('nvidia-h100-sxm-80gb');
    const explorer = useExplorerStore();
    explorer.chooseGroup('catalog:nvidia-h100-sxm-80gb');
    await explorer.refresh();
    const plan = explorer.curves[0]!.points[0]!.plan;
    expect(plan.scenario.devices).toEqual(['nvidia-h100-sxm-80gb']);
  });

  it('offers the context presets up to a limit, with the limit itself last', () => {
    // config.json max_position_embeddings: Mistral 7B v0.1 32768 (a preset), Qwen3-8B 40960 (not one).
    expect(contextsUpTo(32768)).toEqual([512, 1024, 2048, 4096, 8192, 16384, 32768]);
    expect(contextsUpTo(40960)).toEqual([512, 1024, 2048, 4096, 8192, 16384, 32768, 40960]);
    expect(contextsUpTo(null).at(-1)).toBe(1048576);
  });

  describeWithShared('the sweep reaches the model’s trained context', () => {
    it('ends at max_position_embeddings of Llama 3.1 8B’s config.json', () => {
      const config = readSharedJson('data/hf-configs/meta-llama__Llama-3.1-8B.json') as {
        max_position_embeddings: number;
      };
      expect(useModelStore().spec?.architecture?.maxContextTokens).toBe(
        config.max_position_embeddings,
      );
      expect(useExplorerStore().contexts.at(-1)).toBe(config.max_position_embeddings);
    });
  });
});

describe('the model store', () => {
  beforeEach(async () => {
    setActivePinia(createPinia());
    installBridge(testBridge());
    await startWorkbench();
  });

  it('finds catalog models by any words of their id or name, in any order', () => {
    const model = useModelStore();
    model.query = '8b llama-3.1';
    expect(model.matches.map((entry) => entry.id)).toEqual(['meta-llama/Llama-3.1-8B']);
    model.query = 'QWEN3 8B';
    expect(model.matches.map((entry) => entry.id)).toEqual(['Qwen/Qwen3-8B']);
  });

  it('ignores a parameter count that is not a positive number', () => {
    const model = useModelStore();
    model.chooseParams(-5);
    model.chooseParams(Number.NaN);
    expect(model.choice).toEqual({ kind: 'catalog', id: 'meta-llama/Llama-3.1-8B' });
  });
});
