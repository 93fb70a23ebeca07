import type { DeviceSpec } from '../devices/types';
import type { EngineProfile } from '../memory/engine-profiles';
import { vllmMoeWorkspaceBytes, type VllmMoeWorkspace } from '../memory/vllm-moe-workspace';
import { EMPTY_BREAKDOWN, type DevicePlan, type MemoryBreakdown } from './types';

/**
 * How a model's memory is spread over devices. Two ways engines do it:
 * - tensor parallel (vLLM, Megatron): every device holds a 1/N slice of every matrix and of
 *   the KV heads; all devices work on every token at once.
 * - layer split (llama.cpp --split-mode layer, accelerate device_map): each device holds whole
 *   layers, in proportion to its memory (llama.cpp's default tensor split follows each
 *   device's free memory); tokens pass through the devices one after the other.
 */

/** What the planner knows about the model's memory, before it is placed. */
export interface ModelMemory {
  /** Weight bytes of each layer. */
  readonly layerWeightBytes: readonly number[];
  /** KV bytes of each layer for the whole batch and context. */
  readonly layerKvBytes: readonly number[];
  readonly embeddingBytes: number;
  readonly headBytes: number;
  /**
   * KV heads a tensor-parallel split can divide among devices (each holds at least one), or
   * null when every device must hold the whole cache (MLA's single latent, or no architecture).
   */
  readonly shardableKvHeads: number | null;
  /** Activation bytes every device holds whatever the split (residual stream, logits). */
  readonly activationFixedBytes: number;
  /** Activation bytes a tensor-parallel split divides among devices (the FFN's). */
  readonly activationShardedBytes: number;
  /**
   * An activation peak every device reaches whatever the split, after the forward pass has
   * freed its workspace (vLLM's sampler warm-up, core/memory/vllm-sampler.ts). 0 for none.
   */
  readonly activationFloorBytes: number;
  /**
   * vLLM's fused-MoE workspaces, which stay allocated under the sampler warm-up's peak
   * (core/memory/vllm-moe-workspace.ts); their size depends on how the experts are split.
   */
  readonly vllmMoeWorkspace?: VllmMoeWorkspace;
  /** Routed-expert bytes kept in system RAM (llama.cpp --n-cpu-moe / -ot exps=CPU); 0 for none. */
  readonly hostExpertBytes: number;
  /** Routed-expert bytes of each layer on the devices (inside `layerWeightBytes`); 0 for dense. */
  readonly layerExpertBytes: readonly number[];
  /** Routed experts of an MoE layer (0 for a dense model). */
  readonly routedExperts: number;
  /**
   * Weights resident beside the layers that no layer holds: a draft model, MTP layers, llama.cpp's
   * mmproj file (core/plan/multimodal-memory.ts, speculative-memory.ts). Split over the devices like the layers. 0 for none.
   */
  readonly sideWeightBytes: number;
  /** KV cache of the draft model or MTP layers, split like `sideWeightBytes`. 0 for none. */
  readonly sideKvBytes: number;
}

/** Share of the KV cache one of `devices` tensor-parallel devices holds. */
function kvShareAt(memory: ModelMemory, devices: number): number {
  const heads = memory.shardableKvHeads;
  return heads === null ? 1 : Math.ceil(heads / devices) / heads;
}

/**
 * Activation workspace on one device with tensor-parallel degree `devices`, whose routed
 * experts are split `expertShards` ways (1 where each GPU holds whole experts).
 */
export function activationBytesAt(
  memory: ModelMemory,
  devices: number,
  expertShards = devices,
): number {
  const moeWorkspace = memory.vllmMoeWorkspace
    ? vllmMoeWorkspaceBytes({ ...memory.vllmMoeWorkspace, expertShards })
    : 0;
  return Math.max(
    memory.activationFixedBytes + memory.activationShardedBytes / devices,
    memory.activationFloorBytes + moeWorkspace,
  );
}

