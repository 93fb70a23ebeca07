import type { PlanAccuracy } from '../calibration/accuracy';
import type { EngineId } from '../formats/types';
import type { FitAnswer } from './fit-answer';
import type { TrainingFit } from './training-fit';

/** The memory categories of every plan, inference and training alike (bytes). */
export interface MemoryBreakdown {
  readonly weights: number;
  readonly kvCache: number;
  readonly activations: number;
  readonly gradients: number;
  readonly optimizerStates: number;
  readonly masterWeights: number;
  readonly overhead: number;
}

export const EMPTY_BREAKDOWN: MemoryBreakdown = {
  weights: 0,
  kvCache: 0,
  activations: 0,
  gradients: 0,
  optimizerStates: 0,
  masterWeights: 0,
  overhead: 0,
};

export interface InferenceScenario {
  readonly mode: 'inference';
  /** Format id of the weights (core/formats). */
  readonly weightsFormat: string;
  /** Format id of the KV cache. */
  readonly kvFormat: string;
  readonly contextTokens: number;
  readonly batch: number;
  readonly engine: EngineId;
  /** Safety margin as a fraction of usable memory: above 1 − margin a plan is "tight". */
  readonly marginFraction: number;
  /**
   * Layers whose routed experts stay in system RAM (llama.cpp `--n-cpu-moe N`, the first N
   * layers; all layers = `-ot exps=CPU`); attention, shared experts and the KV cache stay on the
   * devices. Absent or 0: none.
   */
  readonly moeOffloadLayers?: number;
  /**
   * llama.cpp `--swa-full`: sliding-window layers keep the whole context instead of the window
   * plus one micro-batch (core/memory/engine-kv.ts). Only llama.cpp has the switch.
   */
  readonly swaFull?: boolean;
  /**
   * Images in each sequence's prompt (`--images`); their tokens join the context
   * (core/plan/image-tokens.ts). Absent or 0: text only.
   */
  readonly images?: number;
  /** llama.cpp's vision projector file (`--mmproj`), by name, for the launch settings. */
  readonly mmprojFile?: string;
  /**
   * Speculative decoding (`--draft`): a draft model's id or file, or `mtp` for the model's own
   * multi-token-prediction layers. Absent: none.
   */
  readonly draft?: string;
  /** Tokens the draft proposes per step (llama.cpp --draft-max, vLLM num_speculative_tokens). */
  readonly draftTokens?: number;
  /**
   * Data-parallel attention (vLLM `--data-parallel-size`, SGLang `--dp-size` with
   * `--enable-dp-attention`; mixture-of-experts models): the devices form this many ranks of
   * devices ÷ N tensor-parallel GPUs, each with its own copy of the attention and dense weights
   * and its own KV cache for its own requests; the experts stay shared across all GPUs
   * (core/plan/allocation.ts). Absent or 1: none.
   */
  readonly dataParallel?: number;
  /**
   * Expert parallelism (vLLM `--enable-expert-parallel`, SGLang `--ep-size`): each GPU holds
   * whole routed experts, ⌈experts ÷ GPUs⌉ of every MoE layer, instead of a slice of each.
   */
  readonly expertParallel?: boolean;
  /**
   * Sequences the engine is started for, where that is not the batch: a serving plan sizes the
   * KV for one request of --max-model-len but starts vLLM with `--max-num-seqs` of these, and
   * vLLM's start-up profile runs its sampler over that many (core/memory/vllm-sampler.ts).
   * Absent: the batch.
   */
  readonly engineSequences?: number;
}

/** Where a plan's vision-tower weights come from, engine by engine (core/plan/multimodal-memory.ts). */
export type VisionWeightsSource =
  'checkpoint' | 'mmproj-file' | 'mmproj-f16' | 'not-loaded' | 'not-modelled';

/**
 * The memory images add to an inference plan (bytes, whole batch), item by item; present with
 * images, and for a model with a vision tower planned text only (images 0).
 */
export interface MultimodalMemory {
  readonly images: number;
  readonly tokensPerImage: number;
  /** Image tokens in each sequence's context (images × tokensPerImage). */
  readonly imageTokens: number;
  /** KV cache the image tokens take, all sequences together. */
  readonly imageKvBytes: number;
  /** Vision tower and projector weights resident while serving. */
  readonly visionWeightBytes: number;
  readonly visionWeightsSource: VisionWeightsSource;
  /** vLLM's encoder cache of image embeddings (0 for other engines). */
  readonly encoderCacheBytes: number;
  /** The vision encoder's activations at its peak (images encoded in one forward pass). */
  readonly visionActivationBytes: number;
}

/** The memory speculative decoding adds (bytes, whole batch). */
export interface SpeculativeMemory {
  readonly method: 'draft-model' | 'mtp';
  /** The draft model's id, or the target's id for its MTP layers. */
  readonly model: string;
  readonly draftTokens: number | null;
  readonly weightBytes: number;
  readonly kvCacheBytes: number;
}

/** Training precision recipes (issue 5); each one's bytes per parameter are in core/training. */
export type TrainingPrecision = 'fp32' | 'amp' | 'mixed' | 'bf16';
export type OptimizerId =
  'adamw' | 'adamw-8bit' | 'paged-adamw-8bit' | 'sgd' | 'sgd-momentum' | 'adafactor' | 'lion';
/*
 * The value lists below are the one source of each union: the CLI's choices, the bridge's zod
 * enums and the renderer's controls all read them (STYLE.md habit 11).
 */
export const FINETUNE_METHODS = ['full', 'lora', 'qlora'] as const;
export type FinetuneMethod = (typeof FINETUNE_METHODS)[number];
/** The LoRA targets people name (PEFT target_modules of Llama-style models: q_proj … down_proj). */
export const LORA_TARGETS = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] as const;
export type LoraTarget = (typeof LORA_TARGETS)[number];
export const CHECKPOINTING_MODES = ['none', 'selective', 'full'] as const;
export type CheckpointingMode = (typeof CHECKPOINTING_MODES)[number];
export const ZERO_STAGES = [0, 1, 2, 3] as const;
export type ZeroStage = (typeof ZERO_STAGES)[number];
export const OFFLOAD_TARGETS = ['none', 'optimizer', 'optimizer+params'] as const;
export type OffloadTarget = (typeof OFFLOAD_TARGETS)[number];
/** Storage dtypes of full-precision optimizer moments (8-bit optimizers have their own), and of LoRA adapters. */
export const STATE_DTYPES = ['fp32', 'bf16'] as const;
export type OptimizerStateDtype = (typeof STATE_DTYPES)[number];
/** How torch.optim steps (see TrainingScenario.optimizerImpl). */
export const OPTIMIZER_IMPLS = ['fused', 'foreach'] as const;
export type OptimizerImpl = (typeof OPTIMIZER_IMPLS)[number];
/** PyTorch FSDP sharding strategies, as their ZeRO equivalents (FULL_SHARD = 3, SHARD_GRAD_OP = 2). */
export const FSDP_MODES = ['full', 'grad-op'] as const;
export type FsdpMode = (typeof FSDP_MODES)[number];

export interface TrainingScenario {
  readonly mode: 'training';
  readonly precision: TrainingPrecision;
  readonly optimizer: OptimizerId;
  readonly finetune: FinetuneMethod;
  readonly loraRank: number;
  readonly loraTargets: readonly LoraTarget[];
  readonly checkpointing: CheckpointingMode;
  readonly flashAttention: boolean;
  /** Sequence length per sample. */
  readonly contextTokens: number;
  readonly microBatch: number;
  readonly gradAccum: number;
  readonly zeroStage: ZeroStage;
  readonly tensorParallel: number;
  readonly pipelineParallel: number;
  readonly nodes: number;
  readonly offload: OffloadTarget;
  /**
   * Model FLOPs utilisation for the speed estimate; absent → estimated from what a step does
   * (core/training/training-speed-roofline.ts) where the architecture is known, else the
   * default MFU.
   */
  readonly mfu?: number;
  /** Tokens to train on, for the time estimate; absent → no time. */
  readonly trainTokens?: number;
  /** false → model states only, as the ZeRO paper reports them. */
  readonly includeActivations: boolean;
  readonly marginFraction: number;
  /** Moment dtype; absent → the recipe's default (bf16 for `bf16`, fp32 otherwise). */
  readonly optimizerStateDtype?: OptimizerStateDtype;
  /**
   * How torch.optim steps: `fused` (one kernel in place, torch._fused_adamw_; the default of
   * transformers' Trainer, optim="adamw_torch_fused") or `foreach` (torch.optim's default on CUDA,
   * whose multi-tensor Adam builds a moment-sized temporary). Absent → fused.
   */
  readonly optimizerImpl?: OptimizerImpl;
  /** Sharding through FSDP instead of DeepSpeed; `zeroStage` then holds its ZeRO equivalent. */
  readonly fsdp?: FsdpMode;
  /**
   * Dtype of LoRA adapters: absent or `fp32` = peft's default (get_peft_model upcasts adapters
   * of a 16-bit model to fp32); `bf16` = adapters cast to the compute dtype, as the QLoRA
   * paper's qlora.py does (`module.to(torch.bfloat16)` for every LoraLayer).
   */
  readonly adapterDtype?: OptimizerStateDtype;
  /** Megatron sequence parallelism alongside tensor parallelism (Korthikanti et al. 2022); absent → off. */
  readonly sequenceParallel?: boolean;
}

export type Scenario = InferenceScenario | TrainingScenario;

export type VerdictStatus = 'fits' | 'tight' | 'needs-offload' | 'does-not-fit' | 'no-device';

export interface OffloadSplit {
  /** Transformer layers kept on the devices (llama.cpp -ngl). */
  readonly deviceLayers: number;
  readonly totalLayers: number;
  /** Bytes that live in system RAM instead. */
  readonly hostBytes: number;
}

