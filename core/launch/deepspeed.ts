/**
 * A DeepSpeed configuration (ds_config.json) for a training plan sharded with ZeRO. Keys from
 * DeepSpeed's "DeepSpeed Configuration JSON" docs (docs/_pages/config-json.md).
 */
import { HeadroomError } from '../errors';
import { SETTING_NAMES } from '../setting-names';
import type { TrainingPlan } from '../plan/types';
import { provenance, requireTrainingPlan, verdictNotes } from './common';
import { trainingCodeNotes } from './training-notes';
import type { LaunchInput, LaunchSettings } from './types';

type Json = string | number | boolean | { readonly [key: string]: Json };

/**
 * The precision section per recipe (config-json.md "BFLOAT16 training options" and "PyTorch
 * Automatic Mixed Precision"): `mixed` is bf16 mode (ZeRO keeps fp32 master weights), `amp`
 * is torch.autocast to fp16, `bf16` keeps master weights and gradients in bf16 too, `fp32` sets
 * nothing.
 */
function precisionSection(plan: TrainingPlan): Record<string, Json> {
  const s = plan.scenario;
  switch (s.precision) {
    case 'fp32':
      return {};
    case 'amp':
      return { torch_autocast: { enabled: true, dtype: 'float16' } };
    case 'mixed':
      return { bf16: { enabled: true } };
    case 'bf16': {
      // Support matrix: bf16 master weights need ZeRO 1–3; fp32 moments with them need
      // ZeRO-Offload (DeepSpeedCPUAdam).
      if (s.zeroStage === 0) {
        throw new HeadroomError(
          'BAD_ARGUMENT',
          `DeepSpeed keeps bf16 master weights only with ZeRO stage 1, 2 or 3 (bf16_master_weights_and_grads): set ${SETTING_NAMES.zeroStage} to 1 or higher, or ${SETTING_NAMES.precision} to mixed.`,
        );
      }
      const bf16States = (s.optimizerStateDtype ?? 'bf16') === 'bf16';
      if (!bf16States && s.offload === 'none') {
        throw new HeadroomError(
          'BAD_ARGUMENT',
          'DeepSpeed keeps fp32 optimizer states beside bf16 master weights only with ZeRO-Offload: plan with --offload optimizer, or --optimizer-dtype bf16.',
        );
      }
      return {
        bf16: {
          enabled: true,
          bf16_master_weights_and_grads: true,
          bf16_optimizer_states: bf16States,
        },
      };
    }
  }
}

function zeroSection(plan: TrainingPlan): Record<string, Json> {
  const s = plan.scenario;
  const zero: Record<string, Json> = { stage: s.zeroStage };
  // "Optimizer offloading": CPU with ZeRO 1–3; "Parameter offloading": ZeRO 3 only.
  if (s.offload !== 'none') zero['offload_optimizer'] = { device: 'cpu' };
  if (s.offload === 'optimizer+params') zero['offload_param'] = { device: 'cpu' };
  return zero;
}

/**
 * The settings: a JSON object. JSON has no comments, so the plan is named by a top-level
 * `comment` key: DeepSpeed reads top-level keys by name from a plain dict and ignores others
 * (deepspeed/runtime/config.py get_scalar_param); only its sub-sections are strict pydantic
 * models (DeepSpeedConfigModel, extra="forbid"), and none is given a key it does not define.
 */
export function deepspeedSettings(input: LaunchInput): LaunchSettings {
  const plan = requireTrainingPlan(input.plan, 'deepspeed');
  const s = plan.scenario;
  if (s.fsdp) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `The plan shards with ${SETTING_NAMES.fsdp}: set ${SETTING_NAMES.launchEngine} to fsdp, or plan with ${SETTING_NAMES.zeroStage} for DeepSpeed.`,
    );
  }
  const config: Record<string, Json> = {
    comment: provenance(input),
    // Batch size parameters: give micro-batch and accumulation; DeepSpeed infers
    // train_batch_size = micro × accumulation × data-parallel GPUs.
    train_micro_batch_size_per_gpu: s.microBatch,
    gradient_accumulation_steps: s.gradAccum,
    ...precisionSection(plan),
    zero_optimization: zeroSection(plan),
  };
  // "Tensor Parallel (AutoTP)": tensor_parallel.autotp_size.
  if (s.tensorParallel > 1) config['tensor_parallel'] = { autotp_size: s.tensorParallel };
  const notes = [...verdictNotes(plan), ...trainingCodeNotes(plan, 'deepspeed')];
  return {
    engine: 'deepspeed',
    syntax: 'json',
    fileName: 'ds_config.json',
    text: `${JSON.stringify(config, null, 2)}\n`,
    notes,
  };
}
