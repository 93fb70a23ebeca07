/**
 * The CPU with system RAM as a detected device: the catalog's `cpuDevice` turns name, RAM,
 * cores and SIMD/matrix flags into a DeviceSpec (dtypes from the flags); detection adds the
 * available RAM and where the facts came from.
 */
import { cpuDevice } from '../../../core/devices/catalog';
import { normalizeCpuFlag } from '../../../core/devices/dtype-support';
import type { CpuObservation, DetectedDevice } from './types';

/**
 * The flags that decide CPU dtypes and SIMD width, kept in the device's architecture; the
 * other ~150 /proc/cpuinfo flags say nothing about matrix math (Intel SDM Vol. 2 for the
 * AVX-512/AMX/VNNI instructions; Arm ARM for FEAT_BF16, FEAT_I8MM, SVE).
 */
const CPU_COMPUTE_FLAGS: readonly string[] = [
  'sse2',
  'avx',
  'avx2',
  'fma',
  'f16c',
  'avx512f',
  'avx512_bf16',
  'avx512_fp16',
  'avx512_vnni',
  'avx_vnni',
  'amx_tile',
  'amx_bf16',
  'amx_int8',
  'amx_fp16',
  'asimd',
  'asimdhp',
  'sve',
  'sve2',
  'bf16',
  'i8mm',
];

const COMPUTE_FLAGS = new Set(CPU_COMPUTE_FLAGS.map(normalizeCpuFlag));

/** Keeps the compute-relevant flags, in /proc/cpuinfo spelling. */
function computeFlags(flags: readonly string[]): string[] {
  return [...new Set(flags.filter((flag) => COMPUTE_FLAGS.has(normalizeCpuFlag(flag))))];
}

/**
 * @param cpu what systeminformation reported
 * @param index position in the device list (`local:N`)
 * @returns the device, or undefined when the facts cannot make one (no RAM or cores)
 */
export function buildCpuDevice(cpu: CpuObservation, index: number): DetectedDevice | undefined {
  if (!(cpu.memoryTotalBytes > 0) || !(cpu.cores > 0)) return undefined;
  const spec = cpuDevice({
    id: `local:${index}`,
    name: cpu.name,
    memoryBytes: cpu.memoryTotalBytes,
    cores: cpu.cores,
    flags: computeFlags(cpu.flags),
    source: { kind: 'detected', tool: cpu.source },
  });
  return {
    ...spec,
    ...(cpu.memoryAvailableBytes !== undefined
      ? { memoryFreeBytes: cpu.memoryAvailableBytes }
      : {}),
    detection: {
      index,
      sources: [cpu.source],
      // Bandwidth and throughput are cpuDevice's stated assumptions, not a catalog entry.
      specsKnown: false,
      memoryConfidence: 'measured',
      dtypesSource: { kind: 'cpu-flags', tool: cpu.source },
      notes: [
        `${cpu.cores} cores`,
        'bandwidth and throughput are generic assumptions (core/devices/cpu.ts), not measured',
      ],
    },
  };
}
