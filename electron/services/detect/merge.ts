/**
 * Observations → detected devices. Records of one GPU from several tools are one group
 * (group.ts: UUID, PCI address, then name and memory); bandwidth and throughput come from the
 * device catalog by model name; dtypes from the architecture architecture.ts resolves.
 */
import { dtypeSupportFor, fp8EncodingFor } from '../../../core/devices/dtype-support';
import { catalogDeviceForName } from '../../../core/devices/name-match';
import { describeDtypesSource, resolveArchitecture } from './architecture';
import { buildCpuDevice } from './cpu-device';
import { groupObservations, type Group } from './group';
import type {
  CpuObservation,
  DetectedDevice,
  GpuObservation,
  IgnoredGpu,
  MigInstance,
} from './types';

function first<T>(group: Group, pick: (o: GpuObservation) => T | undefined): T | undefined {
  for (const observation of group) {
    const value = pick(observation);
    if (value !== undefined) return value;
  }
  return undefined;
}

function migOf(group: Group): readonly MigInstance[] | undefined {
  const withMemory = group.find((o) => o.mig?.some((m) => m.memoryTotalBytes !== undefined));
  return (withMemory ?? group.find((o) => o.mig && o.mig.length > 0))?.mig;
}

function gpuDevice(
  group: Group,
  index: number,
  cpu: CpuObservation | undefined,
): DetectedDevice | IgnoredGpu {
  const vendor = group[0]?.vendor ?? 'nvidia';
  const name = first(group, (o) => o.name) ?? `${vendor.toUpperCase()} GPU`;
  const withMemory = group.find((o) => o.memoryTotalBytes !== undefined);
  const memoryBytes = withMemory?.memoryTotalBytes;
  if (memoryBytes === undefined || memoryBytes <= 0) {
    return {
      name,
      reason: `its memory is unknown (${[...new Set(group.map((o) => o.source))].join(', ')} gave none)`,
    };
  }
  const systemMemoryBytes = first(group, (o) => o.systemMemoryBytes);
  const gpuCores = first(group, (o) => o.gpuCores);
  // Apple names are matched on total RAM (hw.memsize), the rest on their own memory.
  const catalog = catalogDeviceForName(
    name,
    vendor === 'apple' ? systemMemoryBytes : memoryBytes,
    gpuCores !== undefined ? { gpuCores } : {},
  );
  const { architecture, source: dtypesSource } = resolveArchitecture(vendor, group, catalog);
  const notes = [...new Set(group.flatMap((o) => o.notes ?? []))];
  if (!catalog)
    notes.push(`"${name}" is not in the device catalog: bandwidth and throughput unknown`);
  notes.push(`dtypes from ${describeDtypesSource(dtypesSource)}`);
  const unifiedMemory = group.some((o) => o.unifiedMemory) || (catalog?.unifiedMemory ?? false);
  let memoryFreeBytes = withMemory?.memoryFreeBytes ?? first(group, (o) => o.memoryFreeBytes);
  if (
    vendor === 'apple' &&
    memoryFreeBytes === undefined &&
    cpu?.memoryAvailableBytes !== undefined
  ) {
    memoryFreeBytes = Math.min(memoryBytes, cpu.memoryAvailableBytes);
  }
  const mig = migOf(group);
  if (mig && group.some((o) => o.migEnabled)) {
    notes.push("MIG is on: a process sees one instance's memory, not the whole card's");
  }
  const sources = [...new Set(group.map((o) => o.source))];
  const pciBusId = first(group, (o) => o.pciBusId);
  const uuid = first(group, (o) => o.uuid);
  const fp8Encoding = fp8EncodingFor(architecture);
  const interconnect = catalog?.interconnectBytesPerSecond;
  return {
    id: `local:${index}`,
    vendor,
    name,
    memoryBytes,
    ...(memoryFreeBytes !== undefined ? { memoryFreeBytes } : {}),
    bandwidthBytesPerSecond: catalog?.bandwidthBytesPerSecond ?? 0,
    peakOpsPerSecond: catalog?.peakOpsPerSecond ?? {},
    architecture,
    dtypes: dtypeSupportFor(architecture),
    unifiedMemory,
    ...(interconnect !== undefined ? { interconnectBytesPerSecond: interconnect } : {}),
    ...(systemMemoryBytes !== undefined ? { systemMemoryBytes } : {}),
    ...(fp8Encoding !== undefined ? { fp8Encoding } : {}),
    source: { kind: 'detected', tool: sources.join('+') },
    detection: {
      index,
      ...(pciBusId ? { pciBusId } : {}),
      ...(uuid ? { uuid } : {}),
      sources,
      specsKnown: catalog !== undefined,
      memoryConfidence: withMemory?.memoryConfidence ?? 'measured',
      dtypesSource,
      ...(mig ? { mig } : {}),
      notes,
    },
  };
}

function isDevice(value: DetectedDevice | IgnoredGpu): value is DetectedDevice {
  return 'id' in value;
}

/** Orders GPUs by PCI address (stable across boots, unlike tool indices), then the rest. */
function byPciAddress(a: Group, b: Group): number {
  const pa = first(a, (o) => o.pciBusId);
  const pb = first(b, (o) => o.pciBusId);
  if (pa && pb) return pa.localeCompare(pb);
  if (pa || pb) return pa ? -1 : 1;
  return (first(a, (o) => o.toolIndex) ?? 0) - (first(b, (o) => o.toolIndex) ?? 0);
}

/**
 * Builds the device list: GPUs by PCI address as `local:0…`, then the CPU with system RAM.
 * @returns devices, and the GPUs left out (memory unknown) with why.
 */
export function mergeObservations(
  gpus: readonly GpuObservation[],
  cpu: CpuObservation | undefined,
): { devices: DetectedDevice[]; ignored: IgnoredGpu[] } {
  const devices: DetectedDevice[] = [];
  const ignored: IgnoredGpu[] = [];
  for (const group of groupObservations(gpus).sort(byPciAddress)) {
    const built = gpuDevice(group, devices.length, cpu);
    if (isDevice(built)) devices.push(built);
    else ignored.push(built);
  }
  const cpuSpec = cpu ? buildCpuDevice(cpu, devices.length) : undefined;
  if (cpuSpec) devices.push(cpuSpec);
  return { devices, ignored };
}
