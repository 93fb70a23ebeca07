/**
 * vLLM's start-up profile ends with a sampler warm-up, and on large vocabularies that, not the
 * forward pass, is its activation peak. vllm/v1/worker/gpu_model_runner.py `profile_run` runs
 * the model over max_num_batched_tokens dummy tokens split among min(max_num_seqs,
 * max_num_batched_tokens) requests (`_dummy_run`), keeps the hidden states, then
 * `_dummy_sampler_run` computes the logits of each request's last position and samples them
 * with top-k and top-p on (temperature 0.5, top_p 0.9, top_k vocab − 1), so the profile reserves
 * the worst case. Every tensor-parallel rank gathers the whole vocabulary and samples.
 *
 * Live at the sampler's peak, per request and vocabulary entry:
 * - the logits `compute_logits` returns, in the model's dtype (held by `_dummy_sampler_run`);
 * - their fp32 copy (vllm/v1/sample/sampler.py `Sampler.forward`: `logits.to(torch.float32)`);
 * - the fp32 probabilities (ops/topk_topp_sampler.py `forward_native`: `logits.softmax`);
 * - the fp32 exponential noise they are divided by (`random_sample`: `torch.empty_like(probs)`).
 * Temperature and top-k/top-p work in place (`logits.div_`, the Triton top-k/top-p kernels);
 * FlashInfer's sampler is opt-in (VLLM_USE_FLASHINFER_SAMPLER).
 *
 * Checked against the "torch peak memory increase" vLLM v0.19 logged on an H100 for 1024
 * requests (tests/unit/core/memory/vllm-sampler.test.ts): Llama-3.1-8B 1.89 GiB at TP 1, 2 and 4
 * alike, Qwen2.5-7B 2.21 GiB, Gemma-2 3.62–3.66 GiB. Older vLLM (before the Triton top-k/top-p)
 * sorted the logits (fp32 values and int64 indices) and peaked about twice as high.
 */

/** fp32 tensors of requests × vocabulary the sampler holds beside the model-dtype logits. */
export const VLLM_SAMPLER_FP32_COPIES = 3;

const FP32_BYTES = 4;

interface SamplerWarmupInput {
  /** Dummy requests: min(max_num_seqs, max_num_batched_tokens). */
  readonly requests: number;
  readonly vocabSize: number;
  /** Bytes of the model's activation dtype (2 for bf16/fp16, 4 for fp32). */
  readonly computeBytes: number;
  /** Tokens of the profile's forward pass, whose hidden states stay referenced. */
  readonly stepTokens: number;
  readonly hiddenSize: number;
}

/** Bytes vLLM's profile holds at the sampler warm-up's peak on every rank. */
export function vllmSamplerWarmupBytes(input: SamplerWarmupInput): number {
  const logitsElements = input.requests * input.vocabSize;
  const logitsBytes = logitsElements * (input.computeBytes + VLLM_SAMPLER_FP32_COPIES * FP32_BYTES);
  const hiddenStatesBytes = input.stepTokens * input.hiddenSize * input.computeBytes;
  return logitsBytes + hiddenStatesBytes;
}
