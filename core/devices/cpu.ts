import { catalogDevice } from './catalog-helpers';
import { normalizeCpuFlag } from './dtype-support';
import type { ComputeDtype } from './dtypes';
import type { DeviceSource, DeviceSpec } from './types';
import { HeadroomError } from '../errors';
import { BYTES_PER_GIB } from '../units/bytes';

/**
 * The CPU with system RAM as a device. Peak throughput is an estimate: cores × an assumed clock ×
 * the widest SIMD/matrix rate the flags show, and says so in its references.
 */

/**
 * Dual-channel DDR5-5600: 2 channels × 64 bits (8 bytes) × 5600 MT/s = 89.6 GB/s (JEDEC JESD79-5
 * data rate; a DDR5 DIMM channel is two 32-bit subchannels). Used when detection gives none.
 */
export const DEFAULT_CPU_BANDWIDTH_BYTES_PER_SECOND = 2 * 8 * 5600e6;

/** Assumed sustained all-core clock when detection gives none: 3.0 GHz (a stated assumption). */
const ASSUMED_CPU_CLOCK_HZ = 3.0e9;

/**
 * FP32 FLOPs per cycle per core. AVX-512: two 512-bit FMA ports = 2 × 16 × 2 = 64 (Intel 64 and
 * IA-32 Architectures Optimization Reference Manual, Skylake Server: FMA on ports 0 and 5;
 * client parts with one 512-bit unit get half). AVX2+FMA: two 256-bit FMA units = 2 × 8 × 2 = 32
 * (same manual, Haswell microarchitecture). Arm NEON/SVE-128: two 128-bit FMA pipes = 2 × 4 × 2 = 16
 * (Arm Neoverse N1 Software Optimization Guide). SSE2 baseline: one 4-wide multiply + one add = 8.
 */
const FP32_FLOPS_PER_CYCLE = { avx512: 64, avx2: 32, neon: 16, sse: 8 } as const;

/**
 * BF16 FLOPs per cycle per core. AVX512_BF16 VDPBF16PS: 16 lanes × 2 products × FMA on two ports
 * = 128. AMX-BF16: 1024 BF16 operations per cycle per core (Intel's Sapphire Rapids AMX overview,
 * Architecture Day 2021).
 */
const BF16_FLOPS_PER_CYCLE = { avx512bf16: 128, amx: 1024 } as const;

/**
 * INT8 operations per cycle per core. AVX512_VNNI VPDPBUSD: 64 multiply-adds × 2 ports × 2 = 256;
 * AVX-VNNI (256-bit): 128; AMX-INT8: 2048 per cycle per core (same Intel AMX overview).
 */
const INT8_OPS_PER_CYCLE = { avx512vnni: 256, avxvnni: 128, amx: 2048 } as const;

export interface CpuDeviceInput {
  /** The processor's name, as the OS reports it. */
  readonly name: string;
  /** System RAM. */
  readonly memoryBytes: number;
  /** Physical cores. */
  readonly cores: number;
  /** Feature flags (Linux /proc/cpuinfo `flags`/`Features`, macOS hw.optional.*). */
  readonly flags: readonly string[];
  /** Measured or known memory bandwidth; defaults to dual-channel DDR5-5600. */
  readonly bandwidthBytesPerSecond?: number;
  /** Device id; defaults to `cpu`. */
  readonly id?: string;
  /** Where the facts came from; defaults to user-defined. */
  readonly source?: DeviceSource;
}

