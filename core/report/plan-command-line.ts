/**
 * The `headroom plan` command that reproduces a plan: every scenario value spelled out as the
 * flag that sets it, so a report or a launch setting names exactly the plan it came from.
 */
import { shellQuote } from '../shell';
import type { InferencePlan, Plan, TrainingPlan } from '../plan/types';
import { isInferencePlan } from './plan-kind';

/** `--model <id>`, or `--params <count>` for a bare parameter count (plan model source `params`). */
function modelFlags(plan: Plan): string[] {
  return plan.model.source === 'params'
    ? ['--params', String(plan.model.params)]
    : ['--model', plan.model.id];
}

/** `--device` once per device, or `--device <id> --gpus <n>` when they are all the same. */
function deviceFlags(plan: Plan): string[] {
  const ids = plan.scenario.devices;
  if (ids.length > 1 && ids.every((id) => id === ids[0])) {
    return ['--device', ids[0]!, '--gpus', String(ids.length)];
  }
  return ids.flatMap((id) => ['--device', id]);
}

function inferenceFlags(plan: InferencePlan): string[] {
  const s = plan.scenario;
  return [
    '--weights',
    s.weightsFormat,
    '--kv',
    s.kvFormat,
    '--context',
    String(s.contextTokens),
    '--batch',
    String(s.batch),
    '--engine',
    s.engine,
    '--margin',
    String(s.marginFraction),
    ...(s.moeOffloadLayers ? ['--moe-offload', String(s.moeOffloadLayers)] : []),
    ...(s.swaFull ? ['--swa-full'] : []),
    ...(s.dataParallel ? ['--data-parallel', String(s.dataParallel)] : []),
    ...(s.expertParallel ? ['--expert-parallel'] : []),
    ...(s.images ? ['--images', String(s.images)] : []),
    ...(s.mmprojFile ? ['--mmproj', s.mmprojFile] : []),
    ...(s.draft !== undefined ? ['--draft', s.draft] : []),
    ...(s.draftTokens !== undefined ? ['--draft-tokens', String(s.draftTokens)] : []),
  ];
}

function trainingFlags(plan: TrainingPlan): string[] {
  const s = plan.scenario;
  const flags = ['--mode', 'training', '--precision', s.precision, '--optimizer', s.optimizer];
  if (s.optimizerStateDtype) flags.push('--optimizer-dtype', s.optimizerStateDtype);
  if (s.adapterDtype) flags.push('--adapter-dtype', s.adapterDtype);
  if (s.optimizerImpl) flags.push('--optimizer-impl', s.optimizerImpl);
  flags.push('--finetune', s.finetune);
  if (s.finetune !== 'full')
    flags.push('--lora-rank', String(s.loraRank), '--lora-targets', s.loraTargets.join(','));
  flags.push(
    '--checkpointing',
    s.checkpointing,
    '--flash-attention',
    String(s.flashAttention),
    '--context',
    String(s.contextTokens),
    '--micro-batch',
    String(s.microBatch),
    '--grad-accum',
    String(s.gradAccum),
  );
  // --fsdp sets its own ZeRO stage; giving both is an error (core/training/scenario.ts).
  if (s.fsdp) flags.push('--fsdp', s.fsdp);
  else flags.push('--zero', String(s.zeroStage));
  flags.push('--tp', String(s.tensorParallel), '--pp', String(s.pipelineParallel));
  if (s.sequenceParallel) flags.push('--sequence-parallel');
  flags.push('--nodes', String(s.nodes), '--offload', s.offload);
  if (s.mfu !== undefined) flags.push('--mfu', String(s.mfu));
  if (s.trainTokens !== undefined) flags.push('--train-tokens', String(s.trainTokens));
  if (!s.includeActivations) flags.push('--no-activations');
  flags.push('--margin', String(s.marginFraction));
  return flags;
}

/**
 * The command line that plans the same thing again, in one line of shell words. (A device the
 * user described by hand keeps its `custom:N` id, which only the app knows.)
 * @example planCommandLine(plan) // "headroom plan --model meta-llama/Meta-Llama-3-8B --device nvidia-rtx-4090 --weights q4_k_m …"
 */
export function planCommandLine(plan: Plan): string {
  const flags = [
    ...modelFlags(plan),
    ...deviceFlags(plan),
    ...(isInferencePlan(plan) ? inferenceFlags(plan) : trainingFlags(plan as TrainingPlan)),
  ];
  return ['headroom', 'plan', ...flags].map(shellQuote).join(' ');
}
