import { InvalidArgumentError } from 'commander';
import { HeadroomError } from '../../core/errors';
import {
  CONTEXT_TOKENS_BOUND,
  COUNT_BOUND,
  CPU_CORES_BOUND,
  HOST_RAM_BANDWIDTH_BOUND,
  HOST_RAM_GB_BOUND,
  MARGIN_BOUND,
  MFU_BOUND,
  TRAIN_TOKENS_BOUND,
  type NumberBound,
} from '../../core/input-bounds';
import { BINARY_THOUSANDS, DECIMAL_SUFFIXES, parseBoundedNumber } from '../../core/number-input';
import { LORA_TARGETS, type LoraTarget, type ZeroStage } from '../../core/plan/types';

/**
 * Commander value parsers: each rejects bad input with a message that says what is expected.
 * Numbers go through core's one parser and bounds (core/input-bounds.ts), which the bridge's
 * schemas use too; commander puts the flag in front of core's words.
 */

/** A commander parser for a number within a bound, core's message as commander's error. */
export function boundedNumber(
  bound: NumberBound,
  suffixes: Readonly<Record<string, number>> = {},
): (text: string) => number {
  return (text: string) => {
    try {
      return parseBoundedNumber(text, bound, suffixes);
    } catch (thrown) {
      if (thrown instanceof HeadroomError) throw new InvalidArgumentError(thrown.message);
      throw thrown;
    }
  };
}

/** A whole number from 1 up to the largest exact one (sample sizes and other plain counts). */
export const positiveInteger = boundedNumber(COUNT_BOUND);

/** Token counts accept k/K (×1024) as people write them: 8k, 128K. */
export const tokenCount = boundedNumber(CONTEXT_TOKENS_BOUND, BINARY_THOUSANDS);

/** System RAM in GB, its bandwidth in GB/s, and CPU cores (the host of offloaded work). */
export const hostRamGb = boundedNumber(HOST_RAM_GB_BOUND);
export const hostRamBandwidth = boundedNumber(HOST_RAM_BANDWIDTH_BOUND);
export const cpuCores = boundedNumber(CPU_CORES_BOUND);

/** Layers whose experts stay in system RAM: a count, or `all`. */
export function expertLayers(text: string): number | 'all' {
  return text.trim().toLowerCase() === 'all' ? 'all' : positiveInteger(text);
}

/** The safety margin: a fraction from 0 to below 1. */
export const fraction = boundedNumber(MARGIN_BOUND);

/** A token amount as people write it: 2e12, 500B, 1.5T, 300M (decimal suffixes). */
export const tokenAmount = boundedNumber(TRAIN_TOKENS_BOUND, DECIMAL_SUFFIXES);

/** A model FLOPs utilisation: above 0, at most 1. */
export const utilisation = boundedNumber(MFU_BOUND);

/**
 * A format name (--weights, --kv): any non-empty text, checked against the catalog by core. An
 * empty one is refused here, where it would otherwise read as "the default" without saying so.
 */
export function formatName(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '')
    throw new InvalidArgumentError('expected a format name (see headroom formats).');
  return trimmed;
}

/** Parses one of a fixed list of choices, naming them when the value is not one. */
export function oneOf<T extends string>(choices: readonly T[]): (text: string) => T {
  return (text: string) => {
    if ((choices as readonly string[]).includes(text)) return text as T;
    throw new InvalidArgumentError(`expected one of ${choices.join(', ')}.`);
  };
}

/** For repeatable options: collects every value given. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `true` or `false`, as --flash-attention takes it. */
export function booleanWord(text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new InvalidArgumentError('expected true or false.');
}

/** A comma-separated list of LoRA targets. */
export function loraTargets(text: string): LoraTarget[] {
  const targets = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const unknown = targets.find((target) => !(LORA_TARGETS as readonly string[]).includes(target));
  if (unknown !== undefined || targets.length === 0) {
    throw new InvalidArgumentError(
      `expected a comma-separated list of ${LORA_TARGETS.join(', ')}.`,
    );
  }
  return [...new Set(targets as LoraTarget[])];
}

/** A ZeRO stage: 0, 1, 2 or 3. */
export function zeroStage(text: string): ZeroStage {
  return Number(oneOf(['0', '1', '2', '3'])(text)) as ZeroStage;
}
