import type { ArchitectureSpec } from '../models/types';
import type { CheckpointingMode, FinetuneMethod, LoraTarget } from '../plan/types';
import { sdpaBackend } from '../memory/sdpa-backend';
import { FP32_BYTES, type PrecisionRecipe } from './precision';

/**
 * Training activations as eager PyTorch keeps them for a Hugging Face transformers model
 * (what `Trainer`, accelerate, DeepSpeed and FSDP run): every tensor an autograd node saves for
 * its backward, op by op, per token of a micro-batch. Autograd saves an input only when the
 * gradient of another input needs it (torch/csrc/autograd/generated: `should_compute_output`
 * guards each SavedVariable), so frozen weights (LoRA's base) change what is kept.
 *
 * The layer is transformers' Llama decoder layer (Llama, Qwen2/3, Mistral, Gemma share it):
 * - RMSNorm (modeling_llama.py LlamaRMSNorm): `x.to(float32)`, `pow(2).mean`, `x * rsqrt(var)`,
 *   `weight * x.to(input_dtype)`: saves the fp32 input, and (trainable weight) the normed copy;
 * - q/k/v/o and MLP linears save their input when their weight is trained;
 * - rotary embedding saves only cos/sin (the position tensors do not need a gradient);
 * - SDPA (flash / memory-efficient) saves q, k, v, its output and one fp32 log-sum-exp per head;
 *   the math kernel (fp32 with GQA) saves the heads × sequence score matrix instead;
 * - SwiGLU: silu saves its input, the product saves both factors, down_proj its input.
 * Under autocast (amp) each linear casts its input to bf16 and saves that cast; peft's LoRA
 * (autocast_adapter_dtype=True keeps adapters in fp32) casts a bf16 input up to fp32 for lora_A.
 */

/** Elements of the cross-entropy's fp32 buffers alive at once in backward, per vocabulary entry. */
const LOSS_BACKWARD_FP32_COPIES = 3;

/**
 * The loss: transformers' ForCausalLMLoss upcasts the logits (`logits.float()`) and calls
 * cross_entropy = log_softmax + nll_loss (loss/loss_utils.py). In the forward pass the
 * compute-dtype logits, their fp32 copy and log_softmax's output are alive at once; in backward
 * log_softmax's saved output, nll_loss's gradient and log_softmax's gradient (3 × fp32).
 */
export function lossBytesPerToken(
  vocabSize: number,
  computeBytes: number,
): { readonly forwardBytes: number; readonly backwardBytes: number } {
  const upcast = computeBytes === FP32_BYTES ? 0 : FP32_BYTES;
  return {
    forwardBytes: vocabSize * (computeBytes + upcast + FP32_BYTES),
    backwardBytes: vocabSize * FP32_BYTES * LOSS_BACKWARD_FP32_COPIES,
  };
}

export interface EagerTrainingInput {
  readonly recipe: PrecisionRecipe;
  readonly finetune: FinetuneMethod;
  readonly loraTargets: readonly LoraTarget[];
  readonly checkpointing: CheckpointingMode;
  /** false: transformers' "eager" attention, which materialises the score matrix. */
  readonly flashAttention: boolean;
  readonly sequenceTokens: number;
  readonly microBatch: number;
}

interface EagerTrainingActivations {
  /** What the forward pass leaves saved for backward, all layers together (one micro-batch). */
  readonly savedBytes: number;
  /** One layer's saved tensors when recomputed in backward (0 without checkpointing). */
  readonly recomputedLayerBytes: number;
  /** The loss's transients at the end of the forward pass and at the start of backward. */
  readonly lossForwardBytes: number;
  readonly lossBackwardBytes: number;
}

/** `count` saved tensors of `bytes` each (per token). */
const tensors = (count: number, bytes: number): number[] =>
  Array.from({ length: count }, () => bytes);

/** What LoRA adapters save of their input when `count` targeted linears read the same tensor of `width`. */
function adapterInputs(recipe: PrecisionRecipe, width: number, count: number): number[] {
  if (count === 0) return [];
  // amp: autocast casts the input to bf16 for each lora_A; a 16-bit model: peft casts it up to
  // the fp32 adapter for each; an fp32 model: lora_A saves the tensor itself, once.
  if (recipe.autocastCopyBytesPerParam > 0)
    return tensors(count, recipe.autocastCopyBytesPerParam * width);
  if (recipe.activationBytesPerElement < FP32_BYTES) return tensors(count, FP32_BYTES * width);
  return [FP32_BYTES * width];
}

