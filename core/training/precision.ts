import type { ComputeDtype } from '../devices/dtypes';
import type { OptimizerStateDtype, TrainingPrecision } from '../plan/types';

/**
 * Training precision recipes: what one parameter costs in each memory category.
 *
 * The bytes per *trainable* parameter split into the copy the kernels read (weights), its
 * gradient, and the fp32 master copy the optimizer updates when the weights themselves are in
 * half precision. Frozen parameters (LoRA's base model) keep only their weights.
 */
export interface PrecisionRecipe {
  readonly id: TrainingPrecision;
  readonly label: string;
  /** Bytes per trainable parameter of the model's own weights (every copy the model keeps). */
  readonly weightBytesPerParam: number;
  readonly gradientBytesPerParam: number;
  /** Bytes per trainable parameter of a separate fp32 copy inside the optimizer (0: none). */
  readonly masterBytesPerParam: number;
  /** Bytes per frozen parameter (not trained: LoRA's base model). */
  readonly frozenBytesPerParam: number;
  /**
   * Of `weightBytesPerParam`, the bytes of the half-precision copy autocast makes of each weight
   * for the forward pass (amp: 2; 0 where the weights are already in the compute dtype). The
   * copy lives from the forward pass to the weight's backward, not through the optimizer step.
   */
  readonly autocastCopyBytesPerParam: number;
  /** Bytes of an element of the residual stream between layers (fp32 weights keep it in fp32). */
  readonly residualBytesPerElement: number;
  /** Bytes per saved activation element (dropout masks are 1 byte whatever the recipe). */
  readonly activationBytesPerElement: number;
  /** Moment dtype when the scenario does not choose one. */
  readonly defaultStateDtype: OptimizerStateDtype;
  /** The dtype the matrix math runs in, for the speed estimate. */
  readonly computeDtype: ComputeDtype;
  readonly source: string;
}

/** Bytes of one fp32 value (IEEE 754 binary32). */
export const FP32_BYTES = 4;
/** Bytes of one fp16 or bf16 value. */
export const HALF_BYTES = 2;

/** Bytes per optimizer moment element for each full-precision state dtype. */
export const STATE_DTYPE_BYTES: Readonly<Record<OptimizerStateDtype, number>> = {
  fp32: FP32_BYTES,
  bf16: HALF_BYTES,
};

export const PRECISION_RECIPES: Readonly<Record<TrainingPrecision, PrecisionRecipe>> = {
  fp32: {
    id: 'fp32',
    label: 'FP32 (full precision)',
    weightBytesPerParam: FP32_BYTES,
    gradientBytesPerParam: FP32_BYTES,
    masterBytesPerParam: 0,
    frozenBytesPerParam: FP32_BYTES,
    autocastCopyBytesPerParam: 0,
    residualBytesPerElement: FP32_BYTES,
    activationBytesPerElement: FP32_BYTES,
    defaultStateDtype: 'fp32',
    computeDtype: 'fp32',
    source:
      'Hugging Face transformers docs, "Model training anatomy": 4 bytes × parameters for fp32 weights, 4 for gradients',
  },
  amp: {
    id: 'amp',
    label: 'AMP (PyTorch autocast: fp32 weights, fp16 compute)',
    // 4 (fp32 parameter) + 2 (the fp16 copy autocast caches for the whole forward pass).
    weightBytesPerParam: FP32_BYTES + HALF_BYTES,
    gradientBytesPerParam: FP32_BYTES,
    masterBytesPerParam: 0,
    // autocast caches the cast only for leaf tensors with requires_grad (aten/src/ATen/autocast_mode.cpp
    // cached_cast: can_try_cache needs arg.requires_grad() && arg.is_leaf()): frozen weights keep 4 bytes.
    frozenBytesPerParam: FP32_BYTES,
    autocastCopyBytesPerParam: HALF_BYTES,
    residualBytesPerElement: FP32_BYTES,
    activationBytesPerElement: HALF_BYTES,
    defaultStateDtype: 'fp32',
    // torch.autocast("cuda") defaults to float16 (torch/amp/autocast_mode.py).
    computeDtype: 'fp16',
    source:
      'Hugging Face transformers docs, "Model training anatomy": mixed precision keeps the weights in fp32 and fp16 (6 bytes), gradients in fp32 (4): 18 bytes/param with AdamW; PyTorch autocast_mode.cpp caches the fp16 casts of trainable leaf weights',
  },
  mixed: {
    id: 'mixed',
    label: 'Mixed (fp16/bf16 weights and gradients, fp32 master weights)',
    weightBytesPerParam: HALF_BYTES,
    gradientBytesPerParam: HALF_BYTES,
    masterBytesPerParam: FP32_BYTES,
    frozenBytesPerParam: HALF_BYTES,
    autocastCopyBytesPerParam: 0,
    residualBytesPerElement: HALF_BYTES,
    activationBytesPerElement: HALF_BYTES,
    defaultStateDtype: 'fp32',
    computeDtype: 'bf16',
    source:
      'Rajbhandari et al. 2019, ZeRO, section 3.1: fp16 parameters (2Ψ) and gradients (2Ψ), fp32 parameters, momentum and variance (KΨ, K = 12 for Adam)',
  },
  bf16: {
    id: 'bf16',
    label: 'Pure bf16 (bf16 weights and gradients, no master copy)',
    weightBytesPerParam: HALF_BYTES,
    gradientBytesPerParam: HALF_BYTES,
    masterBytesPerParam: 0,
    frozenBytesPerParam: HALF_BYTES,
    autocastCopyBytesPerParam: 0,
    residualBytesPerElement: HALF_BYTES,
    activationBytesPerElement: HALF_BYTES,
    // torch.optim.AdamW creates its moments with zeros_like(param): bf16 for bf16 parameters.
    defaultStateDtype: 'bf16',
    computeDtype: 'bf16',
    source:
      'bf16 parameters and gradients (2 + 2 bytes); torch.optim.AdamW allocates exp_avg/exp_avg_sq with torch.zeros_like(param), so moments follow the parameter dtype unless chosen otherwise',
  },
};

export const TRAINING_PRECISIONS = Object.keys(PRECISION_RECIPES) as readonly TrainingPrecision[];

/** The state dtype a scenario uses: its own choice, else the recipe's default. */
export function stateDtypeFor(
  recipe: PrecisionRecipe,
  chosen: OptimizerStateDtype | undefined,
): OptimizerStateDtype {
  return chosen ?? recipe.defaultStateDtype;
}

/**
 * The recipe LoRA adapters train with. peft's get_peft_model upcasts adapters to fp32 when the
 * base model is fp16/bf16 (autocast_adapter_dtype=True, the default: peft tuners_utils.py
 * _cast_adapter_dtype), so the adapters, their gradients and (torch.optim creates moments with
 * zeros_like) their optimizer states are fp32 whatever the base; the frozen base and the
 * activations keep the recipe's widths.
 */
export function adapterRecipe(recipe: PrecisionRecipe): PrecisionRecipe {
  if (recipe.weightBytesPerParam - recipe.autocastCopyBytesPerParam >= FP32_BYTES) return recipe;
  return {
    ...recipe,
    weightBytesPerParam: FP32_BYTES,
    gradientBytesPerParam: FP32_BYTES,
    masterBytesPerParam: 0,
    defaultStateDtype: 'fp32',
  };
}
