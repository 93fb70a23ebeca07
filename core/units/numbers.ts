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
