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
 * SGLang keeps a token-level pool (page_size 1): what mem_fraction_static of the memory free
 * before the weights leaves after them becomes `max_total_num_tokens` = rest // cell_size
 * (python/sglang/srt/model_executor/model_runner_kv_cache_mixin.py profile_max_num_token), and
 * it admits at most `max_running_requests` requests (init_memory / ModelRunner.initialize).
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

/** SGLang's token pool on one worker (every TP rank alike). */
export interface SglangTokenPool {
  /** `--mem-fraction-static` the pool was sized with. */
  readonly memFractionStatic: number;
  /** "max_total_num_tokens": tokens the KV pool holds. */
  readonly maxTotalNumTokens: number;
  /** "max_running_requests" SGLang defaults to for this pool and context. */
  readonly maxRunningRequests: number;
}

/**
 * SGLang's request table: int(tokens / context_len × 512) rows, at least 2048 and at most 4096
 * (model_runner_kv_cache_mixin.py init_memory, max_num_reqs).
 */
const SGLANG_REQUESTS_PER_CONTEXT = 512;
const SGLANG_REQUEST_ROWS: readonly [number, number] = [2048, 4096];
/** Unset, max_running_requests is max_total_num_tokens // 2, within the request table. */
const SGLANG_TOKENS_PER_RUNNING_REQUEST = 2;

/**
 * The tokens one worker's pool holds and the requests SGLang runs at once by default.
 * @param availableKvBytes what the static pool leaves after the weights on one worker
 * @param kvBytesPerTokenPerWorker the KV cell of one token on that worker (cell_size)
 * @param contextLen `--context-length`
 * @example sglangTokenPool(8 * 2 ** 30, 131072, 8192, 0.83).maxTotalNumTokens // 65536
 */
export function sglangTokenPool(
  availableKvBytes: number,
  kvBytesPerTokenPerWorker: number,
  contextLen: number,
  memFractionStatic: number,
): SglangTokenPool {
  const maxTotalNumTokens =
    kvBytesPerTokenPerWorker > 0
      ? Math.max(0, Math.floor(availableKvBytes / kvBytesPerTokenPerWorker))
      : 0;
  const [fewestRows, mostRows] = SGLANG_REQUEST_ROWS;
  const requestRows = Math.min(
    Math.max(
      Math.floor((maxTotalNumTokens / contextLen) * SGLANG_REQUESTS_PER_CONTEXT),
      fewestRows,
    ),
    mostRows,
  );
  return {
    memFractionStatic,
    maxTotalNumTokens,
    maxRunningRequests: Math.min(
      Math.floor(maxTotalNumTokens / SGLANG_TOKENS_PER_RUNNING_REQUEST),
      requestRows,
    ),
  };
}

/**
 * Requests of `tokensPerRequest` held tokens the pool takes at once, within max_running_requests.
 * @example sequencesInPool({ memFractionStatic: 0.83, maxTotalNumTokens: 65536, maxRunningRequests: 2048 }, 1150) // 56
 */
export function sequencesInPool(pool: SglangTokenPool, tokensPerRequest: number): number {
  return Math.min(
    Math.floor(pool.maxTotalNumTokens / Math.max(1, tokensPerRequest)),
    pool.maxRunningRequests,
  );
}
