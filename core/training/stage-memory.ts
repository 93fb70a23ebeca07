import type { ModelSpec } from '../models/types';
import { ENGINE_PROFILES } from '../memory/engine-profiles';
import { EMPTY_BREAKDOWN, type MemoryBreakdown, type TrainingScenario } from '../plan/types';
import {
  blockShape,
  layerActivationBytes,
  logitsBytes,
  ruleOfThumbActivationBytes,
  type ActivationSettings,
} from './activations';
import type { AllocatorPeaks } from '../memory/eager-prefill-trace';
import { enumerateTensors } from '../models/tensors';
import type { ArchitectureSpec, TensorSpec } from '../models/types';
import { memoPerObject } from '../memo';
import { eagerTrainingActivations } from './eager-activations';
import { eagerTrainingPeaks, type TraceWeight } from './eager-training-trace';
import { loraParamsForTensor, targetedRoles } from './lora';
import { deviceModelStates, stageGroup } from './model-states';
import type { ParallelLayout, PipelineStage } from './parallelism';
import { totalOptimizerBytes, type ParamProfile } from './param-profile';
import type { PrecisionRecipe } from './precision';

/**
 * What one GPU of each pipeline stage holds: model states after TP/PP/ZeRO/offload, the
 * stage's activations, and per-device overhead.
 */

/**
 * Per-GPU runtime: the CUDA context and PyTorch kernels, as for inference with PyTorch
 * (core/memory/engine-profiles.ts, generic profile).
 */
export const TRAINING_RUNTIME_OVERHEAD_BYTES = ENGINE_PROFILES.generic.runtimeOverheadBytes;

/** bitsandbytes dequantizes each NF4 matrix to the 16-bit compute dtype right before its matmul. */
const QLORA_DEQUANT_BYTES_PER_PARAM = 2;

export interface StageMemory {
  readonly stage: PipelineStage;
  /** What one GPU of the stage holds at the data-parallel degree asked for. */
  readonly breakdown: MemoryBreakdown;
  /** Bytes this stage's GPU puts in system RAM (offload). */
  readonly hostBytes: number;
}

export interface StageMemoryContext {
  readonly model: ModelSpec;
  readonly scenario: TrainingScenario;
  readonly recipe: PrecisionRecipe;
  readonly profile: ParamProfile;
  readonly layout: Pick<ParallelLayout, 'tensorParallel' | 'pipelineParallel' | 'stages'>;
  /** Bytes per parameter ZeRO-3 gathers for the largest module (weights, and gradients when trained). */
  readonly gatherBytesPerParam: number;
  /** Full-size state tensors the optimizer keeps per trainable tensor (Adam 2, momentum 1). */
  readonly optimizerStateTensors?: number;
}

function activationSettings(context: StageMemoryContext): ActivationSettings {
  const { scenario, recipe, layout } = context;
  return {
    sequenceTokens: scenario.contextTokens,
    microBatch: scenario.microBatch,
    tensorParallel: layout.tensorParallel,
    sequenceParallel: scenario.sequenceParallel === true && layout.tensorParallel > 1,
    checkpointing: scenario.checkpointing,
    flashAttention: scenario.flashAttention,
    bytesPerElement: recipe.activationBytesPerElement,
  };
}

