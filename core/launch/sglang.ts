/**
 * `python -m sglang.launch_server` arguments for an inference plan made with `--engine sglang`.
 * Argument names and values from SGLang's server arguments (python/sglang/srt/server_args.py,
 * docs/advanced_features/server_arguments.md).
 */
import { provenance, requireInferencePlan, verdictNotes } from './common';
import {
  dtypeOptions,
  mixedGpuNotes,
  servingGpus,
  type QuantizationMethod,
  type ServerVocabulary,
} from './server-args';
import { shellCommand, type ShellOption } from '../shell';
import type { LaunchInput, LaunchSettings } from './types';

/**
 * `--quantization` per weights format (server_args.py QUANTIZATION_CHOICES). `fp8` quantizes a
 * 16-bit checkpoint while loading; the others read a checkpoint already in that format.
 */
const SGLANG_QUANTIZATION: Readonly<Record<string, QuantizationMethod>> = {
  fp8_e4m3: { method: 'fp8', onTheFly: true },
  int8: { method: 'w8a8_int8', onTheFly: false },
  nf4: { method: 'bitsandbytes', onTheFly: false },
  llm_int8: { method: 'bitsandbytes', onTheFly: false },
  gptq_int4: { method: 'gptq', onTheFly: false },
  gptq_int8: { method: 'gptq', onTheFly: false },
  awq_int4: { method: 'awq', onTheFly: false },
  mxfp4: { method: 'mxfp4', onTheFly: false },
  mxfp4_experts: { method: 'mxfp4', onTheFly: false },
  nvfp4: { method: 'modelopt_fp4', onTheFly: false },
};

/** SGLang's names (--kv-cache-dtype: auto, bf16, fp8_e4m3, fp8_e5m2; model-dtype caches are `auto`). */
const SGLANG: ServerVocabulary = {
  label: 'SGLang',
  quantization: SGLANG_QUANTIZATION,
  kvCacheDtypes: { fp32: null, fp16: null, bf16: null, fp8_e4m3: 'fp8_e4m3', fp8_e5m2: 'fp8_e5m2' },
  formatsHint: 'bf16, fp8_e4m3, awq_int4, gptq_int4',
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
  const devices = servingGpus(input, plan, SGLANG.label);
  const notes = verdictNotes(plan);
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
  const { options: dtypes, comments } = dtypeOptions(plan, SGLANG);
  options.push(...dtypes);
  notes.push(...mixedGpuNotes(devices, SGLANG.label), ...comments);
  const text = [
    `# ${provenance(input)}`,
    ...comments.map((comment) => `# ${comment}`),
    shellCommand(['python', '-m', 'sglang.launch_server'], options),
    '',
  ].join('\n');
  return { engine: 'sglang', syntax: 'shell', fileName: 'sglang-serve.sh', text, notes };
}
