import { describe, expect, it } from 'vitest';
import type { PlanRequest } from '../../../../core/bridge';
import { HeadroomError } from '../../../../core/errors';
import { planInference } from '../../../../core/plan/inference-plan';
import { requireCatalogDevice, requireCatalogModel } from '../../../../core/plan/lookups';
import { imageTokenRule } from '../../../../core/plan/image-tokens';
import { planFromRequest } from '../../../../core/plan/plan-request';
import type { ArchitectureSpec } from '../../../../core/models/types';
import { describeWithShared, readSharedJson } from '../../../helpers/shared';

const GEMMA3_27B = 'google/gemma-3-27b-pt';
const H100 = 'nvidia-h100-sxm-80gb';

function request(overrides: Partial<PlanRequest>): PlanRequest {
  return {
    modelId: GEMMA3_27B,
    deviceIds: [H100],
    contextTokens: 4096,
    batch: 1,
    engine: 'vllm',
    marginFraction: 0.05,
    unit: 'GB',
    ...overrides,
  };
}

function architectureOf(id: string): ArchitectureSpec {
  const architecture = requireCatalogModel(id).architecture;
  if (!architecture) throw new Error(`${id} has an architecture in the catalog`);
  return architecture;
}

describeWithShared('Gemma 3 images against its config.json', () => {
  it('counts one image as mm_tokens_per_image = 256 tokens (google/gemma-3-27b-it config.json)', () => {
    const config = readSharedJson('data/hf-configs/google__gemma-3-27b-it.json') as {
      mm_tokens_per_image: number;
    };
    expect(config.mm_tokens_per_image).toBe(256);
    expect(imageTokenRule(architectureOf(GEMMA3_27B))?.tokensPerImage).toBe(
      config.mm_tokens_per_image,
    );
  });
});

describe('the KV cache of image tokens', () => {
  // Gemma 3 27B text_config: 62 layers, 16 KV heads of 128, sliding_window 1024, every 6th
  // layer global (layers 5, 11, …, 59: 10 of them). K and V in 16 bits: 2 × 16 × 128 × 2 B =
  // 8192 B per token per layer.
  const BYTES_PER_TOKEN_PER_LAYER = 2 * 16 * 128 * 2;

  it('adds 256 tokens to the 10 global layers in llama.cpp, whose SWA cache stays at the window', () => {
    // llama.cpp's SWA layers keep GGML_PAD(n_swa + n_ubatch, 256) = 1536 cells per sequence
    // (src/llama-kv-cache-iswa.cpp) at 4096 or 4352 tokens alike.
    const plan = planFromRequest(
      request({ images: 1, engine: 'llama.cpp', weightsFormat: 'q4_k_m' }),
    );
    expect(plan.memory.multimodal?.imageTokens).toBe(256);
    expect(plan.memory.multimodal?.imageKvBytes).toBe(256 * 10 * BYTES_PER_TOKEN_PER_LAYER); // 20,971,520
  });

  it('adds 256 tokens to 70 layer slots in vLLM: its window pages hold the whole 4352-token prompt', () => {
    // vLLM keeps min(window − 1 + max_num_batched_tokens, max_model_len) tokens on a sliding
    // layer (SlidingWindowSpec.max_memory_usage_bytes), here the whole prompt, and pads the 52
    // sliding layers to 60 page slots beside the 10 global ones (kv_cache_utils.py
    // _get_kv_cache_groups_uniform_page_size).
    const plan = planFromRequest(request({ images: 1 }));
    expect(plan.memory.multimodal!.imageKvBytes).toBe(256 * 70 * BYTES_PER_TOKEN_PER_LAYER); // 146,800,640
  });

  it('adds 256 tokens to all 62 layers in transformers, whose sliding layers keep the whole prompt', () => {
    const plan = planFromRequest(request({ images: 1, engine: 'transformers' }));
    expect(plan.memory.multimodal?.imageKvBytes).toBe(256 * 62 * BYTES_PER_TOKEN_PER_LAYER); // 130,023,424
  });

  it('plans two images like 512 more tokens of context', () => {
    const withImages = planFromRequest(request({ images: 2, engine: 'transformers' }));
    const longer = planFromRequest(request({ contextTokens: 4096 + 512, engine: 'transformers' }));
    expect(withImages.memory.breakdown.kvCache).toBe(longer.memory.breakdown.kvCache);
  });
});

