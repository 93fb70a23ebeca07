import { CachingAllocatorModel, type AllocationHandle } from '../memory/caching-allocator';
import type { AllocatorPeaks } from '../memory/eager-prefill-trace';
import type { ArchitectureSpec } from '../models/types';
import { FP32_BYTES } from './precision';
import { eagerLayerSavedTensors, type EagerTrainingInput } from './eager-activations';

/**
 * Two training steps of eager PyTorch replayed through the caching-allocator model
 * (core/memory/caching-allocator.ts), tensor by tensor, to find what the allocator reserves
 * beyond what is allocated: the first step builds the cache (and, at its end, the optimizer
 * creates its states inside cached blocks); the second step shows what that costs. The order is
 * the one autograd runs: forward layer by layer, the loss, backward from the loss down to the
 * embedding (each node frees its saved tensors once it has run), the optimizer step, then
 * `zero_grad(set_to_none=True)` frees the gradients.
 */

/** One weight tensor as the trace needs it. */
export interface TraceWeight {
  /** Decoder layer, or undefined for embeddings, the final norm and the head. */
  readonly layer?: number;
  /** Bytes of the stored weight. */
  readonly bytes: number;
  /** Bytes of its gradient (0 when frozen). */
  readonly gradientBytes: number;
  /** Bytes of each optimizer state tensor, and how many there are. */
  readonly stateBytes: number;
  readonly states: number;
  /** Bytes of autocast's bf16 copy (0 without autocast). */
  readonly castBytes: number;
}

interface EagerTrainingTraceInput extends EagerTrainingInput {
  readonly weights: readonly TraceWeight[];
  /** Temporaries the optimizer step allocates per trainable tensor, in state-tensor units. */
  readonly stepTemporaryStates: number;
}

/** Steps replayed: the first fills the cache and creates optimizer states, the second pays for it. */
const TRAINING_STEPS_TRACED = 2;

/** Live tensors by name, and by group (a name's prefix up to its last dot) to free together. */
class Live {
  private readonly handles = new Map<string, AllocationHandle>();
  private readonly groups = new Map<string, string[]>();
  constructor(private readonly allocator: CachingAllocatorModel) {}
  alloc(name: string, bytes: number, group?: string): void {
    this.handles.set(name, this.allocator.allocate(bytes));
    if (group === undefined) return;
    const members = this.groups.get(group);
    if (members) members.push(name);
    else this.groups.set(group, [name]);
  }
  free(name: string): void {
    if (!this.handles.has(name)) return;
    this.allocator.release(this.handles.get(name) ?? null);
    this.handles.delete(name);
  }
  freeGroup(group: string): void {
    for (const name of this.groups.get(group) ?? []) this.free(name);
    this.groups.delete(group);
  }
}

