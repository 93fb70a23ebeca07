import { describe, expect, it } from 'vitest';
import type { PlanRequest } from '../../../../core/bridge';
import { parseHfConfig } from '../../../../core/import/hf-config';
import { countParameters } from '../../../../core/models/count';
import { requireCatalogModel } from '../../../../core/plan/lookups';
import { fitAnswer } from '../../../../core/plan/fit-answer';
import { planFromRequest, planInputFromRequest } from '../../../../core/plan/plan-request';
import { mtpModule, tensorParams } from '../../../../core/plan/speculative-memory';
import { describeWithShared, readSharedJson } from '../../../helpers/shared';

const H100 = 'nvidia-h100-sxm-80gb';
const H200 = 'nvidia-h200-sxm-141gb';

function request(overrides: Partial<PlanRequest>): PlanRequest {
  return {
    modelId: 'meta-llama/Llama-3.1-70B',
    deviceIds: [H100, H100],
    contextTokens: 4096,
    batch: 1,
    engine: 'vllm',
    marginFraction: 0.05,
    unit: 'GB',
    ...overrides,
  };
}

const deepseek = requireCatalogModel('deepseek-ai/DeepSeek-V3');
const deepseekArchitecture = deepseek.architecture!;

describeWithShared('DeepSeek-V3 MTP against its config.json', () => {
  it('has num_nextn_predict_layers = 1 after its 61 layers', () => {
    const config = readSharedJson('data/hf-configs/deepseek-ai__DeepSeek-V3.json') as {
      num_nextn_predict_layers: number;
      num_hidden_layers: number;
    };
    expect(deepseekArchitecture.mtpLayers).toBe(config.num_nextn_predict_layers);
    expect(deepseekArchitecture.layers).toBe(config.num_hidden_layers);
    // The same file imported (headroom inspect / plan <config.json>) carries them too.
    const imported = parseHfConfig(config, 'deepseek-ai__DeepSeek-V3.json').architecture;
    expect(imported.mtpLayers).toBe(1);
  });
});

describe('DeepSeek-V3 multi-token prediction (DeepSeek-V3 README_WEIGHTS.md)', () => {
  const module = mtpModule(deepseekArchitecture);

  it('main model 671B + the stored MTP module = the 685B the Hub lists', () => {
    const main = countParameters(deepseekArchitecture).params;
    expect(main / 1e9).toBeCloseTo(671, 0);
    const stored = tensorParams(module.stored);
    // "685B, which includes 671B of the Main Model weights and 14B of the MTP Module weights"
    expect(Math.abs((main + stored) / 685e9 - 1)).toBeLessThan(0.001);
  });

  it('keeps the 11.5B unique MTP parameters resident in vLLM, sharing the 0.9B embedding and 0.9B head', () => {
    // README_WEIGHTS.md: "11.5B unique parameters, excluding the shared 0.9B Embedding and 0.9B
    // output Head"; the published figure is rounded to 0.1B and leaves eh_proj's 0.1B aside.
    const resident = tensorParams(module.resident);
    expect(Math.abs(resident / 11.5e9 - 1)).toBeLessThan(0.015);
    const shared = tensorParams(module.stored) - resident;
    expect(shared).toBe(2 * 129_280 * 7168); // embedding + head copies, vocab 129280 × hidden 7168
  });

  it('adds the MTP layer and its latent KV to a vLLM plan with --draft mtp', () => {
    const base = request({ modelId: deepseek.id, deviceIds: Array(8).fill(H200) });
    const plan = planFromRequest({ ...base, draft: 'mtp' });
    const mtp = plan.memory.speculative!;
    expect(mtp.method).toBe('mtp');
    // vLLM caches the MLA latent: (512 + 64) × 2 B per token per layer, one MTP layer, 4096 tokens.
    expect(mtp.kvCacheBytes).toBe(4096 * (512 + 64) * 2);
    const without = planFromRequest(base);
    expect(plan.memory.breakdown.weights - without.memory.breakdown.weights).toBeCloseTo(
      mtp.weightBytes,
      0,
    );
  });

  it('answers "what fits best" over every engine, drafting with MTP only where vLLM plans', () => {
    const base = request({ modelId: deepseek.id, deviceIds: Array(8).fill(H200) });
    const withMtp = fitAnswer(planInputFromRequest({ ...base, draft: 'mtp' }), 'auto');
    const without = fitAnswer(planInputFromRequest(base), 'auto');
    // The published FP8 runs on vLLM, which loads the MTP layer: less room than without it.
    expect(withMtp?.best).toMatchObject({ formatId: 'fp8_e4m3', engine: 'vllm' });
    expect(withMtp!.best!.headroomBytes).toBeLessThan(without!.best!.headroomBytes);
  });

  it('refuses MTP where the engine drops the layers (transformers, llama.cpp)', () => {
    const base = request({ modelId: deepseek.id, deviceIds: Array(8).fill(H200) });
    expect(() => planFromRequest({ ...base, engine: 'transformers', draft: 'mtp' })).toThrow(
      /Only vLLM drafts with MTP layers/,
    );
    expect(() =>
      planFromRequest({ ...base, engine: 'llama.cpp', weightsFormat: 'q4_k_m', draft: 'mtp' }),
    ).toThrow(/Only vLLM drafts with MTP layers/);
    expect(() => planFromRequest({ ...request({}), draft: 'mtp' })).toThrow(
      /has no multi-token-prediction layers/,
    );
  });
});

