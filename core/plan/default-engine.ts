import { getFormat } from '../formats/catalog';
import type { EngineId, NumericFormat } from '../formats/types';

/**
 * Which engine runs a weights format when the user pins none (issue 17): GGUF files are what
 * llama.cpp loads; AWQ, GPTQ and FP8 checkpoints are what vLLM serves; everything else
 * (fp16/bf16 safetensors, bitsandbytes) is what transformers loads. The format catalog
 * (core/formats, `engines`) has the last word: an engine that cannot load the format is never
 * chosen.
 */

/** The engine control's value that follows the format instead of pinning an engine. */
export const AUTO_ENGINE = 'auto';
/** An engine the user pinned, or `auto`: the engine follows the weights format. */
export type EngineChoice = EngineId | typeof AUTO_ENGINE;

/** Engines tried, in order, when the preferred one cannot load a format. */
const FALLBACK_ORDER: readonly EngineId[] = ['transformers', 'vllm', 'llama.cpp'];

/** The engine a format's family is made for (before checking the catalog's `engines`). */
function preferredEngine(format: NumericFormat): EngineId {
  switch (format.family) {
    case 'ggml':
    case 'gguf-mix':
      return 'llama.cpp';
    case 'gptq-awq':
      return 'vllm';
    default:
      return format.id.startsWith('fp8') ? 'vllm' : 'transformers';
  }
}

/**
 * The engine a weights format runs on by default: llama.cpp for GGUF types, vLLM for AWQ, GPTQ
 * and FP8, transformers otherwise; the next engine that loads the format where that one does
 * not; `generic` when no named engine does (or the format is unknown).
 * @param formatId a catalog format id (case-insensitive)
 * @returns the engine to plan with
 * @example defaultEngine('q4_k_m') // 'llama.cpp'
 * @example defaultEngine('awq_int4') // 'vllm'
 * @example defaultEngine('bf16') // 'transformers'
 */
export function defaultEngine(formatId: string): EngineId {
  const format = getFormat(formatId);
  if (!format) return 'generic';
  const preferred = preferredEngine(format);
  if (format.engines.includes(preferred)) return preferred;
  return FALLBACK_ORDER.find((engine) => format.engines.includes(engine)) ?? 'generic';
}

/**
 * The engine to plan a format with: the pinned one, or the format's default for `auto`.
 * @example resolveEngine('auto', 'q4_k_m') // 'llama.cpp'
 * @example resolveEngine('vllm', 'q4_k_m') // 'vllm' (pinned: the plan then says it cannot load it)
 */
export function resolveEngine(choice: EngineChoice, formatId: string): EngineId {
  return choice === AUTO_ENGINE ? defaultEngine(formatId) : choice;
}
