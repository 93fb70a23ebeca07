import { describe, expect, it } from 'vitest';
import {
  cachedLayerTokens,
  kvBytesPerToken,
  kvCacheBytes,
  kvElementsPerTokenPerLayer,
} from '../../../../core/memory/kv-cache';
import { findModel } from '../../../../core/models/catalog';
import type { ArchitectureSpec } from '../../../../core/models/types';
import { ENGINE_PROFILES } from '../../../../core/memory/engine-profiles';

function architectureOf(id: string): ArchitectureSpec {
  const architecture = findModel(id)?.architecture;
  if (!architecture) throw new Error(`catalog lacks ${id}`);
  return architecture;
}

const FP16_BYTES = 2;

describe('KV cache bytes per token (issue 3)', () => {
  it('Llama-2-7B: 512 KiB per token at fp16 (2 × 32 layers × 32 heads × 128 dims × 2 bytes; MHA)', () => {
    expect(kvBytesPerToken(architectureOf('meta-llama/Llama-2-7b-hf'), FP16_BYTES)).toBe(
      512 * 1024,
    );
  });

  it('Llama-3-8B: 128 KiB per token at fp16 (GQA with 8 KV heads)', () => {
    expect(kvBytesPerToken(architectureOf('meta-llama/Meta-Llama-3-8B'), FP16_BYTES)).toBe(
      128 * 1024,
    );
  });

  it('DeepSeek-V3 caches the MLA latent: (512 + 64) × 61 layers elements per token (DeepSeek-V2 paper, §2.1.2)', () => {
    expect(kvBytesPerToken(architectureOf('deepseek-ai/DeepSeek-V3'), FP16_BYTES)).toBe(
      (512 + 64) * 61 * FP16_BYTES,
    );
  });

  it('Mistral-7B-v0.1 never holds more than its 4096-token sliding window (config.json sliding_window)', () => {
    const mistral = architectureOf('mistralai/Mistral-7B-v0.1');
    expect(cachedLayerTokens(mistral, 32_768)).toBe(32 * 4096);
    expect(cachedLayerTokens(mistral, 1000)).toBe(32 * 1000);
  });

  it('gemma-2-9b: sliding layers alternate with global ones, so half the layers cap at 4096', () => {
    const gemma = architectureOf('google/gemma-2-9b');
    // config.json: 42 layers, sliding_window 4096, every other layer local (Gemma 2 report, §2).
    expect(cachedLayerTokens(gemma, 8192)).toBe(21 * 8192 + 21 * 4096);
  });

  it('scales with batch and rounds up to whole vLLM blocks of 16 tokens', () => {
    const llama = architectureOf('meta-llama/Meta-Llama-3-8B');
    const exact = kvCacheBytes(llama, {
      contextTokens: 4096,
      batch: 4,
      bytesPerElement: FP16_BYTES,
    });
    expect(exact).toBe(4 * 4096 * 128 * 1024);
    const paged = kvCacheBytes(llama, {
      contextTokens: 4097,
      batch: 1,
      bytesPerElement: FP16_BYTES,
      blockTokens: 16,
    });
    expect(paged).toBe(4112 * 128 * 1024);
  });
});

describe('MLA KV cache per engine (DeepSeek-V3: 61 layers, 128 heads, kv_lora_rank 512, rope 64, nope 128, v 128)', () => {
  const deepseek = findModel('deepseek-ai/DeepSeek-V3')!.architecture!;

  it('vLLM and llama.cpp keep the latent: 61 × (512 + 64) × 2 B = 70,272 B per token', () => {
    // vllm/attention/backends/mla: kv_c (512) and k_pe (64) in one entry; llama.cpp's MLA cache
    // keeps K rows of 576 and no V tensors (src/llama-kv-cache.cpp).
    for (const engine of ['vllm', 'llama.cpp'] as const) {
      const layout = ENGINE_PROFILES[engine].mlaCache;
      expect(deepseek.layers * kvElementsPerTokenPerLayer(deepseek, layout) * 2).toBe(70_272);
    }
  });

  it('transformers caches every head’s key (128 + 64) and value (128): 61 × 128 × 320 × 2 B = 4,997,120 B per token', () => {
    // models/deepseek_v3/modeling_deepseek_v3.py: key_states = cat(k_pass, k_rot) per head.
    const layout = ENGINE_PROFILES.transformers.mlaCache;
    expect(deepseek.layers * kvElementsPerTokenPerLayer(deepseek, layout) * 2).toBe(4_997_120);
  });
});
