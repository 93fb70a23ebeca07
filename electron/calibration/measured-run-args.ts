import type { InferenceRecord, TrainingRecord } from '../../core/calibration/measured-run';
import { HeadroomError } from '../../core/errors';

/**
 * A measured run as the `headroom plan` flags that plan the same thing. The calibration suite
 * and `npm run accuracy` go through the CLI contract with these, as a user would.
 */

/** The model's config.json: measure_gpu.py builds each model from it (random weights). */
export interface ModelSource {
  /** Path of the config.json (or `NAME.json`) the run was built from. */
  readonly configPath: string;
}

/** measure_gpu.py's weight dtypes as Headroom format ids. */
const WEIGHTS_OF_DTYPE: Readonly<Record<InferenceRecord['dtype'], string>> = {
  bfloat16: 'bf16',
  float16: 'fp16',
  float32: 'fp32',
};

/**
 * peft target_modules names (Llama/Qwen/Mistral module names) as Headroom's LoRA targets.
 * Source: peft's LoraConfig target_modules; the module names of transformers' LlamaAttention
 * (q_proj, k_proj, v_proj, o_proj) and LlamaMLP (gate_proj, up_proj, down_proj).
 */
const LORA_TARGET_OF_MODULE: Readonly<Record<string, string>> = {
  q_proj: 'q',
  k_proj: 'k',
  v_proj: 'v',
  o_proj: 'o',
  gate_proj: 'gate',
  up_proj: 'up',
  down_proj: 'down',
};

/**
 * measure_gpu.py's optimizers (`make_optimizer`) as Headroom's optimizer flags. `adamw` there is
 * torch.optim.AdamW(fused=True), `adamw-foreach` the foreach implementation (same states, a
 * temporary at the step); SGD with momentum runs foreach (torch.optim's CUDA default).
 */
const OPTIMIZER_OF_RUN: Readonly<Record<string, readonly string[]>> = {
  adamw: ['--optimizer', 'adamw', '--optimizer-impl', 'fused'],
  'adamw-foreach': ['--optimizer', 'adamw', '--optimizer-impl', 'foreach'],
  sgd: ['--optimizer', 'sgd'],
  'sgd-momentum': ['--optimizer', 'sgd-momentum'],
  adafactor: ['--optimizer', 'adafactor'],
};

/** `plan` flags for an inference run: generate() on batch × prompt tokens plus the new tokens. */
export function inferenceRunArgs(
  run: InferenceRecord,
  model: ModelSource,
  deviceId: string,
): string[] {
  const weights = WEIGHTS_OF_DTYPE[run.dtype];
  return [
    'plan',
    '--model',
    model.configPath,
    '--device',
    deviceId,
    '--engine',
    'transformers',
    '--weights',
    weights,
    '--context',
    String(run.promptTokens + run.newTokens),
    '--batch',
    String(run.batch),
    '--json',
  ];
}

/** `plan --mode training` flags for a training run. */
export function trainingRunArgs(
  run: TrainingRecord,
  model: ModelSource,
  deviceId: string,
): string[] {
  const optimizer = OPTIMIZER_OF_RUN[run.optimizer];
  if (!optimizer) {
    throw new HeadroomError(
      'BAD_FILE',
      `measured run "${run.id}": optimizer "${run.optimizer}" has no Headroom equivalent`,
    );
  }
  const args = [
    'plan',
    '--mode',
    'training',
    '--model',
    model.configPath,
    '--device',
    deviceId,
    '--precision',
    run.precision,
    ...optimizer,
    '--micro-batch',
    String(run.microBatch),
    '--context',
    String(run.sequenceTokens),
    // gradient_checkpointing_enable() recomputes each decoder layer whole.
    '--checkpointing',
    run.checkpointing ? 'full' : 'none',
    '--json',
  ];
  if (run.lora) {
    const targets = run.lora.targets.map((module) => {
      const target = LORA_TARGET_OF_MODULE[module];
      if (!target) {
        throw new HeadroomError(
          'BAD_FILE',
          `measured run "${run.id}": LoRA target module "${module}" has no Headroom equivalent`,
        );
      }
      return target;
    });
    args.push('--finetune', 'lora', '--lora-rank', String(run.lora.rank));
    args.push('--lora-targets', targets.join(','));
  }
  return args;
}
