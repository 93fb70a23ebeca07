import type { ArchitectureSpec } from '../models/types';
import { sdpaBackend } from './sdpa-backend';

/**
 * What eager PyTorch (Hugging Face transformers' `generate()`) holds at the peak of a prefill
 * forward pass, beyond weights and KV cache. The whole prompt runs through each decoder layer
 * at once; each layer's temporaries are freed before the next layer starts, so the peak is the
 * largest layer step, plus what lives across layers.
 */

/**
 * Hidden-size tensors alive at a layer's MLP step, per token (transformers LlamaModel.forward and
 * LlamaDecoderLayer.forward): the embedding output (`inputs_embeds` stays referenced by the model's
 * forward), the layer's input (still held by the layer loop's `hidden_states`), the residual after
 * attention, and the normed MLP input.
 */
export const EAGER_RESIDENT_HIDDEN_COPIES = 4;

/**
 * A gated MLP `down_proj(act_fn(gate_proj(x)) * up_proj(x))` peaks while act(gate), up and their
 * product are alive (gate itself is freed once the activation is computed): 3 × FFN width.
 */
export const GATED_MLP_PEAK_COPIES = 3;
/** A plain MLP `fc2(act(fc1(x)))`: fc1's output and the activation, 2 × FFN width. */
const PLAIN_MLP_PEAK_COPIES = 2;

/**
 * transformers ≥ 5 runs routed experts through `grouped_mm_experts_forward`
 * (integrations/moe.py): every (token, expert) pair gets a copy of the token (twice: gathered,
 * then sorted by expert), the gate-up output (2 × expert width), the activation and the gated
 * product; the result is accumulated into one hidden-size buffer per token.
 */
const GROUPED_MM_HIDDEN_COPIES_PER_PAIR = 2;
const GROUPED_MM_FFN_COPIES_PER_PAIR = 4;

/** The sampler upcasts the last position's logits to fp32 (generate: `.to(dtype=torch.float32)`). */
const SAMPLER_LOGITS_BYTES = 4;

/**
 * The math attention kernel holds the score matrix twice at its softmax (the scores, then the
 * probabilities) in the compute dtype (_scaled_dot_product_attention_math: matmul, then
 * _safe_softmax into a new tensor).
 */
const MATH_ATTENTION_SCORE_COPIES = 2;

/** Bytes of a boolean mask element (masking_utils.sdpa_mask builds a torch.bool tensor). */
export const MASK_BYTES_PER_ELEMENT = 1;

interface EagerPrefillInput {
  /** Prompt tokens of each sequence run in one forward pass. */
  readonly promptTokens: number;
  readonly batch: number;
  /** Bytes of one activation element (the weights' compute dtype: 2, or 4 for fp32). */
  readonly computeBytes: number;
}

/** Elements per token a layer's FFN step holds at its peak (dense or routed experts). */
function eagerFfnPeakElements(architecture: ArchitectureSpec): number {
  const moe = architecture.moe;
  const denseCopies =
    architecture.ffnKind === 'plain' ? PLAIN_MLP_PEAK_COPIES : GATED_MLP_PEAK_COPIES;
  const dense = denseCopies * architecture.intermediateSize;
  if (!moe) return dense;
  const routed =
    moe.activeExperts *
      (GROUPED_MM_HIDDEN_COPIES_PER_PAIR * architecture.hiddenSize +
        GROUPED_MM_FFN_COPIES_PER_PAIR * moe.expertIntermediateSize) +
    // the accumulation buffer (torch.zeros_like(hidden_states))
    architecture.hiddenSize;
  const shared = GATED_MLP_PEAK_COPIES * moe.sharedIntermediateSize;
  // MoE models may keep dense layers first (DeepSeek first_k_dense_replace): the larger step wins.
  return Math.max(routed + shared, moe.firstDenseLayers > 0 ? dense : 0);
}

/** Whether transformers passes an explicit mask: a sliding window shorter than the prompt. */
export function eagerPrefillMasked(architecture: ArchitectureSpec, promptTokens: number): boolean {
  const window = architecture.slidingWindow;
  return window !== undefined && window.windowTokens < promptTokens;
}

/**
 * Peak bytes of a prefill forward pass in eager PyTorch beyond weights and KV cache, split like
 * every activation figure: `fixedBytes` every tensor-parallel rank holds whole, `shardedBytes`
 * divided among ranks.
 */
export function eagerPrefillActivationParts(
  architecture: ArchitectureSpec,
  input: EagerPrefillInput,
): { readonly fixedBytes: number; readonly shardedBytes: number } {
  const tokens = input.promptTokens * input.batch;
  const bytes = input.computeBytes;
  const hidden = architecture.hiddenSize;
  const resident = tokens * EAGER_RESIDENT_HIDDEN_COPIES * hidden * bytes;
  const ffnStep = tokens * eagerFfnPeakElements(architecture) * bytes;

  const masked = eagerPrefillMasked(architecture, input.promptTokens);
  const backend = sdpaBackend({
    computeBytes: bytes,
    groupedQuery: architecture.kvHeads < architecture.attentionHeads,
    masked,
  });
  const queryWidth = architecture.attentionHeads * architecture.headDim;
  // The attention step: q, k, v and the output (a fused kernel), or the score matrix (math).
  let attentionStep =
    tokens * (2 * queryWidth + 2 * architecture.kvHeads * architecture.headDim) * bytes;
  if (backend === 'math') {
    attentionStep +=
      tokens *
      architecture.attentionHeads *
      input.promptTokens *
      bytes *
      MATH_ATTENTION_SCORE_COPIES;
  }
  // The mask lives for the whole forward pass (built once in the model's forward).
  const mask = masked
    ? input.batch * input.promptTokens * input.promptTokens * MASK_BYTES_PER_ELEMENT
    : 0;
  const logits = input.batch * architecture.vocabSize * (bytes + SAMPLER_LOGITS_BYTES);
  return {
    fixedBytes: resident + mask + logits,
    shardedBytes: Math.max(ffnStep, attentionStep),
  };
}
