import { HeadroomError } from '../errors';
import { SETTING_NAMES } from '../setting-names';
import {
  CHECKPOINTING_MODES,
  FINETUNE_METHODS,
  LORA_TARGETS,
  type TrainingScenario,
  type ZeroStage,
} from '../plan/types';
import { DEFAULT_MARGIN_FRACTION } from '../plan/verdict';
import { DEFAULT_LORA_RANK, DEFAULT_LORA_TARGETS } from './lora';
import { OPTIMIZERS } from './optimizers';
import { PRECISION_RECIPES } from './precision';

/**
 * The defaults of a training scenario: a full fine-tune in mixed precision with AdamW on one
 * GPU, flash attention, no recompute, 4096-token sequences one at a time.
 */
export const DEFAULT_TRAINING_SCENARIO: TrainingScenario = {
  mode: 'training',
  precision: 'mixed',
  optimizer: 'adamw',
  finetune: 'full',
  loraRank: DEFAULT_LORA_RANK,
  loraTargets: DEFAULT_LORA_TARGETS,
  checkpointing: 'none',
  flashAttention: true,
  contextTokens: 4096,
  microBatch: 1,
  gradAccum: 1,
  zeroStage: 0,
  tensorParallel: 1,
  pipelineParallel: 1,
  nodes: 1,
  offload: 'none',
  includeActivations: true,
  marginFraction: DEFAULT_MARGIN_FRACTION,
};

/** The ZeRO stage each FSDP sharding strategy matches (PyTorch FSDP ShardingStrategy docs). */
export const FSDP_ZERO_STAGE: Readonly<Record<'full' | 'grad-op', ZeroStage>> = {
  full: 3, // FULL_SHARD: parameters, gradients and optimizer states
  'grad-op': 2, // SHARD_GRAD_OP: gradients and optimizer states
};

/**
 * A training scenario from the defaults and some overrides; an `fsdp` mode sets its ZeRO stage.
 *
 * @example trainingScenario({ finetune: 'qlora', loraRank: 64 }).precision // 'mixed'
 */
export function trainingScenario(
  overrides: Partial<Omit<TrainingScenario, 'mode'>> = {},
): TrainingScenario {
  const scenario: TrainingScenario = { ...DEFAULT_TRAINING_SCENARIO, ...overrides };
  if (overrides.fsdp !== undefined && overrides.zeroStage === undefined) {
    return { ...scenario, zeroStage: FSDP_ZERO_STAGE[overrides.fsdp] };
  }
  return scenario;
}

function bad(message: string): HeadroomError {
  return new HeadroomError('BAD_ARGUMENT', message);
}

function wholeNumber(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 1)
    throw bad(`${name} must be a whole number of at least 1 (got ${value}).`);
}

/**
 * Checks a training scenario; throws for anything a run could not be configured with.
 *
 * @throws HeadroomError BAD_ARGUMENT naming the field and what is allowed
 */
export function validateTrainingScenario(scenario: TrainingScenario): void {
  if (!PRECISION_RECIPES[scenario.precision])
    throw bad(`Unknown precision "${scenario.precision}".`);
  if (!OPTIMIZERS[scenario.optimizer]) throw bad(`Unknown optimizer "${scenario.optimizer}".`);
  if (!FINETUNE_METHODS.includes(scenario.finetune))
    throw bad(`Unknown fine-tuning method "${scenario.finetune}".`);
  if (!CHECKPOINTING_MODES.includes(scenario.checkpointing)) {
    throw bad(`Unknown checkpointing mode "${scenario.checkpointing}".`);
  }
  wholeNumber(scenario.contextTokens, 'The sequence length');
  wholeNumber(scenario.microBatch, 'The micro-batch');
  wholeNumber(scenario.gradAccum, 'Gradient accumulation');
  wholeNumber(scenario.tensorParallel, 'Tensor parallel');
  wholeNumber(scenario.pipelineParallel, 'Pipeline parallel');
  wholeNumber(scenario.nodes, 'Nodes');
  if (scenario.finetune !== 'full') {
    wholeNumber(scenario.loraRank, 'The LoRA rank');
    if (scenario.loraTargets.length === 0)
      throw bad(`LoRA needs at least one target module (${LORA_TARGETS.join(', ')}).`);
    const unknown = scenario.loraTargets.find((target) => !LORA_TARGETS.includes(target));
    if (unknown !== undefined)
      throw bad(`Unknown LoRA target "${unknown}": use ${LORA_TARGETS.join(', ')}.`);
  }
  if (![0, 1, 2, 3].includes(scenario.zeroStage))
    throw bad(`ZeRO stage is 0, 1, 2 or 3 (got ${scenario.zeroStage}).`);
  if (scenario.fsdp !== undefined && FSDP_ZERO_STAGE[scenario.fsdp] !== scenario.zeroStage) {
    throw bad(
      `FSDP ${scenario.fsdp} is ZeRO stage ${FSDP_ZERO_STAGE[scenario.fsdp]}, not ${scenario.zeroStage}: set ${SETTING_NAMES.fsdp} or ${SETTING_NAMES.zeroStage}, not both.`,
    );
  }
  if (scenario.offload !== 'none' && scenario.zeroStage === 0) {
    throw bad(
      `CPU offload partitions the optimizer with ZeRO: set ${SETTING_NAMES.zeroStage} to 1, 2 or 3 (or use ${SETTING_NAMES.fsdp}).`,
    );
  }
  if (scenario.offload === 'optimizer+params' && scenario.zeroStage !== 3) {
    throw bad(
      'Offloading parameters needs ZeRO stage 3 (DeepSpeed offload_param is a ZeRO-3 feature).',
    );
  }
  if (scenario.mfu !== undefined && !(scenario.mfu > 0 && scenario.mfu <= 1))
    throw bad(`MFU is a fraction above 0 and at most 1 (got ${scenario.mfu}).`);
  if (
    scenario.trainTokens !== undefined &&
    !(scenario.trainTokens > 0 && Number.isFinite(scenario.trainTokens))
  ) {
    throw bad(`The tokens to train on must be a positive number (got ${scenario.trainTokens}).`);
  }
  if (!(scenario.marginFraction >= 0 && scenario.marginFraction < 1)) {
    throw bad(`The safety margin is a fraction from 0 to 1 (got ${scenario.marginFraction}).`);
  }
}
