import { bytesForParams } from '../formats/weight-bytes';
import type { NumericFormat } from '../formats/types';
import type { EngineProfile } from '../memory/engine-profiles';
import type { ModelSpec } from '../models/types';
import { activationBytesAt, type ModelMemory, type Placement } from './allocation';
import { EMPTY_BREAKDOWN, type MemoryBreakdown } from './types';

/**
 * A plan's memory before and after placement, for what has no layout of its own: a model known
 * by its parameter count alone, and the totals over the devices and the host.
 */

/** A model known only by its parameter count: weights from the count, nothing per layer. */
export function paramsOnlyMemory(model: ModelSpec, format: NumericFormat): ModelMemory {
  return {
    layerWeightBytes: [
      model.storedWeightBytes !== undefined && format.id === model.publishedFormat
        ? model.storedWeightBytes
        : bytesForParams(model.params, format),
    ],
    layerKvBytes: [0],
    embeddingBytes: 0,
    headBytes: 0,
    shardableKvHeads: null,
    activationFixedBytes: 0,
    activationShardedBytes: 0,
    activationFloorBytes: 0,
    hostExpertBytes: 0,
    layerExpertBytes: [0],
    routedExperts: 0,
    sideWeightBytes: 0,
    sideKvBytes: 0,
  };
}

/** The whole plan's memory: every device's breakdown summed, plus what stays in system RAM. */
export function totalBreakdown(
  placement: Placement,
  memory: ModelMemory,
  engine: EngineProfile,
): MemoryBreakdown {
  if (placement.perDevice.length === 0) {
    const weights =
      memory.layerWeightBytes.reduce((a, b) => a + b, 0) +
      memory.embeddingBytes +
      memory.headBytes +
      memory.sideWeightBytes;
    const kvCache = memory.layerKvBytes.reduce((a, b) => a + b, 0) + memory.sideKvBytes;
    return {
      ...EMPTY_BREAKDOWN,
      weights,
      kvCache,
      activations: activationBytesAt(memory, 1),
      overhead: engine.runtimeOverheadBytes + engine.cudaGraphBytes,
    };
  }
  const total = { ...EMPTY_BREAKDOWN };
  for (const { breakdown } of placement.perDevice) {
    total.weights += breakdown.weights;
    total.kvCache += breakdown.kvCache;
    total.activations += breakdown.activations;
    total.gradients += breakdown.gradients;
    total.optimizerStates += breakdown.optimizerStates;
    total.masterWeights += breakdown.masterWeights;
    total.overhead += breakdown.overhead;
  }
  // Layers offloaded to system RAM still count: the breakdown is the whole model's memory.
  total.weights += placement.hostWeightBytes;
  total.kvCache += placement.hostKvBytes;
  return total;
}
