/** The constants and rules a serving plan rests on, each with its source, then its memory plan's. */
import { ENGINE_PROFILES } from '../memory/engine-profiles';
import { efficiencyFor } from '../perf/efficiency';
import type { Assumption } from '../plan/types';
import { stepTokensOf, type Deployment } from './deployment';
import type { ServingRequest } from './serving-plan';

/** Where each engine's step token budget comes from. */
const STEP_TOKEN_SOURCES: Readonly<Record<ServingRequest['engine'], string>> = {
  vllm: ENGINE_PROFILES.vllm.sources.prefillChunk,
  sglang: ENGINE_PROFILES.sglang.sources.prefillChunk,
  'llama.cpp': 'llama.cpp common/common.h: n_batch = 2048',
};

export function servingAssumptions(
  request: ServingRequest,
  deployment: Deployment | null,
): Assumption[] {
  const list: Assumption[] = [
    {
      name: 'Steady state',
      value: 'requests in flight = requests/s × (TTFT + (output − 1) × TPOT)',
      source: 'Little 1961, "A Proof for the Queuing Formula L = λW"',
    },
    {
      name: 'Decode step',
      value: 'max(weights + KV of every sequence over bandwidth, FLOPs of the batch over peak)',
      source: 'core/perf/throughput.ts (roofline)',
    },
    {
      name: 'Prompt tokens in decode steps',
      value: 'step = max(decode step, decode compute / (1 − prompt share of compute))',
      source: 'chunked prefill: vLLM docs "Optimization and Tuning", chunked prefill',
    },
    {
      name: 'Wait behind earlier prompts',
      value: 'ρ / (2(1 − ρ)) × prompt compute time (M/D/1)',
      source: 'Pollaczek–Khinchine mean waiting time for deterministic service',
    },
    {
      name: 'Tokens per step',
      value: deployment?.stepTokens ?? stepTokensOf(request.engine, []),
      source: STEP_TOKEN_SOURCES[request.engine],
    },
    {
      name: 'Tensor parallelism',
      value: 'each GPU reads and computes its share; all-reduce time between GPUs not counted',
      source: 'core/perf/throughput.ts (parallel devices take as long as the slowest)',
    },
    {
      name: 'KV held per request in flight',
      value:
        request.engine === 'sglang'
          ? 'prompt + half the output, in tokens (page_size 1)'
          : 'prompt + half the output, in whole blocks',
      source:
        request.engine === 'sglang'
          ? 'SGLang allocates pool slots as tokens are generated (python/sglang/srt/mem_cache/allocator.py TokenToKVPoolAllocator)'
          : 'vLLM allocates blocks as tokens are generated (vllm/v1/core/kv_cache_manager.py)',
    },
  ];
  if (deployment) {
    const efficiency = efficiencyFor(deployment.input.devices[0]!);
    list.push({
      name: 'Bandwidth and compute efficiency',
      value: `${efficiency.decodeBandwidthEfficiency} of peak bandwidth, ${efficiency.prefillComputeEfficiency} of peak FLOP/s`,
      source: efficiency.source,
    });
    list.push(...deployment.plan.assumptions);
  }
  return list;
}
