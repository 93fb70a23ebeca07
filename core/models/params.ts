import { HeadroomError } from '../errors';
import { formatParams } from '../units/numbers';
import type { ModelSpec } from './types';

/**
 * Bare parameter counts: what a user types ("7B", "7e9", "1.5M") and the model spec made from
 * one when no architecture is known.
 */

/** Decimal exponents of the suffixes model cards use (K = thousand … T = trillion). */
const SUFFIX_EXPONENTS: Readonly<Record<string, number>> = { k: 3, m: 6, b: 9, t: 12 };

/**
 * Digits (optionally grouped by commas or underscores in threes), an optional fraction, an
 * optional exponent, an optional K/M/B/T suffix.
 */
const PARAM_COUNT_PATTERN =
  /^(\d{1,3}(?:[,_]\d{3})+|\d*)(?:\.(\d+))?(?:e([+-]?\d{1,3}))?\s*([kmbt])?$/i;

/**
 * The format assumed for a bare count: bf16, what nearly every current checkpoint publishes
 * (all but the GPT-2 and Gemma-2 2B/9B float32 entries of MODEL_CATALOG). The plan lists it as
 * an assumption.
 */
const BARE_COUNT_FORMAT = 'bf16';

function badCount(text: string): HeadroomError {
  return new HeadroomError(
    'BAD_ARGUMENT',
    `"${text}" is not a parameter count: write a whole number of parameters like 7e9, 7B, 70b, 1.5M or 405000000000`,
  );
}

/**
 * Parses a parameter count as people write it. Exact: "1.1B" is 1,100,000,000, not a float
 * approximation.
 *
 * @param text e.g. "7e9", "7B", "70b", "1.5M", "405000000000", "405,000,000,000"
 * @returns the count, a whole number from 1 to Number.MAX_SAFE_INTEGER
 * @throws HeadroomError BAD_ARGUMENT for anything else (junk, zero, negative, fractional counts)
 * @example parseParamCount('1.5M') // 1500000
 */
export function parseParamCount(text: string): number {
  const trimmed = text.trim();
  const match = PARAM_COUNT_PATTERN.exec(trimmed);
  if (!match) throw badCount(text);
  const [, whole = '', fraction = '', exponent = '0', suffix] = match;
  const integerDigits = whole.replace(/[,_]/g, '');
  if (integerDigits === '' && fraction === '') throw badCount(text);

  const digits = `${integerDigits}${fraction}`.replace(/^0+(?=\d)/, '');
  const shift =
    Number(exponent) +
    (suffix ? (SUFFIX_EXPONENTS[suffix.toLowerCase()] ?? 0) : 0) -
    fraction.length;
  const value = scaleExactly(BigInt(digits), shift);
  if (value === undefined || value < 1n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw badCount(text);
  }
  return Number(value);
}

/** digits × 10^shift when that is a whole number below 10^20, else undefined. */
function scaleExactly(digits: bigint, shift: number): bigint | undefined {
  if (digits === 0n) return 0n;
  if (shift >= 0) return shift > 20 ? undefined : digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  return digits % divisor === 0n ? digits / divisor : undefined;
}

/**
 * A model known only by its parameter count: no architecture, so plans use rules of thumb
 * and say so.
 *
 * @param params a whole number of parameters, at least 1
 * @returns a spec with id `params:<n>`, source kind `params`, active = total
 * @throws HeadroomError BAD_ARGUMENT for a count that is not a positive safe integer
 * @example paramsOnlyModel(7e9).id // 'params:7000000000'
 */
export function paramsOnlyModel(params: number): ModelSpec {
  if (!Number.isSafeInteger(params) || params < 1) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${params} is not a parameter count (a whole number ≥ 1)`,
    );
  }
  return {
    id: `params:${params}`,
    displayName: `${formatParams(params)} parameters`,
    source: {
      kind: 'params',
      note: `a bare count of ${params} parameters: no architecture, so memory uses rules of thumb and ${BARE_COUNT_FORMAT} weights are assumed`,
    },
    params,
    activeParams: params,
    publishedFormat: BARE_COUNT_FORMAT,
  };
}
