import type { ArchitectureSpec, MoeSpec } from '../types';
import { decoder, hybridMixers, type CatalogEntry } from './builders';

/**
 * Mixture-of-experts models people run now: DeepSeek-R1, Kimi K2, GLM-4.5/4.6, Llama 4 and
 * Qwen3-Next. Numbers transcribed by hand from each config.json (cited per entry). "aiconfigurator"
 * = github:ai-dynamo/aiconfigurator@095f58a5 aic-core/src/aiconfigurator_core/model_configs/,
 * which vendors the Hub's config.json files.
 */

const hf = (id: string) => `https://huggingface.co/${id}/blob/main/config.json`;

/** The numbers a DeepSeek-V3-style (MLA + DeepSeekMoE) config.json states. */
interface DeepseekNumbers {
  readonly family: string;
  readonly heads: number;
  readonly routedExperts: number;
  readonly firstDenseLayers: number;
  readonly vocab: number;
  readonly context: number;
  readonly mtpLayers: number;
}

/**
 * DeepSeek-V3's shape (61 layers, hidden 7168, MLA with q_lora_rank 1536, kv_lora_rank 512, head
 * dims 128 nope + 64 rope and v 128, dense FFN 18432, routed experts of 2048, 8 per token, one
 * shared expert, noaux_tc router bias), which DeepSeek-R1 and Kimi K2 reuse with other head,
 * expert and vocabulary counts.
 */
function deepseekV3Like(n: DeepseekNumbers): ArchitectureSpec {
  return {
    ...decoder(n.family, {
      layers: 61,
      hidden: 7168,
      heads: n.heads,
      headDim: 192,
      intermediate: 18_432,
      vocab: n.vocab,
      context: n.context,
    }),
    attention: 'mla',
    mla: { kvLoraRank: 512, qLoraRank: 1536, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 },
    moe: {
      routedExperts: n.routedExperts,
      activeExperts: 8,
      sharedExperts: 1,
      expertIntermediateSize: 2048,
      sharedIntermediateSize: 2048,
      firstDenseLayers: n.firstDenseLayers,
      routerBias: true,
    },
    ...(n.mtpLayers > 0 ? { mtpLayers: n.mtpLayers } : {}),
  };
}

/** The numbers a glm4_moe config.json states. */
interface GlmNumbers {
  readonly layers: number;
  readonly hidden: number;
  readonly intermediate: number;
  readonly routedExperts: number;
  readonly expertWidth: number;
  readonly firstDenseLayers: number;
  readonly qkNorm: boolean;
  readonly context: number;
}

/**
 * GLM-4.5 family (transformers Glm4MoeAttention / Glm4MoeMoE): 96 heads of 128, 8 KV heads, q/k/v
 * biases (attention_bias true; o_proj has none), q/k RMSNorm where use_qk_norm, 8 of n routed
 * experts plus one shared expert as wide as one routed expert, an e_score_correction_bias beside
 * the router (noaux_tc), vocab 151552, untied, one MTP layer (num_nextn_predict_layers 1, not
 * counted: see ArchitectureSpec.mtpLayers). partial_rotary_factor 0.5 changes no sizes.
 */
function glm4Moe(n: GlmNumbers): ArchitectureSpec {
  const moe: MoeSpec = {
    routedExperts: n.routedExperts,
    activeExperts: 8,
    sharedExperts: 1,
    expertIntermediateSize: n.expertWidth,
    sharedIntermediateSize: n.expertWidth,
    firstDenseLayers: n.firstDenseLayers,
    routerBias: true,
  };
  return {
    ...decoder('glm4_moe', {
      layers: n.layers,
      hidden: n.hidden,
      heads: 96,
      kvHeads: 8,
      headDim: 128,
      intermediate: n.intermediate,
      vocab: 151_552,
      context: n.context,
    }),
    moe,
    linearBiases: { qkv: true, attnOutput: false, ffn: false },
    ...(n.qkNorm ? { qkNorm: true } : {}),
    mtpLayers: 1,
  };
}

