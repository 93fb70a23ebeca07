import type { NumericFormat } from '../formats/types';
import {
  forwardActivationParts,
  LOGITS_BYTES_PER_ELEMENT,
  type ActivationParts,
} from '../memory/activations';
import {
  eagerPrefillPeaks,
  type AllocatorPeaks,
  type EagerPrefillTraceInput,
} from '../memory/eager-prefill-trace';
import { eagerPrefillActivationParts } from '../memory/pytorch-eager-inference';
import { prefillStepTokens, sequencesPerRank, type EngineProfile } from '../memory/engine-profiles';
import type { VllmMoeWorkspace } from '../memory/vllm-moe-workspace';
import { vllmSamplerWarmupBytes } from '../memory/vllm-sampler';
import { layerCacheBytes, type EngineCacheRules } from '../memory/engine-kv';
import type { ArchitectureSpec, ModelSpec } from '../models/types';
import { memoPerObject } from '../memo';
import { enumerateTensors } from '../models/tensors';
import type { ModelMemory } from './allocation';
import { imageTokenRule } from './image-tokens';
import type { InferenceScenario } from './types';
import { layoutWeights, type WeightsLayout } from './weights-layout';

/** Bytes of an fp16/bf16 activation element: inference activations run in half precision. */
export const HALF_PRECISION_BYTES = 2;

/** Bytes of an fp32 element. */
const FP32_BYTES = 4;

/**
 * Bytes of an activation element when a PyTorch engine runs weights of this format: fp32
 * weights compute in fp32; every other format (16-bit, or quantized and dequantized on the fly
 * to fp16/bf16) in half precision.
 */
export function computeBytesOf(format: NumericFormat): number {
  return format.computeDtype === 'fp32' || format.computeDtype === 'tf32'
    ? FP32_BYTES
    : HALF_PRECISION_BYTES;
}

// Laying a model out per tensor is the costly part of a plan and depends only on the model and
// the format: keep it per model object (weak, so dropped models are collected).
const layoutCache = new WeakMap<ModelSpec, Map<string, WeightsLayout>>();

/** The weights layout of a model with an architecture, computed once per (model, format). */
export function cachedLayout(
  model: ModelSpec,
  architecture: ArchitectureSpec,
  format: NumericFormat,
): WeightsLayout {
  let perFormat = layoutCache.get(model);
  if (!perFormat) {
    perFormat = new Map();
    layoutCache.set(model, perFormat);
  }
  let layout = perFormat.get(format.id);
  if (!layout) {
    layout = layoutWeights(architecture, enumerateTensors(architecture), format);
    if (model.storedWeightBytes !== undefined && format.id === model.publishedFormat) {
      layout = scaleLayout(layout, model.storedWeightBytes);
    }
    perFormat.set(format.id, layout);
  }
  return layout;
}

/**
 * A layout resized to the bytes a model's files really hold: the per-tensor rules place the
 * bytes among layers, the file's tensor headers decide the total.
 */
function scaleLayout(layout: WeightsLayout, totalBytes: number): WeightsLayout {
  const factor = layout.totalBytes > 0 ? totalBytes / layout.totalBytes : 1;
  return {
    ...layout,
    layerBytes: layout.layerBytes.map((bytes) => bytes * factor),
    layerExpertBytes: layout.layerExpertBytes.map((bytes) => bytes * factor),
    embeddingBytes: layout.embeddingBytes * factor,
    headBytes: layout.headBytes * factor,
    visionBytes: layout.visionBytes * factor,
    totalBytes,
    activeBytesPerToken: layout.activeBytesPerToken * factor,
  };
}

/**
 * Per-layer KV cache and recurrent-state bytes for a scenario, as the engine keeps them
 * (core/memory/engine-kv.ts: sliding windows, recurrent layers, vLLM's pages).
 */
export function layerKvBytes(
  architecture: ArchitectureSpec,
  scenario: Pick<InferenceScenario, 'contextTokens' | 'batch' | 'swaFull'>,
  kvFormat: NumericFormat,
  engine: EngineCacheRules,
  modelDtypeBytes: number,
): number[] {
  return layerCacheBytes(architecture, engine, {
    contextTokens: scenario.contextTokens,
    batch: scenario.batch,
    kvBytesPerElement: kvFormat.bitsPerWeight / 8,
    modelDtypeBytes,
    ...(scenario.swaFull ? { swaFull: true } : {}),
  });
}

