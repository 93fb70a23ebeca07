import type { MethodOptions } from '../../core/quantlab/method-options';
import {
  BNB_4BIT_DEFAULT_BLOCK,
  MAX_BLOCK_SIZE,
  MIN_IN_MEMORY_BLOCK_SIZE,
} from '../../core/quantlab/methods';

/** One method the lab offers, as the CLI's flags name it. */
export interface MethodChoice {
  readonly id: string;
  readonly options: MethodOptions;
  /** Takes the lab's block size (blockwise absmax, NF4, FP4). */
  readonly takesBlock: boolean;
}

/**
 * The methods of issue 9, in the order the seed article introduces them: absmax and
 * zero-point, then blocks, LLM.int8(), bitsandbytes 4-bit and the GGUF reference quantizers.
 */
export const METHOD_CHOICES: readonly MethodChoice[] = [
  { id: 'absmax-8', options: { method: 'absmax', bits: 8 }, takesBlock: false },
  { id: 'zeropoint-8', options: { method: 'zeropoint', bits: 8 }, takesBlock: false },
  { id: 'absmax-8-row', options: { method: 'absmax', bits: 8, per: 'row' }, takesBlock: false },
  { id: 'blockwise-8', options: { method: 'blockwise', bits: 8 }, takesBlock: true },
  { id: 'absmax-4', options: { method: 'absmax', bits: 4 }, takesBlock: false },
  { id: 'blockwise-4', options: { method: 'blockwise', bits: 4 }, takesBlock: true },
  { id: 'llm.int8', options: { method: 'llm.int8' }, takesBlock: false },
  { id: 'nf4', options: { method: 'nf4' }, takesBlock: true },
  { id: 'nf4-dq', options: { method: 'nf4', doubleQuant: true }, takesBlock: true },
  { id: 'fp4', options: { method: 'fp4' }, takesBlock: true },
  { id: 'q8_0', options: { method: 'q8_0' }, takesBlock: false },
  { id: 'q4_0', options: { method: 'q4_0' }, takesBlock: false },
  { id: 'q4_k', options: { method: 'q4_k' }, takesBlock: false },
];

/**
 * The block sizes offered: powers of two from 2 (values in the page: a short pasted list can
 * show blocks helping) to 4096 (core/quantlab/methods.ts bounds).
 */
export const LAB_BLOCK_SIZES: readonly number[] = Array.from(
  { length: Math.log2(MAX_BLOCK_SIZE / MIN_IN_MEMORY_BLOCK_SIZE) + 1 },
  (_, k) => MIN_IN_MEMORY_BLOCK_SIZE * 2 ** k,
);

/** The lab's default block: bitsandbytes 4-bit's 64 (QLoRA section 3). */
export const LAB_DEFAULT_BLOCK = BNB_4BIT_DEFAULT_BLOCK;

/** The options of a choice at the lab's block size. */
export function choiceOptions(choice: MethodChoice, block: number): MethodOptions {
  return choice.takesBlock ? { ...choice.options, block } : choice.options;
}
