import type { ComputeDtype } from '../devices/dtypes';
import type { DeviceSpec } from '../devices/types';
import type { ArchitectureSpec } from '../models/types';
import { peakOpsFor } from '../perf/throughput';
import type { CheckpointingMode, FinetuneMethod, TrainingThroughput } from '../plan/types';

/**
 * Training speed: FLOPs per token over GPUs × peak × MFU.
 *
 * A training step costs 6 FLOPs per parameter per token: 2 in the forward pass, 4 in the
 * backward pass (gradients of activations and of weights; Kaplan et al. 2020, section 2.1,
 * C ≈ 6N per token). Full recompute runs the forward pass twice: 8. LoRA and QLoRA skip the
 * frozen weights' gradients: 2 + 2 = 4 per frozen parameter (Hu et al. 2021, section 4.2: no
 * gradients for most parameters), plus 6 per adapter parameter. Attention adds, per token and
 * layer, 4 × (heads × head dim) × context in the forward pass and twice that backward:
 * 12 · L · H · Q · T in total (Chowdhery et al. 2022, PaLM, appendix B).
 */

/**
 * Default model FLOPs utilisation: Llama 3 pre-training reached 38–43 % BF16 MFU on 8–16 K
 * H100s (Dubey et al. 2024, "The Llama 3 Herd of Models", table 4). 0.4 is its middle.
 */
export const DEFAULT_MFU = 0.4;

/** FLOPs per parameter per token: forward 2, backward 4 (2 for activation gradients, 2 for weight gradients). */
const FORWARD_FLOPS_PER_PARAM = 2;
const ACTIVATION_GRADIENT_FLOPS_PER_PARAM = 2;
const WEIGHT_GRADIENT_FLOPS_PER_PARAM = 2;

/** Attention score and value products per token, layer and attended token: 2 matmuls × 2 FLOPs. */
const ATTENTION_FORWARD_FLOPS = 4;

interface TrainingFlopsInput {
  /** Parameters a token's forward pass uses (routed experts: the active ones). */
  readonly activeParams: number;
  /** Trainable adapter parameters (LoRA/QLoRA), 0 for a full fine-tune. */
  readonly adapterParams: number;
  readonly finetune: FinetuneMethod;
  readonly checkpointing: CheckpointingMode;
  readonly architecture?: ArchitectureSpec;
  readonly contextTokens: number;
}

/**
 * FLOPs to train on one token.
 *
 * @example trainingFlopsPerToken({ activeParams: 1e9, adapterParams: 0, finetune: 'full', checkpointing: 'none', contextTokens: 2048 }) // 6e9
 */
export function trainingFlopsPerToken(input: TrainingFlopsInput): number {
  const forward = FORWARD_FLOPS_PER_PARAM;
  const backward =
    ACTIVATION_GRADIENT_FLOPS_PER_PARAM +
    (input.finetune === 'full' ? WEIGHT_GRADIENT_FLOPS_PER_PARAM : 0);
  const recompute = input.checkpointing === 'full' ? forward : 0;
  const weightFlops = (forward + backward + recompute) * input.activeParams;
  const adapterFlops =
    (FORWARD_FLOPS_PER_PARAM +
      ACTIVATION_GRADIENT_FLOPS_PER_PARAM +
      WEIGHT_GRADIENT_FLOPS_PER_PARAM +
      recompute) *
    input.adapterParams;
  const architecture = input.architecture;
  if (!architecture) return weightFlops + adapterFlops;
  const attentionForward =
    ATTENTION_FORWARD_FLOPS *
    architecture.layers *
    architecture.attentionHeads *
    architecture.headDim *
    input.contextTokens;
  // Backward is twice the forward; selective and full recompute both redo the forward of attention.
  const attentionPasses = 3 + (input.checkpointing === 'none' ? 0 : 1);
  return weightFlops + adapterFlops + attentionForward * attentionPasses;
}

/**
 * Training tokens per second on `gpus` GPUs, paced by the slowest kind (data parallelism
 * waits for every rank), and the time to train `trainTokens`.
 *
 * @param devices the GPUs of one node; every node is the same
 * @param nodes number of nodes
 * @param computeDtype dtype of the matrix math (falls back as peakOpsFor does)
 * @param mfu achieved fraction of peak
 * @param flopsPerToken trainingFlopsPerToken
 * @param trainTokens tokens to train on, or undefined for no time estimate
 */
export function trainingThroughput(
  devices: readonly DeviceSpec[],
  nodes: number,
  computeDtype: ComputeDtype,
  mfu: number,
  flopsPerToken: number,
  trainTokens: number | undefined,
): TrainingThroughput {
  const slowest = Math.min(
    ...devices.map((device) => peakOpsFor(device, computeDtype).opsPerSecond),
  );
  const gpus = devices.length * nodes;
  const tokensPerSecond = (gpus * slowest * mfu) / flopsPerToken;
  return {
    trainingTokensPerSecond: tokensPerSecond,
    secondsToTrain:
      trainTokens !== undefined && tokensPerSecond > 0 ? trainTokens / tokensPerSecond : null,
    bound: 'compute',
  };
}
