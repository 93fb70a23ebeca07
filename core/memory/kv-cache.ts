import type { EngineId } from '../formats/types';
import { attentionLayerCount } from '../models/layers';
import type { ArchitectureSpec } from '../models/types';

/**
 * KV cache size. Standard attention caches a key and a value vector per KV head per layer per
 * token: 2 × kvHeads × headDim elements (Pope et al. 2022, "Efficiently Scaling Transformer
 * Inference", section 2). MLA (DeepSeek-V2 paper, section 2.1.2) caches one compressed latent of
 * kvLoraRank plus the decoupled RoPE key of qkRopeHeadDim per layer per token, as vLLM and
 * SGLang store it. What each engine holds on sliding-window and recurrent layers is in
 * core/memory/engine-kv.ts.
 */

/**
 * How an engine caches multi-head latent attention (DeepSeek-V2/V3, Kimi K2):
 * - `latent`: one compressed row per token, kv_lora_rank + qk_rope_head_dim elements — vLLM's
 *   MLA backends (vllm/attention/backends/mla: kv_c and k_pe in one cache entry of 576) and
 *   llama.cpp, whose MLA cache keeps K rows of n_embd_head_k_mla and no V tensors
 *   (src/llama-kv-cache.cpp: an MLA cache "won't cache V tensors");
 * - `per-head`: transformers decompresses first and caches every head's key
 *   (qk_nope_head_dim + qk_rope_head_dim) and value (v_head_dim)
 *   (models/deepseek_v3/modeling_deepseek_v3.py: key_states = torch.cat((k_pass, k_rot)),
 *   then past_key_values.update(key_states, value_states)).
 */
export type MlaCacheLayout = 'latent' | 'per-head';

/** Elements cached per token in one layer. */
export function kvElementsPerTokenPerLayer(
  architecture: ArchitectureSpec,
  mlaLayout: MlaCacheLayout = 'latent',
): number {
  const mla = architecture.mla;
  if (mla) {
    return mlaLayout === 'latent'
      ? mla.kvLoraRank + mla.qkRopeHeadDim
      : architecture.attentionHeads * (mla.qkNopeHeadDim + mla.qkRopeHeadDim + mla.vHeadDim);
  }
  return 2 * architecture.kvHeads * architecture.headDim;
}

/**
 * Bytes per token of context for one sequence over the attention layers, no window cap (the
 * usual quoted figure). Engines' sliding-window and recurrent-state rules: core/memory/engine-kv.ts.
 */
export function kvBytesPerToken(architecture: ArchitectureSpec, bytesPerElement: number): number {
  return (
    attentionLayerCount(architecture) * kvElementsPerTokenPerLayer(architecture) * bytesPerElement
  );
}

/** Plain float formats a PyTorch model can hold its weights, and so its KV cache, in. */
const FLOAT_CACHE_FORMATS: ReadonlySet<string> = new Set(['fp32', 'fp16', 'bf16']);

/**
 * The KV-cache format an engine uses when none is asked for.
 * - transformers (and plain PyTorch): the cache holds key_states as the attention computes them,
 *   in the model's dtype (cache_utils.py DynamicLayer.update concatenates them as they come);
 *   quantized weights compute in fp16/bf16, so their cache is 16-bit.
 * - vLLM: `--kv-cache-dtype auto` = the model's dtype (vllm/config/cache.py cache_dtype);
 *   SGLang's `auto` likewise (model_runner.py configure_kv_cache_dtype).
 * - llama.cpp: `-ctk/-ctv f16` (common/common.h cache_type_k/v = GGML_TYPE_F16).
 * @example defaultKvFormat('transformers', 'fp32') // 'fp32'
 */
export function defaultKvFormat(engine: EngineId, weightsFormat: string): string {
  if (engine === 'llama.cpp') return 'fp16';
  return FLOAT_CACHE_FORMATS.has(weightsFormat) ? weightsFormat : 'fp16';
}