export interface Placement {
  readonly perDevice: readonly DevicePlan[];
  /**
   * Routed-expert bytes inside each device's weights under data-parallel attention or expert
   * parallelism, where a device's mix of experts and other weights is not the model's: a decode
   * step reads its experts at their active share and the rest whole.
   */
  readonly expertBytesPerDevice?: readonly number[];
  /** Layers that did not go to any device (offloaded to system RAM). */
  readonly hostLayers: number;
  /** Weight and KV bytes held in system RAM (hostBytes = their sum). */
  readonly hostWeightBytes: number;
  readonly hostKvBytes: number;
  readonly hostBytes: number;
}

/** Whether a device's capacity is the free memory detection read, or its total. */
export function capacityKind(device: DeviceSpec): 'free' | 'total' {
  return device.memoryFreeBytes !== undefined ? 'free' : 'total';
}

/** Capacity a plan may use: free memory of a detected device, else its total. */
export function deviceCapacity(device: DeviceSpec): number {
  return device.memoryFreeBytes ?? device.memoryBytes;
}

/**
 * The most a device may hold under this engine (utilisation cap, minus its deliberate margin).
 * Both are GPU rules (vLLM's gpu_memory_utilization, llama.cpp's per-GPU fit target): a CPU
 * device offers its free RAM as it is.
 */
export function usableBytes(device: DeviceSpec, engine: EngineProfile): number {
  if (device.vendor === 'cpu') return deviceCapacity(device);
  return deviceCapacity(device) * engine.memoryUtilization - engine.reservedMarginBytes;
}

/**
 * Per-device runtime memory: a GPU context (and CUDA graphs, and the communication buffers of an
 * engine that spans `gpus` GPUs); nothing extra in plain RAM.
 */
export function runtimeOverheadBytes(device: DeviceSpec, engine: EngineProfile, gpus = 1): number {
  if (device.vendor === 'cpu') return 0;
  const communication = gpus > 1 ? engine.multiGpuCommunicationBytes : 0;
  return engine.runtimeOverheadBytes + engine.cudaGraphBytes + communication;
}

/**
 * The activation memory a device holds: the workspace the plan estimates, or, for an engine with
 * a static pool (SGLang), at least the share it keeps outside that pool:
 * (1 − mem_fraction_static) of what was free before the weights loaded (the capacity less the
 * runtime), since SGLang holds that share back for activations and CUDA graphs.
 */
function heldActivationBytes(
  device: DeviceSpec,
  engine: EngineProfile,
  activations: number,
  gpus: number,
  dataParallel: number,
): number {
  if (!engine.staticPoolFraction || device.vendor === 'cpu') return activations;
  const freeBeforeWeights = deviceCapacity(device) - engine.runtimeOverheadBytes;
  const reserve =
    (1 - engine.staticPoolFraction(gpus, dataParallel)) * Math.max(0, freeBeforeWeights);
  return Math.max(activations, reserve);
}

function sum(values: readonly number[], from = 0, to = values.length): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i]!;
  return total;
}

function devicePlan(
  device: DeviceSpec,
  engine: EngineProfile,
  breakdown: MemoryBreakdown,
  layers: number,
): DevicePlan {
  const used =
    breakdown.weights +
    breakdown.kvCache +
    breakdown.activations +
    breakdown.gradients +
    breakdown.optimizerStates +
    breakdown.masterWeights +
    breakdown.overhead;
  return {
    device: device.id,
    name: device.name,
    capacity: deviceCapacity(device),
    capacityKind: capacityKind(device),
    used,
    headroom: usableBytes(device, engine) - used,
    breakdown,
    layers,
  };
}

