/**
 * llama-quantize's alias names: `Q3_K`, `Q4_K` and `Q5_K` quantize exactly as `Q3_K_M`,
 * `Q4_K_M` and `Q5_K_M` (llama.cpp tools/quantize/quantize.cpp, QUANT_OPTIONS: "alias for
 * Q4_K_M"). The catalog keeps them as formats (a GGUF can name them); lists fold them.
 */
export const LLAMA_QUANTIZE_ALIASES = [
  ['q3_k', 'q3_k_m'],
  ['q4_k', 'q4_k_m'],
  ['q5_k', 'q5_k_m'],
] as const;

/** The format an alias id stands for (q4_k → q4_k_m); any other id as it is. */
export function unaliasedFormatId(id: string): string {
  return LLAMA_QUANTIZE_ALIASES.find(([alias]) => alias === id)?.[1] ?? id;
}
