import { describe, expect, it } from 'vitest';
import { layerCacheBytes } from '../../../../core/memory/engine-kv';
import { kvBytesPerToken, kvElementsPerTokenPerLayer } from '../../../../core/memory/kv-cache';
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

  it('Qwen3-Next counts its 12 attention layers only: 12 × 2 × 2 × 256 × 2 B = 24 KiB per token', () => {
    expect(kvBytesPerToken(architectureOf('Qwen/Qwen3-Next-80B-A3B-Instruct'), FP16_BYTES)).toBe(
      24 * 1024,
    );
  });
});

/** Total cache bytes of one engine's rules for a context and batch (fp16 KV, bf16 model). */
function cacheBytes(
  architecture: ArchitectureSpec,
  engine: 'vllm' | 'llama.cpp' | 'transformers',
  contextTokens: number,
  batch = 1,
): number {
  return layerCacheBytes(architecture, ENGINE_PROFILES[engine], {
    contextTokens,
    batch,
    kvBytesPerElement: FP16_BYTES,
    modelDtypeBytes: FP16_BYTES,
  }).reduce((sum, bytes) => sum + bytes, 0);
}

describe('sliding windows per engine (issue 13)', () => {
  // Mistral-7B-v0.1 config.json: 32 layers, 8 KV heads × 128, sliding_window 4096 on every layer:
  // 128 KiB per token.
  const mistral = architectureOf('mistralai/Mistral-7B-v0.1');
  const perToken = 128 * 1024;

  it('Mistral-7B-v0.1 in vLLM: cdiv(min(4095 + 8192, 32768), 16) + 1 = 769 pages = 12 304 tokens per layer', () => {
    expect(cacheBytes(mistral, 'vllm', 32_768)).toBe(12_304 * perToken);
  });

  it('Mistral-7B-v0.1 in llama.cpp: the whole context (LLM_ARCH_LLAMA reads no sliding window)', () => {
    expect(cacheBytes(mistral, 'llama.cpp', 32_768)).toBe(32_768 * perToken);
  });

  it('gemma-2-9b in llama.cpp: 21 global layers hold the context, 21 sliding ones GGML_PAD(4096 + 512, 256) = 4608 cells', () => {
    // config.json: 42 layers, 8 KV heads × 256, sliding_window 4096 on every other layer.
    const gemma = architectureOf('google/gemma-2-9b');
    const gemmaPerToken = 2 * 8 * 256 * FP16_BYTES;
    expect(cacheBytes(gemma, 'llama.cpp', 8192)).toBe((21 * 8192 + 21 * 4608) * gemmaPerToken);
  });

  it('scales with batch and rounds up to whole vLLM blocks of 16 tokens', () => {
    const llama = architectureOf('meta-llama/Meta-Llama-3-8B');
    expect(cacheBytes(llama, 'transformers', 4096, 4)).toBe(4 * 4096 * 128 * 1024);
    expect(cacheBytes(llama, 'vllm', 4097)).toBe(4112 * 128 * 1024);
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
