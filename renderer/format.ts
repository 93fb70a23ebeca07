/**
 * Display formatting only: turning numbers a Plan or a catalog entry carries into short text.
 * No planning arithmetic lives here (DESIGN.md: every number comes from core).
 */
import type { VerdictStatus } from '../core/plan/types';
import { formatInteger } from '../core/units/numbers';

/** Decimal prefixes as datasheets print them (SI: giga = 10^9, tera = 10^12). */
const GIGA = 1e9;
const TERA = 1e12;
const KILO_TOKENS = 1024;

/**
 * A parameter count as model cards print it.
 * @example formatParams(8_030_261_248) // "8.03 B"
 */
export function formatParams(params: number): string {
  if (params >= GIGA) return `${(params / GIGA).toFixed(2)} B`;
  return `${(params / 1e6).toFixed(1)} M`;
}

/**
 * A token count, with the k = 1024 shorthand engines use for context lengths (8k = 8192).
 * @example formatTokens(131072) // "128k"
 * @example formatTokens(3000) // "3,000"
 */
export function formatTokens(tokens: number): string {
  if (tokens >= KILO_TOKENS && tokens % KILO_TOKENS === 0) return `${tokens / KILO_TOKENS}k`;
  return formatInteger(tokens);
}

/**
 * A bandwidth as datasheets print it (GB/s, decimal).
 * @example formatBandwidth(1.008e12) // "1008 GB/s"
 */
export function formatBandwidth(bytesPerSecond: number): string {
  return `${Math.round(bytesPerSecond / GIGA)} GB/s`;
}

/**
 * A peak throughput in TFLOPS (or TOPS for integers).
 * @example formatTeraOps(165.2e12) // "165.2"
 */
export function formatTeraOps(opsPerSecond: number): string {
  return (opsPerSecond / TERA).toFixed(1);
}

/** Tokens per second: core's one formatter (core/units/numbers.ts), shared with CLI and reports. */
export { formatTokensPerSecond } from '../core/units/numbers';

/** The words of each verdict, short enough for a badge and a matrix cell. */
export const VERDICT_LABELS: Readonly<Record<VerdictStatus, string>> = {
  fits: 'fits',
  tight: 'tight',
  'needs-offload': 'offload',
  'does-not-fit': 'no fit',
  'no-device': 'no device',
};

/** The bound of a decode speed, in words. */
export const BOUND_LABELS = {
  'memory-bandwidth': 'memory-bandwidth bound',
  host: 'host bound (eager kernel launches)',
  compute: 'compute bound',
} as const;

/** Suffixes of token amounts, as training budgets are written (500B, 15T): SI prefixes. */
const TOKEN_AMOUNT_SUFFIXES: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/**
 * A token amount the way the training field takes it back (core's parseParamCount reads it).
 * @example formatTokenAmount(1e9) // "1B"
 * @example formatTokenAmount(2.5e11) // "250B"
 */
export function formatTokenAmount(tokens: number): string {
  for (const [scale, suffix] of TOKEN_AMOUNT_SUFFIXES) {
    if (tokens >= scale && Number.isInteger((tokens / scale) * 1000)) {
      return `${Number((tokens / scale).toFixed(3))}${suffix}`;
    }
  }
  return String(tokens);
}

/** Seconds per unit of a duration as the training card prints it. */
const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3600;
const SECONDS_PER_DAY = 86_400;

/**
 * A duration in the largest unit that keeps it above 1, three significant figures.
 * @example formatDuration(5400) // "1.50 h"
 * @example formatDuration(3 * 86400) // "3.00 days"
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds >= SECONDS_PER_DAY) return `${(seconds / SECONDS_PER_DAY).toPrecision(3)} days`;
  if (seconds >= SECONDS_PER_HOUR) return `${(seconds / SECONDS_PER_HOUR).toPrecision(3)} h`;
  if (seconds >= SECONDS_PER_MINUTE) return `${(seconds / SECONDS_PER_MINUTE).toPrecision(3)} min`;
  return `${seconds.toPrecision(3)} s`;
}
