/**
 * Counts and rates as every face prints them (CLI tables, reports, the renderer): one function
 * per quantity. Thousands are grouped by hand, as en-US writes them, so nothing here starts
 * ICU (`toLocaleString` costs ~20 ms on its first call, a tenth of a `headroom plan`).
 */

/**
 * An integer with en-US thousands separators; a fraction is written as JavaScript writes it.
 * @example formatInteger(8030261248) // "8,030,261,248"
 * @example formatInteger(-1234.5) // "-1234.5"
 */
export function formatInteger(value: number): string {
  if (!Number.isSafeInteger(value)) return String(value);
  const digits = String(Math.abs(value));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return value < 0 ? `-${grouped}` : grouped;
}

/**
 * A rate in tokens per second: whole (grouped) from 100 up, one decimal below; "—" when unknown.
 * @example formatTokensPerSecond(1415.15) // "1,415"
 * @example formatTokensPerSecond(61.03) // "61.0"
 */
export function formatTokensPerSecond(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return rate >= 100 ? formatInteger(Math.round(rate)) : rate.toFixed(1);
}

/**
 * A plan's error against a measurement (plan / measured − 1) as docs/accuracy.md prints it: a
 * sign always (a true minus when the plan is low), one decimal, a space before %.
 *
 * @example formatPlanError(-0.0012) // "−0.1 %"
 */
export function formatPlanError(fraction: number): string {
  return `${fraction < 0 ? '−' : '+'}${Math.abs(fraction * 100).toFixed(1)} %`;
}

/**
 * A latency in milliseconds, as serving targets are spoken of (TTFT, TPOT): one decimal under
 * 100 ms, whole milliseconds above; "—" when not finite.
 *
 * @example formatLatency(0.0423) // "42.3 ms"
 */
export function formatLatency(seconds: number): string {
  return Number.isFinite(seconds) ? `${(seconds * 1000).toFixed(seconds < 0.1 ? 1 : 0)} ms` : '—';
}

/**
 * US dollars, two decimals (three under a dollar when `small` asks for it, as a cost per million
 * tokens can be); "—" without a price.
 *
 * @example formatUsd(2.49) // "$2.49"
 */
export function formatUsd(value: number | null, small = false): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return `$${value.toFixed(small && value < 1 ? 3 : 2)}`;
}
