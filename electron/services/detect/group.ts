/**
 * Which observations are one physical GPU. Tools are taken best first; each record joins the
 * GPU it names by UUID, else by PCI address (pci.ts has put every spelling in one form), else by
 * product name and memory; only a record that matches none is a GPU of its own.
 */
import { normalizeGpuName } from '../../../core/devices/name-match';
import type { GpuObservation } from './types';

/**
 * Which tool to believe first when two disagree: the vendor's own management tool, then the
 * kernel's files, then OS inventories (whose VRAM figures si-parse.ts already filters).
 */
const SOURCE_PRIORITY: readonly string[] = [
  'nvidia-smi',
  'nvidia-smi -q -x',
  'nvidia-smi -L',
  'amd-smi',
  'rocm-smi',
  'sysfs',
  'xpu-smi',
  'system_profiler',
  'directx-registry',
  'systeminformation',
];

/** Position of a tool in SOURCE_PRIORITY; unknown tools last. */
function sourceRank(source: string): number {
  const position = SOURCE_PRIORITY.indexOf(source);
  return position === -1 ? SOURCE_PRIORITY.length : position;
}

/** One GPU as seen by every tool that saw it, best source first. */
export type Group = GpuObservation[];

/**
 * Two tools' memory figures for one GPU differ by what each leaves out: the driver's reservation
 * (H200 recording: nvidia-smi 143771 MiB total with 616 MiB reserved, OpenCL 143156 MiB) or ECC
 * on GDDR (1/16: a T4 shows 15360 of 16384 MiB). 0.9 keeps both and still tells a 20 GB card
 * from a 24 GB one of the same name.
 */
const SAME_GPU_MIN_MEMORY_RATIO = 0.9;

function sameMemory(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  return Math.min(a, b) >= Math.max(a, b) * SAME_GPU_MIN_MEMORY_RATIO;
}

const isAnchored = (o: GpuObservation): boolean => o.pciBusId !== undefined || o.uuid !== undefined;
const hasSource = (group: Group, source: string): boolean => group.some((o) => o.source === source);
const nameKey = (o: GpuObservation): string | undefined => {
  const name = o.name === undefined ? '' : normalizeGpuName(o.name);
  return name ? `${o.vendor}:${name}` : undefined;
};
const groupMemory = (group: Group): number | undefined =>
  group.find((o) => o.memoryTotalBytes !== undefined)?.memoryTotalBytes;

/** The group holding the same UUID, else the same PCI address. */
function byIdentity(groups: readonly Group[], record: GpuObservation): Group | undefined {
  const { uuid, pciBusId } = record;
  const withUuid = uuid ? groups.find((g) => g.some((o) => o.uuid === uuid)) : undefined;
  return (
    withUuid ?? (pciBusId ? groups.find((g) => g.some((o) => o.pciBusId === pciBusId)) : undefined)
  );
}

/**
 * Joins records to groups of the same product name (and a memory within the ratio) that this
 * source has not described yet. When a tool lists no more GPUs of a name than the groups already
 * hold, they are the same GPUs, paired in order; when it lists more, none is guessed at.
 * @returns the records that joined no group
 */
function pairByName(groups: readonly Group[], records: readonly GpuObservation[], source: string) {
  const unpaired: GpuObservation[] = [];
  const keys = new Set(records.map(nameKey));
  for (const key of keys) {
    const named = records.filter((o) => nameKey(o) === key);
    const candidates =
      key === undefined
        ? []
        : groups.filter((g) => !hasSource(g, source) && g.some((o) => nameKey(o) === key));
    if (named.length > candidates.length) {
      unpaired.push(...named);
      continue;
    }
    for (const record of named) {
      const group = candidates.find(
        (g) => !hasSource(g, source) && sameMemory(groupMemory(g), record.memoryTotalBytes),
      );
      if (group) group.push(record);
      else unpaired.push(record);
    }
  }
  return unpaired;
}

/**
 * Groups the observations of each physical GPU. A record with neither PCI address nor UUID
 * (system_profiler, the DirectX registry, si on Windows and macOS) that no name matched joins the
 * vendor's only GPU when its tool saw exactly one; it starts GPUs of its own only when no tool
 * gave the vendor's GPUs an address, and then only for the best such tool; otherwise it is
 * dropped rather than guessed.
 */
export function groupObservations(observations: readonly GpuObservation[]): Group[] {
  const groups: Group[] = [];
  const anchoredVendors = new Set(observations.filter(isAnchored).map((o) => o.vendor));
  const sources = [...new Set(observations.map((o) => o.source))].sort(
    (a, b) => sourceRank(a) - sourceRank(b),
  );
  for (const source of sources) {
    const records = observations.filter((o) => o.source === source);
    const unmatched: GpuObservation[] = [];
    for (const record of records) {
      const group = byIdentity(groups, record);
      if (group) group.push(record);
      else unmatched.push(record);
    }
    for (const record of pairByName(groups, unmatched, source)) {
      if (isAnchored(record)) {
        groups.push([record]);
        continue;
      }
      const ofVendor = groups.filter((g) => g[0]?.vendor === record.vendor);
      const onlyThisSource = ofVendor.every((g) => g.every((o) => o.source === source));
      if (!anchoredVendors.has(record.vendor) && onlyThisSource) {
        groups.push([record]);
        continue;
      }
      const seenBySource = records.filter((o) => o.vendor === record.vendor).length;
      const only = ofVendor.length === 1 ? ofVendor[0] : undefined;
      if (only && seenBySource === 1 && !hasSource(only, source)) only.push(record);
    }
  }
  return groups.map((group) =>
    [...group].sort((a, b) => sourceRank(a.source) - sourceRank(b.source)),
  );
}