/** Activation bytes one GPU of `stage` holds at its peak. */
export function stageActivationBytes(context: StageMemoryContext, stage: PipelineStage): number {
  const { model, scenario, recipe, layout } = context;
  if (!scenario.includeActivations) return 0;
  const architecture = model.architecture;
  if (!architecture) {
    const total = ruleOfThumbActivationBytes(
      model.params,
      recipe.activationBytesPerElement,
      layout.tensorParallel,
    );
    return (total / layout.pipelineParallel) * stage.inFlightMicroBatches;
  }
  const settings = activationSettings(context);
  const moe = architecture.moe;
  const dense = layerActivationBytes(blockShape(architecture, false), settings);
  const sparse = moe ? layerActivationBytes(blockShape(architecture, true), settings) : dense;
  let perMicroBatch = 0;
  for (let layer = stage.firstLayer; layer < stage.firstLayer + stage.layers; layer++) {
    perMicroBatch += moe && layer >= moe.firstDenseLayers ? sparse : dense;
  }
  let bytes = perMicroBatch * stage.inFlightMicroBatches;
  if (scenario.checkpointing === 'full' && stage.layers > 0) {
    // Backward recomputes one layer at a time: its full activations exist once, for one micro-batch.
    const none = { ...settings, checkpointing: 'none' as const };
    bytes += Math.max(
      layerActivationBytes(blockShape(architecture, false), none),
      moe ? layerActivationBytes(blockShape(architecture, true), none) : 0,
    );
  }
  if (stage.holdsHead)
    bytes += logitsBytes(architecture.hiddenSize, architecture.vocabSize, settings);
  return bytes;
}

/** Overhead on every GPU: runtime, ZeRO-3's gathered module, QLoRA's dequantized matrix. */
function deviceOverheadBytes(context: StageMemoryContext): number {
  const { scenario, profile, layout } = context;
  let bytes = TRAINING_RUNTIME_OVERHEAD_BYTES;
  if (scenario.zeroStage === 3) {
    // DeepSpeed: "largest_layer_memory = 4*largest_layer_params" — the largest module's 16-bit
    // parameters gathered and its 16-bit gradients computed (docs/code-docs/source/memory.rst).
    bytes += (profile.largestModuleParams / layout.tensorParallel) * context.gatherBytesPerParam;
  }
  if (scenario.finetune === 'qlora') {
    bytes += (profile.largestLinearParams / layout.tensorParallel) * QLORA_DEQUANT_BYTES_PER_PARAM;
  }
  return bytes;
}

/**
 * The memory of one GPU of every pipeline stage for a data-parallel degree.
 *
 * @param context model, scenario, recipe, parameter profile, layout
 * @param dataParallel d: the ranks ZeRO shards over
 * @param activationBytes each stage's activations (stageActivationBytes: they do not depend on d)
 * @returns one entry per stage, first to last
 */
export function stageMemories(
  context: StageMemoryContext,
  dataParallel: number,
  activationBytes: readonly number[],
): StageMemory[] {
  const { model, scenario, recipe, profile, layout } = context;
  const overhead = deviceOverheadBytes(context);
  return layout.stages.map((stage, index) => {
    const group = stageGroup(profile, stage, {
      pipelineParallel: layout.pipelineParallel,
      tiedEmbeddings: model.architecture?.tiedEmbeddings ?? false,
      bareCount: model.architecture === undefined,
    });
    const states = deviceModelStates(group, recipe, layout.tensorParallel, {
      zeroStage: scenario.zeroStage,
      dataParallel,
      offload: scenario.offload,
    });
    const eager = eagerPeak(context, states, group.trainableParams, overhead, dataParallel);
    return {
      stage,
      hostBytes: states.hostBytes,
      breakdown: eager ?? {
        ...EMPTY_BREAKDOWN,
        weights: states.weights,
        gradients: states.gradients,
        optimizerStates: states.optimizerStates,
        masterWeights: states.masterWeights,
        activations: activationBytes[index] ?? 0,
        overhead,
      },
    };
  });
}

/**
 * One GPU's peak for a transformers model trained in eager PyTorch without tensor or pipeline
 * parallelism, as the largest of the moments a step goes through (core/training/eager-activations.ts):
 * - the end of the forward pass: weights (with autocast's cached casts), optimizer states (they
 *   exist from the second step on), every saved activation and the loss's forward buffers;
 * - the start of backward: the same, with the loss's backward buffers; under checkpointing only
 *   the casts saved outside the recomputed layers (the output layer's) are still alive;
 * - recomputing the last layer (checkpointing);
 * - the optimizer step: weights, every gradient and the optimizer states, activations freed.
 * Gradients are absent during forward and the loss (`zero_grad(set_to_none=True)`, the PyTorch
 * default since 2.0) unless micro-batches accumulate into them.
 * Returns null where the eager count does not apply (Megatron-style TP/PP: Korthikanti).
 */
