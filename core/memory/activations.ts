import type { ArchitectureSpec } from '../models/types';

/**
 * Inference activation workspace: the transient tensors of one layer's forward pass over a
 * prefill chunk, plus the logits buffer. Engines free each layer's activations before the
 * next layer runs, so one layer's worth is the peak.
 *
 * Live at the MLP's peak, per token: the residual stream and its normed copy (2 × hidden),
 * and gate, up and their product (3 × FFN width) — the shapes of a SwiGLU block
 * (Shazeer 2020, "GLU Variants Improve Transformer"). Attention uses a memory-efficient kernel
 * (FlashAttention / PyTorch SDPA / llama.cpp -fa), so no tokens × context score matrix is kept.
 */
export const RESIDUAL_COPIES_PER_TOKEN = 2;
export const FFN_COPIES_PER_TOKEN = 3;

/**
 * Logits are computed for the last position of each sequence only (transformers' generate()
 * with logits_to_keep=1, llama.cpp's n_outputs, vLLM's sampler) and upcast to fp32 (4 bytes)
 * before sampling.
 */
export const LOGITS_BYTES_PER_ELEMENT = 4;

/** The FFN width one token's forward pass touches: dense, or its active experts (+ shared). */
function activeFfnWidth(architecture: ArchitectureSpec): number {
  const moe = architecture.moe;
  if (!moe) return architecture.intermediateSize;
  return Math.max(
    architecture.intermediateSize,
    moe.activeExperts * moe.expertIntermediateSize + moe.sharedIntermediateSize,
  );
}

interface ActivationInput {
  /** Tokens per sequence processed in one forward pass (the prefill chunk). */
  readonly chunkTokens: number;
  readonly batch: number;
  /** Bytes per activation element (2 for fp16/bf16 compute). */
  readonly bytesPerElement: number;
}

/** Activation bytes split by what tensor parallelism does to them. */
export interface ActivationParts {
  /** Whole on every device (the residual stream, the logits). */
  readonly fixedBytes: number;
  /** Divided among tensor-parallel devices (the FFN's). */
  readonly shardedBytes: number;
}

/**
 * Peak activation bytes of one layer's forward pass over `tokens` tokens, all sequences
 * together: the residual stream and its normed copy stay whole on every device; the FFN's
 * share is divided.
 */
export function forwardActivationParts(
  architecture: ArchitectureSpec,
  tokens: number,
  bytesPerElement: number,
): ActivationParts {
  const bytesPerToken = tokens * bytesPerElement;
  return {
    fixedBytes: bytesPerToken * RESIDUAL_COPIES_PER_TOKEN * architecture.hiddenSize,
    shardedBytes: bytesPerToken * FFN_COPIES_PER_TOKEN * activeFfnWidth(architecture),
  };
}

/**
 * Peak activation bytes during inference: one chunk of every sequence through a layer
 * (forwardActivationParts) plus the fp32 logits of each sequence's last position.
 */
export function inferenceActivationParts(
  architecture: ArchitectureSpec,
  input: ActivationInput,
): ActivationParts {
  const forward = forwardActivationParts(
    architecture,
    input.chunkTokens * input.batch,
    input.bytesPerElement,
  );
  return {
    fixedBytes:
      forward.fixedBytes + input.batch * architecture.vocabSize * LOGITS_BYTES_PER_ELEMENT,
    shardedBytes: forward.shardedBytes,
  };
}
