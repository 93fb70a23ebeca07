/**
 * A detected GPU's architecture, from the most specific fact any tool gave: the compute
 * capability; else the architecture or gfx target a tool named; else its product name (the
 * catalog entry it matches, then a product-family rule); "unknown" only when nothing says
 * anything. The answer says which fact decided, so every dtype table can name its source.
 */
import { architectureFromProductName } from '../../../core/devices/architecture-by-name';
import {
  computeCapabilityOfArchitecture,
  cudaArchitectureName,
} from '../../../core/devices/cuda-architecture';
import type { DeviceArchitecture, DeviceSpec } from '../../../core/devices/types';
import type { DtypesSource, GpuObservation, GpuVendor } from './types';

interface ResolvedArchitecture {
  readonly architecture: DeviceArchitecture;
  readonly source: DtypesSource;
}

/** What a GPU with no known architecture is assumed to be: fp32 only (dtype-support's baseline). */
function unknownArchitecture(vendor: GpuVendor): DeviceArchitecture {
  switch (vendor) {
    case 'nvidia':
      return { kind: 'cuda', computeCapability: 'unknown', name: 'unknown' };
    case 'amd':
      return { kind: 'rocm', gfxTarget: 'unknown', name: 'unknown' };
    case 'apple':
      return { kind: 'apple', generation: 'unknown' };
    case 'intel':
      return { kind: 'intel-xe', name: 'unknown' };
  }
}

/** What the tools themselves said about the architecture, best source first. */
function fromTools(
  vendor: GpuVendor,
  group: readonly GpuObservation[],
  known: DeviceArchitecture | undefined,
): ResolvedArchitecture | undefined {
  const said = (pick: (o: GpuObservation) => string | undefined) => {
    const observation = group.find((o) => pick(o) !== undefined);
    const value = observation ? pick(observation) : undefined;
    return observation && value !== undefined ? { tool: observation.source, value } : undefined;
  };
  const tool = (
    kind: 'compute-capability' | 'tool-architecture',
    fact: { tool: string; value: string },
  ) => ({ kind, tool: fact.tool, value: fact.value }) as const;
  if (vendor === 'nvidia') {
    const cc = said((o) => o.computeCapability);
    if (cc) {
      const name = known?.kind === 'cuda' ? known.name : cudaArchitectureName(cc.value);
      return {
        architecture: { kind: 'cuda', computeCapability: cc.value, name },
        source: tool('compute-capability', cc),
      };
    }
    const named = said((o) => o.architectureName);
    if (named && computeCapabilityOfArchitecture(named.value) !== undefined) {
      // The catalog's entry of the same architecture adds its exact compute capability.
      const sameAsCatalog =
        known?.kind === 'cuda' && known.name.toLowerCase() === named.value.toLowerCase();
      return {
        architecture: sameAsCatalog
          ? known
          : { kind: 'cuda', computeCapability: 'unknown', name: named.value },
        source: tool('tool-architecture', named),
      };
    }
  }
  const gfx = vendor === 'amd' ? said((o) => o.gfxTarget) : undefined;
  if (gfx) {
    const name = known?.kind === 'rocm' ? known.name : gfx.value;
    return {
      architecture: { kind: 'rocm', gfxTarget: gfx.value, name },
      source: tool('tool-architecture', gfx),
    };
  }
  const generation = vendor === 'apple' ? said((o) => o.appleGeneration) : undefined;
  if (generation) {
    return {
      architecture: { kind: 'apple', generation: generation.value },
      source: tool('tool-architecture', generation),
    };
  }
  const family = vendor === 'intel' ? said((o) => o.intelFamily) : undefined;
  if (family) {
    return {
      architecture: { kind: 'intel-xe', name: family.value },
      source: tool('tool-architecture', family),
    };
  }
  return undefined;
}

/**
 * @param vendor the GPU's vendor
 * @param group every observation of the GPU, best source first
 * @param catalog the catalog device its name matched, if any
 * @returns the architecture and the fact it came from
 */
export function resolveArchitecture(
  vendor: GpuVendor,
  group: readonly GpuObservation[],
  catalog: DeviceSpec | undefined,
): ResolvedArchitecture {
  const reported = fromTools(vendor, group, catalog?.architecture);
  if (reported) return reported;
  if (catalog) {
    return {
      architecture: catalog.architecture,
      source: { kind: 'catalog', deviceId: catalog.id },
    };
  }
  for (const name of group.map((o) => o.name).filter((n): n is string => n !== undefined)) {
    const rule = architectureFromProductName(vendor, name);
    if (rule) {
      return {
        architecture: rule.architecture,
        source: { kind: 'product-name', family: rule.family, name },
      };
    }
  }
  return { architecture: unknownArchitecture(vendor), source: { kind: 'unknown' } };
}

/**
 * The source of a dtype table in words, for the JSON document and reports.
 * @example describeDtypesSource({ kind: 'compute-capability', tool: 'nvidia-smi', value: '9.0' })
 *   // 'compute capability 9.0 (nvidia-smi)'
 */
export function describeDtypesSource(source: DtypesSource): string {
  switch (source.kind) {
    case 'compute-capability':
      return `compute capability ${source.value} (${source.tool})`;
    case 'tool-architecture':
      return `architecture ${source.value} (${source.tool})`;
    case 'catalog':
      return `catalog device ${source.deviceId} (matched by name)`;
    case 'product-name':
      return `product name "${source.name}": ${source.family} family`;
    case 'cpu-flags':
      return `CPU feature flags (${source.tool})`;
    case 'unknown':
      return 'unknown: nothing reported the architecture, only fp32 is assumed native';
  }
}