function eagerPeak(
  context: StageMemoryContext,
  states: { weights: number; gradients: number; optimizerStates: number; masterWeights: number },
  trainableParams: number,
  overhead: number,
  dataParallel: number,
): MemoryBreakdown | null {
  const { model, scenario, recipe, layout } = context;
  const architecture = model.architecture;
  if (
    !architecture ||
    !scenario.includeActivations ||
    layout.tensorParallel !== 1 ||
    layout.pipelineParallel !== 1
  ) {
    return null;
  }
  const activations = eagerTrainingActivations(architecture, {
    recipe,
    finetune: scenario.finetune,
    loraTargets: scenario.loraTargets,
    checkpointing: scenario.checkpointing,
    flashAttention: scenario.flashAttention,
    sequenceTokens: scenario.contextTokens,
    microBatch: scenario.microBatch,
  });
  const zero3Shards = scenario.zeroStage === 3 ? dataParallel : 1;
  const trainedCopies = (trainableParams * recipe.autocastCopyBytesPerParam) / zero3Shards;
  const storage = states.weights - trainedCopies;
  // Frozen weights under autocast are cast per call and saved by their linear for backward.
  const frozenParams =
    recipe.autocastCopyBytesPerParam > 0 && scenario.finetune !== 'full'
      ? model.params - trainableParams
      : 0;
  const allCopies = trainedCopies + frozenParams * recipe.autocastCopyBytesPerParam;
  // The output layer runs outside the checkpointed layers: its cast survives to backward.
  const headCopy =
    architecture.vocabSize * architecture.hiddenSize * recipe.autocastCopyBytesPerParam;
  const survivingCopies =
    scenario.checkpointing === 'full' ? Math.min(allCopies, headCopy) : allCopies;
  const accumulated = scenario.gradAccum > 1 ? states.gradients : 0;
  const held = {
    ...EMPTY_BREAKDOWN,
    optimizerStates: states.optimizerStates,
    masterWeights: states.masterWeights,
    overhead,
    gradients: accumulated,
  };
  const moments: MemoryBreakdown[] = [
    {
      ...held,
      weights: storage + allCopies,
      activations: activations.savedBytes + activations.lossForwardBytes,
    },
    {
      ...held,
      weights: storage + survivingCopies,
      activations: activations.savedBytes + activations.lossBackwardBytes,
    },
    {
      ...held,
      weights: storage + survivingCopies,
      activations: activations.savedBytes + activations.recomputedLayerBytes,
    },
    {
      ...held,
      weights: storage,
      gradients: states.gradients,
      activations: 0,
      // torch.optim's foreach Adam: exp_avg_sq_sqrt = torch._foreach_sqrt(exp_avg_sqs), one
      // moment-sized temporary across every tensor (torch/optim/adam.py _multi_tensor_adam).
      optimizerStates: states.optimizerStates * (1 + stepTemporaryShare(context)),
    },
  ];
  const peak = moments.reduce((a, b) => (breakdownTotal(b) > breakdownTotal(a) ? b : a));
  // One GPU holding every state (no sharding, no offload): replay the steps through the
  // caching allocator for what it reserves beyond the allocated peak.
  if (scenario.zeroStage !== 0 || dataParallel !== 1 || scenario.offload !== 'none') return peak;
  const peaks = cachedTrainingPeaks(context, architecture, trainableParams);
  return {
    ...peak,
    overhead: peak.overhead + Math.max(0, peaks.peakReservedBytes - peaks.peakAllocatedBytes),
  };
}

/** The optimizer step's temporaries as a share of its states (foreach Adam: one of two moments). */
function stepTemporaryShare(context: StageMemoryContext): number {
  const states = context.optimizerStateTensors ?? 0;
  return context.scenario.optimizerImpl === 'foreach' && states >= 2 ? 1 / states : 0;
}

