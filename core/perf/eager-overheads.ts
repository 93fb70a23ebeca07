import type { ArchitectureSpec } from '../models/types';

/**
 * What eager PyTorch (transformers) spends besides the matrix math, for the speed estimate.
 *
 * Host time: in eager mode every op of every layer is a Python call and a kernel launch. A
 * decode step has so little GPU work per layer that the host sets the pace; a prefill of
 * thousands of tokens keeps the GPU busier than the host, and the launches hide behind it. So a
 * step takes max(GPU time, host time) (launches are asynchronous).
 *
 * Measured (../shared/calibration/h200-2026-12-04, transformers 5.17 `generate()`, batch 1):
 * Llama-3.1-8B (32 layers) decodes at 18.49 tok/s on one host and 9.6 tok/s on another host
 * with the same GPU kind, against a weight-read bound of 216 tok/s: 54.1 ms and 104.2 ms per
 * token, 1.69 ms and 3.26 ms of host time per decoder layer.
 */
export const EAGER_DECODE_HOST_SECONDS_PER_LAYER = 1 / 18.49 / 32;
/** The slower host of the same measurement: the low end of an eager decode estimate. */
export const EAGER_DECODE_HOST_SECONDS_PER_LAYER_SLOW = 1 / 9.6 / 32;

/**
 * Kernels one transformers Llama decoder layer launches in a forward pass
 * (modeling_llama.py): two RMSNorms of 8 ops (cast, pow, mean, add, rsqrt, mul, cast, mul),
 * q/k/v projections (3), rotary on q and k (5 each), the cache concatenations (2), attention
 * (1), o_proj (1), two residual additions (2), gate, SiLU, up, product, down (5): 43.
 */
export const EAGER_OPS_PER_LLAMA_LAYER = 2 * 8 + 3 + 2 * 5 + 2 + 1 + 1 + 2 + 5;
/** A peft LoRA linear adds its own ops: input cast, lora_A, lora_B, scaling, addition, output cast and bookkeeping (peft lora/layer.py Linear.forward). */
export const LORA_OPS_PER_TARGETED_LINEAR = 8;
/** Host seconds per eager op, from the decode measurement above. */
export const EAGER_HOST_SECONDS_PER_OP =
  EAGER_DECODE_HOST_SECONDS_PER_LAYER / EAGER_OPS_PER_LLAMA_LAYER;

/**
 * Bytes eager PyTorch's element-wise ops read and write per token and decoder layer in a
 * forward pass, in 16-bit activations (transformers' Llama block, modeling_llama.py):
 * - each RMSNorm: the fp32 cast (2 in, 4 out), square (4, 4), mean (4), normalise (4, 4), cast
 *   back (4, 2) and weight product (2, 2): 36 bytes per hidden element, two norms: 72;
 * - two residual additions (4 in, 2 out): 12 per hidden element;
 * - rotary embedding on q and k: x·cos (2, 2), −x₂ (1, 1), cat (2, 2), ·sin (2, 2), sum (4, 2):
 *   20 per q or k element;
 * - the KV cache copy (2, 2) of k and v: 4 per k or v element, 8 per KV width;
 * - SiLU (2, 2) and the gated product (4, 2): 10 per FFN element.
 * fp32 activations double every figure.
 */
const EAGER_NORM_AND_RESIDUAL_BYTES_PER_HIDDEN = 72 + 12;
const EAGER_ROTARY_BYTES_PER_QK = 20;
const EAGER_KV_COPY_BYTES_PER_KV = 8;
const EAGER_GATED_FFN_BYTES_PER_FFN = 10;
const HALF_BYTES = 2;

/** Element-wise bytes of one token through every layer of a forward pass (eager PyTorch). */
export function eagerElementwiseBytesPerToken(
  architecture: ArchitectureSpec,
  computeBytes: number,
): number {
  const queryWidth = architecture.attentionHeads * architecture.headDim;
  const kvWidth = architecture.kvHeads * architecture.headDim;
  const moe = architecture.moe;
  const ffn = moe
    ? moe.activeExperts * moe.expertIntermediateSize + moe.sharedIntermediateSize
    : architecture.intermediateSize;
  const perLayer =
    EAGER_NORM_AND_RESIDUAL_BYTES_PER_HIDDEN * architecture.hiddenSize +
    EAGER_ROTARY_BYTES_PER_QK * (queryWidth + kvWidth) +
    EAGER_KV_COPY_BYTES_PER_KV * kvWidth +
    EAGER_GATED_FFN_BYTES_PER_FFN * ffn;
  return (perLayer * architecture.layers * computeBytes) / HALF_BYTES;
}
