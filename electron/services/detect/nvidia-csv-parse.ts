/**
 * `nvidia-smi --query-gpu=… --format=csv` → GPU observations. Parsing follows the header row,
 * so a recording with any set of columns, in any order, with or without units
 * (`memory.total [MiB]` / `nounits`), replays.
 */
import { normalizePciAddress } from './pci';
import type { GpuObservation, ParseResult } from './types';
import {
  completeLines,
  isMissingValue,
  parseByteQuantity,
  parseNonNegativeInteger,
} from './values';

/** The columns Headroom asks for (issue 4); any subset parses. */
export const NVIDIA_QUERY_FIELDS = [
  'index',
  'uuid',
  'pci.bus_id',
  'name',
  'memory.total',
  'memory.reserved',
  'memory.used',
  'memory.free',
  'compute_cap',
  'driver_version',
  'mig.mode.current',
] as const;

/** Columns that identify a GPU: a header row without any of them is not nvidia-smi's. */
const IDENTIFYING_FIELDS = ['index', 'uuid', 'pci.bus_id', 'name', 'memory.total'];

interface HeaderColumn {
  readonly field: string;
  /** The unit nvidia-smi writes in brackets after the field name, e.g. `MiB`. */
  readonly unit?: string;
}

function parseHeader(line: string): HeaderColumn[] {
  return line.split(',').map((cell) => {
    const match = /^\s*([^[\s]+)\s*(?:\[([^\]]*)\])?\s*$/.exec(cell);
    return match
      ? { field: match[1] ?? '', ...(match[2] ? { unit: match[2] } : {}) }
      : { field: cell.trim() };
  });
}

type Cells = ReadonlyMap<string, string | undefined>;

function text(cells: Cells, field: string): string | undefined {
  const value = cells.get(field);
  return value === undefined || isMissingValue(value) ? undefined : value.trim();
}

/** Memory columns are MiB: the recorded headers read `memory.total [MiB]` (../shared/fixtures/detect). */
function mebibytes(cells: Cells, field: string): number | undefined {
  return parseByteQuantity(cells.get(field), 'MiB');
}

function rowToObservation(cells: Cells): GpuObservation {
  const total = mebibytes(cells, 'memory.total');
  const used = mebibytes(cells, 'memory.used');
  const reserved = mebibytes(cells, 'memory.reserved');
  // total = reserved + used + free (../shared/fixtures/detect/SOURCES.md, from the captures).
  const free =
    mebibytes(cells, 'memory.free') ??
    (total !== undefined && used !== undefined
      ? Math.max(0, total - used - (reserved ?? 0))
      : undefined);
  const indexText = text(cells, 'index');
  const computeCapability = text(cells, 'compute_cap');
  const mig = text(cells, 'mig.mode.current');
  const name = text(cells, 'name');
  const uuid = text(cells, 'uuid');
  const pciBusId = normalizePciAddress(text(cells, 'pci.bus_id'));
  const toolIndex = parseNonNegativeInteger(indexText);
  return {
    source: 'nvidia-smi',
    vendor: 'nvidia',
    ...(name ? { name } : {}),
    ...(uuid ? { uuid } : {}),
    ...(pciBusId ? { pciBusId } : {}),
    ...(toolIndex !== undefined ? { toolIndex } : {}),
    ...(total !== undefined
      ? { memoryTotalBytes: total, memoryConfidence: 'measured' as const }
      : {}),
    ...(free !== undefined ? { memoryFreeBytes: free } : {}),
    ...(computeCapability && /^\d+\.\d+$/.test(computeCapability) ? { computeCapability } : {}),
    ...(mig ? { migEnabled: /^enabled$/i.test(mig) } : {}),
  };
}

/**
 * Parses `nvidia-smi --query-gpu=<fields> --format=csv` output (header row required).
 * Rows cut short (a truncated recording) are dropped; cells `[N/A]`, `[Not Supported]` and
 * the like become absent facts.
 * @returns one observation per complete row, or why the text is not such output.
 */
export function parseNvidiaQueryCsv(csv: string): ParseResult<GpuObservation[]> {
  const lines = completeLines(csv).filter((line) => line.trim() !== '');
  const cutShort = !/\n\s*$/.test(csv) && csv.trim() !== '';
  const headerLine = lines[0];
  if (headerLine === undefined) return { ok: false, reason: 'empty output (no header row)' };
  const header = parseHeader(headerLine);
  if (!header.some((column) => IDENTIFYING_FIELDS.includes(column.field))) {
    return { ok: false, reason: `not a nvidia-smi CSV header: "${headerLine.slice(0, 80)}"` };
  }
  const observations: GpuObservation[] = [];
  for (const line of lines.slice(1)) {
    const values = line.split(',');
    if (values.length !== header.length) continue;
    const cells = new Map(header.map((column, i) => [column.field, values[i]]));
    observations.push(rowToObservation(cells));
  }
  if (cutShort && observations.length === 0) {
    return { ok: false, reason: 'output cut short: no complete row after the header' };
  }
  return { ok: true, value: observations };
}

/**
 * The field nvidia-smi rejected, from its exit-2 message
 * (`Field "compute_cap" is not a valid field to query.`, R470-era drivers).
 */
export function rejectedQueryField(stderr: string): string | undefined {
  return /Field "([^"]+)" is not a valid field to query/i.exec(stderr)?.[1];
}
