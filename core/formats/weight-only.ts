/**
 * Which tensors a weight-only quantization touches. transformers' bitsandbytes integration
 * replaces only nn.Linear modules and leaves lm_head out (integrations/bitsandbytes.py
 * replace_with_bnb_linear, get_keys_to_not_convert); vLLM's GPTQ/AWQ/FP8 methods quantize its
 * LinearBase layers, not VocabParallelEmbedding, and keep the MoE router unquantized (Mixtral
 * `gate` is built with quant_config=None). So embeddings, the output head, norms, biases and
 * routers stay in 16-bit; every projection of attention and FFN (experts included) is quantized.
 */
import type { TensorRole, TensorSpec } from '../models/types';

/** The linear layers of a transformer block, in llama.cpp's tensor vocabulary. */
const LINEAR_ROLES: ReadonlySet<TensorRole> = new Set<TensorRole>([
  'attn_q',
  'attn_k',
  'attn_v',
  'attn_qkv',
  'attn_output',
  'attn_q_a',
  'attn_q_b',
  'attn_kv_a',
  'attn_kv_b',
  'ffn_gate',
  'ffn_up',
  'ffn_down',
  'ffn_gate_up',
  'ffn_gate_exps',
  'ffn_up_exps',
  'ffn_down_exps',
  'ffn_gate_shexp',
  'ffn_up_shexp',
  'ffn_down_shexp',
  'ssm_in',
  'ssm_out',
]);

/** True for the projections a weight-only method quantizes (not embeddings, heads, norms, routers). */
function isQuantizedLinear(tensor: TensorSpec): boolean {
  return LINEAR_ROLES.has(tensor.role) && tensor.shape.length >= 2;
}

/** The routed experts of a mixture-of-experts layer, in llama.cpp's tensor vocabulary. */
const ROUTED_EXPERT_ROLES: ReadonlySet<TensorRole> = new Set<TensorRole>([
  'ffn_gate_exps',
  'ffn_up_exps',
  'ffn_down_exps',
]);

/**
 * The per-tensor rule of a format that quantizes only the routed experts: gpt-oss's MXFP4
 * checkpoints (config.json quantization_config.modules_to_not_convert keeps self_attn, the
 * router, embed_tokens and lm_head in bf16).
 */
export function routedExpertsRule(quantizedId: string, keptId: 'bf16' | 'fp16') {
  return (tensor: TensorSpec): string =>
    ROUTED_EXPERT_ROLES.has(tensor.role) ? quantizedId : keptId;
}

/**
 * The per-tensor rule of a weight-only format: the linear layers in `quantizedId`, everything
 * else in `keptId` (a 16-bit format id).
 */
export function weightOnlyRule(quantizedId: string, keptId: 'bf16' | 'fp16') {
  return (tensor: TensorSpec): string => (isQuantizedLinear(tensor) ? quantizedId : keptId);
}
