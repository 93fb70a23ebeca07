import { appleGpuWorkingSetBytes } from './apple-working-set';
import { catalogDevice, gbPerSecond, gib } from './catalog-helpers';
import type { DeviceSpec } from './types';

/*
 * Apple Silicon, one device per (chip, GPU core count, memory size) that Apple sells. memoryBytes
 * is the GPU's default Metal working set (see apple-working-set.ts); systemMemoryBytes is the RAM.
 * Apple's "16GB" unified memory is 16 GiB (`sysctl hw.memsize` = 17179869184).
 *
 * Core counts, memory options and bandwidths: Apple tech specs pages (support.apple.com) for the
 * Macs carrying each chip, as collected in huggingface/huggingface.js PR #1937 ("Fix Apple Silicon
 * memory configuration options"), with the M3 Max and M4 Max bandwidth split by GPU variant.
 */

/** FP32 ops per clock per Apple GPU core: 128 ALUs × FMA (metal-benchmarks README, "GPU" table). */
const APPLE_FP32_OPS_PER_CLOCK_PER_CORE = 256;

/**
 * FP32 ops per second per GPU core. M1/M2: the clocks in Philip Turner's metal-benchmarks table
 * (M1 1.278 GHz, M1 Pro/Max/Ultra 1.296 GHz, M2 family 1.398 GHz). M3/M4 clocks are unpublished:
 * the per-core figure comes from huggingface.js hardware.ts (Apple M3 4.1 TFLOPS and Apple M4
 * 4.6 TFLOPS FP32 on 10 cores; M4 Pro 9.2 on 20 and M4 Max 18.4 on 40 agree).
 */
const FP32_PER_CORE = {
  m1: 1.278e9 * APPLE_FP32_OPS_PER_CLOCK_PER_CORE,
  m1Big: 1.296e9 * APPLE_FP32_OPS_PER_CLOCK_PER_CORE,
  m2: 1.398e9 * APPLE_FP32_OPS_PER_CLOCK_PER_CORE,
  m3: 4.1e12 / 10,
  m4: 4.6e12 / 10,
} as const;

interface GpuVariant {
  readonly gpuCores: number;
  readonly bandwidthGBPerSecond: number;
  readonly memoryGiB: readonly number[];
}

interface AppleChip {
  /** The name system_profiler prints, e.g. "Apple M2 Max". */
  readonly chip: string;
  readonly generation: 'm1' | 'm2' | 'm3' | 'm4';
  readonly fp32PerCore: number;
  readonly variants: readonly GpuVariant[];
}

const variants = (
  bandwidthGBPerSecond: number,
  memoryGiB: readonly number[],
  ...cores: number[]
): GpuVariant[] => cores.map((gpuCores) => ({ gpuCores, bandwidthGBPerSecond, memoryGiB }));

