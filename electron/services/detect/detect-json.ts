/**
 * The `headroom detect --json` document, schema `headroom.detect/v1` (issue 4): field names are
 * the contract; a breaking change bumps the version.
 */
import type { DtypeSupportTable } from '../../../core/devices/dtypes';
import { describeDtypesSource } from './architecture';
import type { DetectedDevice, DetectResult, GpuVerdict, IgnoredGpu, ProbeReport } from './types';

export const DETECT_SCHEMA = 'headroom.detect/v1';

export interface DetectJsonDevice {
  readonly id: string;
  readonly vendor: DetectedDevice['vendor'];
  readonly name: string;
  readonly memoryTotalBytes: number;
  /** null when no tool reported it. */
  readonly memoryFreeBytes: number | null;
  /** `estimated` for Apple's working-set estimate, `measured` otherwise. */
  readonly memoryConfidence: 'measured' | 'estimated';
  readonly computeCapability?: string;
  /** Architecture name (Hopper), gfx target (gfx90a), Apple generation (m2) or Intel family (xe-hpg). */
  readonly arch?: string;
  readonly dtypes: DtypeSupportTable;
  /** Where the dtype table came from, in words (architecture.ts describeDtypesSource). */
  readonly dtypesSource: string;
  readonly mig?: readonly { readonly name: string; readonly memoryTotalBytes: number | null }[];
  /** The tools the facts came from, `+`-joined, e.g. `nvidia-smi+systeminformation`. */
  readonly source: string;
  readonly pciBusId?: string;
  readonly specsKnown: boolean;
  readonly notes: readonly string[];
}

export interface DetectJson {
  readonly schema: typeof DETECT_SCHEMA;
  readonly devices: readonly DetectJsonDevice[];
  readonly probes: readonly ProbeReport[];
  readonly gpuVerdict: GpuVerdict;
  readonly ignoredGpus: readonly IgnoredGpu[];
  readonly startedAt: string;
  readonly durationMs: number;
  readonly replayedFrom?: string;
}

/** The architecture words shown for a device (`arch`), by kind. */
export function architectureLabel(device: DetectedDevice): string | undefined {
  const architecture = device.architecture;
  switch (architecture.kind) {
    case 'cuda':
      return architecture.name === 'unknown' ? undefined : architecture.name;
    case 'rocm':
      return architecture.gfxTarget === 'unknown' ? undefined : architecture.gfxTarget;
    case 'apple':
      return architecture.generation === 'unknown' ? undefined : architecture.generation;
    case 'intel-xe':
      return architecture.name === 'unknown' ? undefined : architecture.name;
    case 'cpu':
      return undefined;
  }
}

function jsonDevice(device: DetectedDevice): DetectJsonDevice {
  const arch = architectureLabel(device);
  const cc =
    device.architecture.kind === 'cuda' && device.architecture.computeCapability !== 'unknown'
      ? device.architecture.computeCapability
      : undefined;
  return {
    id: device.id,
    vendor: device.vendor,
    name: device.name,
    memoryTotalBytes: device.memoryBytes,
    memoryFreeBytes: device.memoryFreeBytes ?? null,
    memoryConfidence: device.detection.memoryConfidence,
    ...(cc ? { computeCapability: cc } : {}),
    ...(arch ? { arch } : {}),
    dtypes: device.dtypes,
    dtypesSource: describeDtypesSource(device.detection.dtypesSource),
    ...(device.detection.mig
      ? {
          mig: device.detection.mig.map((m) => ({
            name: m.name,
            memoryTotalBytes: m.memoryTotalBytes ?? null,
          })),
        }
      : {}),
    source: device.detection.sources.join('+'),
    ...(device.detection.pciBusId ? { pciBusId: device.detection.pciBusId } : {}),
    specsKnown: device.detection.specsKnown,
    notes: device.detection.notes,
  };
}

/** The `--json` document for a detection result. */
export function detectJson(result: DetectResult): DetectJson {
  return {
    schema: DETECT_SCHEMA,
    devices: result.devices.map(jsonDevice),
    probes: result.probes,
    gpuVerdict: result.gpuVerdict,
    ignoredGpus: result.ignoredGpus,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    ...(result.replayedFrom ? { replayedFrom: result.replayedFrom } : {}),
  };
}