function peakOpsPerSecond(
  cores: number,
  flags: ReadonlySet<string>,
): Partial<Record<ComputeDtype, number>> {
  const perCore = cores * ASSUMED_CPU_CLOCK_HZ;
  const fp32PerCycle = flags.has('avx512f')
    ? FP32_FLOPS_PER_CYCLE.avx512
    : flags.has('avx2') && flags.has('fma')
      ? FP32_FLOPS_PER_CYCLE.avx2
      : flags.has('asimd') || flags.has('neon') || flags.has('sve') || flags.has('advsimd')
        ? FP32_FLOPS_PER_CYCLE.neon
        : FP32_FLOPS_PER_CYCLE.sse;
  const peak: Partial<Record<ComputeDtype, number>> = { fp32: perCore * fp32PerCycle };
  if (flags.has('amxbf16')) peak.bf16 = perCore * BF16_FLOPS_PER_CYCLE.amx;
  else if (flags.has('avx512bf16')) peak.bf16 = perCore * BF16_FLOPS_PER_CYCLE.avx512bf16;
  if (flags.has('amxint8')) peak.int8 = perCore * INT8_OPS_PER_CYCLE.amx;
  else if (flags.has('avx512vnni')) peak.int8 = perCore * INT8_OPS_PER_CYCLE.avx512vnni;
  else if (flags.has('avxvnni')) peak.int8 = perCore * INT8_OPS_PER_CYCLE.avxvnni;
  return peak;
}

/**
 * The CPU and its RAM as a DeviceSpec; detection calls this with what it found.
 * @param input name, RAM, physical cores, feature flags and (optionally) measured bandwidth
 * @returns a unified-memory device whose dtypes follow the flags
 * @throws HeadroomError BAD_ARGUMENT when memory, cores or bandwidth is not a positive number
 * @example cpuDevice({ name: 'EPYC 9654', memoryBytes: 768 * 2 ** 30, cores: 96, flags: ['avx512f', 'avx512_bf16'] })
 */
export function cpuDevice(input: CpuDeviceInput): DeviceSpec {
  const bandwidth = input.bandwidthBytesPerSecond ?? DEFAULT_CPU_BANDWIDTH_BYTES_PER_SECOND;
  for (const [label, value] of [
    ['memoryBytes', input.memoryBytes],
    ['cores', input.cores],
    ['bandwidthBytesPerSecond', bandwidth],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        `CPU ${label} must be a positive number, got ${value}.`,
      );
    }
  }
  const flags = new Set(input.flags.map(normalizeCpuFlag));
  const architecture = { kind: 'cpu', flags: [...input.flags] } as const;
  const references = [
    `estimate: ${input.cores} cores × ${ASSUMED_CPU_CLOCK_HZ / 1e9} GHz assumed × SIMD/AMX rate from the flags`,
    input.bandwidthBytesPerSecond === undefined
      ? 'bandwidth: assumed dual-channel DDR5-5600 (89.6 GB/s)'
      : 'bandwidth: as given',
  ];
  const device = catalogDevice({
    id: input.id ?? 'cpu',
    vendor: 'cpu',
    name: input.name,
    memoryBytes: input.memoryBytes,
    bandwidthBytesPerSecond: bandwidth,
    peakOpsPerSecond: peakOpsPerSecond(input.cores, flags),
    architecture,
    unifiedMemory: true,
    references,
  });
  return { ...device, source: input.source ?? { kind: 'custom' } };
}

/** Flags of an x86-64-v3 desktop (AVX2 + FMA), the generic CPU's assumption. */
const GENERIC_CPU_FLAGS: readonly string[] = ['sse2', 'avx', 'avx2', 'fma'];

/** A generic 8-core AVX2 desktop with 32 GiB of dual-channel DDR5-5600, for plans without detection. */
export const GENERIC_CPU: DeviceSpec = {
  ...cpuDevice({
    id: 'cpu-generic',
    name: 'Generic CPU (8 cores, AVX2, 32 GiB dual-channel DDR5-5600)',
    memoryBytes: 32 * BYTES_PER_GIB,
    cores: 8,
    flags: GENERIC_CPU_FLAGS,
  }),
  source: {
    kind: 'catalog',
    references: [
      'assumption: x86-64-v3 desktop, 8 cores at 3.0 GHz, dual-channel DDR5-5600 (89.6 GB/s)',
    ],
  },
};
