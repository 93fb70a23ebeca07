import type { ArchitectureSpec } from '../models/types';
import type { CheckpointingMode } from '../plan/types';
import { FP32_BYTES } from './precision';

/**
 * Training activations: what the forward pass saves for the backward pass, per transformer
 * layer and micro-batch, after Korthikanti et al. 2022, "Reducing Activation Recomputation in
 * Large Transformer Models" (section 4, table 2). The paper counts, for a GPT block with 2-byte
 * activations and 1-byte dropout masks, per token:
 *
 * - attention: QKV input 2h, Q and K 4h, V 2h, output-projection input 2h, dropout mask h,
 *   and per head the softmax output 2s, its dropout mask s and the dropout output 2s → 11h + 5as;
 * - MLP: input 2h, GeLU input 8h and GeLU output 8h (width 4h), dropout mask h → 19h;
 * - two layer norms: 4h.
 *
 * Total sbh(34 + 5as/h). Tensor parallelism splits all but the norm inputs, the block inputs
 * and the dropout masks (10 of the 34); sequence parallelism splits those too; selective
 * recompute drops the 5as/h attention-score term; full recompute keeps only the layer input
 * (2sbh). Here the same items are counted from the architecture's own widths (GQA's narrower
 * K and V, a gated MLP's four FFN-wide tensors, MoE experts), so the paper's GPT block gives
 * the paper's numbers and other blocks get the same accounting.
 */

/** What a block looks like to the activation count. */
interface BlockShape {
  readonly hiddenSize: number;
  readonly attentionHeads: number;
  /** Width of Q and of the attention output (heads × head dim). */
  readonly queryWidth: number;
  /** Width of K and of V each (KV heads × head dim). */
  readonly kvWidth: number;
  readonly normsPerLayer: number;
  /** FFN width one token passes through (per expert for MoE). */
  readonly ffnWidth: number;
  /** SwiGLU/GeGLU (gate, up, activation, product saved) or plain GeLU (input and output saved). */
  readonly gated: boolean;
  /** MoE: experts each token visits and the router's width; absent for a dense block. */
  readonly moe?: {
    readonly activeExperts: number;
    readonly routedExperts: number;
    readonly sharedWidth: number;
  };
  /** Dropout after attention scores, attention and MLP (GPT-2/3 style); off in current LLMs. */
  readonly dropout: boolean;
}

export interface ActivationSettings {
  /** s: tokens per sequence. */
  readonly sequenceTokens: number;
  /** b: sequences per micro-batch. */
  readonly microBatch: number;
  /** t: tensor-parallel degree. */
  readonly tensorParallel: number;
  readonly sequenceParallel: boolean;
  readonly checkpointing: CheckpointingMode;
  /** FlashAttention/SDPA: no s × s score matrix is kept, only the row log-sum-exp. */
  readonly flashAttention: boolean;
  /** Bytes of an activation element (2 for fp16/bf16, 4 for fp32). */
  readonly bytesPerElement: number;
}

/** Dropout keeps a 1-byte mask per element (Korthikanti et al. 2022, section 4.1). */
const DROPOUT_MASK_BYTES = 1;

/**
 * FlashAttention saves one fp32 log-sum-exp per head and query token for its backward pass
 * (flash_attn_interface.py saves softmax_lse of shape [batch, heads, seqlen] in float32).
 */
const FLASH_LSE_BYTES = FP32_BYTES;

/**
 * The loss needs the logits in fp32: 4sbv (Korthikanti et al. 2022, section 4.3, "the cross
 * entropy loss requires storing the logits which are calculated in 32-bit floating point").
 */
export const LOGITS_BYTES_PER_ELEMENT = FP32_BYTES;

/**
 * The backward pass starts from the gradient of the loss with respect to the logits: a tensor
 * of the logits' shape and dtype, alive while every saved activation still is (PyTorch
 * cross_entropy backward returns grad_input shaped like its input).
 */
const LOGITS_GRADIENT_BYTES_PER_ELEMENT = FP32_BYTES;

/**
 * Bare parameter counts: the seed article's rule of thumb, "Activation & temp variable ≈ 8 bytes
 * (FP32)" per parameter for a full FP32 fine-tune (shared/seeds/002, "GPU size for training") —
 * two fp32 values per parameter, so two activation elements per parameter at the recipe's width.
 */
const SEED_ACTIVATION_ELEMENTS_PER_PARAM = 2;

const shapeCache = new WeakMap<ArchitectureSpec, { dense?: BlockShape; moe?: BlockShape }>();

/** The block shape of a dense or MoE layer of an architecture (computed once per architecture). */
export function blockShape(architecture: ArchitectureSpec, moeLayer: boolean): BlockShape {
  let cached = shapeCache.get(architecture);
  if (!cached) {
    cached = {};
    shapeCache.set(architecture, cached);
  }
  const key = moeLayer && architecture.moe ? 'moe' : 'dense';
  return (cached[key] ??= computeBlockShape(architecture, key === 'moe'));
}

