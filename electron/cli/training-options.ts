import { Command, Option } from 'commander';
import {
  CHECKPOINTING_MODES,
  FINETUNE_METHODS,
  FSDP_MODES,
  LORA_TARGETS,
  OFFLOAD_TARGETS,
  OPTIMIZER_IMPLS,
  STATE_DTYPES,
  type CheckpointingMode,
  type FinetuneMethod,
  type FsdpMode,
  type LoraTarget,
  type OffloadTarget,
  type OptimizerId,
  type OptimizerImpl,
  type OptimizerStateDtype,
  type TrainingPrecision,
  type TrainingScenario,
  type ZeroStage,
} from '../../core/plan/types';
import {
  DEFAULT_TRAINING_SCENARIO,
  OPTIMIZER_IDS,
  TRAINING_PRECISIONS,
  trainingScenario,
} from '../../core/training';
import {
  LORA_RANK_BOUND,
  NODES_BOUND,
  PARALLEL_DEGREE_BOUND,
  TRAINING_COUNT_BOUND,
} from '../../core/input-bounds';
import {
  booleanWord,
  boundedNumber,
  loraTargets,
  tokenAmount,
  utilisation,
  zeroStage,
} from './option-parsers';

/** The training flags of `headroom plan --mode training` (issue 5), as commander holds them. */

/** Option keys that only apply to --mode training. */
export const TRAINING_ONLY = [
  'precision',
  'optimizer',
  'optimizerDtype',
  'finetune',
  'loraRank',
  'loraTargets',
  'checkpointing',
  'flashAttention',
  'microBatch',
  'gradAccum',
  'zero',
  'fsdp',
  'tp',
  'pp',
  'sequenceParallel',
  'nodes',
  'offload',
  'mfu',
  'adapterDtype',
  'optimizerImpl',
  'trainTokens',
  'activations',
] as const;

export interface TrainingOptions {
  precision?: TrainingPrecision;
  optimizer?: OptimizerId;
  optimizerDtype?: OptimizerStateDtype;
  finetune?: FinetuneMethod;
  loraRank?: number;
  loraTargets?: LoraTarget[];
  checkpointing?: CheckpointingMode;
  flashAttention?: boolean;
  microBatch?: number;
  gradAccum?: number;
  zero?: ZeroStage;
  fsdp?: FsdpMode;
  tp?: number;
  pp?: number;
  sequenceParallel?: boolean;
  nodes?: number;
  offload?: OffloadTarget;
  mfu?: number;
  adapterDtype?: OptimizerStateDtype;
  optimizerImpl?: OptimizerImpl;
  trainTokens?: number;
  activations: boolean;
}

/** The training flags as a scenario: what was given over the defaults (core/training/scenario.ts). */
export function trainingScenarioOf(
  options: TrainingOptions & { context: number; margin: number },
): TrainingScenario {
  const given: { -readonly [K in keyof Omit<TrainingScenario, 'mode'>]?: TrainingScenario[K] } = {
    contextTokens: options.context,
    marginFraction: options.margin,
    includeActivations: options.activations,
  };
  const set = <K extends keyof typeof given>(
    key: K,
    value: (typeof given)[K] | undefined,
  ): void => {
    if (value !== undefined) given[key] = value;
  };
  set('precision', options.precision);
  set('optimizer', options.optimizer);
  set('optimizerStateDtype', options.optimizerDtype);
  set('adapterDtype', options.adapterDtype);
  set('optimizerImpl', options.optimizerImpl);
  set('finetune', options.finetune);
  set('loraRank', options.loraRank);
  set('loraTargets', options.loraTargets);
  set('checkpointing', options.checkpointing);
  set('flashAttention', options.flashAttention);
  set('microBatch', options.microBatch);
  set('gradAccum', options.gradAccum);
  set('zeroStage', options.zero);
  set('fsdp', options.fsdp);
  set('tensorParallel', options.tp);
  set('pipelineParallel', options.pp);
  set('sequenceParallel', options.sequenceParallel);
  set('nodes', options.nodes);
  set('offload', options.offload);
  set('mfu', options.mfu);
  set('trainTokens', options.trainTokens);
  return trainingScenario(given);
}

