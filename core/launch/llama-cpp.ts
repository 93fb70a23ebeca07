/**
 * llama.cpp settings for an inference plan made with `--engine llama.cpp`: the arguments of
 * `llama-server` (tools/server/README.md, "Usage") and, through the same numbers, Ollama's.
 */
import { HeadroomError } from '../errors';
import { LLAMA_CPP_CACHE_TYPES } from '../memory/kv-formats';
import { getFormat } from '../formats/catalog';
import type { InferencePlan } from '../plan/types';
import {
  onAccelerators,
  planDeviceSpecs,
  provenance,
  requireInferencePlan,
  verdictNotes,
} from './common';
import { shellCommand, type ShellOption } from '../shell';
import type { LaunchInput, LaunchSettings } from './types';

export { LLAMA_CPP_CACHE_TYPES } from '../memory/kv-formats';

/**
 * The output layer counts as one more GPU layer: src/llama-model.cpp places layers from
 * i_gpu_start = n_layer + 1 − n_gpu_layers, slot n_layer being the output head. The plan puts
 * the head on the last device that holds layers, so -ngl = layers on the devices + 1.
 */
export const LLAMA_CPP_OUTPUT_LAYER_SLOTS = 1;

/** The numbers llama.cpp and Ollama share, from one plan. */
interface LlamaCppLayout {
  readonly plan: InferencePlan;
  /** `-ngl` / Ollama `num_gpu`. */
  readonly gpuLayers: number;
  /** Layers per GPU for `--tensor-split`, or null on one device. */
  readonly tensorSplit: readonly number[] | null;
  /** `-ctk`/`-ctv` value, or null for the default f16. */
  readonly cacheType: string | null;
  readonly notes: string[];
}

/**
 * The plan's layout in llama.cpp's terms.
 * @throws HeadroomError BAD_ARGUMENT for weights or a KV format llama.cpp does not load
 */
export function llamaCppLayout(input: LaunchInput, launch: 'llama.cpp' | 'ollama'): LlamaCppLayout {
  const plan = requireInferencePlan(input.plan, launch, 'llama.cpp');
  const s = plan.scenario;
  const format = getFormat(s.weightsFormat);
  if (!format || !format.engines.includes('llama.cpp')) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `llama.cpp loads GGUF files; ${s.weightsFormat} weights are not a GGUF type: plan with --weights q4_k_m, q8_0, bf16 or another GGUF type.`,
    );
  }
  const cacheType = LLAMA_CPP_CACHE_TYPES[s.kvFormat];
  if (cacheType === undefined) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `llama.cpp cannot keep the KV cache in ${s.kvFormat}: use ${Object.keys(LLAMA_CPP_CACHE_TYPES).join(', ')}.`,
    );
  }
  const devices = planDeviceSpecs(input);
  const totalLayers =
    plan.model.layers ?? plan.memory.perDevice.reduce((sum, device) => sum + device.layers, 0);
  const deviceLayers = onAccelerators(devices)
    ? (plan.verdict.offload?.deviceLayers ?? totalLayers)
    : 0;
  const gpuLayers = deviceLayers > 0 ? deviceLayers + LLAMA_CPP_OUTPUT_LAYER_SLOTS : 0;
  const tensorSplit =
    devices.length > 1 && deviceLayers > 0
      ? plan.memory.perDevice.map((device) => device.layers)
      : null;
  return { plan, gpuLayers, tensorSplit, cacheType, notes: verdictNotes(plan) };
}

/** A conventional GGUF file name for the model in the format, e.g. `Meta-Llama-3-8B-Q4_K_M.gguf`. */
export function ggufFileName(plan: InferencePlan): string {
  const base = plan.model.source === 'params' ? 'model' : plan.model.id.split('/').pop()!;
  return `${base}-${plan.scenario.weightsFormat.toUpperCase()}.gguf`;
}

