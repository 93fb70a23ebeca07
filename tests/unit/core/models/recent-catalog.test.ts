import { describe, expect, it } from 'vitest';
import { parseHfConfig } from '../../../../core/import/hf-config';
import { findModel, MODEL_IDS } from '../../../../core/models/catalog';
import { isMoeLayer } from '../../../../core/models/layers';
import { enumerateTensors } from '../../../../core/models/tensors';
import { idStem } from '../../../../core/models/variants';
import { describeWithShared, readSharedJson } from '../../../helpers/shared';

/**
 * Issue 13 item 5: the models people run now, each under its base id and the Instruct / chat /
 * -it / -2507 / -FP8 ids Hugging Face publishes beside it (real repo ids).
 */
const RESOLVES: Readonly<Record<string, readonly string[]>> = {
  'google/gemma-3-1b-pt': ['google/gemma-3-1b-it'],
  'google/gemma-3-4b-pt': ['google/gemma-3-4b-it'],
  'google/gemma-3-12b-pt': ['google/gemma-3-12b-it'],
  'google/gemma-3-27b-pt': ['google/gemma-3-27b-it'],
  'Qwen/Qwen3-0.6B': ['Qwen/Qwen3-0.6B-Base', 'Qwen/Qwen3-0.6B-FP8'],
  'Qwen/Qwen3-1.7B': ['Qwen/Qwen3-1.7B-Base', 'Qwen/Qwen3-1.7B-FP8'],
  'Qwen/Qwen3-4B': ['Qwen/Qwen3-4B-Base', 'Qwen/Qwen3-4B-Instruct-2507', 'Qwen/Qwen3-4B-FP8'],
  'Qwen/Qwen3-8B': ['Qwen/Qwen3-8B-Base', 'Qwen/Qwen3-8B-FP8'],
  'Qwen/Qwen3-14B': ['Qwen/Qwen3-14B-Base', 'Qwen/Qwen3-14B-FP8'],
  'Qwen/Qwen3-32B': ['Qwen/Qwen3-32B-FP8'],
  'Qwen/Qwen3-30B-A3B': [
    'Qwen/Qwen3-30B-A3B-Base',
    'Qwen/Qwen3-30B-A3B-Instruct-2507',
    'Qwen/Qwen3-30B-A3B-Thinking-2507',
    'Qwen/Qwen3-30B-A3B-FP8',
  ],
  'Qwen/Qwen3-235B-A22B': [
    'Qwen/Qwen3-235B-A22B-Instruct-2507',
    'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8',
    'Qwen/Qwen3-235B-A22B-FP8',
  ],
  'Qwen/Qwen3-Next-80B-A3B-Instruct': [
    'Qwen/Qwen3-Next-80B-A3B-Thinking',
    'Qwen/Qwen3-Next-80B-A3B-Instruct-FP8',
  ],
  'meta-llama/Llama-4-Scout-17B-16E': ['meta-llama/Llama-4-Scout-17B-16E-Instruct'],
  'meta-llama/Llama-4-Maverick-17B-128E': [
    'meta-llama/Llama-4-Maverick-17B-128E-Instruct',
    'meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8',
  ],
  'deepseek-ai/DeepSeek-V3': ['deepseek-ai/DeepSeek-V3-Base', 'deepseek-ai/DeepSeek-V3-0324'],
  'deepseek-ai/DeepSeek-R1': ['deepseek-ai/DeepSeek-R1-0528'],
  'moonshotai/Kimi-K2-Instruct': ['moonshotai/Kimi-K2-Base', 'moonshotai/Kimi-K2-Instruct-0905'],
  'zai-org/GLM-4.5': ['zai-org/GLM-4.5-Base', 'zai-org/GLM-4.5-FP8'],
  'zai-org/GLM-4.6': ['zai-org/GLM-4.6-FP8'],
  'zai-org/GLM-4.5-Air': ['zai-org/GLM-4.5-Air-Base', 'zai-org/GLM-4.5-Air-FP8'],
  'openai/gpt-oss-20b': [],
  'openai/gpt-oss-120b': [],
  'microsoft/phi-4': [],
  'mistralai/Mistral-Small-24B-Base-2501': ['mistralai/Mistral-Small-24B-Instruct-2501'],
  'meta-llama/Llama-3.1-70B': [
    'meta-llama/Llama-3.1-70B-Instruct',
    'meta-llama/Meta-Llama-3.1-70B-Instruct',
  ],
  'meta-llama/Llama-2-7b-hf': ['meta-llama/Llama-2-7b-chat-hf'],
};