// Replaying a prefill through the allocator model costs a few hundred microseconds: keep the
// answers per architecture for the shapes asked (a plan's searches ask the same shape often).
const prefillPeaks = memoPerObject<ArchitectureSpec, AllocatorPeaks>(256);

function cachedPrefillPeaks(
  architecture: ArchitectureSpec,
  input: EagerPrefillTraceInput,
): AllocatorPeaks {
  const key = [
    input.promptTokens,
    input.batch,
    input.computeBytes,
    input.layerKvBytes[0] ?? 0,
    input.weightTensorBytes.length,
    input.weightTensorBytes[0] ?? 0,
  ].join('|');
  return prefillPeaks(architecture, key, () => eagerPrefillPeaks(architecture, input));
}

/**
 * Each weight tensor's bytes when the format stores plain PyTorch tensors (fp32/fp16/bf16 and
 * other whole-byte formats); quantized formats pack tensors their own way: none are listed.
 */
const tensorElementsCache = new WeakMap<ArchitectureSpec, readonly number[]>();

function plainWeightTensorBytes(architecture: ArchitectureSpec, format: NumericFormat): number[] {
  const bytesPerWeight = format.bitsPerWeight / 8;
  if (!Number.isInteger(bytesPerWeight)) return [];
  let elements = tensorElementsCache.get(architecture);
  if (!elements) {
    elements = enumerateTensors(architecture).map((tensor) => tensor.elements);
    tensorElementsCache.set(architecture, elements);
  }
  return elements.map((count) => count * bytesPerWeight);
}

/**
 * Memory beside the model's own layers: a draft model or MTP layers, llama.cpp's mmproj, the
 * vision encoder's working memory (core/plan/multimodal-memory.ts, speculative-memory.ts).
 */
export interface SideMemory {
  /** Weights resident beside the layers (draft model, MTP layers, mmproj file). */
  readonly weightBytes: number;
  /** KV cache beside the model's own (draft model, MTP layers). */
  readonly kvBytes: number;
  /** Held for the whole run (vLLM's encoder cache, llama.cpp's clip compute buffer). */
  readonly heldActivationBytes: number;
  /** A separate forward pass (the vision encoder's): the prefill peak is the larger of the two. */
  readonly peakActivationBytes: number;
  /** Bytes of the layout's global tensors this engine does not load with the model. */
  readonly headBytesNotLoaded: number;
}

export const NO_SIDE_MEMORY: SideMemory = {
  weightBytes: 0,
  kvBytes: 0,
  heldActivationBytes: 0,
  peakActivationBytes: 0,
  headBytesNotLoaded: 0,
};

/** Tokens of each sequence's prompt: the context plus the tokens its images become. */
export function promptTokens(
  architecture: ArchitectureSpec,
  scenario: Pick<InferenceScenario, 'contextTokens' | 'images'>,
): number {
  const images = scenario.images ?? 0;
  if (images === 0) return scenario.contextTokens;
  return scenario.contextTokens + images * (imageTokenRule(architecture)?.tokensPerImage ?? 0);
}

