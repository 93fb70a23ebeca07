import { BYTES_PER_GIB, formatBytes, type ByteUnit } from './bytes';

/**
 * How device names and datasheets speak of memory: "A100 80GB", "RTX 4090 24GB", "H200 141GB"
 * are 80, 24 and 141 GiB (2^30 bytes; nvidia-smi reports 81920, 24564 of 24576 and 143771 MiB),
 * whatever the name's letters say. A chip shows that figure beside the exact one, so
 * "80GB" in a name never sits unexplained beside "85.90 GB" (issue 17).
 */

/** Within this much of a whole GiB the exact figure adds nothing beside the nominal one. */
const SAME_FIGURE_GIB = 0.05;

/**
 * A device's memory as its name says it, in whole GiB.
 * @example nominalMemory(80 * 2 ** 30) // "80 GiB"
 * @example nominalMemory(24564 * 2 ** 20) // "24 GiB" (an RTX 4090 as nvidia-smi reads it)
 */
export function nominalMemory(memoryBytes: number): string {
  return `${Math.round(memoryBytes / BYTES_PER_GIB)} GiB`;
}

/**
 * The nominal figure and, where it says more, the exact one in the chosen unit.
 * @example deviceMemoryLabel(80 * 2 ** 30, 'GB') // "80 GiB (85.9 GB)"
 * @example deviceMemoryLabel(80 * 2 ** 30, 'GiB') // "80 GiB"
 * @example deviceMemoryLabel(143771 * 2 ** 20, 'GiB') // "140 GiB (140.4 GiB)"
 */
export function deviceMemoryLabel(memoryBytes: number, unit: ByteUnit): string {
  const nominal = nominalMemory(memoryBytes);
  const gib = memoryBytes / BYTES_PER_GIB;
  if (unit === 'GiB' && Math.abs(gib - Math.round(gib)) < SAME_FIGURE_GIB) return nominal;
  return `${nominal} (${formatBytes(memoryBytes, unit, 1)})`;
}
