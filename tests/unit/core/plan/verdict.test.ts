import { describe, expect, it } from 'vitest';
import type { DevicePlan } from '../../../../core/plan/types';
import { buildVerdict, DEFAULT_MARGIN_FRACTION } from '../../../../core/plan/verdict';
import { EMPTY_BREAKDOWN } from '../../../../core/plan/types';
import { formatBytes } from '../../../../core/units/bytes';

const GB = (bytes: number): string => formatBytes(bytes, 'GB');

/** An RTX 4090 (24 GiB) as a plan sees it: `usable` bytes of which `used` are taken. */
function rtx4090(used: number, usable = 24 * 2 ** 30): DevicePlan {
  return {
    device: 'nvidia-rtx-4090',
    name: 'NVIDIA GeForce RTX 4090',
    capacity: 24 * 2 ** 30,
    capacityKind: 'total',
    used,
    headroom: usable - used,
    breakdown: { ...EMPTY_BREAKDOWN, weights: used },
    layers: 32,
  };
}

const verdictFor = (perDevice: readonly DevicePlan[], minDevices: number | null = 1) =>
  buildVerdict({
    perDevice,
    marginFraction: DEFAULT_MARGIN_FRACTION,
    offload: null,
    offloadPossible: true,
    minDevices,
    formatBytes: GB,
  });

describe('the verdict', () => {
  it('fits Llama-2-7B in FP16 on a 24 GB card with room to spare', () => {
    // 6.74 B parameters × 2 bytes = 13.48 GB of weights (the seeds' FP16 rule).
    const verdict = verdictFor([rtx4090(13.48e9)]);
    expect(verdict.status).toBe('fits');
    expect(verdict.reason).toBe(
      `Fits with ${GB(24 * 2 ** 30 - 13.48e9)} to spare on NVIDIA GeForce RTX 4090.`,
    );
  });

  it('calls a plan inside the 5 % safety margin tight, and says why', () => {
    // 24 GiB × 0.97: within 5 % of the card's usable memory.
    const verdict = verdictFor([rtx4090(24 * 2 ** 30 * 0.97)]);
    expect(verdict.status).toBe('tight');
    expect(verdict.fits).toBe(true);
    expect(verdict.reason).toContain('within the 5 % safety margin');
  });

  it('does not fit Llama-2-13B in FP16 (26 GB) and names how much is missing', () => {
    // 13.0 B parameters × 2 bytes = 26.0 GB of weights against 24 GiB = 25.77 GB.
    // Two cards hold it (the placement search finds the count; here it is given).
    const verdict = verdictFor([rtx4090(26.03e9)], 2);
    expect(verdict.status).toBe('does-not-fit');
    expect(verdict.reason).toBe(
      `Does not fit: NVIDIA GeForce RTX 4090 would need ${GB(26.03e9 - 24 * 2 ** 30)} more than it has; 2 such devices would do.`,
    );
  });

  it('gives no verdict without a device', () => {
    expect(verdictFor([]).status).toBe('no-device');
  });

  it('judges a group by its tightest device', () => {
    const verdict = verdictFor([rtx4090(5e9), rtx4090(24 * 2 ** 30 * 0.99)]);
    expect(verdict.status).toBe('tight');
  });
});
