import type { ArchitectureSpec, MoeSpec } from '../types';
import { decoder, slidingAll, type CatalogEntry, type DecoderNumbers } from './builders';

/**
 * Mistral, Mixtral, Qwen2.5 and Qwen3. Numbers transcribed by hand from each config.json
 * (cited per entry; "shared copy" = the file in ../shared/data/hf-configs/, see SOURCES.md).
 */

const hf = (id: string) => `https://huggingface.co/${id}/blob/main/config.json`;

/** Mixtral: 8 experts as wide as intermediate_size, 2 per token, no shared ones (config.json). */
function mixtral(n: DecoderNumbers): ArchitectureSpec {
  const moe: MoeSpec = {
    routedExperts: 8,
    activeExperts: 2,
    sharedExperts: 0,
    expertIntermediateSize: n.intermediate,
    sharedIntermediateSize: 0,
    firstDenseLayers: 0,
  };
  return { ...decoder('mixtral', n), moe };
}

/** Qwen2/2.5: q, k and v projections have biases, o_proj does not (transformers Qwen2Attention). */
function qwen2(n: DecoderNumbers): ArchitectureSpec {
  return { ...decoder('qwen2', n), linearBiases: { qkv: true, attnOutput: false, ffn: false } };
}

/** Qwen3: explicit head_dim 128, per-head q/k RMSNorm (Qwen3Attention q_norm, k_norm). */
function qwen3(family: 'qwen3' | 'qwen3_moe', n: DecoderNumbers): ArchitectureSpec {
  return { ...decoder(family, n), qkNorm: true };
}

/** Qwen3-MoE: 128 experts, 8 per token, no shared experts, every layer sparse (config.json). */
function qwen3Moe(n: DecoderNumbers, expertWidth: number): ArchitectureSpec {
  const moe: MoeSpec = {
    routedExperts: 128,
    activeExperts: 8,
    sharedExperts: 0,
    expertIntermediateSize: expertWidth,
    sharedIntermediateSize: 0,
    firstDenseLayers: 0,
  };
  return { ...qwen3('qwen3_moe', n), moe };
}

/** Qwen2.5 7B–72B vocabulary (152064) and context (131072) in the base configs. */
const QWEN25_LARGE = { vocab: 152_064, context: 131_072 } as const;
/** Qwen3 vocabulary (151936), context (40960) and head_dim (128) in every Qwen3 config. */
const QWEN3 = { vocab: 151_936, context: 40_960, headDim: 128 } as const;

