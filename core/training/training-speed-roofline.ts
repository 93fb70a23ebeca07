import type { DeviceSpec } from '../devices/types';
import type { ArchitectureSpec } from '../models/types';
import {
  eagerElementwiseBytesPerToken,
  EAGER_HOST_SECONDS_PER_OP,
  EAGER_OPS_PER_LLAMA_LAYER,
  LORA_OPS_PER_TARGETED_LINEAR,
} from '../perf/eager-overheads';
import { efficiencyFor } from '../perf/efficiency';
import { peakOpsFor } from '../perf/throughput';
import { sdpaBackend } from '../memory/sdpa-backend';
import type { CheckpointingMode, TrainingThroughput } from '../plan/types';
import type { PrecisionRecipe } from './precision';

/**
 * Training speed of eager PyTorch from what a step does, when no MFU is given: the matrix math
 * at the efficiency cuBLAS reaches on large GEMMs, plus the memory traffic of everything that is
 * not a matrix product — element-wise ops forward and backward, the fp32 loss over the whole
 * vocabulary, autocast's weight casts, the optimizer's pass over its states.
 */

/**
 * Element-wise passes of a training step, in forward-pass units: the forward (1), the backward
 * (about twice the forward's element-wise traffic: each op reads its saved inputs and the
 * incoming gradient and writes the outgoing one), and a recomputed forward under checkpointing.
 */
const BACKWARD_ELEMENTWISE_PASSES = 2;

/**
 * Bytes the loss moves per vocabulary entry and token (transformers ForCausalLMLoss): forward —
 * logits written (2), upcast (2 in, 4 out), log_softmax (4 in twice, 4 out); backward — the
 * nll gradient (4), log_softmax backward (8 in, 4 out), the cast back (4 in, 2 out).
 */
const LOSS_BYTES_PER_VOCAB = 2 + 6 + 12 + 4 + 12 + 6;

/**
 * A fused AdamW step reads the parameter, its gradient and both moments and writes the parameter
 * and the moments (torch._fused_adamw_): bytes per trainable parameter, given their widths.
 */
function optimizerStepBytesPerParam(
  weightBytes: number,
  gradientBytes: number,
  stateBytesPerParam: number,
): number {
  return 2 * weightBytes + gradientBytes + 2 * stateBytesPerParam;
}

interface RooflineTrainingInput {
  readonly architecture: ArchitectureSpec;
  readonly recipe: PrecisionRecipe;
  readonly checkpointing: CheckpointingMode;
  /** Tokens one GPU processes per optimizer step (micro-batch × sequence × accumulation). */
  readonly tokensPerStep: number;
  /** Forward-backward passes per step (gradient accumulation). */
  readonly microBatches: number;
  /** Tokens per sequence (the score matrix's width), and whether attention runs fused. */
  readonly sequenceTokens: number;
  readonly flashAttention: boolean;
  readonly flopsPerToken: number;
  /** Trainable parameters on one GPU, and the bytes of optimizer state each one has. */
  readonly trainableParams: number;
  readonly stateBytesPerParam: number;
  /** Parameters one GPU holds (autocast casts each weight once per step). */
  readonly heldParams: number;
  /** Linear layers per decoder layer that carry a LoRA adapter (0 for a full fine-tune). */
  readonly loraLinearsPerLayer: number;
  /** LoRA adapter parameters, and the input and output widths of the adapted linears of one layer. */
  readonly adapterParams: number;
  readonly adaptedWidthsPerLayer: { readonly inputs: number; readonly outputs: number };
}

/**
 * peft keeps adapters of a 16-bit model in fp32, so their matmuls run in fp32 — on CUDA cores,
 * since PyTorch leaves TF32 off for matmuls (torch.backends.cuda.matmul.allow_tf32 = False) —
 * and every adapted linear moves fp32 copies around: the input cast up (2 in, 4 out), the
 * adapter output (4), its scaling (4 in, 4 out), the sum with the base output promoted to fp32
 * (2 + 4 in, 4 out) and the cast back (4 in, 2 out): 6 bytes per input and 28 per output
 * element forward (peft tuners/lora/layer.py Linear.forward).
 */
const LORA_FP32_BYTES_PER_INPUT = 6;
const LORA_FP32_BYTES_PER_OUTPUT = 4 + 8 + 10 + 6;
/** q, k, v, o, gate, up, down. */
const LINEARS_PER_LLAMA_LAYER = 7;

/**
 * When attention materialises its scores (PyTorch's math kernel for fp32 with GQA, or
 * transformers' eager attention), the forward pass writes them (QKᵀ), adds the mask in place
 * (read, write), runs softmax (read, write) and reads them for the product with V: six passes
 * over heads × sequence elements per token.
 */
const SCORE_PASSES_FORWARD = 6;

/** Adapter FLOPs per adapter parameter and token: forward 2, backward 4. */
const ADAPTER_FLOPS_PER_PARAM = 6;

/**
 * Host time of one training step: every forward op is launched once more in backward (one
 * autograd node each) and once more when a checkpointed layer is recomputed, at the eager
 * per-op host cost measured on decode (core/perf/eager-overheads.ts).
 */