/**
 * Bytes a LoRA adapter adds on a linear whose input is already in the compute dtype (o_proj
 * reads the attention output, down_proj the gated product): a 16-bit model's peft casts it up
 * to fp32; otherwise lora_A keeps the tensor itself, which costs nothing when it is saved anyway.
 */
function adapterOnComputeTensor(
  recipe: PrecisionRecipe,
  width: number,
  alreadySaved: boolean,
): number[] {
  const halfModel =
    recipe.activationBytesPerElement < FP32_BYTES && recipe.autocastCopyBytesPerParam === 0;
  if (halfModel) return [FP32_BYTES * width];
  return alreadySaved ? [] : [recipe.activationBytesPerElement * width];
}

/** Bytes trained linears that read the same tensor of `width` save of it. */
function trainedInputs(
  recipe: PrecisionRecipe,
  width: number,
  count: number,
  tensorBytes: number,
): number[] {
  if (count === 0) return [];
  // Under autocast each linear saves its own bf16 cast; otherwise they share the tensor.
  if (recipe.autocastCopyBytesPerParam > 0)
    return tensors(count, recipe.autocastCopyBytesPerParam * width);
  return [tensorBytes * width];
}

/** RMSNorm's saved tensors over `width`: the fp32 input, and the normed copy if its weight trains. */
function normSaved(recipe: PrecisionRecipe, width: number, trainedWeight: boolean): number[] {
  return trainedWeight
    ? [FP32_BYTES * width, recipe.residualBytesPerElement * width]
    : [FP32_BYTES * width];
}

/**
 * The tensors one decoder layer saves for backward, in the order the forward pass creates them,
 * as bytes per token (without recomputation).
 */
export function eagerLayerSavedTensors(
  architecture: ArchitectureSpec,
  input: Pick<
    EagerTrainingInput,
    'recipe' | 'finetune' | 'loraTargets' | 'flashAttention' | 'sequenceTokens'
  >,
): number[] {
  const { recipe } = input;
  const full = input.finetune === 'full';
  const targets = new Set(full ? [] : input.loraTargets);
  const compute = recipe.activationBytesPerElement;
  const h = architecture.hiddenSize;
  const queryWidth = architecture.attentionHeads * architecture.headDim;
  const kvWidth = architecture.kvHeads * architecture.headDim;
  const f = architecture.intermediateSize;
  const gated = architecture.ffnKind !== 'plain';
  // The normed tensor the linears read: 16-bit in a half-precision model, fp32 otherwise.
  const normOutBytes = recipe.residualBytesPerElement;
  const saved: number[] = [];

  // Pre-attention norm and the q, k, v projections reading its output.
  const qkvTargeted = ['q', 'k', 'v'].filter((t) => targets.has(t as LoraTarget)).length;
  saved.push(...normSaved(recipe, h, full));
  saved.push(
    ...(full
      ? trainedInputs(recipe, h, architecture.fusedQkv ? 1 : 3, normOutBytes)
      : adapterInputs(recipe, h, qkvTargeted)),
  );
  if (architecture.qkNorm) {
    saved.push(...normSaved(recipe, queryWidth, full), ...normSaved(recipe, kvWidth, full));
  }

  // Attention.
  const backend = input.flashAttention
    ? sdpaBackend({ computeBytes: compute, groupedQuery: kvWidth < queryWidth, masked: false })
    : 'eager';
  const heads = architecture.attentionHeads;
  const s = input.sequenceTokens;
  const oInputSaved = full || targets.has('o');
  if (backend === 'flash' || backend === 'mem-efficient') {
    saved.push(queryWidth * compute, kvWidth * compute, kvWidth * compute);
    saved.push(queryWidth * compute, heads * FP32_BYTES);
    // o_proj reads SDPA's output, saved already.
    if (!full && targets.has('o')) saved.push(...adapterOnComputeTensor(recipe, queryWidth, true));
  } else if (backend === 'math') {
    // q, the repeated k and v, the softmax output, and o_proj's contiguous input.
    saved.push(...tensors(3, queryWidth * compute), heads * s * compute);
    if (oInputSaved) saved.push(queryWidth * compute);
  } else {
    // transformers eager_attention_forward: q, repeated k and v, fp32 softmax and its cast.
    saved.push(...tensors(3, queryWidth * compute), heads * s * FP32_BYTES);
    if (compute < FP32_BYTES) saved.push(heads * s * compute);
    if (oInputSaved) saved.push(queryWidth * compute);
  }

  // Post-attention norm and the MLP.
  saved.push(...normSaved(recipe, h, full));
  const inputLinears = gated ? (architecture.fusedGateUp ? 1 : 2) : 1;
  const upTargeted = (gated ? ['gate', 'up'] : ['up']).filter((t) =>
    targets.has(t as LoraTarget),
  ).length;
  saved.push(
    ...(full
      ? trainedInputs(recipe, h, inputLinears, normOutBytes)
      : adapterInputs(recipe, h, upTargeted)),
  );
  const moe = architecture.moe;
  const ffnWidth = moe
    ? moe.activeExperts * moe.expertIntermediateSize + moe.sharedIntermediateSize
    : f;
  if (moe) {
    // grouped_mm: each (token, expert) pair's gathered input, and the router's fp32 softmax.
    saved.push(moe.activeExperts * h * compute, moe.routedExperts * FP32_BYTES);
  }
  // Gated: silu's input, the product's two factors; plain: the activation's input.
  saved.push(...tensors(gated ? 3 : 1, ffnWidth * compute));
  // down_proj's input (the gated product, or the activation).
  if (full) saved.push(ffnWidth * compute);
  else if (targets.has('down')) saved.push(...adapterOnComputeTensor(recipe, ffnWidth, false));
  // grouped_mm: each pair's weighted output, kept by the routing-weight product.
  if (moe) saved.push(moe.activeExperts * h * compute);
  return saved;
}