/**
 * How a tensor-parallel engine lays MoE models over its GPUs (vLLM): data-parallel attention
 * ranks and expert parallelism. Sources, vllm-project/vllm (2026 main):
 * - vllm/model_executor/layers/fused_moe/config.py FusedMoEParallelConfig.make: the MoE layers
 *   take all data-parallel × tensor-parallel GPUs as one group; without expert parallelism each
 *   GPU holds a 1/(DP × TP) slice of every expert, with it each GPU holds whole experts (MoE
 *   tensor parallelism forced to 1);
 * - fused_moe/expert_map_manager.py determine_expert_map: experts // ranks each, the first
 *   experts % ranks ranks one more, so the fullest GPU holds ⌈experts / ranks⌉;
 * - vllm/v1/engine/core.py DPEngineCoreProc: each data-parallel rank is an engine of its own,
 *   with its own scheduler and KV cache for the requests sent to it; attention, dense layers,
 *   embeddings and the head are split by TP inside a rank and copied on every rank
 *   (docs/serving/data_parallel_deployment.md).
 */
export interface ParallelLayout {
  /** `--data-parallel-size` (1: tensor parallelism alone). */
  readonly dataParallel: number;
  /** `--enable-expert-parallel`. */
  readonly expertParallel: boolean;
  /** Sequences of the whole plan, shared among the data-parallel ranks. */
  readonly batch: number;
}

const TENSOR_PARALLEL_ONLY: ParallelLayout = { dataParallel: 1, expertParallel: false, batch: 1 };

/**
 * Tensor parallel over all `devices`: every device holds 1/N of weights and its share of KV.
 * With data-parallel ranks (vLLM, MoE models) the non-expert weights are split only within a
 * rank of N ÷ DP devices and each rank keeps the KV of its own share of the batch; with expert
 * parallelism each device holds ⌈experts ÷ N⌉ whole experts of every MoE layer.
 */
export function placeTensorParallel(
  memory: ModelMemory,
  devices: readonly DeviceSpec[],
  engine: EngineProfile,
  parallel: ParallelLayout = TENSOR_PARALLEL_ONLY,
): Placement {
  const n = devices.length;
  const ranks = parallel.dataParallel;
  const tensorParallel = n / ranks;
  const expertBytes = sum(memory.layerExpertBytes);
  // A draft model runs with the target's tensor-parallel degree (vLLM SpeculativeConfig:
  // draft_tensor_parallel_size defaults to the target's), so it splits the same way.
  const nonExpertBytes =
    sum(memory.layerWeightBytes) -
    expertBytes +
    memory.embeddingBytes +
    memory.headBytes +
    memory.sideWeightBytes;
  const expertsPerDevice =
    parallel.expertParallel && memory.routedExperts > 0
      ? (expertBytes * Math.ceil(memory.routedExperts / n)) / memory.routedExperts
      : expertBytes / n;
  const weights = nonExpertBytes / tensorParallel + expertsPerDevice;
  // Each data-parallel rank holds the KV of the sequences it serves.
  const rankSequenceShare = Math.ceil(parallel.batch / ranks) / parallel.batch;
  const kvCache =
    (sum(memory.layerKvBytes) + memory.sideKvBytes) *
    rankSequenceShare *
    kvShareAt(memory, tensorParallel);
  const activations = activationBytesAt(
    memory,
    tensorParallel,
    parallel.expertParallel ? 1 : tensorParallel,
  );
  const perDevice = devices.map((device) =>
    devicePlan(
      device,
      engine,
      {
        ...EMPTY_BREAKDOWN,
        weights,
        kvCache,
        activations: heldActivationBytes(device, engine, activations, n, ranks),
        overhead: runtimeOverheadBytes(device, engine, n),
      },
      memory.layerWeightBytes.length,
    ),
  );
  return {
    perDevice,
    ...(memory.routedExperts > 0 && (ranks > 1 || parallel.expertParallel)
      ? { expertBytesPerDevice: devices.map(() => expertsPerDevice) }
      : {}),
    hostLayers: 0,
    hostWeightBytes: memory.hostExpertBytes,
    hostKvBytes: 0,
    hostBytes: memory.hostExpertBytes,
  };
}

