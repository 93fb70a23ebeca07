/**
 * Small pure helpers shared by the tool-output parsers: "no value" markers, byte quantities
 * with units (PCI addresses are in pci.ts). Every parser treats its input as hostile text.
 */
import { BYTES_PER_GIB, BYTES_PER_KIB, BYTES_PER_MIB } from '../../../core/units/bytes';

/**
 * The ways tools print "no value": nvidia-smi's `[N/A]`, `[Not Supported]`,
 * `[Requested functionality has been deprecated]`, `[Insufficient Permissions]` (any
 * bracketed text), amd-smi's and rocm-smi's `N/A`, and empty cells.
 */
export function isMissingValue(text: string | undefined): boolean {
  if (text === undefined) return true;
  const trimmed = text.trim();
  return (
    trimmed === '' || /^\[.*\]$/.test(trimmed) || /^n\/a$/i.test(trimmed) || trimmed === 'None'
  );
}

const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  kib: BYTES_PER_KIB,
  mib: BYTES_PER_MIB,
  gib: BYTES_PER_GIB,
};

/**
 * Reads a byte quantity such as `81559 MiB`, `81559` (with `defaultUnit`) or `16368 MB`
 * where the tool's "MB" means MiB (amd-smi divides by 1024*1024 and prints "MB":
 * amdsmi_cli/amdsmi_commands.py, `// (1024*1024)` then `memory_unit = 'MB'`).
 * @returns bytes, or undefined for a missing or malformed value.
 */
export function parseByteQuantity(
  text: string | undefined,
  defaultUnit: 'B' | 'KiB' | 'MiB' | 'GiB',
  options: { megabyteMeansMebibyte?: boolean } = {},
): number | undefined {
  if (isMissingValue(text)) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]i?B|B)?$/i.exec((text ?? '').trim());
  if (!match) return undefined;
  const [, numberText = '', unitText] = match;
  let unit = (unitText ?? defaultUnit).toLowerCase();
  if (options.megabyteMeansMebibyte) unit = unit.replace(/^([kmg])b$/, '$1ib');
  const factor = UNIT_BYTES[unit];
  if (factor === undefined) return undefined;
  const bytes = Number(numberText) * factor;
  return Number.isFinite(bytes) && bytes >= 0 ? Math.round(bytes) : undefined;
}

/** A non-negative integer from decimal text (byte counts from sysfs, rocm-smi), else undefined. */
export function parseNonNegativeInteger(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!/^\d{1,20}$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Splits text into lines, keeping only those ended by a newline (a cut-off last line is dropped). */
export function completeLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  lines.pop();
  return lines;
}

/** A plain object (JSON `{}`), for narrowing `unknown` from JSON.parse. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse that answers undefined instead of throwing. */
export function parseJsonSafely(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
