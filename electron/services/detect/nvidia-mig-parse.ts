/**
 * `nvidia-smi -L` and `nvidia-smi -q -x` → GPU observations with their MIG instances. With MIG
 * on, a process sees one instance's memory, not the card's (../shared/fixtures/detect/
 * SOURCES.md), so each instance's own memory is reported.
 */
import { normalizePciAddress } from './pci';
import type { GpuObservation, MigInstance, ParseResult } from './types';
import { isMissingValue, parseByteQuantity, parseNonNegativeInteger } from './values';
import { parseXml, textAt, type XmlElement } from './xml-lite';

/**
 * `GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-…)`, as in the H100 and RTX 2080 SUPER captures
 * (../shared/fixtures/detect) and NVIDIA's MIG user guide examples.
 */
const GPU_LINE = /^GPU (\d+): (.+?) \(UUID: ([^)]+)\)\s*$/;
/** `  MIG 3g.40gb     Device  0: (UUID: MIG-…)` (MIG user guide; `nvidia-smi -L` with MIG on). */
const MIG_LINE = /^\s+MIG (\S+)\s+Device\s+(\d+): \(UUID: ([^)]+)\)\s*$/;

/** Observations from `nvidia-smi -L`: name, UUID, index, and MIG instance names (no memory). */
export function parseNvidiaList(text: string): ParseResult<GpuObservation[]> {
  const gpus: { index: number; name: string; uuid: string; mig: MigInstance[] }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const gpu = GPU_LINE.exec(line);
    if (gpu) {
      gpus.push({ index: Number(gpu[1]), name: gpu[2] ?? '', uuid: gpu[3] ?? '', mig: [] });
      continue;
    }
    const mig = MIG_LINE.exec(line);
    const owner = gpus[gpus.length - 1];
    if (mig && owner) owner.mig.push({ name: mig[1] ?? '', uuid: mig[3] ?? '' });
  }
  if (gpus.length === 0) return { ok: false, reason: 'no "GPU N: … (UUID: …)" line' };
  return {
    ok: true,
    value: gpus.map((gpu) => ({
      source: 'nvidia-smi -L',
      vendor: 'nvidia' as const,
      name: gpu.name,
      uuid: gpu.uuid,
      toolIndex: gpu.index,
      ...(gpu.mig.length > 0 ? { migEnabled: true, mig: gpu.mig } : {}),
    })),
  };
}

function mebibytesAt(element: XmlElement, path: string): number | undefined {
  return parseByteQuantity(textAt(element, path), 'MiB');
}

function migInstances(gpu: XmlElement): MigInstance[] {
  const container = gpu.children.find((c) => c.name === 'mig_devices');
  return (container?.children ?? [])
    .filter((c) => c.name === 'mig_device')
    .map((device, position) => {
      const index = parseNonNegativeInteger(textAt(device, 'index')) ?? position;
      const memoryTotalBytes = mebibytesAt(device, 'fb_memory_usage/total');
      return {
        name: `MIG device ${index}`,
        ...(memoryTotalBytes !== undefined ? { memoryTotalBytes } : {}),
      };
    });
}

function gpuToObservation(gpu: XmlElement): GpuObservation {
  const name = textAt(gpu, 'product_name');
  const uuid = textAt(gpu, 'uuid');
  const pciBusId = normalizePciAddress(textAt(gpu, 'pci/pci_bus_id') ?? gpu.attributes['id']);
  const total = mebibytesAt(gpu, 'fb_memory_usage/total');
  const free = mebibytesAt(gpu, 'fb_memory_usage/free');
  const migMode = textAt(gpu, 'mig_mode/current_mig');
  const mig = migInstances(gpu);
  const toolIndex = parseNonNegativeInteger(textAt(gpu, 'minor_number'));
  // `Product Architecture` (DTD v11 on; "Ampere" in the RTX 3090 capture, v13).
  const architecture = textAt(gpu, 'product_architecture');
  return {
    source: 'nvidia-smi -q -x',
    vendor: 'nvidia',
    ...(name && !isMissingValue(name) ? { name } : {}),
    ...(uuid && !isMissingValue(uuid) ? { uuid } : {}),
    ...(pciBusId ? { pciBusId } : {}),
    ...(toolIndex !== undefined ? { toolIndex } : {}),
    ...(architecture && !isMissingValue(architecture) ? { architectureName: architecture } : {}),
    ...(total !== undefined
      ? { memoryTotalBytes: total, memoryConfidence: 'measured' as const }
      : {}),
    ...(free !== undefined ? { memoryFreeBytes: free } : {}),
    ...(migMode && !isMissingValue(migMode) ? { migEnabled: /^enabled$/i.test(migMode) } : {}),
    ...(mig.length > 0 ? { mig } : {}),
  };
}

/** Observations from `nvidia-smi -q -x`: identity, framebuffer memory, MIG instances with memory. */
export function parseNvidiaXml(xml: string): ParseResult<GpuObservation[]> {
  const root = parseXml(xml);
  if (root?.name !== 'nvidia_smi_log') {
    return { ok: false, reason: 'not a complete nvidia_smi_log XML document' };
  }
  return { ok: true, value: root.children.filter((c) => c.name === 'gpu').map(gpuToObservation) };
}

/**
 * Gives MIG instances from `-q -x` (memory) the profile names from `-L` (`3g.40gb`): the
 * XML's `mig_device/index` is the `Device N` of `-L` on the same GPU (matched by UUID).
 */
export function nameMigInstances(
  fromXml: readonly GpuObservation[],
  fromList: readonly GpuObservation[],
): GpuObservation[] {
  return fromXml.map((gpu) => {
    const listed = fromList.find((l) => l.uuid !== undefined && l.uuid === gpu.uuid);
    if (!gpu.mig || !listed?.mig) return gpu;
    const named = gpu.mig.map((instance, position) => {
      const index = Number(/(\d+)$/.exec(instance.name)?.[1] ?? position);
      const match = listed.mig?.[index];
      return match
        ? { ...instance, name: match.name, ...(match.uuid ? { uuid: match.uuid } : {}) }
        : instance;
    });
    return { ...gpu, mig: named };
  });
}
