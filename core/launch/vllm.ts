/**
 * `vllm serve` arguments for an inference plan made with `--engine vllm`. Argument names and
 * values from vLLM's engine arguments (docs.vllm.ai, "Engine Arguments"; vllm/engine/arg_utils.py).
 */
import { VLLM_GPU_MEMORY_UTILIZATION } from '../memory/engine-profiles';
import type { InferencePlan } from '../plan/types';
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
 * `--quantization` per weights format: vLLM's QuantizationMethods
 * (vllm/model_executor/layers/quantization/__init__.py). `fp8` and `bitsandbytes` (NF4)
 * quantize a 16-bit checkpoint while loading; the others read a checkpoint already in that format.
 */
const VLLM_QUANTIZATION: Readonly<Record<string, QuantizationMethod>> = {
  fp8_e4m3: { method: 'fp8', onTheFly: true },
  nf4: { method: 'bitsandbytes', onTheFly: true },
  nf4_dq: { method: 'bitsandbytes', onTheFly: true },
  fp4: { method: 'bitsandbytes', onTheFly: false },
  llm_int8: { method: 'bitsandbytes', onTheFly: false },
  int8: { method: 'compressed-tensors', onTheFly: false },
  gptq_int4: { method: 'gptq', onTheFly: false },
  gptq_int8: { method: 'gptq', onTheFly: false },
  awq_int4: { method: 'awq', onTheFly: false },
  mxfp4: { method: 'mxfp4', onTheFly: false },
  mxfp4_experts: { method: 'mxfp4', onTheFly: false },
  nvfp4: { method: 'modelopt_fp4', onTheFly: false },
};

/** vLLM's names (CacheDType: auto, fp8, fp8_e4m3, fp8_e5m2; 16-bit caches are `auto`). */
const VLLM: ServerVocabulary = {
  label: 'vLLM',
  quantization: VLLM_QUANTIZATION,
  kvCacheDtypes: { fp16: null, bf16: null, fp8_e4m3: 'fp8_e4m3', fp8_e5m2: 'fp8_e5m2' },
  formatsHint: 'bf16, fp8_e4m3, awq_int4, gptq_int4, nf4',
};

/**
 * num_speculative_tokens for a draft model when the plan names none: the value vLLM's guide
 * uses for a draft model (docs/features/spec_decode.md, "Speculating with a draft model": 5).
 * MTP needs none: vLLM defaults it to the checkpoint's MTP layer count (SpeculativeConfig
 * takes n_predict from num_nextn_predict_layers).
 */
export const VLLM_DRAFT_MODEL_SPECULATIVE_TOKENS = 5;

/** `--speculative-config` JSON for the plan's draft, or null without one. */
function speculativeConfig(plan: InferencePlan): string | null {
  const draft = plan.memory.speculative;
  if (!draft) return null;
  const tokens = plan.scenario.draftTokens;
  const config =
    draft.method === 'mtp'
      ? { method: 'mtp', ...(tokens !== undefined ? { num_speculative_tokens: tokens } : {}) }
      : {
          model: draft.model,
          num_speculative_tokens: tokens ?? VLLM_DRAFT_MODEL_SPECULATIVE_TOKENS,
        };
  return JSON.stringify(config);
}

/** Two decimals, rounded down so the share never exceeds what the plan budgeted. */
function floorToHundredths(fraction: number): number {
  return Math.floor(fraction * 100 + 1e-9) / 100;
}

/**
 * The settings: one `vllm serve` command.
 * @throws HeadroomError BAD_ARGUMENT for a plan vLLM cannot run as planned
 */
export function vllmSettings(input: LaunchInput): LaunchSettings {
  const plan = requireInferencePlan(input.plan, 'vllm', 'vllm');
  const s = plan.scenario;
  const devices = servingGpus(input, plan, VLLM.label);
  const notes = verdictNotes(plan);
  // vLLM reserves gpu_memory_utilization × total memory per GPU; the plan budgeted that share
  // of each device's capacity (its free memory when detected), so scale by capacity / total.
  const utilization = floorToHundredths(
    Math.min(
      ...plan.memory.perDevice.map(
        (entry, index) =>
          (VLLM_GPU_MEMORY_UTILIZATION * entry.capacity) / devices[index]!.memoryBytes,
      ),
    ),
  );
  // max_model_len bounds a whole prompt, its image tokens included.
  const multimodal = plan.memory.multimodal;
  // Data-parallel ranks split the GPUs and the requests: --max-num-seqs is per rank
  // (docs/serving/data_parallel_deployment.md).
  const ranks = s.dataParallel ?? 1;
  const options: ShellOption[] = [
    ['--tensor-parallel-size', devices.length / ranks],
    ...(ranks > 1 ? ([['--data-parallel-size', ranks]] as const) : []),
    ...(s.expertParallel ? ([['--enable-expert-parallel']] as const) : []),
    ['--max-model-len', s.contextTokens + (multimodal?.imageTokens ?? 0)],
    ['--max-num-seqs', Math.ceil(s.batch / ranks)],
    ['--gpu-memory-utilization', utilization],
  ];
  const { options: dtypes, comments } = dtypeOptions(plan, VLLM);
  options.push(...dtypes);
  if (multimodal) {
    // The images per prompt the plan counted; 0 switches the encoder cache off
    // (encoder_cache_manager.py compute_mm_encoder_budget: "Encoder cache will not be initialized").
    options.push(['--limit-mm-per-prompt', JSON.stringify({ image: multimodal.images })]);
  }
  const speculative = speculativeConfig(plan);
  if (speculative) options.push(['--speculative-config', speculative]);
  notes.push(...mixedGpuNotes(devices, VLLM.label), ...comments);
  const text = [
    `# ${provenance(input)}`,
    ...comments.map((comment) => `# ${comment}`),
    shellCommand(['vllm', 'serve', plan.model.id], options),
    '',
  ].join('\n');
  return { engine: 'vllm', syntax: 'shell', fileName: 'vllm-serve.sh', text, notes };
}
