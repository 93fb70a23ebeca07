import { describe, expect, it } from 'vitest';
import {
  formatTimeLeft,
  MIN_RATE_ELAPSED_MS,
  scanRateBytesPerSecond,
  scanSecondsLeft,
  scanSpeedText,
} from '../../../../core/quantlab/scan-progress';

describe('scan rate', () => {
  it('is the bytes read over the time taken: 3 GB in 2 s is 1.5 GB/s', () => {
    expect(scanRateBytesPerSecond(3e9, 2000)).toBe(1.5e9);
  });

  it('is unknown before anything is read or while start-up dominates', () => {
    expect(scanRateBytesPerSecond(0, 5000)).toBeNull();
    expect(scanRateBytesPerSecond(1e6, MIN_RATE_ELAPSED_MS - 1)).toBeNull();
    expect(scanRateBytesPerSecond(1e6, 0)).toBeNull();
    expect(scanRateBytesPerSecond(1e6, Number.NaN)).toBeNull();
  });
});

describe('scan time left', () => {
  it('is the bytes left at the average rate: 6 GB left at 1.5 GB/s is 4 s', () => {
    expect(scanSecondsLeft({ bytesDone: 3e9, bytesTotal: 9e9, elapsedMs: 2000 })).toBe(4);
  });

  it('is zero when done, and unknown without a rate', () => {
    expect(scanSecondsLeft({ bytesDone: 9e9, bytesTotal: 9e9, elapsedMs: 2000 })).toBe(0);
    expect(scanSecondsLeft({ bytesDone: 0, bytesTotal: 9e9, elapsedMs: 2000 })).toBeNull();
  });
});

describe('formatTimeLeft', () => {
  it('rounds seconds up, then writes minutes and seconds, then hours and minutes', () => {
    expect(formatTimeLeft(0)).toBe('0 s');
    expect(formatTimeLeft(42.3)).toBe('43 s');
    expect(formatTimeLeft(59.5)).toBe('1 min 00 s');
    expect(formatTimeLeft(125)).toBe('2 min 05 s');
    expect(formatTimeLeft(3 * 3600 + 61)).toBe('3 h 01 min');
  });

  it('says — for a time it cannot know', () => {
    expect(formatTimeLeft(Infinity)).toBe('—');
    expect(formatTimeLeft(-1)).toBe('—');
  });
});

describe('scanSpeedText', () => {
  it('gives GB/s and the time left', () => {
    expect(scanSpeedText({ bytesDone: 3e9, bytesTotal: 9e9, elapsedMs: 2000 })).toBe(
      '1.50 GB/s, 4 s left',
    );
    // A 140 GB checkpoint at 0.2 GB/s after 10 s: 138 GB left take 690 s.
    expect(scanSpeedText({ bytesDone: 2e9, bytesTotal: 140e9, elapsedMs: 10_000 })).toBe(
      '0.20 GB/s, 11 min 30 s left',
    );
  });

  it('gives only the rate once everything is read, and nothing before a rate is known', () => {
    expect(scanSpeedText({ bytesDone: 9e9, bytesTotal: 9e9, elapsedMs: 3000 })).toBe('3.00 GB/s');
    expect(scanSpeedText({ bytesDone: 0, bytesTotal: 9e9, elapsedMs: 0 })).toBe('');
  });
});
