import type { NumberBound } from '../input-bounds';

/**
 * The bounds of a serving plan's inputs, one set for every face (the CLI's flags, the bridge's
 * schemas, the settings' price table), as core/input-bounds.ts keeps the plan's.
 */

export const REQUEST_RATE_BOUND: NumberBound = {
  setting: 'The request rate',
  unit: 'requests/s',
  min: 0,
  minExclusive: true,
  max: 1e6,
  integer: false,
  reason: 'a million requests a second is past any one deployment',
  example: '20 or 0.5',
};

export const GPU_PRICE_BOUND: NumberBound = {
  setting: 'A price',
  unit: 'USD per hour',
  min: 0,
  minExclusive: true,
  max: 1e4,
  integer: false,
  reason: 'ten thousand dollars an hour is past any one GPU',
  example: '2.49',
};

export const LATENCY_TARGET_BOUND: NumberBound = {
  setting: 'A latency target',
  unit: 'seconds',
  min: 0,
  minExclusive: true,
  max: 3600,
  integer: false,
  reason: 'an hour is past any interactive target',
  example: '1, 1s or 50ms',
};

/** The targets when none are given: an interactive chat (1 s to the first token, 20 tokens/s). */
export const DEFAULT_LATENCY_TARGETS = { ttftSeconds: 1, tpotSeconds: 0.05 } as const;

/** Most GPUs a searched setup may use when none is given: one 8-GPU server. */
export const DEFAULT_MAX_GPUS = 8;