/**
 * The draft model's GGUF for `-md`: the file itself when the draft was planned from one, else a
 * conventional name in the target's type (the plan counts the draft in it).
 */
function draftGgufFileName(plan: InferencePlan, draftId: string): string {
  if (draftId.toLowerCase().endsWith('.gguf')) return draftId;
  return `${draftId.split('/').pop()!}-${plan.scenario.weightsFormat.toUpperCase()}.gguf`;
}

/**
 * The mmproj file for `--mmproj`: the one the plan read, else the name llama.cpp's converter
 * gives an f16 projector (convert_hf_to_gguf.py --mmproj: `mmproj-<model>-f16.gguf`).
 */
function mmprojFileName(plan: InferencePlan): string {
  return plan.scenario.mmprojFile ?? `mmproj-${plan.model.id.split('/').pop()!}-f16.gguf`;
}

/**
 * The settings: one `llama-server` command. `-c` is the whole context, split between the
 * `-np` slots (server README: each of the n_parallel slots gets n_ctx / n_parallel without a
 * unified KV cache, which setting -np turns off).
 */
export function llamaCppSettings(input: LaunchInput): LaunchSettings {
  const layout = llamaCppLayout(input, 'llama.cpp');
  const s = layout.plan.scenario;
  const file = ggufFileName(layout.plan);
  // Image tokens take context slots like text tokens: each slot holds its prompt's images too.
  const imageTokens = layout.plan.memory.multimodal?.imageTokens ?? 0;
  const options: ShellOption[] = [
    ['-m', file],
    ['-c', (s.contextTokens + imageTokens) * s.batch],
    ['-np', s.batch],
    ['-ngl', layout.gpuLayers],
  ];
  if (layout.tensorSplit) options.push(['--tensor-split', layout.tensorSplit.join(',')]);
  // Routed experts in system RAM: all layers' as a tensor override (common/arg.cpp -ot,
  // "exps=CPU" matches every ffn_*_exps tensor), the first N layers' with --n-cpu-moe N.
  const experts = s.moeOffloadLayers ?? 0;
  if (experts > 0) {
    if (layout.plan.model.layers !== null && experts >= layout.plan.model.layers) {
      options.push(['-ot', 'exps=CPU']);
    } else {
      options.push(['--n-cpu-moe', experts]);
    }
  }
  if (layout.cacheType) options.push(['-ctk', layout.cacheType], ['-ctv', layout.cacheType]);
  // The plan's activations assume memory-efficient attention; a quantized V cache needs it
  // anyway (src/llama-context.cpp refuses "V cache quantization requires flash_attn").
  options.push(['-fa', 'on']);
  // Sliding-window layers keep the whole context (src/llama-kv-cache-iswa.cpp swa_full).
  if (s.swaFull) options.push(['--swa-full']);
  const comments: string[] = [];
  if ((s.images ?? 0) > 0) {
    // tools/server/README.md: --mmproj FILE, the multimodal projector file.
    options.push(['--mmproj', mmprojFileName(layout.plan)]);
    comments.push(`# --mmproj: the vision projector GGUF of ${layout.plan.model.id}.`);
  }
  const draft = layout.plan.memory.speculative;
  if (draft) {
    // tools/server/README.md: -md FILE (draft model), --draft-max N (tokens to draft, default 16).
    options.push(['-md', draftGgufFileName(layout.plan, draft.model)]);
    if (s.draftTokens !== undefined) options.push(['--draft-max', s.draftTokens]);
    comments.push(`# -md: the GGUF file of the draft ${draft.model}.`);
  }
  const text = [
    `# ${provenance(input)}`,
    `# -m: the GGUF file of ${layout.plan.model.id} in ${s.weightsFormat.toUpperCase()}.`,
    ...comments,
    shellCommand(['llama-server'], options),
    '',
  ].join('\n');
  return {
    engine: 'llama.cpp',
    syntax: 'shell',
    fileName: 'llama-server.sh',
    text,
    notes: layout.notes,
  };
}