/** Llama 4 (transformers Llama4TextConfig): 48 layers, hidden 5120, 40 heads, 8 KV heads of 128. */
const LLAMA4_LAYERS = 48;
/** Llama 4 attention_chunk_size: three of every four layers attend within 8192-token chunks. */
const LLAMA4_CHUNK_TOKENS = 8192;
/** Llama 4 no_rope_layers: every 4th layer is a global (NoPE) attention layer. */
const LLAMA4_GLOBAL_EVERY = 4;

/**
 * Llama 4's language model: every MoE layer has `experts` routed experts of 8192 (1 per token)
 * plus a shared expert of 8192 (Llama4TextMoe.shared_expert); dense layers use
 * intermediate_size_mlp 16384; untied; vocab 202048. use_qk_norm is a weightless L2 norm
 * (Llama4TextL2Norm), so it adds no parameters.
 *
 * Recorded as the type allows: the chunked local attention (attention_chunk_size 8192 on the
 * RoPE layers) as a sliding window of 8192 tokens on those layers — the bound on the KV those
 * layers keep (llama.cpp sizes them with its SWA cache, LLAMA_SWA_TYPE_CHUNKED) — and every 4th
 * layer as global. Not modelled: the vision tower and projector (Llama4ForConditionalGeneration
 * vision_config, under 1B parameters); only the text model is counted.
 */
function llama4(experts: number, moeLayerInterval: number, context: number): ArchitectureSpec {
  const moe: MoeSpec = {
    routedExperts: experts,
    activeExperts: 1,
    sharedExperts: 1,
    expertIntermediateSize: 8192,
    sharedIntermediateSize: 8192,
    firstDenseLayers: 0,
    ...(moeLayerInterval > 1 ? { moeLayerInterval } : {}),
  };
  return {
    ...decoder('llama4', {
      layers: LLAMA4_LAYERS,
      hidden: 5120,
      heads: 40,
      kvHeads: 8,
      headDim: 128,
      intermediate: 16_384,
      vocab: 202_048,
      context,
    }),
    moe,
    slidingWindow: {
      windowTokens: LLAMA4_CHUNK_TOKENS,
      slidingLayers: Array.from(
        { length: LLAMA4_LAYERS },
        (_, layer) => (layer + 1) % LLAMA4_GLOBAL_EVERY !== 0,
      ),
    },
  };
}

