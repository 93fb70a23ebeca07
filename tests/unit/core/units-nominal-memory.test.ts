import { describe, expect, it } from 'vitest';
import { deviceMemoryLabel, nominalMemory } from '../../../core/units/nominal-memory';

const MIB = 2 ** 20;
const GIB = 2 ** 30;

describe('device memory as the name says it', () => {
  it('says 80 GiB for an A100 80GB, with the exact 85.9 GB beside it in GB', () => {
    expect(nominalMemory(80 * GIB)).toBe('80 GiB');
    expect(deviceMemoryLabel(80 * GIB, 'GB')).toBe('80 GiB (85.9 GB)');
    expect(deviceMemoryLabel(80 * GIB, 'GiB')).toBe('80 GiB');
  });

  it('says 24 GiB for an RTX 4090 as nvidia-smi reads it (24564 MiB)', () => {
    expect(nominalMemory(24564 * MIB)).toBe('24 GiB');
    expect(deviceMemoryLabel(24564 * MIB, 'GiB')).toBe('24 GiB');
    expect(deviceMemoryLabel(24564 * MIB, 'GB')).toBe('24 GiB (25.8 GB)');
  });

  it('keeps the exact figure where it differs from the nominal one (H200: 143771 MiB)', () => {
    expect(deviceMemoryLabel(143771 * MIB, 'GiB')).toBe('140 GiB (140.4 GiB)');
  });
});
