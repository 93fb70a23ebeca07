import type { DeviceSpec } from '../devices/types';
import { BYTES_PER_GIB } from '../units/bytes';

/**
 * vLLM's scheduler defaults that depend on the GPU, for `vllm serve` (usage context
 * OPENAI_API_SERVER, chunked prefill on). vllm/engine/arg_utils.py `EngineArgs.get_batch_defaults`
 * gives a GPU of at least 70 GiB whose name does not contain "a100" (H100, H200, B200, MI300X)
 * steps of 8192 tokens and 1024 sequences, and every other GPU 2048 and 256 ("Setting large
 * max_num_batched_tokens for A100 reduces throughput", vllm-project/vllm#17885). The device is
 * the one the engine starts on: `current_platform.get_device_total_memory()` and
 * `get_device_name()` of rank 0. vLLM v0.19 logs it as "Defaulting max_num_seqs to 1024 for
 * OPENAI_API_SERVER usage context" and "Chunked prefill is enabled with
 * max_num_batched_tokens=8192" on an H100.
 *
 * SchedulerConfig then caps the step at max_num_seqs × max_model_len when the defaults are used
 * (vllm/config/scheduler.py: "Ensure max_num_batched_tokens does not exceed model limit");
 * core/memory/engine-profiles.ts `prefillStepTokens` applies that cap.
 */
const VLLM_LARGE_GPU_MIN_BYTES = 70 * BYTES_PER_GIB;

interface VllmBatchDefaults {
  /** `max_num_batched_tokens`: most tokens in one step. */
  readonly maxNumBatchedTokens: number;
  /** `max_num_seqs`: most requests in one step. */
  readonly maxNumSeqs: number;
}

export const VLLM_LARGE_GPU_DEFAULTS: VllmBatchDefaults = {
  maxNumBatchedTokens: 8192,
  maxNumSeqs: 1024,
};
const VLLM_OTHER_GPU_DEFAULTS: VllmBatchDefaults = {
  maxNumBatchedTokens: 2048,
  maxNumSeqs: 256,
};

/** The step budget and request limit vLLM picks when it starts on `gpu`. */
export function vllmBatchDefaults(gpu: DeviceSpec): VllmBatchDefaults {
  const large =
    gpu.memoryBytes >= VLLM_LARGE_GPU_MIN_BYTES && !gpu.name.toLowerCase().includes('a100');
  return large ? VLLM_LARGE_GPU_DEFAULTS : VLLM_OTHER_GPU_DEFAULTS;
}