function computeBlockShape(architecture: ArchitectureSpec, moeLayer: boolean): BlockShape {
  const moe = architecture.moe;
  const base = {
    hiddenSize: architecture.hiddenSize,
    attentionHeads: architecture.attentionHeads,
    queryWidth: architecture.attentionHeads * architecture.headDim,
    kvWidth: architecture.kvHeads * architecture.headDim,
    normsPerLayer: architecture.normsPerLayer ?? 2,
    gated: architecture.ffnKind !== 'plain',
    // Current checkpoints train without dropout (Llama attention_dropout 0.0, no hidden dropout).
    dropout: false,
  };
  if (moeLayer && moe) {
    return {
      ...base,
      ffnWidth: moe.expertIntermediateSize,
      moe: {
        activeExperts: moe.activeExperts,
        routedExperts: moe.routedExperts,
        sharedWidth: moe.sharedIntermediateSize,
      },
    };
  }
  return { ...base, ffnWidth: architecture.intermediateSize };
}

/** The paper's GPT block: MHA, a plain 4h GeLU MLP, two layer norms, dropout (Korthikanti et al. 2022). */
export function gptBlockShape(hiddenSize: number, attentionHeads: number): BlockShape {
  return {
    hiddenSize,
    attentionHeads,
    queryWidth: hiddenSize,
    kvWidth: hiddenSize,
    normsPerLayer: 2,
    ffnWidth: 4 * hiddenSize,
    gated: false,
    dropout: true,
  };
}

/** Saved FFN elements per token that tensor parallelism splits (and router bytes, for MoE). */
function mlpSplitBytes(shape: BlockShape, bytes: number): number {
  const perExpert = (shape.gated ? 4 : 2) * shape.ffnWidth;
  if (!shape.moe) return perExpert * bytes;
  const { activeExperts, routedExperts, sharedWidth } = shape.moe;
  // Each token is copied to its experts (their input) and runs through each one's FFN;
  // the router keeps fp32 probabilities over every expert.
  const routed = activeExperts * (shape.hiddenSize + perExpert);
  const shared = (shape.gated ? 4 : 2) * sharedWidth;
  return (routed + shared) * bytes + routedExperts * FP32_BYTES;
}

/**
 * Bytes one transformer layer saves for the backward pass, for one micro-batch, on one device.
 *
 * @param shape the block (blockShape, or gptBlockShape for the paper's own configurations)
 * @param settings s, b, t, sequence parallelism, recompute mode, flash attention, element bytes
 * @returns bytes; for the GPT block at 2 bytes: sbh(34 + 5as/h) without parallelism,
 *   sbh(10 + 24/t + 5as/(ht)) with tensor parallelism, sbh(34/t + 5as/(ht)) with sequence
 *   parallelism, the 5as/h term dropped by selective recompute, 2sbh with full recompute
 * @example layerActivationBytes(gptBlockShape(12288, 96), { sequenceTokens: 2048, microBatch: 1, tensorParallel: 1, … }) // 2868903936
 */
export function layerActivationBytes(shape: BlockShape, settings: ActivationSettings): number {
  const tokens = settings.sequenceTokens * settings.microBatch;
  const t = settings.tensorParallel;
  const bytes = settings.bytesPerElement;
  const h = shape.hiddenSize;
  const sequenceShare = settings.sequenceParallel ? t : 1;
  if (settings.checkpointing === 'full') return (tokens * bytes * h) / sequenceShare;

  // Norm inputs, the attention and MLP inputs, and the two dropout masks after the blocks.
  const replicated =
    (shape.normsPerLayer + 2) * h * bytes + (shape.dropout ? 2 * h * DROPOUT_MASK_BYTES : 0);
  const attentionLinear = (2 * shape.queryWidth + 2 * shape.kvWidth) * bytes;
  const heads = shape.attentionHeads;
  let scores = 0;
  if (settings.checkpointing !== 'selective') {
    scores = settings.flashAttention
      ? heads * FLASH_LSE_BYTES
      : heads *
        settings.sequenceTokens *
        (bytes + (shape.dropout ? DROPOUT_MASK_BYTES + bytes : 0));
  }
  const split = attentionLinear + scores + mlpSplitBytes(shape, bytes);
  return tokens * (replicated / sequenceShare + split / t);
}

/**
 * The logits and loss buffers on the last pipeline stage for one micro-batch: the final norm's
 * and output layer's inputs (4sbh at 2 bytes, Korthikanti et al. 2022 section 4.3), the fp32
 * logits (4sbv) and their gradient (4sbv), the vocabulary split over tensor parallelism.
 */
export function logitsBytes(
  hiddenSize: number,
  vocabSize: number,
  settings: Pick<
    ActivationSettings,
    'sequenceTokens' | 'microBatch' | 'tensorParallel' | 'sequenceParallel' | 'bytesPerElement'
  >,
): number {
  const tokens = settings.sequenceTokens * settings.microBatch;
  const t = settings.tensorParallel;
  const inputs = (2 * hiddenSize * settings.bytesPerElement) / (settings.sequenceParallel ? t : 1);
  const logits = (vocabSize * (LOGITS_BYTES_PER_ELEMENT + LOGITS_GRADIENT_BYTES_PER_ELEMENT)) / t;
  return tokens * (inputs + logits);
}

/** The seed's rule of thumb for a bare parameter count: two activation elements per parameter. */
export function ruleOfThumbActivationBytes(
  params: number,
  bytesPerElement: number,
  tensorParallel: number,
): number {
  return (params * SEED_ACTIVATION_ELEMENTS_PER_PARAM * bytesPerElement) / tensorParallel;
}