/**
 * Layer split of the first `deviceLayers` layers over `devices` in proportion to what each can
 * hold; the remaining layers stay in system RAM. Embeddings go to device 0 (or the host, for
 * engines that keep them there), the head to the last device that holds layers.
 */
export function placeLayerSplit(
  memory: ModelMemory,
  devices: readonly DeviceSpec[],
  engine: EngineProfile,
  deviceLayers: number,
): Placement {
  const totalLayers = memory.layerWeightBytes.length;
  const activations = activationBytesAt(memory, 1);
  const room = devices.map((device) =>
    Math.max(0, usableBytes(device, engine) - runtimeOverheadBytes(device, engine) - activations),
  );
  const totalRoom = sum(room);

  // Boundaries by cumulative share of room, as llama.cpp's tensor_split does.
  const bounds: number[] = [0];
  let cumulative = 0;
  for (let i = 0; i < devices.length; i++) {
    cumulative += room[i]!;
    const share = totalRoom > 0 ? cumulative / totalRoom : (i + 1) / devices.length;
    bounds.push(i === devices.length - 1 ? deviceLayers : Math.round(deviceLayers * share));
  }
  let lastWithLayers = 0;
  for (let i = 0; i < devices.length; i++) if (bounds[i + 1]! > bounds[i]!) lastWithLayers = i;

  const perDevice = devices.map((device, i) => {
    const from = bounds[i]!;
    const to = bounds[i + 1]!;
    // The draft model and the mmproj go where the layers go, in the same shares (llama.cpp
    // splits the draft over the same devices by the same free-memory proportions).
    const sideShare = deviceLayers > 0 ? (to - from) / deviceLayers : 0;
    let weights = sum(memory.layerWeightBytes, from, to) + memory.sideWeightBytes * sideShare;
    if (i === 0 && !engine.embeddingsOnHost) weights += memory.embeddingBytes;
    if (i === lastWithLayers && deviceLayers > 0) weights += memory.headBytes;
    const kvCache = sum(memory.layerKvBytes, from, to) + memory.sideKvBytes * sideShare;
    const overhead = runtimeOverheadBytes(device, engine);
    return devicePlan(
      device,
      engine,
      { ...EMPTY_BREAKDOWN, weights, kvCache, activations, overhead },
      to - from,
    );
  });

  const hostLayers = totalLayers - deviceLayers;
  let hostWeightBytes = sum(memory.layerWeightBytes, deviceLayers) + memory.hostExpertBytes;
  if (engine.embeddingsOnHost) hostWeightBytes += memory.embeddingBytes;
  if (deviceLayers === 0)
    hostWeightBytes +=
      memory.headBytes +
      memory.sideWeightBytes +
      (engine.embeddingsOnHost ? 0 : memory.embeddingBytes);
  const hostKvBytes =
    sum(memory.layerKvBytes, deviceLayers) + (deviceLayers === 0 ? memory.sideKvBytes : 0);
  return {
    perDevice,
    hostLayers,
    hostWeightBytes,
    hostKvBytes,
    hostBytes: hostWeightBytes + hostKvBytes,
  };
}

/** Whether every device stays within its usable memory. */
export function placementFits(placement: Placement): boolean {
  return placement.perDevice.every((plan) => plan.headroom >= 0);
}

/**
 * The most layers the devices can hold (llama.cpp's -ngl), by bisection: placing fewer layers
 * never needs more memory on any device, so the feasible counts form a prefix.
 */
export function maxDeviceLayers(
  memory: ModelMemory,
  devices: readonly DeviceSpec[],
  engine: EngineProfile,
): number {
  let low = 0;
  let high = memory.layerWeightBytes.length;
  if (!placementFits(placeLayerSplit(memory, devices, engine, 0))) return -1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (placementFits(placeLayerSplit(memory, devices, engine, mid))) low = mid;
    else high = mid - 1;
  }
  return low;
}
