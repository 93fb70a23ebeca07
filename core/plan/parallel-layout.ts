import { HeadroomError } from '../errors';
import { requirePositiveInteger } from '../number-input';
import type { EngineProfile } from '../memory/engine-profiles';
import type { ModelMemory, ParallelLayout } from './allocation';
import type { InferencePlanInput } from './inference-input';
import { place } from './placement';
import type { Assumption, DevicePlan } from './types';

/**
 * Data-parallel attention and expert parallelism of a mixture-of-experts model over several
 * GPUs (vLLM, SGLang): the layout a scenario asks for, checked; the fewest ranks that fit; the
 * rule the plan names (the placement itself is core/plan/allocation.ts placeTensorParallel).
 */

/**
 * The data-parallel and expert-parallel layout a scenario asks for, checked against the model
 * and the devices; null for tensor parallelism alone.
 * @throws HeadroomError BAD_ARGUMENT for a layout vLLM would refuse
 */
export function parallelLayoutOf(input: InferencePlanInput): ParallelLayout | null {
  const { scenario, model } = input;
  const ranks = scenario.dataParallel ?? 1;
  if (ranks === 1 && !scenario.expertParallel) return null;
  requirePositiveInteger(ranks, 'The data-parallel size');
  if (scenario.engine !== 'vllm' && scenario.engine !== 'sglang') {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'Data-parallel attention and expert parallelism are planned as vLLM (--data-parallel-size, --enable-expert-parallel) and SGLang (--enable-dp-attention, --ep-size) run them: the engine must be vllm or sglang.',
    );
  }
  if (!model.architecture?.moe) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${model.displayName} has no routed experts: data-parallel attention and expert parallelism are for mixture-of-experts models (vLLM DPEngineCoreProc); serve a dense model as independent replicas (the serving plan counts them).`,
    );
  }
  const gpus = input.devices.length;
  if (gpus > 0 && gpus % ranks !== 0) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${gpus} GPUs do not split into ${ranks} data-parallel ranks of equal size: give a multiple of ${ranks} GPUs, or a number of ranks that divides ${gpus}.`,
    );
  }
  return {
    dataParallel: ranks,
    expertParallel: scenario.expertParallel === true,
    batch: scenario.batch,
  };
}

/** A device's usable memory: what it holds plus its headroom. */
const usableOf = (device: DevicePlan): number => device.used + device.headroom;

/**
 * The fewest data-parallel ranks (with expert parallelism) whose placement fits on the devices
 * within the safety margin, or null: ranks must divide the GPUs evenly.
 */
export function fittingDataParallel(
  memory: ModelMemory,
  input: InferencePlanInput,
  engine: EngineProfile,
  layered: boolean,
): number | null {
  const gpus = input.devices.length;
  for (let ranks = 2; ranks <= gpus; ranks++) {
    if (gpus % ranks !== 0) continue;
    const parallel = { dataParallel: ranks, expertParallel: true, batch: input.scenario.batch };
    const { placement } = place(memory, input.devices, engine, layered, parallel);
    // Fits as the verdict counts it: within the safety margin of every device's usable memory.
    const margin = input.scenario.marginFraction;
    if (placement.perDevice.every((device) => device.used <= usableOf(device) * (1 - margin))) {
      return ranks;
    }
  }
  return null;
}

/** What the data-parallel / expert-parallel placement assumed, for the plan's list. */
export function parallelAssumption(
  parallel: ParallelLayout,
  memory: ModelMemory,
  gpus: number,
  engine: EngineProfile,
): Assumption {
  const experts = memory.routedExperts;
  const tensorParallel = gpus / parallel.dataParallel;
  const perGpu = parallel.expertParallel
    ? `${Math.ceil(experts / gpus)} whole experts of ${experts} per MoE layer on the fullest GPU`
    : `a 1/${gpus} slice of each of the ${experts} experts`;
  if (engine.id === 'sglang') {
    return {
      name: 'SGLang DP attention and expert placement',
      value: `${parallel.dataParallel} attention rank(s) of ${tensorParallel} GPU(s) (attn_tp = tp / dp), each with the KV of ⌈${parallel.batch} / ${parallel.dataParallel}⌉ sequences; ${perGpu}; dense layers, embeddings and head counted as copied per rank like the attention (an upper bound: SGLang splits some of them over all GPUs)`,
      source:
        'SGLang python/sglang/srt/layers/dp_attention.py compute_dp_attention_world_info (attention TP size = tp_size / dp_size), model_runner_kv_cache_mixin.py (KV heads per attention TP rank), server_args.py --enable-dp-attention and --ep-size',
    };
  }
  return {
    name: 'vLLM data-parallel attention and expert placement',
    value: `${parallel.dataParallel} rank(s) of TP ${tensorParallel}: attention, dense layers, embeddings and head split by ${tensorParallel} and copied on every rank; ${perGpu}; each rank's KV for ⌈${parallel.batch} / ${parallel.dataParallel}⌉ sequences`,
    source:
      'vllm/model_executor/layers/fused_moe/config.py FusedMoEParallelConfig.make (MoE group of DP × TP GPUs, MoE TP 1 with expert parallelism), fused_moe/expert_map_manager.py determine_expert_map (experts // ranks, the first experts % ranks ranks one more), vllm/v1/engine/core.py DPEngineCoreProc (one scheduler and KV cache per rank)',
  };
}
