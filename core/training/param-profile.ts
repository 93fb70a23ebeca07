import { HeadroomError } from '../errors';
import { SETTING_NAMES } from '../setting-names';
import { enumerateTensors } from '../models/tensors';
import type { ModelSpec, TensorSpec } from '../models/types';
import { cachedLayout } from '../plan/model-memory';
import { requireFormat } from '../plan/lookups';
import type { FinetuneMethod, LoraTarget } from '../plan/types';
import { loraParamsForTensor, targetedRoles } from './lora';
import { optimizerStateBytes, type OptimizerSpec } from './optimizers';
import type { PrecisionRecipe } from './precision';

/**
 * Where a model's parameters sit for training, and what each group costs before parallelism:
 * trainable parameters (priced by the precision recipe), frozen weights (LoRA's base) and the
 * optimizer's state bytes, tensor by tensor.
 */

/** QLoRA's frozen base: NF4 with double quantization (Dettmers et al. 2023, section 3). */
export const QLORA_BASE_FORMAT = 'nf4_dq';

export interface StateGroup {
  /** Parameters the optimizer updates (full: all of them; LoRA: the adapters). */
  readonly trainableParams: number;
  /** Bytes of frozen weights as stored (0 for a full fine-tune). */
  readonly frozenBytes: number;
  /** Bytes of optimizer state for the trainable parameters. */
  readonly optimizerBytes: number;
}

export interface ParamProfile {
  /** One group per transformer layer; a bare parameter count is one group holding everything. */
  readonly layers: readonly StateGroup[];
  /** Token (and position) embeddings: held by the first pipeline stage. */
  readonly embedding: StateGroup;
  /** Final norm and output head: held by the last pipeline stage. */
  readonly head: StateGroup;
  readonly trainableParams: number;
  /** LoRA adapter parameters (null for a full fine-tune). */
  readonly loraParams: number | null;
  /**
   * Elements of the largest single module's weight: what ZeRO-3 gathers at once
   * (DeepSpeed's largest_layer_params; per expert for expert groups).
   */
  readonly largestModuleParams: number;
  /** Elements of the largest linear layer (QLoRA dequantizes one at a time to the compute dtype). */
  readonly largestLinearParams: number;
}

interface ProfileOptions {
  readonly finetune: FinetuneMethod;
  readonly loraRank: number;
  readonly loraTargets: readonly LoraTarget[];
  readonly recipe: PrecisionRecipe;
  readonly optimizer: OptimizerSpec;
  /** Bytes per full-precision optimizer state element. */
  readonly stateBytes: number;
}

const EMPTY_GROUP: StateGroup = { trainableParams: 0, frozenBytes: 0, optimizerBytes: 0 };

interface MutableGroup {
  trainableParams: number;
  frozenBytes: number;
  optimizerBytes: number;
}

function profileKey(options: ProfileOptions): string {
  return [
    options.finetune,
    options.loraRank,
    [...options.loraTargets].sort().join(','),
    options.recipe.id,
    options.optimizer.id,
    options.stateBytes,
  ].join('|');
}

// Enumerating tensors is the costly part and depends only on the model and the options.
const profileCache = new WeakMap<ModelSpec, Map<string, ParamProfile>>();

