import { describe, expect, it } from 'vitest';
import { inferenceActivationParts } from '../../../../core/memory/activations';
import { findModel } from '../../../../core/models/catalog';
import type { ArchitectureSpec } from '../../../../core/models/types';

function architectureOf(id: string): ArchitectureSpec {
  const architecture = findModel(id)?.architecture;
  if (!architecture) throw new Error(`no architecture for ${id}`);
  return architecture;
}

describe('inference activation workspace', () => {
  it("holds a SwiGLU block's peak for Llama-3.1-8B: 512 tokens, bf16", () => {
    // config.json: hidden_size 4096, intermediate_size 14336, vocab_size 128256.
    const parts = inferenceActivationParts(architectureOf('meta-llama/Llama-3.1-8B'), {
      chunkTokens: 512,
      batch: 1,
      bytesPerElement: 2,
    });
    // Residual + normed copy: 2 × 512 × 4096 × 2 B = 8,388,608; fp32 logits of the last
    // position: 128256 × 4 B = 513,024.
    expect(parts.fixedBytes).toBe(8_388_608 + 513_024);
    // gate, up and their product: 3 × 512 × 14336 × 2 B = 44,040,192.
    expect(parts.shardedBytes).toBe(44_040_192);
  });

  it('counts the active experts of a mixture-of-experts model, not all of them', () => {
    // Mixtral-8x7B config.json: num_experts_per_tok 2, intermediate_size 14336 per expert.
    const parts = inferenceActivationParts(architectureOf('mistralai/Mixtral-8x7B-v0.1'), {
      chunkTokens: 1,
      batch: 1,
      bytesPerElement: 2,
    });
    // 3 × (2 × 14336) × 2 B: two experts' gate/up/product, not eight.
    expect(parts.shardedBytes).toBe(3 * 2 * 14336 * 2);
  });

  it('grows the logits buffer with the batch, not with the chunk', () => {
    // Sampling keeps one position per sequence (transformers logits_to_keep=1, llama.cpp n_outputs).
    const architecture = architectureOf('meta-llama/Llama-3.1-8B');
    const one = inferenceActivationParts(architecture, {
      chunkTokens: 1,
      batch: 4,
      bytesPerElement: 2,
    });
    const long = inferenceActivationParts(architecture, {
      chunkTokens: 2,
      batch: 4,
      bytesPerElement: 2,
    });
    // Doubling the chunk doubles only the residual part: 4 × 2 × 4096 × 2 B = 65,536 more.
    expect(long.fixedBytes - one.fixedBytes).toBe(65_536);
  });
});
