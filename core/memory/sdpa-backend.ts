/**
 * Which attention kernel PyTorch's `scaled_dot_product_attention` runs on a CUDA GPU, because
 * the kernel decides what attention keeps in memory: the fused kernels (FlashAttention,
 * memory-efficient) keep one fp32 log-sum-exp per head and query token; the math fallback
 * materialises the whole heads × query × key score matrix in the compute dtype.
 *
 * Rules, from aten/src/ATen/native/transformers/cuda/sdp_utils.cpp (select_sdp_backend):
 * - FlashAttention takes fp16/bf16 only, and supports grouped-query attention (enable_gqa);
 * - memory-efficient attention also takes fp32 and any mask, but not enable_gqa with fewer KV
 *   heads than query heads (check_batch_size_and_num_heads_dense<supports_gqa = false>);
 * - anything else falls back to the math kernel (_scaled_dot_product_attention_math).
 * transformers passes enable_gqa=True whenever there is no mask and repeats K and V itself
 * when there is one (integrations/sdpa_attention.py, use_gqa_in_sdpa / repeat_kv).
 */
type SdpaBackend = 'flash' | 'mem-efficient' | 'math';

interface SdpaCall {
  /** Bytes of one attention element: 2 for fp16/bf16, 4 for fp32. */
  readonly computeBytes: number;
  /** Fewer KV heads than query heads (GQA/MQA). */
  readonly groupedQuery: boolean;
  /** An explicit mask is passed (sliding window, padding): no is_causal fast path. */
  readonly masked: boolean;
}

/** Bytes of a half-precision element, the only width FlashAttention takes. */
const HALF_BYTES = 2;

/** The kernel PyTorch picks for a transformers SDPA call (see the rules above). */
export function sdpaBackend(call: SdpaCall): SdpaBackend {
  if (call.computeBytes === HALF_BYTES && !call.masked) return 'flash';
  // With a mask transformers repeats K and V (no enable_gqa), which the memory-efficient kernel takes.
  if (call.masked || !call.groupedQuery) return 'mem-efficient';
  return 'math';
}
