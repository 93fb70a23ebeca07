import type { ArchitectureSpec, MoeSpec } from '../types';
import {
  ALL_BIASES,
  decoder,
  slidingAll,
  slidingAlternate,
  type CatalogEntry,
  type DecoderNumbers,
} from './builders';

/**
 * Gemma 2, Phi-3/Phi-4, DeepSeek-V2-Lite/V3 and gpt-oss. Numbers transcribed by hand from each
 * config.json (cited per entry; "shared copy" = the file in ../shared/data/hf-configs/).
 */

const hf = (id: string) => `https://huggingface.co/${id}/blob/main/config.json`;

/**
 * Gemma 2: tied embeddings (Gemma2Config default, no key in the files), four RMSNorms per layer
 * (input, post-attention, pre- and post-feedforward), even layers sliding over 4096 tokens.
 */
function gemma2(n: Omit<DecoderNumbers, 'vocab' | 'context'>): ArchitectureSpec {
  return {
    ...decoder('gemma2', { ...n, vocab: 256_000, context: 8192, tied: true }),
    normsPerLayer: 4,
    slidingWindow: slidingAlternate(n.layers, 4096),
  };
}

/** Phi-3 stores qkv_proj and gate_up_proj fused (transformers Phi3Attention / Phi3MLP). */
function phi3(n: DecoderNumbers): ArchitectureSpec {
  return { ...decoder('phi3', n), fusedQkv: true, fusedGateUp: true };
}

/**
 * gpt-oss: experts as wide as intermediate_size (2880), 4 per token, router and expert biases,
 * q/k/v/o biases (attention_bias true), a sink logit per head, layer_types alternating
 * sliding (128 tokens) and full attention starting with sliding.
 */
function gptOss(layers: number, experts: number): ArchitectureSpec {
  const moe: MoeSpec = {
    routedExperts: experts,
    activeExperts: 4,
    sharedExperts: 0,
    expertIntermediateSize: 2880,
    sharedIntermediateSize: 0,
    firstDenseLayers: 0,
    routerBias: true,
  };
  return {
    ...decoder('gpt_oss', {
      layers,
      hidden: 2880,
      heads: 64,
      kvHeads: 8,
      headDim: 64,
      intermediate: 2880,
      vocab: 201_088,
      context: 131_072,
    }),
    moe,
    slidingWindow: slidingAlternate(layers, 128),
    linearBiases: ALL_BIASES,
    attentionSinks: true,
  };
}

