import { HeadroomError } from './errors';
import type { NumberBound } from './input-bounds';
import { formatInteger } from './units/numbers';

/**
 * Numbers as a person types them, checked against their bounds (core/input-bounds.ts): the one
 * parser the CLI's flags and the bridge's schemas share, and the words that say what is wrong.
 */

/** Suffixes of token counts as people write them: 8k = 8 × 1024 (llama.cpp's -c 8k habit). */
export const BINARY_THOUSANDS: Readonly<Record<string, number>> = { k: 1024 };
/** Decimal suffixes as model cards write amounts: 500B, 1.5T. */
export const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  k: 1e3,
  m: 1e6,
  b: 1e9,
  t: 1e12,
};

/** Writes a bound's number as people read it: 100,000,000; 0.05. */
function formatBoundNumber(value: number): string {
  return Number.isInteger(value) ? formatInteger(value) : String(value);
}

function withUnit(value: number, bound: NumberBound): string {
  return `${formatBoundNumber(value)}${bound.unit === '' ? '' : ` ${bound.unit}`}`;
}

/**
 * What is wrong with a value for a setting, in words; null when it is within the bound.
 *
 * @example boundProblem(1e30, CONTEXT_TOKENS_BOUND)
 *   // "The context length must be at most 100,000,000 tokens (ten times …); got 1e+30."
 */
export function boundProblem(
  value: number,
  bound: NumberBound,
  shown: string = String(value),
): string | null {
  if (!Number.isFinite(value)) {
    return `${bound.setting} must be a finite number, e.g. ${bound.example}.`;
  }
  const tooHigh = bound.maxExclusive ? value >= bound.max : value > bound.max;
  if (tooHigh) {
    const limit = bound.maxExclusive ? 'below' : 'at most';
    return `${bound.setting} must be ${limit} ${withUnit(bound.max, bound)} (${bound.reason}); got ${shown}.`;
  }
  const tooLow = bound.minExclusive ? value <= bound.min : value < bound.min;
  if (tooLow) {
    const limit = bound.minExclusive ? 'above' : 'at least';
    return `${bound.setting} must be ${limit} ${withUnit(bound.min, bound)}; got ${shown}.`;
  }
  if (bound.integer && !Number.isInteger(value)) {
    return `${bound.setting} must be a whole number; got ${shown}.`;
  }
  return null;
}

/**
 * Checks a number against its bound.
 * @throws HeadroomError BAD_ARGUMENT with boundProblem's words
 */
export function checkBound(value: number, bound: NumberBound, shown?: string): number {
  const problem = boundProblem(value, bound, shown);
  if (problem !== null) throw new HeadroomError('BAD_ARGUMENT', problem);
  return value;
}

/**
 * Decimal digits (grouped by `_` if wanted), an optional fraction and exponent, an optional
 * suffix letter. No signs, hex, `Infinity` or empty strings: Number() takes all of those.
 */
const NUMBER_TEXT = /^(\d+(?:_\d+)*)?(?:\.(\d+))?(?:e([+-]?\d{1,4}))?\s*([a-z])?$/i;

/**
 * Parses a number as a person types it and checks it against its bound: the one parser of
 * every numeric flag (and of every number a face reads from text).
 *
 * @param text what was typed: "4096", "8k", "1e6", "1_000_000", "0.05"
 * @param bound the setting's range and why
 * @param suffixes the suffix letters this setting takes (lower case), with their factors
 * @returns the number
 * @throws HeadroomError BAD_ARGUMENT naming the setting, the bound and its reason
 * @example parseBoundedNumber('8k', CONTEXT_TOKENS_BOUND, BINARY_THOUSANDS) // 8192
 */
export function parseBoundedNumber(
  text: string,
  bound: NumberBound,
  suffixes: Readonly<Record<string, number>> = {},
): number {
  // What a message repeats of the input: a 10,000-digit argument is not echoed whole.
  const shown = text.trim().length > 40 ? `${text.trim().slice(0, 40)}…` : text.trim();
  const match = NUMBER_TEXT.exec(text.trim());
  const [, whole = '', fraction = '', exponent = '0', suffix] = match ?? [];
  const factor = suffix === undefined ? 1 : suffixes[suffix.toLowerCase()];
  if (!match || (whole === '' && fraction === '') || factor === undefined) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${bound.setting} is a number such as ${bound.example}; "${shown}" is not one.`,
    );
  }
  const value = Number(`${whole.replaceAll('_', '') || '0'}.${fraction || '0'}e${exponent}`);
  return checkBound(value * factor, bound, shown);
}

/**
 * Throws unless `value` is a whole number of at least 1, naming the setting.
 * @throws HeadroomError BAD_ARGUMENT
 */
export function requirePositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${name} must be a whole number of at least 1 (got ${value}).`,
    );
  }
}