/**
 * Saved bytes per token of one decoder layer, without recomputation.
 * @example the Llama-3.1-8B LoRA r16 q,k,v,o run in bf16 saves 20h + 8q + 4kv + 4a + 6f ≈ 205 KB per token and layer
 */
export function eagerLayerSavedBytesPerToken(
  architecture: ArchitectureSpec,
  input: Parameters<typeof eagerLayerSavedTensors>[1],
): number {
  return eagerLayerSavedTensors(architecture, input).reduce((a, b) => a + b, 0);
}

/**
 * Saved bytes per token outside the layers: the final norm (and lm_head's input when the head
 * trains), and rotary cos/sin (fp32 under autocast, the model dtype otherwise).
 */
function eagerOuterSavedBytesPerToken(
  architecture: ArchitectureSpec,
  input: Pick<EagerTrainingInput, 'recipe' | 'finetune'>,
): number {
  const { recipe } = input;
  const full = input.finetune === 'full';
  const h = architecture.hiddenSize;
  const saved = [
    ...normSaved(recipe, h, full),
    ...(full ? trainedInputs(recipe, h, 1, recipe.residualBytesPerElement) : []),
    2 * architecture.headDim * recipe.residualBytesPerElement,
  ];
  return saved.reduce((a, b) => a + b, 0);
}

/** What eager training of a transformers model keeps in activations, for one micro-batch. */
export function eagerTrainingActivations(
  architecture: ArchitectureSpec,
  input: EagerTrainingInput,
): EagerTrainingActivations {
  const tokens = input.sequenceTokens * input.microBatch;
  const layer = eagerLayerSavedBytesPerToken(architecture, input) * tokens;
  const outer = eagerOuterSavedBytesPerToken(architecture, input) * tokens;
  // transformers' gradient checkpointing (torch.utils.checkpoint, non-reentrant) keeps each
  // layer's input hidden states and recomputes the layer in backward.
  const checkpointed = input.checkpointing === 'full';
  const perLayer = checkpointed
    ? architecture.hiddenSize * input.recipe.residualBytesPerElement * tokens
    : layer;
  const loss = lossBytesPerToken(architecture.vocabSize, input.recipe.activationBytesPerElement);
  return {
    savedBytes: perLayer * architecture.layers + outer,
    recomputedLayerBytes: checkpointed ? layer : 0,
    lossForwardBytes: loss.forwardBytes * tokens,
    lossBackwardBytes: loss.backwardBytes * tokens,
  };
}