export const OTHER_MODELS: readonly CatalogEntry[] = [
  {
    id: 'google/gemma-2-2b',
    displayName: 'Gemma 2 2B',
    // shared copy google__gemma-2-2b.json: head_dim 256; torch_dtype float32.
    config: hf('google/gemma-2-2b'),
    architecture: gemma2({
      layers: 26,
      hidden: 2304,
      heads: 8,
      kvHeads: 4,
      headDim: 256,
      intermediate: 9216,
    }),
    publishedFormat: 'fp32',
  },
  {
    id: 'google/gemma-2-9b',
    displayName: 'Gemma 2 9B',
    // shared copy google__gemma-2-9b.json: head_dim 256 (16 × 256 ≠ hidden 3584); float32.
    config: hf('google/gemma-2-9b'),
    architecture: gemma2({
      layers: 42,
      hidden: 3584,
      heads: 16,
      kvHeads: 8,
      headDim: 256,
      intermediate: 14336,
    }),
    publishedFormat: 'fp32',
  },
  {
    id: 'google/gemma-2-27b',
    displayName: 'Gemma 2 27B',
    // shared copy google__gemma-2-27b.json: head_dim 128 (32 × 128 ≠ hidden 4608); bfloat16.
    config: hf('google/gemma-2-27b'),
    architecture: gemma2({
      layers: 46,
      hidden: 4608,
      heads: 32,
      kvHeads: 16,
      headDim: 128,
      intermediate: 36864,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'microsoft/Phi-3-mini-4k-instruct',
    displayName: 'Phi-3 mini 4k instruct',
    // shared copy microsoft__Phi-3-mini-4k-instruct.json: sliding_window 2047; bfloat16.
    config: hf('microsoft/Phi-3-mini-4k-instruct'),
    architecture: {
      ...phi3({
        layers: 32,
        hidden: 3072,
        heads: 32,
        intermediate: 8192,
        vocab: 32_064,
        context: 4096,
      }),
      slidingWindow: slidingAll(32, 2047),
    },
    publishedFormat: 'bf16',
  },
  {
    id: 'microsoft/phi-4',
    displayName: 'Phi-4',
    // shared copy microsoft__phi-4.json: 10 KV heads, sliding_window null; bfloat16.
    config: hf('microsoft/phi-4'),
    architecture: phi3({
      layers: 40,
      hidden: 5120,
      heads: 40,
      kvHeads: 10,
      intermediate: 17920,
      vocab: 100_352,
      context: 16_384,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'deepseek-ai/DeepSeek-V3',
    displayName: 'DeepSeek-V3',
    // shared copy deepseek-ai__DeepSeek-V3.json: MLA (kv_lora_rank 512, q_lora_rank 1536, head
    // dims 128 nope + 64 rope, v 128), 256 routed experts of 2048, 8 per token, 1 shared, first 3
    // layers dense (18432), noaux_tc router bias, 1 MTP layer (not counted); fp8 e4m3 weights.
    config: hf('deepseek-ai/DeepSeek-V3'),
    architecture: {
      ...decoder('deepseek_v3', {
        layers: 61,
        hidden: 7168,
        heads: 128,
        headDim: 192,
        intermediate: 18432,
        vocab: 129_280,
        context: 163_840,
      }),
      attention: 'mla',
      mla: {
        kvLoraRank: 512,
        qLoraRank: 1536,
        qkNopeHeadDim: 128,
        qkRopeHeadDim: 64,
        vHeadDim: 128,
      },
      moe: {
        routedExperts: 256,
        activeExperts: 8,
        sharedExperts: 1,
        expertIntermediateSize: 2048,
        sharedIntermediateSize: 2048,
        firstDenseLayers: 3,
        routerBias: true,
      },
      mtpLayers: 1,
    },
    publishedFormat: 'fp8_e4m3',
  },
  {
    id: 'deepseek-ai/DeepSeek-V2-Lite',
    displayName: 'DeepSeek-V2-Lite',
    // shared copy deepseek-ai__DeepSeek-V2-Lite.json (partial: SOURCES.md notes the HF file has
    // q_lora_rank null, which the copy dropped): MLA without query compression, 64 routed experts
    // of 1408, 6 per token, 2 shared, layer 0 dense (10944), greedy routing; bfloat16.
    config: hf('deepseek-ai/DeepSeek-V2-Lite'),
    architecture: {
      ...decoder('deepseek_v2', {
        layers: 27,
        hidden: 2048,
        heads: 16,
        headDim: 192,
        intermediate: 10944,
        vocab: 102_400,
        context: 163_840,
      }),
      attention: 'mla',
      mla: {
        kvLoraRank: 512,
        qLoraRank: null,
        qkNopeHeadDim: 128,
        qkRopeHeadDim: 64,
        vHeadDim: 128,
      },
      moe: {
        routedExperts: 64,
        activeExperts: 6,
        sharedExperts: 2,
        expertIntermediateSize: 1408,
        sharedIntermediateSize: 2816,
        firstDenseLayers: 1,
      },
    },
    publishedFormat: 'bf16',
  },
  {
    id: 'openai/gpt-oss-20b',
    displayName: 'gpt-oss-20b',
    // shared copy openai__gpt-oss-20b.json: 24 layers, 32 experts; quant_method mxfp4 (experts;
    // attention, router, embeddings and head stay bf16 per modules_to_not_convert).
    config: hf('openai/gpt-oss-20b'),
    architecture: gptOss(24, 32),
    publishedFormat: 'mxfp4_experts',
  },
  {
    id: 'openai/gpt-oss-120b',
    displayName: 'gpt-oss-120b',
    // shared copy openai__gpt-oss-120b.json: 36 layers, 128 experts; quant_method mxfp4 (experts;
    // the rest bf16, as for gpt-oss-20b).
    config: hf('openai/gpt-oss-120b'),
    architecture: gptOss(36, 128),
    publishedFormat: 'mxfp4_experts',
  },
];
