/**
 * The weights-format list as a person picks from it (issue 17): grouped by bit width, biggest
 * first, llama-quantize's aliases folded into the format they stand for, and the common
 * formats apart from the rest of the catalog ("all formats").
 */
import { LLAMA_QUANTIZE_ALIASES } from './aliases';

/**
 * The formats most checkpoints are published or run in: the checkpoint dtypes; what vLLM
 * serves (FP8, AWQ, GPTQ) and transformers loads (bitsandbytes NF4, LLM.int8); MXFP4 (gpt-oss)
 * and NVFP4; and the GGUF file types that common GGUF repositories publish (bartowski's and
 * unsloth's model cards: Q8_0, Q6_K, Q5_K_M/S, Q4_K_M/S, IQ4_XS, Q3_K_L/M, IQ3_M, Q2_K, IQ2_M).
 */
export const COMMON_FORMAT_IDS = [
  'fp32',
  'bf16',
  'fp16',
  'fp8_e4m3',
  'q8_0',
  'llm_int8',
  'gptq_int8',
  'q6_k',
  'q5_k_m',
  'q5_k_s',
  'q4_k_m',
  'q4_k_s',
  'iq4_xs',
  'awq_int4',
  'gptq_int4',
  'nvfp4',
  'nf4',
  'mxfp4_experts',
  'mxfp4',
  'q3_k_l',
  'q3_k_m',
  'iq3_m',
  'q2_k',
  'iq2_m',
] as const;

/**
 * Bit-width groups, widest first: a format joins the first whose `minBitsPerWeight` its cost
 * reaches. The cost counts scales and block headers, so Q4_1 (5.0 bits/weight: 4-bit values
 * plus an fp16 scale and minimum per 32) sits with the 5-bit formats.
 */
export const BIT_WIDTH_GROUPS = [
  { label: '16 bits or more', minBitsPerWeight: 16 },
  { label: '8 bits', minBitsPerWeight: 8 },
  { label: '5–6 bits', minBitsPerWeight: 5 },
  { label: '4 bits', minBitsPerWeight: 4 },
  { label: '3 bits', minBitsPerWeight: 3 },
  { label: '2 bits or fewer', minBitsPerWeight: 0 },
] as const;

export type BitWidthLabel = (typeof BIT_WIDTH_GROUPS)[number]['label'];

/** What the list needs of a format (a catalog format or the bridge's FormatSummary). */
interface ListedFormat {
  readonly id: string;
  readonly bitsPerWeight: number;
  /** Higher is closer to the original weights (core/formats/quality.ts). */
  readonly qualityRank: number;
}

export interface FormatGroup<F extends ListedFormat> {
  readonly label: BitWidthLabel;
  readonly formats: readonly F[];
}

const ALIAS_IDS: ReadonlySet<string> = new Set(LLAMA_QUANTIZE_ALIASES.map(([alias]) => alias));
const COMMON_IDS: ReadonlySet<string> = new Set(COMMON_FORMAT_IDS);

/**
 * Bigger first: by bits per weight, then by quality rank. Within a main type a mix that keeps
 * more tensors in wider types ranks higher and is bigger (llama.cpp quantize.cpp QUANT_OPTIONS
 * at Llama-3-8B: Q4_K_M 4.58G > Q4_K_S 4.37G; Q3_K_L 4.03G > Q3_K_M 3.74G > Q3_K_S 3.41G).
 */
function biggerFirst(a: ListedFormat, b: ListedFormat): number {
  return b.bitsPerWeight - a.bitsPerWeight || b.qualityRank - a.qualityRank;
}

/**
 * The formats to offer, grouped by bit width (widest first) and sorted biggest first in each
 * group; aliases (q4_k for q4_k_m) never listed; only the common formats unless `all`.
 * Empty groups are left out.
 * @param formats the candidates (already without those chosen, if the caller wants that)
 * @param all list the whole catalog, not only the common formats
 * @example groupFormats(formats, false)[0].label // '16 bits or more'
 */
export function groupFormats<F extends ListedFormat>(
  formats: readonly F[],
  all: boolean,
): FormatGroup<F>[] {
  const listed = formats
    .filter((format) => !ALIAS_IDS.has(format.id) && (all || COMMON_IDS.has(format.id)))
    .sort(biggerFirst);
  return BIT_WIDTH_GROUPS.map((group, index) => {
    const wider = BIT_WIDTH_GROUPS[index - 1]?.minBitsPerWeight ?? Infinity;
    return {
      label: group.label,
      formats: listed.filter(
        (format) => format.bitsPerWeight >= group.minBitsPerWeight && format.bitsPerWeight < wider,
      ),
    };
  }).filter((group) => group.formats.length > 0);
}
