import { formatInteger } from '../units/numbers';
import type { DeploymentCapacity } from './deployment';

/**
 * One replica's KV capacity in the words and figures its engine logs at start-up, so a user can
 * hold the plan against the log: vLLM's "GPU KV cache size" and "Maximum concurrency" lines,
 * SGLang's `max_total_num_tokens=… max_running_requests=…`, llama.cpp's `-np` and `-c`.
 * @example capacityLine({ engine: 'llama.cpp', slots: 4, contextTokens: 32768 }, 8192) // "llama.cpp: -np 4 slots of 8,192 tokens (-c 32,768)"
 */
export function capacityLine(capacity: DeploymentCapacity, maxModelLen: number): string {
  switch (capacity.engine) {
    case 'vllm':
      return `vLLM: ${formatInteger(capacity.numGpuBlocks)} blocks of ${capacity.blockTokens} tokens; GPU KV cache size: ${formatInteger(capacity.kvCacheTokens)} tokens, Maximum concurrency for ${formatInteger(maxModelLen)} tokens per request: ${capacity.maxConcurrency.toFixed(2)}x`;
    case 'sglang':
      return `SGLang: --mem-fraction-static ${capacity.memFractionStatic}; max_total_num_tokens=${capacity.maxTotalNumTokens}, max_running_requests=${capacity.maxRunningRequests}, context_len=${maxModelLen}`;
    case 'llama.cpp':
      return `llama.cpp: -np ${capacity.slots} slots of ${formatInteger(maxModelLen)} tokens (-c ${formatInteger(capacity.contextTokens)})`;
  }
}