describe('where each engine keeps the vision tower', () => {
  it('vLLM and transformers load it with the checkpoint, images or not', () => {
    const textOnly = planFromRequest(request({}));
    expect(textOnly.memory.multimodal?.visionWeightsSource).toBe('checkpoint');
    // SigLIP-So400m at 896 px: about 0.42B parameters, 2 bytes each in bf16.
    expect(textOnly.memory.multimodal!.visionWeightBytes / 2 / 1e9).toBeCloseTo(0.42, 2);
  });

  it('llama.cpp loads the mmproj only for images: text only plans without the vision tower', () => {
    const q4 = { engine: 'llama.cpp' as const, weightsFormat: 'q4_k_m' };
    const textOnly = planFromRequest(request(q4));
    const withImage = planFromRequest(request({ ...q4, images: 1 }));
    expect(textOnly.memory.multimodal?.visionWeightsSource).toBe('not-loaded');
    expect(textOnly.memory.multimodal?.visionWeightBytes).toBe(0);
    const mm = withImage.memory.multimodal!;
    expect(mm.visionWeightsSource).toBe('mmproj-f16');
    // The f16 mmproj of the same tower: the vLLM plan's bf16 bytes, 2 bytes per weight too.
    expect(mm.visionWeightBytes).toBe(
      planFromRequest(request({})).memory.multimodal!.visionWeightBytes,
    );
    expect(withImage.memory.breakdown.weights - textOnly.memory.breakdown.weights).toBeCloseTo(
      mm.visionWeightBytes,
      0,
    );
  });

  it('counts the mmproj file the CLI read instead of the f16 estimate', () => {
    const mmproj = { fileName: 'mmproj-gemma-3-27b-it-q8_0.gguf', weightBytes: 5e8, params: 4e8 };
    const q4 = { engine: 'llama.cpp' as const, weightsFormat: 'q4_k_m', images: 1 };
    const plan = planFromRequest({ ...request(q4), mmproj });
    expect(plan.memory.multimodal?.visionWeightsSource).toBe('mmproj-file');
    expect(plan.memory.multimodal?.visionWeightBytes).toBe(5e8);
    expect(plan.scenario.mmprojFile).toBe('mmproj-gemma-3-27b-it-q8_0.gguf');
  });

  it('takes images for a Gemma 3 GGUF (no tower inside) once its mmproj file is given', () => {
    const catalog = requireCatalogModel(GEMMA3_27B);
    const { vision: _tower, ...textOnly } = architectureOf(GEMMA3_27B);
    const fromGguf = { ...catalog, id: 'gemma-3-27b-it-Q4_K_M.gguf', architecture: textOnly };
    const scenario = planFromRequest(
      request({ engine: 'llama.cpp', weightsFormat: 'q4_k_m' }),
    ).scenario;
    const input = {
      model: fromGguf,
      devices: [requireCatalogDevice(H100)],
      scenario: { ...scenario, images: 1 },
    };
    expect(() => planInference(input)).toThrow(/no mmproj file was given/);
    const mmproj = { fileName: 'mmproj-model-f16.gguf', weightBytes: 8.5e8, params: 4.2e8 };
    const plan = planInference({ ...input, mmproj });
    expect(plan.memory.multimodal).toMatchObject({
      imageTokens: 256,
      visionWeightBytes: 8.5e8,
      visionWeightsSource: 'mmproj-file',
    });
  });

  it("keeps vLLM's encoder cache: max(max_num_batched_tokens 8192, 256) embeddings of 5376 × 2 B", () => {
    const plan = planFromRequest(request({ images: 1 }));
    expect(plan.memory.multimodal?.encoderCacheBytes).toBe(8192 * 5376 * 2); // 88,080,384
    expect(
      planFromRequest(request({ images: 1, engine: 'transformers' })).memory.multimodal
        ?.encoderCacheBytes,
    ).toBe(0);
  });

  it('raises the plan with images in every engine', () => {
    for (const engine of ['vllm', 'transformers', 'llama.cpp'] as const) {
      const base = engine === 'llama.cpp' ? { engine, weightsFormat: 'q4_k_m' } : { engine };
      const before = planFromRequest(request(base)).memory.total;
      const after = planFromRequest(request({ ...base, images: 1 })).memory.total;
      expect(after).toBeGreaterThan(before);
    }
  });

  it('names the engine rule of each item in the assumptions', () => {
    const names = planFromRequest(request({ images: 1 })).assumptions.map((a) => a.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'tokens per image',
        'image KV cache',
        'vision tower weights',
        'vLLM encoder cache',
      ]),
    );
  });
});

describe('image tokens of the other processors, at the stated 1024 × 1024 image', () => {
  const base = architectureOf('meta-llama/Llama-3.1-8B');
  const as = (family: string): ArchitectureSpec => ({ ...base, family });

  it('Qwen2.5-VL: one token per 28 × 28 pixels, each side rounded to 28 (1036 px): 37 × 37 = 1369', () => {
    expect(imageTokenRule(as('qwen2_5_vl'))?.tokensPerImage).toBe(1369);
  });

  it('Mistral Small 3.1: 37 rows of 37 tokens and an [IMG_BREAK]/[IMG_END] each: 1406', () => {
    expect(imageTokenRule(as('mistral3'))?.tokensPerImage).toBe(37 * 38);
  });

  it('Pixtral 12B: 16-pixel tokens, 64 rows of 64 + 1: 4160', () => {
    expect(imageTokenRule(as('pixtral'))?.tokensPerImage).toBe(64 * 65);
  });

  it('Llama 4: 4 × 4 tiles of 336 px hold 1024 px, plus the global tile: 17 × 144 = 2448', () => {
    expect(imageTokenRule(as('llama4'))?.tokensPerImage).toBe(17 * 144);
  });

  it('refuses images for a text-only model, naming the models that take them', () => {
    let thrown: unknown;
    try {
      planFromRequest(request({ modelId: 'meta-llama/Llama-3.1-8B', images: 1 }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HeadroomError);
    expect((thrown as HeadroomError).message).toMatch(/takes no images.*Gemma 3/);
    expect(() => planFromRequest(request({ modelId: 'google/gemma-3-1b-pt', images: 1 }))).toThrow(
      /no vision tower \(text only\)/,
    );
  });
});