/** Replays two training steps; returns the allocator's peaks (weights included). */
export function eagerTrainingPeaks(
  architecture: ArchitectureSpec,
  input: EagerTrainingTraceInput,
): AllocatorPeaks {
  const allocator = new CachingAllocatorModel();
  const live = new Live(allocator);
  const { recipe } = input;
  const tokens = input.sequenceTokens * input.microBatch;
  const compute = recipe.activationBytesPerElement;
  const residual = recipe.residualBytesPerElement;
  const h = architecture.hiddenSize;
  const ffn = architecture.moe
    ? architecture.moe.activeExperts * architecture.moe.expertIntermediateSize
    : architecture.intermediateSize;
  const checkpointed = input.checkpointing === 'full';
  const saved = eagerLayerSavedTensors(architecture, input).map((perToken) => perToken * tokens);
  const hiddenBytes = tokens * h * compute;
  const ffnBytes = tokens * ffn * compute;
  const wideBytes = tokens * h * FP32_BYTES;
  const byLayer = new Map<number | undefined, [number, TraceWeight][]>();
  input.weights.forEach((weight, index) => {
    const list = byLayer.get(weight.layer);
    if (list) list.push([index, weight]);
    else byLayer.set(weight.layer, [[index, weight]]);
  });
  const layerWeights = (layer: number | undefined): [number, TraceWeight][] =>
    byLayer.get(layer) ?? [];

  input.weights.forEach((weight, index) => live.alloc(`w.${index}`, weight.bytes));

  const forwardLayer = (layer: number, keep: boolean): void => {
    for (const [index, weight] of layerWeights(layer)) {
      if (weight.castBytes > 0) live.alloc(`cast.${layer}.${index}`, weight.castBytes, 'cast');
    }
    // RMSNorm temporaries (the square), then the tensors autograd keeps, op by op.
    live.alloc('tmp.pow', wideBytes);
    live.free('tmp.pow');
    saved.forEach((bytes, index) => live.alloc(`saved.${layer}.${index}`, bytes, `saved.${layer}`));
    live.alloc('tmp.mlp-out', hiddenBytes);
    live.alloc(`x.${layer}`, tokens * h * residual);
    live.free('tmp.mlp-out');
    if (layer > 0) live.free(`x.${layer - 1}`);
    if (!keep) live.freeGroup(`saved.${layer}`);
  };

  const backwardLayer = (layer: number): void => {
    if (checkpointed) forwardLayer(layer, true);
    // The MLP's gradients (down, then the product's two factors, then gate), the weights'
    // gradients as their matmuls run, then attention's and the norms'.
    live.alloc('grad.ffn-a', ffnBytes);
    live.alloc('grad.ffn-b', ffnBytes);
    live.alloc('grad.ffn-c', ffnBytes);
    live.free('grad.ffn-a');
    live.alloc('grad.hidden-a', hiddenBytes);
    live.alloc('grad.hidden-b', hiddenBytes);
    live.free('grad.ffn-b');
    live.free('grad.ffn-c');
    for (const [index, weight] of layerWeights(layer)) {
      if (weight.gradientBytes > 0) live.alloc(`g.${index}`, weight.gradientBytes, 'g');
    }
    live.alloc('grad.wide', wideBytes);
    live.free('grad.hidden-a');
    live.free('grad.hidden-b');
    live.freeGroup(`saved.${layer}`);
    for (const [index] of layerWeights(layer)) live.free(`cast.${layer}.${index}`);
    live.free('grad.wide');
    if (checkpointed) live.free(`x.${layer}`);
  };

  for (let step = 1; step <= TRAINING_STEPS_TRACED; step++) {
    // Forward.
    for (const [index, weight] of layerWeights(undefined)) {
      if (weight.castBytes > 0) live.alloc(`cast.head.${index}`, weight.castBytes, 'cast');
    }
    for (let layer = 0; layer < architecture.layers; layer++) {
      forwardLayer(layer, !checkpointed);
      if (checkpointed) {
        // checkpoint keeps the layer's input; autocast's cached casts go when it exits.
        live.alloc(`ckpt.${layer}`, tokens * h * residual);
      }
    }
    if (checkpointed) live.freeGroup('cast');
    const vocabTokens = tokens;
    live.alloc('loss.logits', vocabTokens * architecture.vocabSize * compute);
    if (compute !== FP32_BYTES)
      live.alloc('loss.fp32', vocabTokens * architecture.vocabSize * FP32_BYTES);
    live.alloc('loss.logsoftmax', vocabTokens * architecture.vocabSize * FP32_BYTES);
    live.free('loss.logits');
    live.free('loss.fp32');
    // Backward from the loss.
    const vocabBytes = vocabTokens * architecture.vocabSize * FP32_BYTES;
    live.alloc('loss.grad-nll', vocabBytes);
    live.alloc('loss.grad-logsoftmax', vocabBytes);
    live.free('loss.logsoftmax');
    live.free('loss.grad-nll');
    if (compute !== FP32_BYTES) {
      live.alloc('loss.grad-logits', vocabTokens * architecture.vocabSize * compute);
      live.free('loss.grad-logsoftmax');
    }
    for (const [index, weight] of layerWeights(undefined)) {
      if (weight.gradientBytes > 0) live.alloc(`g.${index}`, weight.gradientBytes, 'g');
    }
    live.alloc('grad.head-input', hiddenBytes);
    live.free('loss.grad-logits');
    live.free('loss.grad-logsoftmax');
    for (let layer = architecture.layers - 1; layer >= 0; layer--) {
      backwardLayer(layer);
      if (checkpointed) live.free(`ckpt.${layer}`);
    }
    live.free('grad.head-input');
    live.free(`x.${architecture.layers - 1}`);
    live.freeGroup('cast');
    // The optimizer step: the first one creates its states next to the gradients.
    if (step === 1) {
      input.weights.forEach((weight, index) => {
        for (let state = 0; state < weight.states; state++)
          live.alloc(`s.${index}.${state}`, weight.stateBytes);
      });
    }
    // Multi-tensor (foreach) steps build their temporaries for every tensor at once.
    input.weights.forEach((weight, index) => {
      if (weight.states > 0) {
        for (let copy = 0; copy < input.stepTemporaryStates; copy++)
          live.alloc(`t.${index}.${copy}`, weight.stateBytes, 'step-temp');
      }
    });
    live.freeGroup('step-temp');
    live.freeGroup('g');
  }
  return {
    peakAllocatedBytes: allocator.peakAllocatedBytes,
    peakReservedBytes: allocator.peakReservedBytes,
  };
}