describe('catalog coverage for what people run now (issue 13)', () => {
  it.each(Object.entries(RESOLVES))('%s resolves by its base and variant ids', (base, variants) => {
    expect(findModel(base)?.id).toBe(base);
    for (const variant of variants) {
      const model = findModel(variant);
      expect(model?.id, variant).toBe(base);
      expect(model?.params).toBe(findModel(base)?.params);
      // The plan's model source text says which id was asked for and what it resolved to.
      expect(model?.source).toEqual({
        kind: 'catalog',
        config: expect.stringContaining(`${variant} resolves to the catalog entry ${base}`),
      });
    }
  });

  it('plans an -FP8 checkpoint in fp8 and keeps the base format otherwise', () => {
    expect(findModel('Qwen/Qwen3-8B')?.publishedFormat).toBe('bf16');
    expect(findModel('Qwen/Qwen3-8B-FP8')?.publishedFormat).toBe('fp8_e4m3');
    expect(findModel('google/gemma-3-27b-it')?.publishedFormat).toBe('bf16');
  });

  it('gives every catalog entry its own stem, so a variant id resolves to exactly one entry', () => {
    const stems = MODEL_IDS.map((id) => idStem(id));
    expect(new Set(stems).size).toBe(stems.length);
  });

  it('still needs the org: a bare name is not a repo id', () => {
    expect(findModel('Llama-3.1-70B-Instruct')).toBeUndefined();
    expect(findModel('meta-llama/Llama-3.1-70B-Instruct-AWQ')).toBeUndefined();
  });

  /**
   * Exact counts from the architecture against the figures their publishers give (text model
   * only: vision towers are not modelled). Qwen3 model cards state total and non-embedding
   * counts to 0.01B; others state rounded totals.
   */
  it.each([
    // [id, published total (B), tolerance (B), source]
    ['Qwen/Qwen3-0.6B', 0.6, 0.01, 'model card: 0.6B, non-embedding 0.44B'],
    ['Qwen/Qwen3-1.7B', 1.7, 0.03, 'model card: 1.7B, non-embedding 1.4B'],
    ['Qwen/Qwen3-4B', 4.0, 0.03, 'model card: 4.0B, non-embedding 3.6B'],
    ['Qwen/Qwen3-14B', 14.8, 0.05, 'model card: 14.8B, non-embedding 13.2B'],
    ['Qwen/Qwen3-32B', 32.8, 0.05, 'model card: 32.8B, non-embedding 31.2B'],
    ['google/gemma-3-1b-pt', 1.0, 0.01, 'Gemma 3 report: 1B, text only'],
    ['deepseek-ai/DeepSeek-R1', 671, 0.5, 'DeepSeek-R1 card: 671B total, 37B activated'],
    ['moonshotai/Kimi-K2-Instruct', 1030, 15, 'Kimi K2 card: 1T total, 32B activated'],
    ['zai-org/GLM-4.5', 355, 4, 'GLM-4.5 card: 355B total (MTP layer not counted here)'],
    ['zai-org/GLM-4.5-Air', 106, 1, 'GLM-4.5-Air card: 106B total, 12B active'],
    ['meta-llama/Llama-4-Scout-17B-16E', 109, 2, 'Llama 4 card: 109B total with vision'],
    ['meta-llama/Llama-4-Maverick-17B-128E', 400, 2, 'Llama 4 card: 400B total with vision'],
    ['Qwen/Qwen3-Next-80B-A3B-Instruct', 80, 1.5, 'model card: 80B'],
  ] as const)('%s counts about %dB (±%d; %s)', (id, billions, tolerance, _source) => {
    const params = findModel(id)?.params ?? 0;
    expect(Math.abs(params / 1e9 - billions)).toBeLessThanOrEqual(tolerance);
  });

  it('counts Qwen3 non-embedding parameters as the model cards state them', () => {
    // Qwen3 model cards, "Number of Parameters (Non-Embedding)".
    const nonEmbedding = (id: string) => {
      const model = findModel(id)!;
      const arch = model.architecture!;
      const tables = arch.tiedEmbeddings ? 1 : 2;
      return (model.params - tables * arch.vocabSize * arch.hiddenSize) / 1e9;
    };
    expect(nonEmbedding('Qwen/Qwen3-0.6B')).toBeCloseTo(0.44, 2);
    expect(nonEmbedding('Qwen/Qwen3-1.7B')).toBeCloseTo(1.41, 1);
    expect(nonEmbedding('Qwen/Qwen3-4B')).toBeCloseTo(3.6, 1);
    expect(nonEmbedding('Qwen/Qwen3-14B')).toBeCloseTo(13.2, 1);
    expect(nonEmbedding('Qwen/Qwen3-32B')).toBeCloseTo(31.2, 1);
  });

  it('counts Mistral Small 3 text weights as a meta-device count does: 23,572,403,200', () => {
    // Code-search index id 68399702759: "Text 23,572,403,200 + vision 438,958,080" for the
    // Mistral-Small-3.2-24B language model, the same shape as the 2501 base.
    expect(findModel('mistralai/Mistral-Small-24B-Base-2501')?.params).toBe(23_572_403_200);
  });

  it('counts active parameters near the published ones for the MoE models', () => {
    const active = (id: string) => (findModel(id)?.activeParams ?? 0) / 1e9;
    expect(active('deepseek-ai/DeepSeek-R1')).toBeCloseTo(37.6, 1); // card: 37B activated
    expect(active('meta-llama/Llama-4-Scout-17B-16E')).toBeCloseTo(17.2, 1); // card: 17B active
    expect(active('meta-llama/Llama-4-Maverick-17B-128E')).toBeCloseTo(17.2, 1);
    expect(active('moonshotai/Kimi-K2-Instruct')).toBeCloseTo(32.9, 1); // card: 32B activated
  });

  it('interleaves Llama 4 Maverick: odd layers hold 128 experts and a shared one, even layers are dense', () => {
    const arch = findModel('meta-llama/Llama-4-Maverick-17B-128E')!.architecture!;
    expect([0, 1, 2, 3, 47].map((layer) => isMoeLayer(arch, layer))).toEqual([
      false,
      true,
      false,
      true,
      true,
    ]);
    const tensors = enumerateTensors(arch);
    const named = (name: string) => tensors.find((tensor) => tensor.name === name);
    expect(named('blk.0.ffn_up.weight')?.shape).toEqual([16_384, 5120]);
    expect(named('blk.1.ffn_up_exps.weight')?.shape).toEqual([128, 8192, 5120]);
    expect(named('blk.1.ffn_up_shexp.weight')?.shape).toEqual([8192, 5120]);
    expect(named('blk.0.ffn_up_exps.weight')).toBeUndefined();
  });

  it('records Llama 4 chunked attention as an 8192-token window on three of every four layers', () => {
    const sliding = findModel('meta-llama/Llama-4-Scout-17B-16E')!.architecture!.slidingWindow!;
    expect(sliding.windowTokens).toBe(8192);
    expect(sliding.slidingLayers.slice(0, 8)).toEqual([
      true,
      true,
      true,
      false,
      true,
      true,
      true,
      false,
    ]);
  });

  it('names the GLM-4.5 router correction bias as llama.cpp does (exp_probs_b)', () => {
    const tensors = enumerateTensors(findModel('zai-org/GLM-4.5-Air')!.architecture!);
    expect(tensors.find((tensor) => tensor.name === 'blk.1.exp_probs_b.bias')?.shape).toEqual([
      128,
    ]);
    expect(tensors.find((tensor) => tensor.name === 'blk.0.attn_q.bias')?.shape).toEqual([
      96 * 128,
    ]);
  });
});

describeWithShared('new catalog entries equal parseHfConfig(real config.json)', () => {
  it.each([
    ['google/gemma-3-4b-pt', 'google__gemma-3-4b-it.json'],
    ['google/gemma-3-12b-pt', 'google__gemma-3-12b-pt__mlx-4bit.json'],
    ['google/gemma-3-27b-pt', 'google__gemma-3-27b-it.json'],
  ])('%s ← %s', (id, file) => {
    const parsed = parseHfConfig(readSharedJson(`data/hf-configs/${file}`), file);
    expect(parsed.architecture).toEqual(findModel(id)?.architecture);
    expect(parsed.publishedFormat).toBe(findModel(id)?.publishedFormat);
  });

  it('resolves the shared -it configs by their own ids to the same architecture', () => {
    expect(findModel('google/gemma-3-4b-it')?.architecture).toEqual(
      parseHfConfig(readSharedJson('data/hf-configs/google__gemma-3-4b-it.json'), 'it')
        .architecture,
    );
  });
});