function eagerTrainingHostSeconds(input: RooflineTrainingInput, microBatches: number): number {
  // Under autocast every linear's weight is cast in the forward pass: one more op each.
  const casts = input.recipe.autocastCopyBytesPerParam > 0 ? LINEARS_PER_LLAMA_LAYER : 0;
  const forwardOps =
    EAGER_OPS_PER_LLAMA_LAYER + casts + LORA_OPS_PER_TARGETED_LINEAR * input.loraLinearsPerLayer;
  const passes = 2 + (input.checkpointing === 'none' ? 0 : 1);
  return forwardOps * passes * input.architecture.layers * EAGER_HOST_SECONDS_PER_OP * microBatches;
}

/** Seconds per token on one GPU, and the model FLOPs utilisation that amounts to. */
function rooflineTrainingSecondsPerToken(
  device: DeviceSpec,
  input: RooflineTrainingInput,
): { readonly secondsPerToken: number; readonly mfu: number } {
  const efficiency = efficiencyFor(device);
  const peak = peakOpsFor(device, input.recipe.computeDtype).opsPerSecond;
  const bandwidth = device.bandwidthBytesPerSecond * efficiency.decodeBandwidthEfficiency;
  // Adapters in fp32 (peft's default for 16-bit bases) compute at the fp32 peak.
  const fp32Adapters =
    input.adapterParams > 0 &&
    input.recipe.weightBytesPerParam >= 4 &&
    input.recipe.activationBytesPerElement < 4;
  const adapterFlops = fp32Adapters ? ADAPTER_FLOPS_PER_PARAM * input.adapterParams : 0;
  const fp32Peak = peakOpsFor(device, 'fp32').opsPerSecond;
  const matmulSeconds =
    (input.flopsPerToken - adapterFlops) / (peak * efficiency.prefillComputeEfficiency) +
    (adapterFlops > 0 ? adapterFlops / (fp32Peak * efficiency.prefillComputeEfficiency) : 0);
  const passes = 1 + BACKWARD_ELEMENTWISE_PASSES + (input.checkpointing === 'none' ? 0 : 1);
  const adapterTraffic = fp32Adapters
    ? input.architecture.layers *
      (LORA_FP32_BYTES_PER_INPUT * input.adaptedWidthsPerLayer.inputs +
        LORA_FP32_BYTES_PER_OUTPUT * input.adaptedWidthsPerLayer.outputs)
    : 0;
  const compute = input.recipe.activationBytesPerElement;
  const kvWidth = input.architecture.kvHeads * input.architecture.headDim;
  const queryWidth = input.architecture.attentionHeads * input.architecture.headDim;
  const backend = input.flashAttention
    ? sdpaBackend({ computeBytes: compute, groupedQuery: kvWidth < queryWidth, masked: false })
    : 'eager';
  const scoreTraffic =
    backend === 'math' || backend === 'eager'
      ? input.architecture.layers *
        input.architecture.attentionHeads *
        input.sequenceTokens *
        compute *
        SCORE_PASSES_FORWARD
      : 0;
  const elementwiseBytes =
    passes *
      (eagerElementwiseBytesPerToken(input.architecture, input.recipe.residualBytesPerElement) +
        adapterTraffic +
        scoreTraffic) +
    LOSS_BYTES_PER_VOCAB * input.architecture.vocabSize;
  const storage = input.recipe.weightBytesPerParam - input.recipe.autocastCopyBytesPerParam;
  const stepBytes =
    input.trainableParams *
      optimizerStepBytesPerParam(
        storage + input.recipe.masterBytesPerParam,
        input.recipe.gradientBytesPerParam,
        input.stateBytesPerParam,
      ) +
    // autocast reads each fp32 weight and writes its 16-bit copy once a step
    input.heldParams * input.recipe.autocastCopyBytesPerParam * 3;
  const gpuSecondsPerToken =
    matmulSeconds + (elementwiseBytes + stepBytes / input.tokensPerStep) / bandwidth;
  // Launches are asynchronous: a step takes the longer of GPU and host time.
  const hostSecondsPerToken =
    eagerTrainingHostSeconds(input, input.microBatches) / input.tokensPerStep;
  const secondsPerToken = Math.max(gpuSecondsPerToken, hostSecondsPerToken);
  return { secondsPerToken, mfu: input.flopsPerToken / secondsPerToken / peak };
}

/** Training throughput of identical data-parallel GPUs from the roofline estimate. */
export function rooflineTrainingThroughput(
  devices: readonly DeviceSpec[],
  nodes: number,
  input: RooflineTrainingInput,
  trainTokens: number | undefined,
): TrainingThroughput & { readonly mfu: number } {
  const perDevice = devices.map((device) => rooflineTrainingSecondsPerToken(device, input));
  const slowest = perDevice.reduce((a, b) => (b.secondsPerToken > a.secondsPerToken ? b : a));
  const tokensPerSecond = (devices.length * nodes) / slowest.secondsPerToken;
  return {
    trainingTokensPerSecond: tokensPerSecond,
    secondsToTrain: trainTokens !== undefined ? trainTokens / tokensPerSecond : null,
    bound: 'compute',
    mfu: slowest.mfu,
  };
}