/** Everything the placement needs to know about a model with an architecture. */
export function modelMemory(
  architecture: ArchitectureSpec,
  layout: WeightsLayout,
  given: InferenceScenario,
  kvFormat: NumericFormat,
  engine: EngineProfile,
  format: NumericFormat,
  side: SideMemory = NO_SIDE_MEMORY,
): ModelMemory {
  // Image tokens sit in the context like text tokens: KV and prefill count them alike.
  const scenario = { ...given, contextTokens: promptTokens(architecture, given) };
  const kv = layerKvBytes(architecture, scenario, kvFormat, engine, computeBytesOf(format));
  let activations: ActivationParts;
  let floorBytes = 0;
  let vllmMoeWorkspace: VllmMoeWorkspace | undefined;
  if (engine.activations === 'pytorch-eager') {
    const prefill = {
      promptTokens: prefillStepTokens(engine, scenario.contextTokens, scenario.batch),
      batch: scenario.batch,
      computeBytes: computeBytesOf(format),
    };
    const parts = eagerPrefillActivationParts(architecture, prefill);
    // What the caching allocator reserves beyond what is allocated (blocks freed by one layer
    // that the next layer's tensors and the kept KV copies cannot reuse whole).
    const peaks = cachedPrefillPeaks(architecture, {
      ...prefill,
      layerKvBytes: kv,
      weightTensorBytes: plainWeightTensorBytes(architecture, format),
    });
    activations = {
      fixedBytes:
        parts.fixedBytes + Math.max(0, peaks.peakReservedBytes - peaks.peakAllocatedBytes),
      shardedBytes: parts.shardedBytes,
    };
  } else {
    // A fused engine's step holds at most its token budget across all sequences together: vLLM
    // profiles a dummy batch of max_num_batched_tokens tokens in total (vllm/v1/worker/
    // gpu_model_runner.py profile_run), llama.cpp reserves its compute buffers for one n_ubatch
    // (src/llama-context.cpp graph_reserve), SGLang chunks prefill by chunked_prefill_size.
    const sequences = sequencesPerRank(scenario);
    const stepTokens = prefillStepTokens(engine, scenario.contextTokens, sequences);
    const forward = forwardActivationParts(architecture, stepTokens, HALF_PRECISION_BYTES);
    if (engine.id === 'vllm') {
      // The forward frees its workspace before the sampler warm-up, which peaks on its own.
      activations = forward;
      const moe = architecture.moe;
      if (moe) {
        vllmMoeWorkspace = {
          stepTokens,
          activeExperts: moe.activeExperts,
          expertIntermediateSize: moe.expertIntermediateSize,
          hiddenSize: architecture.hiddenSize,
          bytesPerElement: computeBytesOf(format),
        };
      }
      floorBytes = vllmSamplerWarmupBytes({
        requests: Math.min(sequences, stepTokens),
        vocabSize: architecture.vocabSize,
        computeBytes: computeBytesOf(format),
        stepTokens,
        hiddenSize: architecture.hiddenSize,
      });
    } else {
      // The fp32 logits of every sequence's last position.
      const logitsBytes = sequences * architecture.vocabSize * LOGITS_BYTES_PER_ELEMENT;
      activations = { ...forward, fixedBytes: forward.fixedBytes + logitsBytes };
    }
  }
  // llama.cpp --n-cpu-moe N keeps the routed experts of the first N layers in system RAM.
  const offloaded = Math.min(scenario.moeOffloadLayers ?? 0, layout.layerExpertBytes.length);
  let hostExpertBytes = 0;
  const layerWeightBytes = layout.layerBytes.map((bytes, layer) => {
    if (layer >= offloaded) return bytes;
    hostExpertBytes += layout.layerExpertBytes[layer]!;
    return bytes - layout.layerExpertBytes[layer]!;
  });
  const layerExpertBytes = layout.layerExpertBytes.map((bytes, layer) =>
    layer < offloaded ? 0 : bytes,
  );
  // The vision encoder runs before the decoder's prefill: the peak is the larger forward pass.
  const textPeak = Math.max(activations.fixedBytes + activations.shardedBytes, floorBytes);
  const fixedBytes =
    activations.fixedBytes +
    side.heldActivationBytes +
    Math.max(0, side.peakActivationBytes - textPeak);
  return {
    layerWeightBytes,
    hostExpertBytes,
    layerExpertBytes,
    routedExperts: architecture.moe?.routedExperts ?? 0,
    sideWeightBytes: side.weightBytes,
    sideKvBytes: side.kvBytes,
    layerKvBytes: kv,
    embeddingBytes: layout.embeddingBytes,
    headBytes: layout.headBytes - side.headBytesNotLoaded,
    // MLA's latent is shared by all heads: tensor parallelism cannot split it (vLLM replicates
    // it on every rank); cached per head (transformers), the heads split. Otherwise each rank
    // holds its KV heads, at least one.
    shardableKvHeads: architecture.mla
      ? engine.mlaCache === 'latent'
        ? null
        : architecture.attentionHeads
      : architecture.kvHeads,
    activationFixedBytes: fixedBytes,
    activationShardedBytes: activations.shardedBytes,
    // What the vision side keeps (the encoder cache) is held under the sampler warm-up too.
    activationFloorBytes: floorBytes > 0 ? floorBytes + side.heldActivationBytes : 0,
    ...(vllmMoeWorkspace ? { vllmMoeWorkspace } : {}),
  };
}
