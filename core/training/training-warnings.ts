import type { DeviceSpec } from '../devices/types';
import type { ModelSpec } from '../models/types';
import type { TrainingScenario } from '../plan/types';
import { SETTING_NAMES } from '../setting-names';
import { formatBytes, type ByteUnit } from '../units/bytes';
import type { OptimizerSpec } from './optimizers';
import type { ParallelLayout } from './parallelism';

interface TrainingWarningInput {
  readonly model: ModelSpec;
  readonly scenario: TrainingScenario;
  readonly layout: ParallelLayout;
  readonly optimizer: OptimizerSpec;
  readonly host?: DeviceSpec;
  readonly hostBytesPerNode: number;
  readonly unit: ByteUnit;
}

/** What a person should know before launching this run: approximations, odd splits, limits. */
export function trainingWarnings(input: TrainingWarningInput): string[] {
  const { model, scenario, layout, optimizer } = input;
  const warnings: string[] = [];
  const architecture = model.architecture;
  const t = layout.tensorParallel;
  if (!architecture) {
    warnings.push(
      `Only a parameter count was given: activations use the seed rule of thumb (2 activation values per parameter), which knows nothing of sequence length, batch or recompute; choose ${SETTING_NAMES.model} for the per-layer count.`,
    );
    if (scenario.zeroStage === 3) {
      warnings.push(
        "ZeRO-3 gathers one module's parameters at a time: without the architecture that buffer is unknown and left out.",
      );
    }
    if (optimizer.factoredSecondMoment) {
      warnings.push(
        "Adafactor's factored states need the tensor shapes: without the architecture they count as zero.",
      );
    }
  }
  if (architecture) {
    if (architecture.attentionHeads % t !== 0 || architecture.kvHeads % t !== 0) {
      warnings.push(
        `Tensor parallel ${t} does not divide the ${architecture.attentionHeads} attention heads and ${architecture.kvHeads} KV heads evenly; Megatron-LM refuses such a split.`,
      );
    }
    if (architecture.layers % layout.pipelineParallel !== 0) {
      warnings.push(
        `${architecture.layers} layers do not split evenly over ${layout.pipelineParallel} pipeline stages: the first stages take one more layer each.`,
      );
    }
    if (scenario.contextTokens > architecture.maxContextTokens) {
      warnings.push(
        `The sequence (${scenario.contextTokens} tokens) is longer than the model was trained for (${architecture.maxContextTokens}).`,
      );
    }
  }
  if (layout.pipelineParallel > 1 && scenario.gradAccum < layout.pipelineParallel) {
    warnings.push(
      `With ${scenario.gradAccum} micro-batch${scenario.gradAccum === 1 ? '' : 'es'} per step over ${layout.pipelineParallel} pipeline stages most stages sit idle: set ${SETTING_NAMES.gradAccum} to at least ${layout.pipelineParallel} (ideally several times it).`,
    );
  }
  if (scenario.sequenceParallel && t === 1) {
    warnings.push(
      `Sequence parallelism splits activations over the tensor-parallel group: with ${SETTING_NAMES.tensorParallel} at 1 it changes nothing.`,
    );
  }
  if (input.host && input.hostBytesPerNode > input.host.memoryBytes) {
    warnings.push(
      `CPU offload needs ${formatBytes(input.hostBytesPerNode, input.unit)} of system RAM per node but ${input.host.name} has ${formatBytes(input.host.memoryBytes, input.unit)}.`,
    );
  }
  return warnings;
}
