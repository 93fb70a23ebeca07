import { describe, expect, it } from 'vitest';
import { getFormat } from '../../../../core/formats/catalog';
import { findModel, modelCatalog } from '../../../../core/models/catalog';
import { countParameters } from '../../../../core/models/count';

/** The catalog the task (issue 3) requires, by Hugging Face repo id. */
const REQUIRED_IDS = [
  'meta-llama/Llama-2-7b-hf',
  'meta-llama/Llama-2-13b-hf',
  'meta-llama/Llama-2-70b-hf',
  'meta-llama/Meta-Llama-3-8B',
  'meta-llama/Meta-Llama-3-70B',
  'meta-llama/Llama-3.1-8B',
  'meta-llama/Llama-3.1-70B',
  'meta-llama/Llama-3.1-405B',
  'meta-llama/Llama-3.2-1B',
  'meta-llama/Llama-3.2-3B',
  'mistralai/Mistral-7B-v0.1',
  'mistralai/Mixtral-8x7B-v0.1',
  'mistralai/Mixtral-8x22B-v0.1',
  'Qwen/Qwen2.5-0.5B',
  'Qwen/Qwen2.5-7B',
  'Qwen/Qwen2.5-14B',
  'Qwen/Qwen2.5-32B',
  'Qwen/Qwen2.5-72B',
  'Qwen/Qwen3-8B',
  'Qwen/Qwen3-30B-A3B',
  'Qwen/Qwen3-235B-A22B',
  'google/gemma-2-2b',
  'google/gemma-2-9b',
  'google/gemma-2-27b',
  'microsoft/Phi-3-mini-4k-instruct',
  'microsoft/phi-4',
  'deepseek-ai/DeepSeek-V3',
  'deepseek-ai/DeepSeek-V2-Lite',
  'openai/gpt-oss-20b',
  'openai/gpt-oss-120b',
  'facebook/opt-13b',
  'bigscience/bloom',
  'tiiuae/falcon-7b',
  'tiiuae/falcon-40b',
  'openai-community/gpt2',
  'openai-community/gpt2-xl',
  'huggyllama/llama-7b',
  'huggyllama/llama-65b',
  'TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T',
  'HuggingFaceTB/SmolLM2-1.7B',
];

/** Format ids a catalog entry may publish in (core/formats ids). */
const PUBLISHED_FORMATS = new Set(['fp32', 'fp16', 'bf16', 'fp8_e4m3', 'mxfp4', 'mxfp4_experts']);

describe('modelCatalog()', () => {
  it('holds every required model under its exact Hugging Face id', () => {
    const ids = new Set(modelCatalog().map((model) => model.id));
    expect(REQUIRED_IDS.filter((id) => !ids.has(id))).toEqual([]);
    expect(modelCatalog().length).toBeGreaterThanOrEqual(REQUIRED_IDS.length);
  });

  it('has no two ids that differ only in case', () => {
    const lower = modelCatalog().map((model) => model.id.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
  });

  it.each(modelCatalog().map((model) => [model.id, model] as const))(
    '%s is consistent',
    (_id, model) => {
      expect(model.architecture?.layers).toBeGreaterThan(0);
      if (!model.architecture) return;
      // Counted from the architecture, never typed in.
      expect(countParameters(model.architecture)).toEqual({
        params: model.params,
        activeParams: model.activeParams,
      });
      expect(model.activeParams).toBeLessThanOrEqual(model.params);
      // Fewer active than total parameters: routed experts, or a vision tower text tokens skip.
      expect(model.activeParams < model.params).toBe(
        model.architecture.moe !== undefined || model.architecture.vision !== undefined,
      );
      expect(model.source).toEqual({
        kind: 'catalog',
        config: expect.stringMatching(/^https:\/\/huggingface\.co\//),
      });
      expect(PUBLISHED_FORMATS.has(model.publishedFormat)).toBe(true);
      expect(getFormat(model.publishedFormat)?.id).toBe(model.publishedFormat);
      expect(model.displayName.length).toBeGreaterThan(0);
      expect(model.displayName).not.toContain('/');
      const sliding = model.architecture.slidingWindow;
      if (sliding) expect(sliding.slidingLayers).toHaveLength(model.architecture.layers);
    },
  );
});

describe('findModel', () => {
  it('finds a model by its repo id, ignoring case and surrounding spaces', () => {
    expect(findModel('meta-llama/Llama-2-7b-hf')?.displayName).toBe('Llama 2 7B');
    expect(findModel('META-LLAMA/llama-2-7B-HF')?.id).toBe('meta-llama/Llama-2-7b-hf');
    expect(findModel('  qwen/qwen3-30b-a3b ')?.id).toBe('Qwen/Qwen3-30B-A3B');
  });

  it('returns undefined for an id it does not hold', () => {
    expect(findModel('meta-llama/Llama-9-1T')).toBeUndefined();
    expect(findModel('')).toBeUndefined();
    expect(findModel('Llama-2-7b-hf')).toBeUndefined();
  });
});
