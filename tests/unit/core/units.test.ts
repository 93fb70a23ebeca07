import { describe, expect, it } from 'vitest';
import {
  BYTES_PER_GB,
  BYTES_PER_GIB,
  formatBandwidth,
  formatBytes,
  formatBytesNumber,
} from '../../../core/units/bytes';

describe('byte units (DESIGN.md "Units")', () => {
  it('uses 10^9 for GB and 2^30 for GiB', () => {
    expect(BYTES_PER_GB).toBe(1_000_000_000);
    expect(BYTES_PER_GIB).toBe(1_073_741_824);
  });

  it('prints the unit after the number', () => {
    // The seeds: 70 B parameters at 4 bits = 35 GB.
    expect(formatBytes(35e9, 'GB')).toBe('35.00 GB');
    // nvidia-smi reports an H100 80GB HBM3 as 81559 MiB (../shared/fixtures/detect): 79.6 GiB.
    expect(formatBytes(81559 * 2 ** 20, 'GiB', 1)).toBe('79.6 GiB');
  });

  it('prints a bare number for a column whose header names the unit', () => {
    // 24 GiB, an RTX 4090's memory as nvidia-smi counts it (24564 MiB = 23.99 GiB).
    expect(formatBytesNumber(24564 * 2 ** 20, 'GiB')).toBe('23.99');
  });

  it('prints bandwidth as datasheets do, in decimal GB/s', () => {
    // NVIDIA H200 datasheet: 4.8 TB/s of HBM3e bandwidth.
    expect(formatBandwidth(4.8e12)).toBe('4800 GB/s');
    // RTX 4090: 1008 GB/s (Ada whitepaper, 21 Gbps × 384 bit).
    expect(formatBandwidth(1.008e12)).toBe('1008 GB/s');
    expect(formatBandwidth(null)).toBe('—');
  });
});
