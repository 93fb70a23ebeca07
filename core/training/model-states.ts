import type { OffloadTarget, ZeroStage } from '../plan/types';
import type { PipelineStage } from './parallelism';
import type { ParamProfile, StateGroup } from './param-profile';
import { FP32_BYTES, type PrecisionRecipe } from './precision';

/**
 * Model states on one GPU: weights, gradients, optimizer moments and fp32 master weights, after
 * tensor parallelism (1/t of every matrix), pipeline parallelism (the stage's layers) and ZeRO
 * (Rajbhandari et al. 2019, section 5.1): stage 1 partitions the optimizer states (moments and
 * master weights) over the N_d data-parallel ranks, stage 2 the gradients too, stage 3 the
 * parameters too — (2 + 2 + K)Ψ becomes 2Ψ + 2Ψ + KΨ/N_d, 2Ψ + (2 + K)Ψ/N_d and (2 + 2 + K)Ψ/N_d.
 *
 * CPU offload (ZeRO-Offload, Ren et al. 2021; DeepSpeed offload_optimizer / offload_param)
 * moves the partition's fp32 master copy, moments and fp32 gradients to system RAM, and with
 * `optimizer+params` (ZeRO-3 only) the parameters as well.
 */

interface DeviceModelStates {
  readonly weights: number;
  readonly gradients: number;
  readonly optimizerStates: number;
  readonly masterWeights: number;
  /** Bytes this GPU's share puts in system RAM (offload), before any buffer factor. */
  readonly hostBytes: number;
}

interface ShardingOptions {
  readonly zeroStage: ZeroStage;
  readonly dataParallel: number;
  readonly offload: OffloadTarget;
}

/**
 * The parameter groups one pipeline stage holds, before tensor parallelism.
 *
 * @param profile the model's groups (paramProfile)
 * @param stage the pipeline stage
 * @param layout pipeline degree; tied embeddings; `bareCount` when the model is only a
 *   parameter count (its one group is split evenly over the stages)
 */
export function stageGroup(
  profile: ParamProfile,
  stage: PipelineStage,
  layout: {
    readonly pipelineParallel: number;
    readonly tiedEmbeddings: boolean;
    readonly bareCount: boolean;
  },
): StateGroup {
  let trainableParams = 0;
  let frozenBytes = 0;
  let optimizerBytes = 0;
  const add = (group: StateGroup, share = 1): void => {
    trainableParams += group.trainableParams * share;
    frozenBytes += group.frozenBytes * share;
    optimizerBytes += group.optimizerBytes * share;
  };
  if (layout.bareCount) {
    add(profile.layers[0]!, 1 / layout.pipelineParallel);
  } else {
    for (let layer = stage.firstLayer; layer < stage.firstLayer + stage.layers; layer++)
      add(profile.layers[layer]!);
  }
  if (stage.holdsEmbedding) add(profile.embedding);
  if (stage.holdsHead) add(profile.head);
  // Tied embeddings under pipeline parallelism: the last stage keeps its own copy of the word
  // embeddings for the output layer (Megatron-LM LanguageModule.setup_embeddings_and_output_layer).
  if (layout.tiedEmbeddings && stage.holdsHead && layout.pipelineParallel > 1)
    add(profile.embedding);
  return { trainableParams, frozenBytes, optimizerBytes };
}

/**
 * What one GPU of a stage holds, tensor-parallel share `1 / tensorParallel` of the stage's
 * groups, sharded by ZeRO and trimmed by offload.
 *
 * @param group the stage's parameters (stageGroup)
 * @param recipe bytes per parameter of the precision recipe
 * @param tensorParallel t: each GPU holds 1/t of the stage's matrices
 * @param sharding ZeRO stage, data-parallel degree, offload target
 * @example deviceModelStates({ trainableParams: 7.5e9, frozenBytes: 0, optimizerBytes: 60e9 }, mixed, 1, { zeroStage: 3, dataParallel: 64, offload: 'none' })
 *   // weights 0.234 GB, gradients 0.234 GB, optimizerStates 0.9375 GB, masterWeights 0.469 GB: 1.875 GB
 */
export function deviceModelStates(
  group: StateGroup,
  recipe: PrecisionRecipe,
  tensorParallel: number,
  sharding: ShardingOptions,
): DeviceModelStates {
  const { zeroStage, dataParallel, offload } = sharding;
  const trainable = group.trainableParams / tensorParallel;
  const shard = (stage: ZeroStage): number => (zeroStage >= stage ? dataParallel : 1);
  let weights =
    (trainable * recipe.weightBytesPerParam + group.frozenBytes / tensorParallel) / shard(3);
  let gradients = (trainable * recipe.gradientBytesPerParam) / shard(2);
  let masterWeights = (trainable * recipe.masterBytesPerParam) / shard(1);
  let optimizerStates = group.optimizerBytes / tensorParallel / shard(1);
  let hostBytes = 0;
  if (offload !== 'none') {
    // The CPU optimizer steps an fp32 copy of its partition with fp32 gradients (DeepSpeed
    // memory docs: 16 bytes = 4 params + 4 grads + 4 momentum + 4 variance per parameter).
    hostBytes += optimizerStates + (trainable * (FP32_BYTES + FP32_BYTES)) / shard(1);
    optimizerStates = 0;
    masterWeights = 0;
    gradients = 0;
  }
  if (offload === 'optimizer+params') {
    hostBytes += weights;
    weights = 0;
  }
  return { weights, gradients, optimizerStates, masterWeights, hostBytes };
}