const APPLE_CHIPS: readonly AppleChip[] = [
  // M1: LPDDR4X-4266 × 128-bit = 68.25 GB/s.
  {
    chip: 'Apple M1',
    generation: 'm1',
    fp32PerCore: FP32_PER_CORE.m1,
    variants: variants(68.25, [8, 16], 7, 8),
  },
  {
    chip: 'Apple M1 Pro',
    generation: 'm1',
    fp32PerCore: FP32_PER_CORE.m1Big,
    variants: variants(200, [16, 32], 14, 16),
  },
  {
    chip: 'Apple M1 Max',
    generation: 'm1',
    fp32PerCore: FP32_PER_CORE.m1Big,
    variants: variants(400, [32, 64], 24, 32),
  },
  {
    chip: 'Apple M1 Ultra',
    generation: 'm1',
    fp32PerCore: FP32_PER_CORE.m1Big,
    variants: variants(800, [64, 128], 48, 64),
  },
  {
    chip: 'Apple M2',
    generation: 'm2',
    fp32PerCore: FP32_PER_CORE.m2,
    variants: variants(100, [8, 16, 24], 8, 10),
  },
  {
    chip: 'Apple M2 Pro',
    generation: 'm2',
    fp32PerCore: FP32_PER_CORE.m2,
    variants: variants(200, [16, 32], 16, 19),
  },
  {
    chip: 'Apple M2 Max',
    generation: 'm2',
    fp32PerCore: FP32_PER_CORE.m2,
    variants: [...variants(400, [32, 64], 30), ...variants(400, [32, 64, 96], 38)],
  },
  {
    chip: 'Apple M2 Ultra',
    generation: 'm2',
    fp32PerCore: FP32_PER_CORE.m2,
    variants: variants(800, [64, 128, 192], 60, 76),
  },
  {
    chip: 'Apple M3',
    generation: 'm3',
    fp32PerCore: FP32_PER_CORE.m3,
    variants: variants(100, [8, 16, 24], 8, 10),
  },
  {
    chip: 'Apple M3 Pro',
    generation: 'm3',
    fp32PerCore: FP32_PER_CORE.m3,
    variants: [...variants(150, [18], 14), ...variants(150, [18, 36], 18)],
  },
  {
    chip: 'Apple M3 Max',
    generation: 'm3',
    fp32PerCore: FP32_PER_CORE.m3,
    variants: [...variants(300, [36, 96], 30), ...variants(400, [48, 64, 128], 40)],
  },
  {
    chip: 'Apple M4',
    generation: 'm4',
    fp32PerCore: FP32_PER_CORE.m4,
    variants: [...variants(120, [16, 24], 8), ...variants(120, [16, 24, 32], 10)],
  },
  {
    chip: 'Apple M4 Pro',
    generation: 'm4',
    fp32PerCore: FP32_PER_CORE.m4,
    variants: variants(273, [24, 48, 64], 16, 20),
  },
  {
    chip: 'Apple M4 Max',
    generation: 'm4',
    fp32PerCore: FP32_PER_CORE.m4,
    variants: [...variants(410, [36], 32), ...variants(546, [48, 64, 128], 40)],
  },
];

/** One sold configuration, with the facts name matching needs beside the device. */
interface AppleVariant {
  /** system_profiler's chip name, e.g. "Apple M2 Max". */
  readonly chip: string;
  readonly gpuCores: number;
  readonly systemMemoryBytes: number;
  readonly device: DeviceSpec;
}

const slug = (chip: string): string => chip.toLowerCase().replace(/\s+/g, '-');

function appleVariant(chip: AppleChip, variant: GpuVariant, memoryGiB: number): AppleVariant {
  const systemMemoryBytes = gib(memoryGiB);
  const fp32 = variant.gpuCores * chip.fp32PerCore;
  // F16 runs at the F32 rate on Apple GPUs (metal-benchmarks "GOPS16" = "GOPS32" for M1 and M2);
  // bf16 only where dtype-support.ts counts it native (M2 and later).
  const peakOpsPerSecond =
    chip.generation === 'm1' ? { fp32, fp16: fp32 } : { fp32, fp16: fp32, bf16: fp32 };
  const device = catalogDevice({
    id: `${slug(chip.chip)}-${variant.gpuCores}c-${memoryGiB}gb`,
    vendor: 'apple',
    name: `${chip.chip} (${variant.gpuCores}-core GPU, ${memoryGiB}GB)`,
    memoryBytes: appleGpuWorkingSetBytes(systemMemoryBytes),
    systemMemoryBytes,
    bandwidthBytesPerSecond: gbPerSecond(variant.bandwidthGBPerSecond),
    peakOpsPerSecond,
    architecture: { kind: 'apple', generation: chip.generation },
    unifiedMemory: true,
    references: [
      `Apple tech specs for ${chip.chip} Macs (support.apple.com): GPU cores, memory options, ${variant.bandwidthGBPerSecond} GB/s`,
      'GPU budget: recommendedMaxWorkingSetSize as logged by llama.cpp (see apple-working-set.ts)',
    ],
  });
  return { chip: chip.chip, gpuCores: variant.gpuCores, systemMemoryBytes, device };
}

/** Every Apple Silicon configuration in the catalog. */
export const APPLE_VARIANTS: readonly AppleVariant[] = APPLE_CHIPS.flatMap((chip) =>
  chip.variants.flatMap((variant) =>
    variant.memoryGiB.map((memoryGiB) => appleVariant(chip, variant, memoryGiB)),
  ),
);

export const APPLE_DEVICES: readonly DeviceSpec[] = APPLE_VARIANTS.map((variant) => variant.device);