export interface Verdict {
  readonly status: VerdictStatus;
  /** Whether it runs entirely on the devices (fits or tight); null without a device. */
  readonly fits: boolean | null;
  /** The fewest devices of the first kind given on which it fits; null if none up to the limit. */
  readonly minDevices: number | null;
  readonly reason: string;
  readonly offload?: OffloadSplit;
  /**
   * For a mixture-of-experts model that does not fit: the fewest layers whose routed experts,
   * kept in system RAM (llama.cpp --n-cpu-moe), let the rest fit on the devices.
   */
  readonly moeOffloadLayers?: number;
  /**
   * For a mixture-of-experts model under vLLM that does not fit by tensor parallelism: the
   * fewest data-parallel ranks (with expert parallelism) that fit it on the same GPUs.
   */
  readonly dataParallel?: number;
}

export interface DevicePlan {
  readonly device: string;
  readonly name: string;
  /** Memory the plan may use on this device (free memory if detected, else total). */
  readonly capacity: number;
  /** Which one `capacity` is: the free memory detection read, or the device's total. */
  readonly capacityKind?: 'free' | 'total';
  readonly used: number;
  /** capacity × engine utilisation − engine margin − used; negative when over. */
  readonly headroom: number;
  readonly breakdown: MemoryBreakdown;
  /** Transformer layers on this device (layer split), or all of them (tensor parallel). */
  readonly layers: number;
}

/** What paces decoding: reading memory, the matrix math, or the host launching eager kernels. */
export type ThroughputBound = 'memory-bandwidth' | 'compute' | 'host';

/** Training speed: 6 × params FLOPs per token (8 × with full recompute) over devices × peak × MFU. */
export interface TrainingThroughput {
  readonly trainingTokensPerSecond: number;
  /** The model FLOPs utilisation the estimate amounts to (the given one, or the roofline's). */
  readonly mfu?: number;
  /** Seconds to train `trainTokens`, when given. */
  readonly secondsToTrain: number | null;
  readonly bound: 'compute';
}

export interface Throughput {
  /** Generated tokens per second, all sequences of the batch together. */
  readonly decodeTokensPerSecond: number;
  /** Per sequence: what one user sees. */
  readonly decodeTokensPerSecondPerSequence: number;
  readonly prefillTokensPerSecond: number;
  /** What limits decoding. */
  readonly bound: ThroughputBound;
  /**
   * Eager engines are paced by the host's CPU (Python, kernel launches): decode speed on a
   * slow and a typical host (tokens/s, all sequences). Absent for graph-captured engines.
   */
  readonly decodeTokensPerSecondRange?: { readonly low: number; readonly high: number };
}

export interface Assumption {
  readonly name: string;
  readonly value: string | number;
  /** Set when `value` is a byte count, so faces print it in the chosen unit. */
  readonly unit?: 'bytes';
  readonly source: string;
}

export interface PlanModel {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly params: number;
  readonly activeParams: number;
  readonly layers: number | null;
  /** KV bytes per token of context for one sequence in the chosen KV format; null without architecture. */
  readonly kvBytesPerToken: number | null;
}

export interface Solution {
  readonly maxContext?: number | null;
  readonly maxBatch?: number | null;
  readonly bestFormat?: string | null;
  readonly minGpus?: number | null;
  /** The device group's answer line (core/plan/fit-answer.ts), when the request asks for it. */
  readonly fitAnswer?: FitAnswer | null;
  /** What would make a training plan fit (core/plan/training-fit.ts), when asked for. */
  readonly trainingFit?: TrainingFit | null;
}

export const PLAN_SCHEMA = 'headroom.plan/v1';

/** The shape every plan has, inference or training (schema headroom.plan/v1). */
interface PlanOf<S extends Scenario, T> {
  readonly schema: typeof PLAN_SCHEMA;
  readonly model: PlanModel;
  readonly scenario: S & { readonly devices: readonly string[] };
  readonly memory: {
    readonly breakdown: MemoryBreakdown;
    readonly total: number;
    readonly perDevice: readonly DevicePlan[];
    /** What images add (inference with `--images`); counted inside `breakdown` already. */
    readonly multimodal?: MultimodalMemory;
    /** What a draft model or MTP layers add; counted inside `breakdown` already. */
    readonly speculative?: SpeculativeMemory;
    /**
     * SGLang's `--mem-fraction-static` the plan budgeted: the share of each GPU's memory free
     * before the weights load that holds the weights and the KV pool (engine sglang only).
     */
    readonly staticPoolFraction?: number;
  };
  readonly verdict: Verdict;
  readonly throughput: T | null;
  readonly solution?: Solution;
  /** How far this kind of plan was from measured runs (core/calibration/accuracy.ts). */
  readonly accuracy: PlanAccuracy;
  readonly assumptions: readonly Assumption[];
  readonly warnings: readonly string[];
}

export type InferencePlan = PlanOf<InferenceScenario, Throughput>;
export type TrainingPlan = PlanOf<TrainingScenario, TrainingThroughput>;
export type Plan = InferencePlan | TrainingPlan;

export type { EngineId };