/** A bare parameter count: one group, every parameter trainable, shapes unknown. */
function paramsOnlyProfile(model: ModelSpec, options: ProfileOptions): ParamProfile {
  if (options.finetune !== 'full') {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${options.finetune === 'lora' ? 'LoRA' : 'QLoRA'} needs the architecture to count its adapters: choose ${SETTING_NAMES.model} instead of ${SETTING_NAMES.params}.`,
    );
  }
  const group: StateGroup = {
    trainableParams: model.params,
    frozenBytes: 0,
    optimizerBytes: optimizerStateBytes(options.optimizer, [], model.params, options.stateBytes),
  };
  return {
    layers: [group],
    embedding: EMPTY_GROUP,
    head: EMPTY_GROUP,
    trainableParams: model.params,
    loraParams: null,
    // Unknown without the architecture: ZeRO-3's gathered-module buffer counts as nothing.
    largestModuleParams: 0,
    largestLinearParams: 0,
  };
}

/** Optimizer states of one adapted tensor: A [r, in] and B [out, r] per expert, each its own tensor. */
function loraStateBytes(tensor: TensorSpec, options: ProfileOptions): number {
  const rank = options.loraRank;
  const out = tensor.shape[tensor.shape.length - 2]!;
  const inputs = tensor.shape[tensor.shape.length - 1]!;
  const a = optimizerStateBytes(
    options.optimizer,
    [rank, inputs],
    rank * inputs,
    options.stateBytes,
  );
  const b = optimizerStateBytes(options.optimizer, [out, rank], out * rank, options.stateBytes);
  return tensor.experts * (a + b);
}

function architectureProfile(model: ModelSpec, options: ProfileOptions): ParamProfile {
  const architecture = model.architecture!;
  const tensors = enumerateTensors(architecture);
  const layers: MutableGroup[] = Array.from({ length: architecture.layers }, () => ({
    trainableParams: 0,
    frozenBytes: 0,
    optimizerBytes: 0,
  }));
  const embedding: MutableGroup = { trainableParams: 0, frozenBytes: 0, optimizerBytes: 0 };
  const head: MutableGroup = { trainableParams: 0, frozenBytes: 0, optimizerBytes: 0 };
  const groupOf = (tensor: TensorSpec): MutableGroup =>
    tensor.layer !== undefined
      ? layers[tensor.layer]!
      : tensor.role === 'token_embd' || tensor.role === 'pos_embd'
        ? embedding
        : head;

  const lora = options.finetune !== 'full';
  const roles = targetedRoles(options.loraTargets);
  let loraParams = 0;
  let largestModuleParams = 0;
  let largestLinearParams = 0;
  for (const tensor of tensors) {
    const group = groupOf(tensor);
    const perModule = tensor.elements / tensor.experts;
    largestModuleParams = Math.max(largestModuleParams, perModule);
    if (tensor.shape.length >= 2 && tensor.role !== 'token_embd' && tensor.role !== 'pos_embd') {
      largestLinearParams = Math.max(largestLinearParams, perModule);
    }
    // LoRA freezes every base weight, adapted or not; QLoRA's base is laid out in NF4 below.
    if (options.finetune === 'lora')
      group.frozenBytes += tensor.elements * options.recipe.frozenBytesPerParam;
    const trainable = lora ? loraParamsForTensor(tensor, roles, options.loraRank) : tensor.elements;
    if (trainable === 0) continue;
    group.trainableParams += trainable;
    loraParams += lora ? trainable : 0;
    group.optimizerBytes += lora
      ? loraStateBytes(tensor, options)
      : optimizerStateBytes(options.optimizer, tensor.shape, trainable, options.stateBytes);
  }

  if (options.finetune === 'qlora') {
    // The frozen base in NF4 + double quantization for every linear layer; embeddings, norms
    // and the head in bf16 (transformers' bitsandbytes integration, core/formats/weight-only.ts).
    const layout = cachedLayout(model, architecture, requireFormat(QLORA_BASE_FORMAT));
    layout.layerBytes.forEach((bytes, index) => (layers[index]!.frozenBytes = bytes));
    embedding.frozenBytes = layout.embeddingBytes;
    head.frozenBytes = layout.headBytes;
  }

  const trainableParams =
    layers.reduce((sum, group) => sum + group.trainableParams, 0) +
    embedding.trainableParams +
    head.trainableParams;
  return {
    layers,
    embedding,
    head,
    trainableParams,
    loraParams: lora ? loraParams : null,
    largestModuleParams,
    largestLinearParams,
  };
}

/**
 * The training parameter profile of a model under a fine-tuning method, recipe and optimizer.
 *
 * @param model a model spec (with an architecture for LoRA/QLoRA)
 * @param options fine-tuning method, LoRA rank and targets, recipe, optimizer, state bytes
 * @returns per-layer, embedding and head groups, cached per model and options
 * @throws HeadroomError BAD_ARGUMENT for LoRA/QLoRA on a bare parameter count
 * @example paramProfile(llama2_7b, { finetune: 'lora', loraRank: 8, loraTargets: ['q', 'v'], … }).loraParams // 4194304
 */
export function paramProfile(model: ModelSpec, options: ProfileOptions): ParamProfile {
  let perModel = profileCache.get(model);
  if (!perModel) {
    perModel = new Map();
    profileCache.set(model, perModel);
  }
  const key = profileKey(options);
  let profile = perModel.get(key);
  if (!profile) {
    profile = model.architecture
      ? architectureProfile(model, options)
      : paramsOnlyProfile(model, options);
    perModel.set(key, profile);
  }
  return profile;
}

/** Optimizer state bytes of every group of a profile together. */
export function totalOptimizerBytes(profile: ParamProfile): number {
  return (
    profile.layers.reduce((sum, group) => sum + group.optimizerBytes, 0) +
    profile.embedding.optimizerBytes +
    profile.head.optimizerBytes
  );
}
