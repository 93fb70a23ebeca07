import type { TensorRole, TensorSpec } from '../models/types';
import type { LoraTarget } from '../plan/types';

/**
 * LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models", section 4.1):
 * a frozen Linear W of shape [out, in] gets a trainable B·A with A: [r, in] and B: [out, r],
 * so r × (in + out) trainable parameters per adapted matrix. The rank and the target modules
 * decide the count; alpha only scales B·A and changes neither memory nor speed.
 */

/**
 * PEFT's defaults: LoraConfig r = 8, and for Llama-family models target_modules = q_proj and
 * v_proj (peft/utils/constants.py TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING["llama"]).
 */
export const DEFAULT_LORA_RANK = 8;
export const DEFAULT_LORA_TARGETS: readonly LoraTarget[] = ['q', 'v'];

/**
 * The tensor roles (llama.cpp vocabulary, core/models) each target adapts. MLA models
 * (DeepSeek) have no separate k/v matrices: k and v adapt their shared kv_a/kv_b projections.
 * Expert groups and shared experts take the FFN targets, one adapter per expert.
 */
const ROLES_BY_TARGET: Readonly<Record<LoraTarget, readonly TensorRole[]>> = {
  q: ['attn_q', 'attn_q_a', 'attn_q_b'],
  k: ['attn_k', 'attn_kv_a', 'attn_kv_b'],
  v: ['attn_v', 'attn_kv_a', 'attn_kv_b'],
  o: ['attn_output'],
  gate: ['ffn_gate', 'ffn_gate_exps', 'ffn_gate_shexp'],
  up: ['ffn_up', 'ffn_up_exps', 'ffn_up_shexp'],
  down: ['ffn_down', 'ffn_down_exps', 'ffn_down_shexp'],
};

/**
 * Fused checkpoints store several projections as one Linear (GPT-2 c_attn, Phi-3 qkv_proj and
 * gate_up_proj); PEFT adapts the fused module as one matrix when any of its parts is targeted.
 */
const FUSED_ROLES: Readonly<Partial<Record<TensorRole, readonly LoraTarget[]>>> = {
  attn_qkv: ['q', 'k', 'v'],
  ffn_gate_up: ['gate', 'up'],
};

/** The set of tensor roles a list of targets adapts. */
export function targetedRoles(targets: readonly LoraTarget[]): ReadonlySet<TensorRole> {
  const roles = new Set<TensorRole>();
  for (const target of targets) for (const role of ROLES_BY_TARGET[target]) roles.add(role);
  for (const [role, parts] of Object.entries(FUSED_ROLES) as [
    TensorRole,
    readonly LoraTarget[],
  ][]) {
    if (parts.some((part) => targets.includes(part))) roles.add(role);
  }
  return roles;
}

/**
 * Trainable LoRA parameters on one tensor: r × (in + out) per matrix, per expert for an expert
 * group; 0 for a tensor the targets do not adapt (norms, biases, embeddings, the head).
 *
 * @param tensor a tensor from enumerateTensors ([out, in] or [experts, out, in])
 * @param roles the roles adapted (targetedRoles)
 * @param rank the LoRA rank r
 * @example loraParamsForTensor({ role: 'attn_q', shape: [4096, 4096], … }, roles, 8) // 65536
 */
export function loraParamsForTensor(
  tensor: TensorSpec,
  roles: ReadonlySet<TensorRole>,
  rank: number,
): number {
  if (!roles.has(tensor.role) || tensor.shape.length < 2) return 0;
  const out = tensor.shape[tensor.shape.length - 2]!;
  const inputs = tensor.shape[tensor.shape.length - 1]!;
  return tensor.experts * rank * (inputs + out);
}
