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
  if (!Number.isInteger(value)) return String(value);
  // Past 2^53 String() switches to exponent form at 1e21; BigInt writes every digit the double holds.
  const digits = BigInt(Math.abs(value)).toString();
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

/** Decimal prefixes of counts as model cards and datasheets print them (SI). */
const MILLION = 1e6;
const BILLION = 1e9;
const TERA = 1e12;

/** Prefixes of parameter counts, largest first, as model cards write them (7B, 124M, 1.5K). */
const PARAM_SCALES: readonly (readonly [number, string])[] = [
  [TERA, 'T'],
  [BILLION, 'B'],
  [MILLION, 'M'],
  [1e3, 'K'],
];

/**
 * A parameter count as model cards print it: three significant figures in the largest
 * prefix, trailing zeros dropped (a 124 M model is not "0.12 B").
 * @example formatParams(8_030_261_248) // "8.03 B"
 * @example formatParams(124_439_808) // "124 M"
 * @example formatParams(7e9) // "7 B"
 * @example formatParams(999_885_952) // "1 B"
 */
export function formatParams(params: number): string {
  // Rounded before the prefix is chosen: 999,885,952 (Gemma 3 1B) is "1 B", not "1000 M".
  const rounded = Number(params.toPrecision(3));
  for (const [scale, prefix] of PARAM_SCALES) {
    if (rounded >= scale) return `${Number((rounded / scale).toPrecision(3))} ${prefix}`;
  }
  return String(params);
}

/** Context lengths are written with k = 1024, as engines and model cards do (8k = 8192). */
const KILO_TOKENS = 1024;

/**
 * A context length in tokens: the k = 1024 shorthand when exact, else grouped.
 * @example formatTokens(131072) // "128k"
 * @example formatTokens(3000) // "3,000"
 */
export function formatTokens(tokens: number): string {
  if (tokens >= KILO_TOKENS && tokens % KILO_TOKENS === 0) return `${tokens / KILO_TOKENS}k`;
  return formatInteger(tokens);
}

/** Suffixes of token amounts, as training budgets are written (500B, 15T): SI prefixes. */
const TOKEN_AMOUNT_SUFFIXES: readonly (readonly [number, string])[] = [
  [TERA, 'T'],
  [BILLION, 'B'],
  [MILLION, 'M'],
  [1e3, 'k'],
];

/**
 * A token amount (a training budget) the way core's parseParamCount reads it back.
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

/**
 * A peak throughput in TFLOPS (or TOPS for integers), one decimal; "—" when unknown.
 * @example formatTeraOps(165.2e12) // "165.2"
 */
export function formatTeraOps(opsPerSecond: number | undefined): string {
  return opsPerSecond ? (opsPerSecond / TERA).toFixed(1) : '—';
}

/**
 * A fraction as a percentage with a space before the sign (SI writes "50 %"); `signed` puts
 * + or − in front, for a deviation.
 * @example formatPercent(0.1234) // "12.3 %"
 * @example formatPercent(-0.05, { signed: true }) // "−5.0 %"
 */
export function formatPercent(
  fraction: number,
  options: { readonly fractionDigits?: number; readonly signed?: boolean } = {},
): string {
  const digits = (Math.abs(fraction) * 100).toFixed(options.fractionDigits ?? 1);
  const sign = fraction < 0 ? '−' : options.signed ? '+' : '';
  return `${sign}${digits} %`;
}

/**
 * An error metric (MSE, RMSE, |error|, a value) with a few significant figures, in exponent
 * form when tiny or huge; ∞ for an infinite one, "—" when undefined.
 * @example formatMetric(0.000123) // "1.23e-4"
 * @example formatMetric(1.1905511811, 5) // "1.1906"
 */
export function formatMetric(value: number, significantDigits = 3): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '—';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) {
    return value.toExponential(significantDigits - 1).replace('e+', 'e');
  }
  return String(+value.toPrecision(significantDigits));
}

/**
 * A signal-to-noise ratio in dB (the unit is the caller's to print); ∞ where there is no error.
 * @example formatSnr(49.512) // "49.5"
 */
export function formatSnr(snrDb: number, fractionDigits = 1): string {
  return Number.isFinite(snrDb) ? snrDb.toFixed(fractionDigits) : '∞';
}

/**
 * A plan's error against a measurement (plan / measured − 1) as docs/accuracy.md prints it: a
 * sign always (a true minus when the plan is low), one decimal, a space before %.
 *
 * @example formatPlanError(-0.0012) // "−0.1 %"
 */
export function formatPlanError(fraction: number): string {
  return formatPercent(fraction, { signed: true });
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