describe('GLM-4.5 MTP (num_nextn_predict_layers 1): the checkpoint the Hub sizes holds it', () => {
  // zai-org/GLM-4.5 and GLM-4.5-Air model pages: "358B params" and "110B params" (safetensors
  // totals), against the 355B and 106B of the GLM-4.5 report, which leaves the MTP layer out.
  for (const [id, hubBillions] of [
    ['zai-org/GLM-4.5', 358],
    ['zai-org/GLM-4.5-Air', 110],
  ] as const) {
    it(`${id}: main model + stored MTP layer = the Hub's ${hubBillions}B`, () => {
      const architecture = requireCatalogModel(id).architecture!;
      const total =
        countParameters(architecture).params + tensorParams(mtpModule(architecture).stored);
      expect(Math.round(total / 1e9)).toBe(hubBillions);
    });
  }
});

describe('a draft model beside its target', () => {
  // Llama-3.2-1B: 1,235,814,400 parameters (its safetensors header, "1.24B params" on the Hub);
  // config.json: 16 layers, 8 KV heads of 64.
  const LLAMA_32_1B_PARAMS = 1_235_814_400;
  const DRAFT_KV_BYTES = 4096 * 16 * 2 * 8 * 64 * 2; // tokens × layers × K,V × heads × dim × 2 B

  it('Llama-3.2-1B beside Llama-3.1-70B on two H100s (vLLM, bf16) adds its weights and KV', () => {
    expect(requireCatalogModel('meta-llama/Llama-3.2-1B').params).toBe(LLAMA_32_1B_PARAMS);
    const without = planFromRequest(request({}));
    const plan = planFromRequest(request({ draft: 'meta-llama/Llama-3.2-1B' }));
    const draft = plan.memory.speculative!;
    expect(draft.method).toBe('draft-model');
    expect(draft.weightBytes).toBe(LLAMA_32_1B_PARAMS * 2);
    expect(draft.kvCacheBytes).toBe(DRAFT_KV_BYTES); // 134,217,728
    expect(plan.memory.total - without.memory.total).toBeCloseTo(
      draft.weightBytes + draft.kvCacheBytes,
      0,
    );
    // Tensor parallel: each H100 holds half of the draft.
    expect(
      plan.memory.perDevice[0]!.breakdown.weights - without.memory.perDevice[0]!.breakdown.weights,
    ).toBeCloseTo(draft.weightBytes / 2, 0);
  });

  it('counts a llama.cpp draft GGUF in the target type and its KV in the cache type', () => {
    const q4 = request({ engine: 'llama.cpp', weightsFormat: 'q4_k_m', kvFormat: 'q8_0' });
    const plan = planFromRequest({ ...q4, draft: 'meta-llama/Llama-3.2-1B' });
    const draft = plan.memory.speculative!;
    // Q4_K_M keeps ~4.5–5.5 bits per weight: well under half of bf16.
    expect(draft.weightBytes).toBeLessThan(LLAMA_32_1B_PARAMS * 2 * 0.4);
    // q8_0: 34 bytes per 32 values (ggml-common.h block_q8_0).
    expect(draft.kvCacheBytes).toBe((DRAFT_KV_BYTES / 2) * (34 / 32));
    expect(plan.scenario.draft).toBe('meta-llama/Llama-3.2-1B');
  });

  it('warns when the vocabularies differ past llama.cpp’s 128-token limit', () => {
    const plan = planFromRequest(request({ draft: 'Qwen/Qwen3-0.6B' }));
    expect(plan.warnings.join(' ')).toMatch(/vocabularies differ by more than 128/);
  });

  it('refuses an unknown draft id, pointing at the catalog', () => {
    expect(() => planFromRequest(request({ draft: 'meta-llama/Llama-3.2-1X' }))).toThrow(
      /Unknown model "meta-llama\/Llama-3.2-1X"/,
    );
  });
});
