/**
 * A duration (a training run, a step) as every face prints it: the CLI, reports and the
 * renderer's training card. A scan's countdown is core/quantlab/scan-progress.ts formatTimeLeft.
 */

const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3600;
const SECONDS_PER_DAY = 86_400;

/**
 * Seconds in the largest unit that keeps the number at 2 or more: whole seconds under two
 * minutes, then minutes, hours and days with one decimal; "—" when unknown.
 * @example formatDuration(90) // "90 s"
 * @example formatDuration(5400) // "90.0 min"
 * @example formatDuration(3 * 86400) // "3.0 days"
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 2 * SECONDS_PER_MINUTE) return `${seconds.toFixed(0)} s`;
  if (seconds < 2 * SECONDS_PER_HOUR) return `${(seconds / SECONDS_PER_MINUTE).toFixed(1)} min`;
  if (seconds < 2 * SECONDS_PER_DAY) return `${(seconds / SECONDS_PER_HOUR).toFixed(1)} h`;
  return `${(seconds / SECONDS_PER_DAY).toFixed(1)} days`;
}
