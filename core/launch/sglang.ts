/**
 * `python -m sglang.launch_server` arguments for an inference plan made with `--engine sglang`.
 * Argument names and values from SGLang's server arguments (python/sglang/srt/server_args.py,
 * docs/advanced_features/server_arguments.md).
 */
import { HeadroomError } from '../errors';
import { SETTING_NAMES } from '../setting-names';
import {
  onAccelerators,
  planDeviceSpecs,
  provenance,
  requireInferencePlan,
  verdictNotes,
} from './common';
import { shellCommand, type ShellOption } from '../shell';
import type { LaunchInput, LaunchSettings } from './types';

/** `--dtype` for plain float weights (SGLang: auto, half, float16, bfloat16, float, float32). */
const SGLANG_DTYPES: Readonly<Record<string, string>> = {
  fp32: 'float32',
  fp16: 'float16',
  bf16: 'bfloat16',
};

/**
 * `--quantization` per weights format (server_args.py QUANTIZATION_CHOICES). `fp8` quantizes a
 * 16-bit checkpoint while loading; the others read a checkpoint already in that format.
 */
const SGLANG_QUANTIZATION: Readonly<Record<string, { method: string; onTheFly: boolean }>> = {
  fp8_e4m3: { method: 'fp8', onTheFly: true },
  int8: { method: 'w8a8_int8', onTheFly: false },
  nf4: { method: 'bitsandbytes', onTheFly: false },
  llm_int8: { method: 'bitsandbytes', onTheFly: false },
  gptq_int4: { method: 'gptq', onTheFly: false },
  gptq_int8: { method: 'gptq', onTheFly: false },
  awq_int4: { method: 'awq', onTheFly: false },
  mxfp4: { method: 'mxfp4', onTheFly: false },
  nvfp4: { method: 'modelopt_fp4', onTheFly: false },
};

/** `--kv-cache-dtype` per KV format; 16-bit caches are `auto` (the model's dtype) and stay unset. */
const SGLANG_KV_DTYPES: Readonly<Record<string, string | null>> = {
  fp32: null,
  fp16: null,
  bf16: null,
  fp8_e4m3: 'fp8_e4m3',
  fp8_e5m2: 'fp8_e5m2',
};

/**
 * The settings: one `python -m sglang.launch_server` command. `--mem-fraction-static` is the
 * fraction the plan budgeted, written out so a newer SGLang with other defaults runs the same
 * split.
 * @throws HeadroomError BAD_ARGUMENT for a plan SGLang cannot run as planned
 */
export function sglangSettings(input: LaunchInput): LaunchSettings {
  const plan = requireInferencePlan(input.plan, 'sglang', 'sglang');
  const s = plan.scenario;
  if (plan.model.source === 'params') {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `SGLang serves a model by name: choose a catalog model (its Hugging Face id) instead of ${SETTING_NAMES.params}.`,
    );
  }
  const devices = planDeviceSpecs(input);
  if (!onAccelerators(devices)) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'These SGLang settings are for GPUs; the plan runs on a CPU (or no device).',
    );
  }
  const notes = verdictNotes(plan);
  const comments: string[] = [];
  const multimodal = plan.memory.multimodal;
  // With DP attention every GPU is still in --tp-size; --dp-size ranks split the attention
  // (layers/dp_attention.py) and --max-running-requests is divided among them (scheduler).
  const ranks = s.dataParallel ?? 1;
  const options: ShellOption[] = [
    ['--model-path', plan.model.id],
    ['--tp-size', devices.length],
    ...(ranks > 1 ? ([['--dp-size', ranks], ['--enable-dp-attention']] as const) : []),
    ...(s.expertParallel ? ([['--ep-size', devices.length]] as const) : []),
    // context_length bounds a whole request, its image tokens included.
    ['--context-length', s.contextTokens + (multimodal?.imageTokens ?? 0)],
    ['--max-running-requests', s.batch],
  ];
  const fraction = plan.memory.staticPoolFraction;
  if (fraction !== undefined) options.push(['--mem-fraction-static', fraction]);
  const dtype = SGLANG_DTYPES[s.weightsFormat];
  const quantization = SGLANG_QUANTIZATION[s.weightsFormat];
  if (dtype) options.push(['--dtype', dtype]);
  else if (quantization) {
    options.push(['--quantization', quantization.method]);
    if (!quantization.onTheFly) {
      comments.push(
        `--quantization ${quantization.method} loads a checkpoint already in ${s.weightsFormat}: serve such an export of ${plan.model.id} in its place.`,
      );
    }
  } else {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `SGLang has no quantization method for ${s.weightsFormat} weights: plan with --weights bf16, fp8_e4m3, awq_int4, gptq_int4 or another format SGLang loads.`,
    );
  }
  const kv = SGLANG_KV_DTYPES[s.kvFormat];
  if (kv === undefined) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `SGLang keeps the KV cache in the model's dtype or in fp8 (--kv-cache-dtype fp8_e4m3 | fp8_e5m2), not ${s.kvFormat}.`,
    );
  }
  if (kv) options.push(['--kv-cache-dtype', kv]);
  if (new Set(devices.map((device) => device.id)).size > 1) {
    notes.push('SGLang tensor parallelism expects identical GPUs; the plan mixes device kinds.');
  }
  notes.push(...comments);
  const text = [
    `# ${provenance(input)}`,
    ...comments.map((comment) => `# ${comment}`),
    shellCommand(['python', '-m', 'sglang.launch_server'], options),
    '',
  ].join('\n');
  return { engine: 'sglang', syntax: 'shell', fileName: 'sglang-serve.sh', text, notes };
}
