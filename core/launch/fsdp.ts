/**
 * A Hugging Face accelerate config (YAML, for `accelerate launch --config_file`) for a training
 * plan sharded with PyTorch FSDP. Keys from accelerate's config (commands/config/config_args.py:
 * BaseConfig and ClusterConfig fields; unknown keys are refused) and its FSDP guide
 * (docs/source/usage_guides/fsdp.md).
 */
import { HeadroomError } from '../errors';
import { SETTING_NAMES } from '../setting-names';
import type { TrainingPlan } from '../plan/types';
import { provenance, requireTrainingPlan, verdictNotes } from './common';
import { trainingCodeNotes } from './training-notes';
import type { LaunchInput, LaunchSettings } from './types';
import { yamlDocument, type YamlMap } from './yaml-text';

/** FSDP ShardingStrategy names (fsdp.md: FULL_SHARD, SHARD_GRAD_OP …) for the plan's modes. */
const SHARDING_STRATEGIES: Readonly<Record<'full' | 'grad-op', string>> = {
  full: 'FULL_SHARD',
  'grad-op': 'SHARD_GRAD_OP',
};

/**
 * accelerate's `mixed_precision` ("no", "fp16", "bf16") per recipe: `amp` is autocast to fp16
 * with fp32 weights; `mixed` is bf16 compute over fp32 sharded parameters (FSDP MixedPrecision);
 * `fp32` and pure `bf16` use no autocast (pure bf16 is the model's own dtype, set in code).
 */
const MIXED_PRECISION: Readonly<Record<TrainingPlan['scenario']['precision'], string>> = {
  fp32: 'no',
  amp: 'fp16',
  mixed: 'bf16',
  bf16: 'no',
};

/**
 * The settings: an accelerate config with distributed_type FSDP. `compute_environment` is left
 * out (accelerate fills LOCAL_MACHINE: config_args.py process_config).
 * @throws HeadroomError BAD_ARGUMENT for a plan that does not shard with FSDP, or one FSDP's
 *   offload or these settings cannot express
 */
export function fsdpSettings(input: LaunchInput): LaunchSettings {
  const plan = requireTrainingPlan(input.plan, 'fsdp');
  const s = plan.scenario;
  if (!s.fsdp) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `FSDP settings need a plan sharded with FSDP: set ${SETTING_NAMES.fsdp} to full or grad-op.`,
    );
  }
  if (s.offload === 'optimizer') {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'FSDP offloads parameters together with gradients and optimizer states (fsdp_offload_params), not the optimizer alone: plan with --offload optimizer+params, or use DeepSpeed.',
    );
  }
  if (s.tensorParallel > 1 || s.pipelineParallel > 1) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `These FSDP settings cover sharded data parallelism only; the plan also uses ${SETTING_NAMES.tensorParallel} or ${SETTING_NAMES.pipelineParallel} above 1 (set ${SETTING_NAMES.launchEngine} to deepspeed, or plan without them).`,
    );
  }
  const gpusPerNode = s.devices.length;
  const fsdpConfig: Record<string, string | boolean> = {
    fsdp_sharding_strategy: SHARDING_STRATEGIES[s.fsdp],
    fsdp_offload_params: s.offload === 'optimizer+params',
  };
  const notes = [...verdictNotes(plan), ...trainingCodeNotes(plan, 'fsdp')];
  if (s.checkpointing === 'full') fsdpConfig['fsdp_activation_checkpointing'] = true;
  else if (s.checkpointing === 'none') fsdpConfig['fsdp_activation_checkpointing'] = false;
  if (s.precision === 'bf16') {
    notes.push('Pure bf16: load the model in bfloat16 (torch_dtype=torch.bfloat16) in the script.');
  }
  const comments = [provenance(input)];
  if (s.nodes > 1) {
    const line = `On each of the ${s.nodes} machines set machine_rank (0 to ${s.nodes - 1}), main_process_ip and main_process_port.`;
    comments.push(line);
    notes.push(line);
  }
  const config: YamlMap = {
    distributed_type: 'FSDP',
    mixed_precision: MIXED_PRECISION[s.precision],
    num_machines: s.nodes,
    // accelerate's num_processes counts every process on every machine.
    num_processes: s.nodes * gpusPerNode,
    fsdp_config: fsdpConfig,
  };
  return {
    engine: 'fsdp',
    syntax: 'yaml',
    fileName: 'accelerate_fsdp.yaml',
    text: yamlDocument(config, comments),
    notes,
  };
}
