import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../core/units/duration';

describe('durations, as the CLI, reports and the training card print them', () => {
  it('keeps whole seconds under two minutes, then minutes, hours and days with a decimal', () => {
    expect(formatDuration(90)).toBe('90 s');
    expect(formatDuration(5400)).toBe('90.0 min');
    expect(formatDuration(36 * 3600)).toBe('36.0 h');
    // Llama 2 70B: 1,720,320 GPU hours (Touvron et al. 2023, table 2) on one GPU = 71,680 days.
    expect(formatDuration(1_720_320 * 3600)).toBe('71680.0 days');
  });

  it('answers a dash for a time it cannot know', () => {
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});
