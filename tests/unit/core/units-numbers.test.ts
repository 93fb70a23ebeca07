import { describe, expect, it } from 'vitest';
import { formatInteger, formatTokensPerSecond } from '../../../core/units/numbers';

describe('counts and rates, written without ICU', () => {
  it('groups thousands as en-US does', () => {
    for (const value of [0, 7, 999, 1000, 65_536, 8_030_261_248, -1_234_567]) {
      expect(formatInteger(value)).toBe(value.toLocaleString('en-US'));
    }
    expect(formatInteger(0.05)).toBe('0.05');
    expect(formatInteger(Number.NaN)).toBe('NaN');
  });

  it('writes tokens per second whole from 100 up, one decimal below, a dash when unknown', () => {
    expect(formatTokensPerSecond(1415.15)).toBe('1,415');
    expect(formatTokensPerSecond(141.5)).toBe('142');
    expect(formatTokensPerSecond(61.03)).toBe('61.0');
    expect(formatTokensPerSecond(null)).toBe('—');
    expect(formatTokensPerSecond(Number.POSITIVE_INFINITY)).toBe('—');
  });
});