const DEFAULTS = DEFAULT_TRAINING_SCENARIO;

/** The training flags of issue 5 (defaults from core/training/scenario.ts). */
export function addTrainingOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--precision <recipe>',
        `training precision (default ${DEFAULTS.precision})`,
      ).choices(TRAINING_PRECISIONS),
    )
    .addOption(
      new Option('--optimizer <name>', `optimizer (default ${DEFAULTS.optimizer})`).choices(
        OPTIMIZER_IDS,
      ),
    )
    .addOption(
      new Option(
        '--optimizer-dtype <dtype>',
        'optimizer moment dtype (default: bf16 for --precision bf16, else fp32)',
      ).choices(STATE_DTYPES),
    )
    .addOption(
      new Option(
        '--optimizer-impl <impl>',
        "how torch.optim steps: fused (default, transformers' adamw_torch_fused) or foreach (torch.optim's own default)",
      ).choices(OPTIMIZER_IMPLS),
    )
    .addOption(
      new Option(
        '--adapter-dtype <dtype>',
        "LoRA adapter dtype (default fp32, peft's; bf16 as the QLoRA paper's qlora.py casts them)",
      ).choices(STATE_DTYPES),
    )
    .addOption(
      new Option(
        '--finetune <method>',
        `full, LoRA or QLoRA (default ${DEFAULTS.finetune})`,
      ).choices(FINETUNE_METHODS),
    )
    .option(
      '--lora-rank <r>',
      `LoRA rank (default ${DEFAULTS.loraRank})`,
      boundedNumber(LORA_RANK_BOUND),
    )
    .option(
      '--lora-targets <list>',
      `LoRA target modules, from ${LORA_TARGETS.join(',')} (default ${DEFAULTS.loraTargets.join(',')})`,
      loraTargets,
    )
    .addOption(
      new Option(
        '--checkpointing <mode>',
        `activation recompute (default ${DEFAULTS.checkpointing})`,
      ).choices(CHECKPOINTING_MODES),
    )
    .option(
      '--flash-attention <bool>',
      `memory-efficient attention, true or false (default ${DEFAULTS.flashAttention})`,
      booleanWord,
    )
    .option(
      '--micro-batch <n>',
      `sequences per micro-batch per GPU (default ${DEFAULTS.microBatch})`,
      boundedNumber(TRAINING_COUNT_BOUND),
    )
    .option(
      '--grad-accum <n>',
      `micro-batches per optimizer step (default ${DEFAULTS.gradAccum})`,
      boundedNumber(TRAINING_COUNT_BOUND),
    )
    .option('--zero <stage>', `DeepSpeed ZeRO stage 0-3 (default ${DEFAULTS.zeroStage})`, zeroStage)
    .addOption(
      new Option(
        '--fsdp <mode>',
        'PyTorch FSDP instead: full (ZeRO-3) or grad-op (ZeRO-2)',
      ).choices(FSDP_MODES),
    )
    .option(
      '--tp <n>',
      `tensor-parallel degree (default ${DEFAULTS.tensorParallel})`,
      boundedNumber(PARALLEL_DEGREE_BOUND),
    )
    .option(
      '--pp <n>',
      `pipeline-parallel degree (default ${DEFAULTS.pipelineParallel})`,
      boundedNumber(PARALLEL_DEGREE_BOUND),
    )
    .option('--sequence-parallel', 'Megatron sequence parallelism with --tp')
    .option(
      '--nodes <n>',
      `nodes, each with the --device/--gpus GPUs (default ${DEFAULTS.nodes})`,
      boundedNumber(NODES_BOUND),
    )
    .addOption(
      new Option('--offload <target>', `CPU offload (default ${DEFAULTS.offload})`).choices(
        OFFLOAD_TARGETS,
      ),
    )
    .option(
      '--mfu <f>',
      'model FLOPs utilisation for the speed estimate (default: estimated from the step for eager PyTorch)',
      utilisation,
    )
    .option(
      '--train-tokens <n>',
      'tokens to train on, for the time estimate (e.g. 2e12, 500B)',
      tokenAmount,
    )
    .option('--no-activations', 'model states only, as the ZeRO paper reports them');
}
