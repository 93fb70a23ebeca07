/**
 * Byte units. Model cards and the seed articles use GB (10^9); nvidia-smi and VRAM sizes use
 * GiB (2^30). Headroom keeps bytes internally and says which unit it prints.
 */
export const BYTES_PER_GB = 1e9;
export const BYTES_PER_GIB = 2 ** 30;
export const BYTES_PER_MIB = 2 ** 20;
export const BYTES_PER_KIB = 2 ** 10;

export const BYTE_UNITS = ['GB', 'GiB'] as const;
export type ByteUnit = (typeof BYTE_UNITS)[number];

/** Bytes per unit, for conversions in either direction. */
export function bytesPerUnit(unit: ByteUnit): number {
  return unit === 'GB' ? BYTES_PER_GB : BYTES_PER_GIB;
}

/**
 * A byte count in the chosen unit, with the unit written after it.
 * @example formatBytes(35e9, 'GB') // "35.00 GB"
 * @example formatBytes(2 ** 33, 'GiB', 1) // "8.0 GiB"
 */
export function formatBytes(bytes: number, unit: ByteUnit, fractionDigits = 2): string {
  return `${formatBytesNumber(bytes, unit, fractionDigits)} ${unit}`;
}

/**
 * A byte count in the unit as a bare number, for a column whose header names the unit.
 * @example formatBytesNumber(1073741824, 'GiB') // "1.00"
 */
export function formatBytesNumber(bytes: number, unit: ByteUnit, fractionDigits = 2): string {
  return (bytes / bytesPerUnit(unit)).toFixed(fractionDigits);
}

/**
 * A bandwidth as datasheets print it: decimal GB/s, whole; "—" when unknown.
 * @example formatBandwidth(1.008e12) // "1008 GB/s"
 */
export function formatBandwidth(bytesPerSecond: number | null): string {
  return bytesPerSecond === null ? '—' : `${(bytesPerSecond / BYTES_PER_GB).toFixed(0)} GB/s`;
}