export const RECENT_MOE_MODELS: readonly CatalogEntry[] = [
  {
    id: 'deepseek-ai/DeepSeek-R1',
    displayName: 'DeepSeek-R1',
    // aiconfigurator deepseek-ai--DeepSeek-R1_config.json: DeepSeek-V3's architecture (128 heads,
    // 256 routed experts, first 3 layers dense, vocab 129280, context 163840, 1 MTP layer);
    // quant_method fp8 e4m3 with 128×128 block scales.
    config: hf('deepseek-ai/DeepSeek-R1'),
    architecture: deepseekV3Like({
      family: 'deepseek_v3',
      heads: 128,
      routedExperts: 256,
      firstDenseLayers: 3,
      vocab: 129_280,
      context: 163_840,
      mtpLayers: 1,
    }),
    publishedFormat: 'fp8_e4m3',
  },
  {
    id: 'moonshotai/Kimi-K2-Instruct',
    displayName: 'Kimi K2',
    // aiconfigurator moonshotai--Kimi-K2-Instruct_config.json: model_type kimi_k2 on
    // DeepseekV3ForCausalLM, 64 heads, 384 routed experts, first 1 layer dense, vocab 163840,
    // context 131072, num_nextn_predict_layers 0; fp8 e4m3 block-quantized. Kimi-K2-Base has the
    // same architecture.
    config: hf('moonshotai/Kimi-K2-Instruct'),
    architecture: deepseekV3Like({
      family: 'kimi_k2',
      heads: 64,
      routedExperts: 384,
      firstDenseLayers: 1,
      vocab: 163_840,
      context: 131_072,
      mtpLayers: 0,
    }),
    publishedFormat: 'fp8_e4m3',
  },
  {
    id: 'zai-org/GLM-4.5',
    displayName: 'GLM-4.5',
    // Not in ../shared. zai-org/GLM-4.5 config.json as transcribed elsewhere: 92 layers, hidden
    // 5120, 96 heads, 8 KV heads, head_dim 128, context 131072 (code-search index id 10065491756);
    // FFN 12288, 160 routed experts of 1536, 8 per token, 1 shared, first 3 layers dense (index id
    // 56711705269); attention_bias true, use_qk_norm true, vocab 151552 as in GLM-4.6's file
    // (index id 66506276105), which differs only in context. bfloat16.
    config: hf('zai-org/GLM-4.5'),
    architecture: glm4Moe({
      layers: 92,
      hidden: 5120,
      intermediate: 12_288,
      routedExperts: 160,
      expertWidth: 1536,
      firstDenseLayers: 3,
      qkNorm: true,
      context: 131_072,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'zai-org/GLM-4.6',
    displayName: 'GLM-4.6',
    // GLM-4.6's config.json as transcribed in a converter's test (code-search index id
    // 66506276105, FULL_CFG; also a GLM-4.6 architecture write-up, index id 2748342403): GLM-4.5's
    // architecture with max_position_embeddings 202752. bfloat16.
    config: hf('zai-org/GLM-4.6'),
    architecture: glm4Moe({
      layers: 92,
      hidden: 5120,
      intermediate: 12_288,
      routedExperts: 160,
      expertWidth: 1536,
      firstDenseLayers: 3,
      qkNorm: true,
      context: 202_752,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'zai-org/GLM-4.5-Air',
    displayName: 'GLM-4.5-Air',
    // GLM-4.5-Air's Glm4MoeConfig as ms-swift's docs print it (code-search index id 48221590695):
    // 46 layers, hidden 4096, 96 heads, 8 KV heads, head_dim 128, FFN 10944, 128 routed experts
    // of 1408, 8 per token, 1 shared, first 1 layer dense, attention_bias true, use_qk_norm false,
    // vocab 151552, context 131072, 1 MTP layer; bfloat16. (Also transformers Glm4MoeConfig's
    // defaults.)
    config: hf('zai-org/GLM-4.5-Air'),
    architecture: glm4Moe({
      layers: 46,
      hidden: 4096,
      intermediate: 10_944,
      routedExperts: 128,
      expertWidth: 1408,
      firstDenseLayers: 1,
      qkNorm: false,
      context: 131_072,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'meta-llama/Llama-4-Scout-17B-16E',
    displayName: 'Llama 4 Scout 17B-16E',
    // aiconfigurator meta-llama--Llama-4-Scout-17B-16E-Instruct_config.json text_config (the
    // base repo has the same architecture): 16 experts, 1 per token, interleave_moe_layer_step 1
    // (every layer MoE), intermediate_size 8192, intermediate_size_mlp 16384, attention_chunk_size
    // 8192, context 10485760; bfloat16.
    config: hf('meta-llama/Llama-4-Scout-17B-16E'),
    architecture: llama4(16, 1, 10_485_760),
    publishedFormat: 'bf16',
  },
  {
    id: 'meta-llama/Llama-4-Maverick-17B-128E',
    displayName: 'Llama 4 Maverick 17B-128E',
    // aiconfigurator meta-llama--Llama-4-Maverick-17B-128E-Instruct_config.json text_config: 128
    // experts, 1 per token, interleave_moe_layer_step 2 (odd layers MoE, even layers dense with
    // intermediate_size_mlp 16384), context 1048576; bfloat16.
    config: hf('meta-llama/Llama-4-Maverick-17B-128E'),
    architecture: llama4(128, 2, 1_048_576),
    publishedFormat: 'bf16',
  },
  {
    id: 'Qwen/Qwen3-Next-80B-A3B-Instruct',
    displayName: 'Qwen3-Next 80B-A3B',
    // config.json (vendored by aiconfigurator as Qwen--Qwen3-Next-80B-A3B-Thinking_config.json;
    // the Instruct checkpoint has the same architecture, there is no base repo): 48 layers,
    // hidden 2048, 16 heads, 2 KV heads, head_dim 256, intermediate_size 5120 (unused: every
    // layer is sparse, mlp_only_layers []), 512 routed experts of 512, 10 per token, a shared
    // expert of 512 with its gate, vocab 151936, untied, context 262144, bfloat16.
    // full_attention_interval 4: layers 3, 7, … 47 are gated full attention (q_proj twice as
    // wide for the output gate); the other 36 are Gated DeltaNet linear attention with a fixed
    // state per sequence (linear_num_key_heads 16, linear_num_value_heads 32, key and value head
    // dims 128, linear_conv_kernel_dim 4). The MTP layer (mtp_num_hidden_layers 1, `mtp.*`,
    // dropped by transformers on load) counts only when vLLM drafts with it (--draft mtp,
    // core/plan/speculative-memory.ts).
    config: hf('Qwen/Qwen3-Next-80B-A3B-Instruct'),
    architecture: {
      ...decoder('qwen3_next', {
        layers: 48,
        hidden: 2048,
        heads: 16,
        kvHeads: 2,
        headDim: 256,
        intermediate: 5120,
        vocab: 151_936,
        context: 262_144,
      }),
      qkNorm: true,
      attentionOutputGate: true,
      sharedExpertGate: true,
      mtpLayers: 1,
      moe: {
        routedExperts: 512,
        activeExperts: 10,
        sharedExperts: 1,
        expertIntermediateSize: 512,
        sharedIntermediateSize: 512,
        firstDenseLayers: 0,
      },
      layerMixers: hybridMixers(48, (layer) => (layer + 1) % 4 === 0, {
        kind: 'gated-deltanet',
        keyHeads: 16,
        valueHeads: 32,
        keyHeadDim: 128,
        valueHeadDim: 128,
        convKernel: 4,
      }),
    },
    publishedFormat: 'bf16',
  },
  {
    id: 'ai21labs/AI21-Jamba-1.5-Mini',
    displayName: 'Jamba 1.5 Mini',
    // config.json as transcribed by onnx-diagnostic (github:sdpython/onnx-diagnostic,
    // torch_models/untrained: get_ai21_jamba_15_mini, citing this repo's config.json): 32 layers,
    // hidden 4096, 32 heads, 8 KV heads, intermediate 14336, vocab 65536, untied, context 262144,
    // bfloat16. attn_layer_period 8 / offset 4: layers 4, 12, 20, 28 attend; the other 28 are
    // Mamba-1 (mamba_expand 2, mamba_d_state 16, mamba_d_conv 4, mamba_dt_rank 256, conv bias,
    // no projection bias). expert_layer_period 2 / offset 1: the odd layers hold 16 experts of
    // 14336, 2 per token. AI21 publishes 52B total, 12B active.
    config: hf('ai21labs/AI21-Jamba-1.5-Mini'),
    architecture: {
      ...decoder('jamba', {
        layers: 32,
        hidden: 4096,
        heads: 32,
        kvHeads: 8,
        intermediate: 14_336,
        vocab: 65_536,
        context: 262_144,
      }),
      moe: {
        routedExperts: 16,
        activeExperts: 2,
        sharedExperts: 0,
        expertIntermediateSize: 14_336,
        sharedIntermediateSize: 0,
        firstDenseLayers: 0,
        moeLayerInterval: 2,
      },
      layerMixers: hybridMixers(32, (layer) => layer % 8 === 4, {
        kind: 'mamba1',
        innerSize: 8192,
        stateSize: 16,
        convKernel: 4,
        dtRank: 256,
        convBias: true,
        projBias: false,
      }),
    },
    publishedFormat: 'bf16',
  },
];
