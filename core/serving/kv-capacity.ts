/**
 * How many sequences one deployment's KV cache holds.
 *
 * vLLM pages the cache: after the weights, the activation peak of a profiling run and the
 * runtime, the rest of `gpu_memory_utilization × total` becomes `num_gpu_blocks` blocks of
 * `block_size` tokens (vllm/v1/core/kv_cache_utils.py: `num_blocks = available_memory //
 * page_size // num_layers`). Its start-up log prints
 * "GPU KV cache size: X tokens, Maximum concurrency for N tokens per request: Y x", where
 * X = num_gpu_blocks × block_size and Y = num_gpu_blocks / cdiv(N, block_size)
 * (`get_max_concurrency_for_kv_cache_config`, called from `get_kv_cache_capacity`; vLLM V0
 * and V1 before PR #13596 logged num_gpu_blocks × block_size / N, the same figure when N is a
 * whole number of blocks — vllm/executor/executor_base.py `ExecutorBase.initialize_cache`).
 *
 * llama.cpp's server splits one context of `-c` tokens among `-np` slots; each slot holds one
 * sequence of up to `-c / -np` tokens (tools/server/README.md, `--parallel`).
 */

/** vLLM's block arithmetic for one worker (under tensor parallelism, every worker alike). */
export interface VllmBlockCapacity {
  /** `num_gpu_blocks`. */
  readonly numGpuBlocks: number;
  /** "GPU KV cache size: … tokens" = num_gpu_blocks × block_size. */
  readonly kvCacheTokens: number;
  /** "Maximum concurrency for N tokens per request: …x". */
  readonly maxConcurrency: number;
}

/**
 * The blocks a worker gets and the concurrency vLLM logs for them.
 * @param availableKvBytes memory left for the KV cache on one worker
 * @param kvBytesPerTokenPerWorker KV bytes of one token on that worker (its share of the heads)
 * @param blockTokens vLLM's block_size (16)
 * @param maxModelLen tokens per request in the log line (`--max-model-len`)
 * @example vllmBlockCapacity(1952 * 2 ** 21, 131072, 16, 20000).maxConcurrency // 1.5616
 */
export function vllmBlockCapacity(
  availableKvBytes: number,
  kvBytesPerTokenPerWorker: number,
  blockTokens: number,
  maxModelLen: number,
): VllmBlockCapacity {
  const blockBytes = kvBytesPerTokenPerWorker * blockTokens;
  const numGpuBlocks = blockBytes > 0 ? Math.max(0, Math.floor(availableKvBytes / blockBytes)) : 0;
  return {
    numGpuBlocks,
    kvCacheTokens: numGpuBlocks * blockTokens,
    maxConcurrency: numGpuBlocks / Math.ceil(maxModelLen / blockTokens),
  };
}

/**
 * Sequences of `tokensPerSequence` (prompt plus the output generated so far) that fit in the
 * blocks at once: each holds whole blocks.
 * @example sequencesInBlocks(1952, 16, 1150) // 27
 */
export function sequencesInBlocks(
  numGpuBlocks: number,
  blockTokens: number,
  tokensPerSequence: number,
): number {
  const blocksPerSequence = Math.max(1, Math.ceil(tokensPerSequence / blockTokens));
  return Math.floor(numGpuBlocks / blocksPerSequence);
}

/** llama.cpp server slots: `-np` sequences of `-c / -np` tokens each. */
export interface LlamaCppSlots {
  /** `-np`/`--parallel`. */
  readonly slots: number;
  /** `-c`/`--ctx-size`: slots × context per slot. */
  readonly contextTokens: number;
}

/**
 * The most slots of `contextPerSlot` tokens the spare memory holds.
 * @param availableKvBytes memory for the KV cache, all devices together
 * @param kvBytesPerSlot KV bytes of one full slot (one sequence of `contextPerSlot` tokens)
 * @example llamaCppSlots(8e9, 1e9, 4096) // { slots: 8, contextTokens: 32768 }
 */
export function llamaCppSlots(
  availableKvBytes: number,
  kvBytesPerSlot: number,
  contextPerSlot: number,
): LlamaCppSlots {
  const slots = kvBytesPerSlot > 0 ? Math.max(0, Math.floor(availableKvBytes / kvBytesPerSlot)) : 0;
  return { slots, contextTokens: slots * contextPerSlot };
}