export const MISTRAL_QWEN_MODELS: readonly CatalogEntry[] = [
  {
    id: 'mistralai/Mistral-7B-v0.1',
    displayName: 'Mistral 7B v0.1',
    // shared copy mistralai__Mistral-7B-v0.1.json: sliding_window 4096 on every layer; bfloat16.
    config: hf('mistralai/Mistral-7B-v0.1'),
    architecture: {
      ...decoder('mistral', {
        layers: 32,
        hidden: 4096,
        heads: 32,
        kvHeads: 8,
        intermediate: 14336,
        vocab: 32_000,
        context: 32_768,
      }),
      slidingWindow: slidingAll(32, 4096),
    },
    publishedFormat: 'bf16',
  },
  {
    id: 'mistralai/Mixtral-8x7B-v0.1',
    displayName: 'Mixtral 8x7B',
    // shared copy mistralai__Mixtral-8x7B-v0.1.json (sliding_window null); bfloat16.
    config: hf('mistralai/Mixtral-8x7B-v0.1'),
    architecture: mixtral({
      layers: 32,
      hidden: 4096,
      heads: 32,
      kvHeads: 8,
      intermediate: 14336,
      vocab: 32_000,
      context: 32_768,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'mistralai/Mixtral-8x22B-v0.1',
    displayName: 'Mixtral 8x22B',
    // shared copy mistralai__Mixtral-8x22B-v0.1.json (base: vocab 32000); bfloat16.
    config: hf('mistralai/Mixtral-8x22B-v0.1'),
    architecture: mixtral({
      layers: 56,
      hidden: 6144,
      heads: 48,
      kvHeads: 8,
      intermediate: 16384,
      vocab: 32_000,
      context: 65_536,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen2.5-0.5B',
    displayName: 'Qwen2.5 0.5B',
    // shared copy Qwen__Qwen2.5-0.5B.json (tied embeddings; use_sliding_window false); bfloat16.
    config: hf('Qwen/Qwen2.5-0.5B'),
    architecture: qwen2({
      layers: 24,
      hidden: 896,
      heads: 14,
      kvHeads: 2,
      intermediate: 4864,
      vocab: 151_936,
      context: 32_768,
      tied: true,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen2.5-1.5B',
    displayName: 'Qwen2.5 1.5B',
    // shared copy Qwen__Qwen2.5-1.5B.json (tied embeddings); bfloat16.
    config: hf('Qwen/Qwen2.5-1.5B'),
    architecture: qwen2({
      layers: 28,
      hidden: 1536,
      heads: 12,
      kvHeads: 2,
      intermediate: 8960,
      vocab: 151_936,
      context: 131_072,
      tied: true,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen2.5-7B',
    displayName: 'Qwen2.5 7B',
    // shared copy Qwen__Qwen2.5-7B.json; bfloat16.
    config: hf('Qwen/Qwen2.5-7B'),
    architecture: qwen2({
      layers: 28,
      hidden: 3584,
      heads: 28,
      kvHeads: 4,
      intermediate: 18944,
      ...QWEN25_LARGE,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen2.5-14B',
    displayName: 'Qwen2.5 14B',
    // shared copy Qwen__Qwen2.5-14B.json; bfloat16.
    config: hf('Qwen/Qwen2.5-14B'),
    architecture: qwen2({
      layers: 48,
      hidden: 5120,
      heads: 40,
      kvHeads: 8,
      intermediate: 13824,
      ...QWEN25_LARGE,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen2.5-32B',
    displayName: 'Qwen2.5 32B',
    // shared copy Qwen__Qwen2.5-32B.json; bfloat16.
    config: hf('Qwen/Qwen2.5-32B'),
    architecture: qwen2({
      layers: 64,
      hidden: 5120,
      heads: 40,
      kvHeads: 8,
      intermediate: 27648,
      ...QWEN25_LARGE,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen2.5-72B',
    displayName: 'Qwen2.5 72B',
    // Not in ../shared. huggingface.co/BitStack/BitStack-Qwen2.5-72B/blame/main/config.json, a
    // re-save whose _name_or_path is Qwen/Qwen2.5-72B: 80 layers, hidden 8192, 64 heads, 8 KV
    // heads, FFN 29568, vocab 152064, context 131072, untied. Qwen2.5 base weights are bfloat16.
    config: hf('Qwen/Qwen2.5-72B'),
    architecture: qwen2({
      layers: 80,
      hidden: 8192,
      heads: 64,
      kvHeads: 8,
      intermediate: 29568,
      ...QWEN25_LARGE,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen3-0.6B',
    displayName: 'Qwen3 0.6B',
    // github:ai-dynamo/aiconfigurator@095f58a5 aic-core/src/aiconfigurator_core/model_configs/
    // Qwen--Qwen3-0.6B_config.json (a vendored copy of the Hub file): 28 layers, hidden 1024,
    // 16 heads, 8 KV heads, FFN 3072, tied embeddings; bfloat16. Model card: 0.6B, 0.44B non-embedding.
    config: hf('Qwen/Qwen3-0.6B'),
    architecture: qwen3('qwen3', {
      layers: 28,
      hidden: 1024,
      heads: 16,
      kvHeads: 8,
      intermediate: 3072,
      tied: true,
      ...QWEN3,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen3-1.7B',
    displayName: 'Qwen3 1.7B',
    // aiconfigurator Qwen--Qwen3-1.7B_config.json (as above): 28 layers, hidden 2048, 16 heads,
    // 8 KV heads, FFN 6144, tied embeddings; bfloat16. Model card: 1.7B, 1.4B non-embedding.
    config: hf('Qwen/Qwen3-1.7B'),
    architecture: qwen3('qwen3', {
      layers: 28,
      hidden: 2048,
      heads: 16,
      kvHeads: 8,
      intermediate: 6144,
      tied: true,
      ...QWEN3,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen3-4B',
    displayName: 'Qwen3 4B',
    // Qwen/Qwen3-4B config.json as transcribed in a simulator's model registry (code-search index
    // id 54993165207: 36 layers, hidden 2560, 32 heads, 8 KV heads, FFN 9728, head_dim 128,
    // vocab 151936, context 40960, bfloat16); tie_word_embeddings true as in the Qwen3 technical
    // report's table (tied for 0.6B, 1.7B and 4B). Model card: 4.0B, 3.6B non-embedding.
    config: hf('Qwen/Qwen3-4B'),
    architecture: qwen3('qwen3', {
      layers: 36,
      hidden: 2560,
      heads: 32,
      kvHeads: 8,
      intermediate: 9728,
      tied: true,
      ...QWEN3,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen3-8B',
    displayName: 'Qwen3 8B',
    // shared copy Qwen__Qwen3-8B.json; bfloat16.
    config: hf('Qwen/Qwen3-8B'),
    architecture: qwen3('qwen3', {
      layers: 36,
      hidden: 4096,
      heads: 32,
      kvHeads: 8,
      intermediate: 12288,
      ...QWEN3,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen3-14B',
    displayName: 'Qwen3 14B',
    // Same registry as Qwen3-4B (index id 54993165207): 40 layers, hidden 5120, 40 heads, 8 KV
    // heads, FFN 17408, head_dim 128; untied (Qwen3 report: 8B and up). Model card: 14.8B, 13.2B
    // non-embedding.
    config: hf('Qwen/Qwen3-14B'),
    architecture: qwen3('qwen3', {
      layers: 40,
      hidden: 5120,
      heads: 40,
      kvHeads: 8,
      intermediate: 17408,
      ...QWEN3,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen3-32B',
    displayName: 'Qwen3 32B',
    // aiconfigurator Qwen--Qwen3-32B_config.json: 64 layers, hidden 5120, 64 heads, 8 KV heads,
    // FFN 25600, untied; bfloat16. Model card: 32.8B, 31.2B non-embedding.
    config: hf('Qwen/Qwen3-32B'),
    architecture: qwen3('qwen3', {
      layers: 64,
      hidden: 5120,
      heads: 64,
      kvHeads: 8,
      intermediate: 25600,
      ...QWEN3,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen3-30B-A3B',
    displayName: 'Qwen3 30B-A3B',
    // shared copy Qwen__Qwen3-30B-A3B.json: moe_intermediate_size 768; bfloat16.
    config: hf('Qwen/Qwen3-30B-A3B'),
    architecture: qwen3Moe(
      { layers: 48, hidden: 2048, heads: 32, kvHeads: 4, intermediate: 6144, ...QWEN3 },
      768,
    ),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen3-235B-A22B',
    displayName: 'Qwen3 235B-A22B',
    // shared copy Qwen__Qwen3-235B-A22B.json: moe_intermediate_size 1536; bfloat16.
    config: hf('Qwen/Qwen3-235B-A22B'),
    architecture: qwen3Moe(
      { layers: 94, hidden: 4096, heads: 64, kvHeads: 4, intermediate: 12288, ...QWEN3 },
      1536,
    ),
    publishedFormat: 'bf16',
  },
];
