/**
 * A running scan's speed and time left, from the bytes read so far and the time taken: pure
 * functions shared by the CLI's progress line and the lab's scan panel (issue 20).
 */
import { BYTES_PER_GB } from '../units/bytes';

/** Where a scan stands: bytes read of the total (both passes counted) and time since it started. */
interface ScanProgressSample {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly elapsedMs: number;
}

const MS_PER_SECOND = 1000;
const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3600;
/** Below this much time or data the average rate is mostly start-up cost: no rate is given. */
export const MIN_RATE_ELAPSED_MS = 250;

/**
 * Average read rate since the scan started, or null while too little time has passed (or no
 * byte has been read) to say.
 * @example scanRateBytesPerSecond(3e9, 2000) // 1.5e9
 */
export function scanRateBytesPerSecond(bytesDone: number, elapsedMs: number): number | null {
  if (!(elapsedMs >= MIN_RATE_ELAPSED_MS) || !(bytesDone > 0) || !Number.isFinite(bytesDone))
    return null;
  return (bytesDone / elapsedMs) * MS_PER_SECOND;
}

/**
 * Seconds left at the average rate so far, or null while the rate is unknown.
 * @example scanSecondsLeft({ bytesDone: 3e9, bytesTotal: 9e9, elapsedMs: 2000 }) // 4
 */
export function scanSecondsLeft(sample: ScanProgressSample): number | null {
  const rate = scanRateBytesPerSecond(sample.bytesDone, sample.elapsedMs);
  if (rate === null) return null;
  return Math.max(0, sample.bytesTotal - sample.bytesDone) / rate;
}

/**
 * A time left as a person reads it: whole seconds under a minute, then minutes and seconds,
 * then hours and minutes.
 * @example formatTimeLeft(42.3) // "43 s"
 * @example formatTimeLeft(125) // "2 min 05 s"
 * @example formatTimeLeft(3 * 3600 + 61) // "3 h 01 min"
 */
export function formatTimeLeft(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const whole = Math.ceil(seconds);
  if (whole < SECONDS_PER_MINUTE) return `${whole} s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (whole < SECONDS_PER_HOUR) {
    return `${Math.floor(whole / SECONDS_PER_MINUTE)} min ${pad(whole % SECONDS_PER_MINUTE)} s`;
  }
  const minutes = Math.floor((whole % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE);
  return `${Math.floor(whole / SECONDS_PER_HOUR)} h ${pad(minutes)} min`;
}

/**
 * The rate and time left of a scan for a progress line; empty while the rate is unknown.
 * @example scanSpeedText({ bytesDone: 3e9, bytesTotal: 9e9, elapsedMs: 2000 }) // "1.50 GB/s, 4 s left"
 */
export function scanSpeedText(sample: ScanProgressSample): string {
  const rate = scanRateBytesPerSecond(sample.bytesDone, sample.elapsedMs);
  if (rate === null) return '';
  const left = scanSecondsLeft(sample)!;
  const speed = `${(rate / BYTES_PER_GB).toFixed(2)} GB/s`;
  return sample.bytesDone >= sample.bytesTotal ? speed : `${speed}, ${formatTimeLeft(left)} left`;
}