const trainingPeaks = memoPerObject<ArchitectureSpec, AllocatorPeaks>(128);

/** eagerTrainingPeaks, remembered per architecture and scenario (searches re-plan often). */
function cachedTrainingPeaks(
  context: StageMemoryContext,
  architecture: ArchitectureSpec,
  trainableParams: number,
): AllocatorPeaks {
  const { scenario, recipe } = context;
  const key = [
    recipe.id,
    recipe.weightBytesPerParam,
    scenario.finetune,
    scenario.loraRank,
    scenario.loraTargets.join(','),
    scenario.checkpointing,
    scenario.flashAttention,
    scenario.contextTokens,
    scenario.microBatch,
    scenario.optimizer,
    scenario.optimizerStateDtype,
    scenario.optimizerImpl,
    trainableParams,
  ].join('|');
  return trainingPeaks(architecture, key, () =>
    eagerTrainingPeaks(architecture, {
      recipe,
      finetune: scenario.finetune,
      loraTargets: scenario.loraTargets,
      checkpointing: scenario.checkpointing,
      flashAttention: scenario.flashAttention,
      sequenceTokens: scenario.contextTokens,
      microBatch: scenario.microBatch,
      weights: traceWeights(context, architecture, trainableParams),
      stepTemporaryStates:
        context.scenario.optimizerImpl === 'foreach' && (context.optimizerStateTensors ?? 0) >= 2
          ? 1
          : 0,
    }),
  );
}

/**
 * The weight tensors of a model as the training trace replays them: stored bytes, gradient,
 * optimizer states and autocast copy of each (LoRA: the frozen base, then one adapter per
 * targeted matrix).
 */
function traceWeights(
  context: StageMemoryContext,
  architecture: ArchitectureSpec,
  trainableParams: number,
): TraceWeight[] {
  const { scenario, recipe, profile } = context;
  const optimizerBytes = totalOptimizerBytes(profile);
  const stateBytesPerParam = trainableParams > 0 ? optimizerBytes / trainableParams : 0;
  const states = context.optimizerStateTensors ?? 0;
  const storage = recipe.weightBytesPerParam - recipe.autocastCopyBytesPerParam;
  const castBytes = (tensor: TensorSpec): number =>
    tensor.shape.length >= 2 ? tensor.elements * recipe.autocastCopyBytesPerParam : 0;
  const trained = (layer: number | undefined, elements: number, cast: number): TraceWeight => ({
    ...(layer !== undefined ? { layer } : {}),
    bytes: elements * storage,
    gradientBytes: elements * recipe.gradientBytesPerParam,
    stateBytes: states > 0 ? (elements * stateBytesPerParam) / states : 0,
    states,
    castBytes: cast,
  });
  const tensors = enumerateTensors(architecture);
  if (scenario.finetune === 'full') {
    return tensors.map((tensor) => trained(tensor.layer, tensor.elements, castBytes(tensor)));
  }
  const roles = targetedRoles(scenario.loraTargets);
  const frozenBytes = scenario.finetune === 'qlora' ? 0.5 : recipe.frozenBytesPerParam;
  const weights: TraceWeight[] = tensors.map((tensor) => ({
    ...(tensor.layer !== undefined ? { layer: tensor.layer } : {}),
    bytes: tensor.elements * frozenBytes,
    gradientBytes: 0,
    stateBytes: 0,
    states: 0,
    castBytes: castBytes(tensor),
  }));
  for (const tensor of tensors) {
    const adapter = loraParamsForTensor(tensor, roles, scenario.loraRank);
    if (adapter > 0) weights.push(trained(tensor.layer, adapter, 0));
  }
  return weights;
}

/** The bytes a breakdown adds up to. */
export function breakdownTotal(breakdown: MemoryBreakdown): number {
  return (
    breakdown.weights +
    breakdown.kvCache +
    breakdown.activations +
    breakdown.gradients +
    breakdown.optimizerStates +
    breakdown.masterWeights +
    breakdown.overhead
  );
}
