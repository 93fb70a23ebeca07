/**
 * The shapes detection passes between its parts: what one tool says about one GPU (an
 * observation), what the probes report, and the result the planner and the faces use.
 */
import type { DeviceSpec } from '../../../core/devices/types';

/** How one probe ended. `missing`: the tool is not installed; `skipped`: not run here. */
export type ProbeStatus = 'ok' | 'missing' | 'timeout' | 'failed' | 'skipped';

export interface ProbeReport {
  /** The tool, e.g. `nvidia-smi`, `rocm-smi`, `systeminformation`, `sysfs`. */
  readonly name: string;
  readonly status: ProbeStatus;
  readonly ms: number;
  /** Why it is not ok (or what was odd about an ok run). */
  readonly reason?: string;
}

export type GpuVendor = 'nvidia' | 'amd' | 'apple' | 'intel';

/** One MIG instance of an NVIDIA GPU, with the memory a process on it sees. */
export interface MigInstance {
  /** Profile name as nvidia-smi prints it, e.g. `3g.40gb`, or `MIG device N` without one. */
  readonly name: string;
  readonly uuid?: string;
  readonly memoryTotalBytes?: number;
}

/** How far a memory figure can be trusted. */
type MemoryConfidence = 'measured' | 'estimated';

/**
 * What one source says about one GPU. Sources disagree and each knows only part; the merge
 * (merge.ts) combines observations of the same GPU, matched on the PCI address.
 */
export interface GpuObservation {
  /** The tool the facts came from, e.g. `nvidia-smi`, `amd-smi`, `sysfs`. */
  readonly source: string;
  readonly vendor: GpuVendor;
  readonly name?: string;
  /** Normalised `dddd:bb:dd.f` (lower-case hex); see pci.ts. */
  readonly pciBusId?: string;
  readonly uuid?: string;
  /** The tool's own index (nvidia-smi `index`, amd-smi `gpu`); not stable across boots. */
  readonly toolIndex?: number;
  readonly memoryTotalBytes?: number;
  readonly memoryFreeBytes?: number;
  /** `measured` unless the figure is derived (e.g. Apple's working-set estimate). */
  readonly memoryConfidence?: MemoryConfidence;
  readonly computeCapability?: string;
  /** The architecture as the tool names it (nvidia-smi -q "Product Architecture": `Hopper`). */
  readonly architectureName?: string;
  /** AMD `gfx…` target, e.g. `gfx90a`. */
  readonly gfxTarget?: string;
  /** Apple GPU generation, e.g. `m1`, from the chip name. */
  readonly appleGeneration?: string;
  /** Intel GPU family / product line, from the name. */
  readonly intelFamily?: string;
  readonly migEnabled?: boolean;
  readonly mig?: readonly MigInstance[];
  /** CPU and GPU share one memory (Apple Silicon, APUs). */
  readonly unifiedMemory?: boolean;
  /** Total RAM of a unified-memory machine, of which the GPU budget is a share (Apple). */
  readonly systemMemoryBytes?: number;
  /** GPU core count where the tool gives one (Apple `sppci_cores`); narrows the catalog match. */
  readonly gpuCores?: number;
  /** Facts a person should read beside the numbers (estimates, APU carve-out + GTT). */
  readonly notes?: readonly string[];
}

/** What the CPU/RAM probe says about the host. */
export interface CpuObservation {
  readonly source: string;
  readonly name: string;
  readonly cores: number;
  /** Lower-case SIMD / matrix flags as /proc/cpuinfo spells them (avx2, avx512_bf16, amx_tile). */
  readonly flags: readonly string[];
  readonly memoryTotalBytes: number;
  readonly memoryAvailableBytes?: number;
}

/**
 * Where a device's architecture, and so its dtype table, came from, best first: the compute
 * capability a tool reported; the architecture or gfx target a tool reported (or the Apple
 * generation / Intel family its parser read off the chip name); the catalog entry the product
 * name matched; a product-family rule on the name (core/devices/architecture-by-name.ts); the
 * CPU's feature flags; nothing (`unknown`: only fp32 is assumed native).
 */
export type DtypesSource =
  | { readonly kind: 'compute-capability'; readonly tool: string; readonly value: string }
  | { readonly kind: 'tool-architecture'; readonly tool: string; readonly value: string }
  | { readonly kind: 'catalog'; readonly deviceId: string }
  | { readonly kind: 'product-name'; readonly family: string; readonly name: string }
  | { readonly kind: 'cpu-flags'; readonly tool: string }
  | { readonly kind: 'unknown' };

/** Detection facts that are not part of a DeviceSpec (JSON output, refresh, MIG). */
export interface DetectionFacts {
  /** Position in the result, `local:N`. */
  readonly index: number;
  readonly pciBusId?: string;
  readonly uuid?: string;
  /** Every tool that contributed a fact, e.g. `nvidia-smi+systeminformation`. */
  readonly sources: readonly string[];
  /** False when the model is not in the device catalog: bandwidth and throughput are unknown. */
  readonly specsKnown: boolean;
  readonly memoryConfidence: MemoryConfidence;
  /** Where the architecture, and so the `dtypes` table, came from. */
  readonly dtypesSource: DtypesSource;
  readonly mig?: readonly MigInstance[];
  readonly notes: readonly string[];
}

/** A detected device: usable anywhere a DeviceSpec is, with what detection learned besides. */
export interface DetectedDevice extends DeviceSpec {
  readonly detection: DetectionFacts;
}

/** "No GPU found" and "could not detect" are different answers; both say why. */
export type GpuVerdict =
  | { readonly kind: 'found'; readonly message: string }
  | { readonly kind: 'none-found'; readonly message: string }
  | { readonly kind: 'undetermined'; readonly message: string };

/** A GPU some tool saw but the device list leaves out, and why (e.g. its memory is unknown). */
export interface IgnoredGpu {
  readonly name: string;
  readonly reason: string;
}

export interface DetectResult {
  /** GPUs first (by PCI address), then the CPU with system RAM. */
  readonly devices: readonly DetectedDevice[];
  readonly ignoredGpus: readonly IgnoredGpu[];
  readonly probes: readonly ProbeReport[];
  readonly gpuVerdict: GpuVerdict;
  /** ISO 8601 time detection started. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** Set when the result was replayed from a recording (`--replay DIR`). */
  readonly replayedFrom?: string;
}

/**
 * Raw tool outputs by their fixed dump file name (`nvidia-smi-query.csv`, `sysfs/…`): what
 * `--dump` writes and `--replay` reads, and all the pure mappers ever see.
 */
export type Captures = ReadonlyMap<string, string>;

/** A parser's answer: the facts, or why the text was not understood. */
export type ParseResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };
