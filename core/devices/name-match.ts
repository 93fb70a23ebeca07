import { APPLE_VARIANTS } from './catalog-apple';
import { findDevice } from './catalog';
import type { DeviceSpec } from './types';

/**
 * Maps the GPU names detection tools print to catalog devices. Exact matching on a normalized
 * name, never substring matching: "NVIDIA GeForce RTX 4090 Laptop GPU" is not an RTX 4090, and an
 * unknown or ambiguous name gives undefined rather than a guess.
 */

/**
 * Detected memory may sit below the marketed size (driver reservation: an H100 80GB shows
 * 81559 of 81920 MiB; ECC on GDDR takes 1/16: a T4 shows 15360 of 16384 MiB) and never much
 * above it. 0.90 keeps both and still tells 10 GB from 12 GB and 20 GB from 24 GB.
 */
const MIN_DETECTED_MEMORY_RATIO = 0.9;
const MAX_DETECTED_MEMORY_RATIO = 1.02;

interface Alias {
  /** Normalized names (see normalizeGpuName) that mean these devices. */
  readonly names: readonly string[];
  /** Candidate catalog ids; memory picks among them. */
  readonly ids: readonly string[];
  /** The name also covers parts not in the catalog (another memory size): a match needs memory. */
  readonly needsMemory?: boolean;
}

/**
 * Names as printed by nvidia-smi (`--query-gpu=name`, `-q` "Product Name", the same string as
 * torch.cuda.get_device_name(), e.g. vLLM's fused_moe config file names
 * "device_name=NVIDIA_H100_80GB_HBM3", "NVIDIA_A100-SXM4-80GB", "NVIDIA_A100_80GB_PCIe",
 * "NVIDIA_H100_PCIe", "NVIDIA_H100_NVL", "NVIDIA_H200", "NVIDIA_B200", "NVIDIA_L40S", "NVIDIA_L4",
 * "NVIDIA_A10", "NVIDIA_GeForce_RTX_4090", "NVIDIA_GeForce_RTX_5090",
 * "NVIDIA_RTX_PRO_6000_Blackwell_Workstation_Edition", "AMD_Instinct_MI300X",
 * "AMD_Instinct_MI325X"), by rocm-smi/amd-smi (marketing name or "Card series", where the
 * lspci-style "Arcturus GL-XL [Instinct MI100]" keeps the name in brackets) and by Intel's Level
 * Zero / sycl-ls ("Intel(R) Arc(TM) A770 Graphics"). Vendor words are stripped first.
 */
const ALIASES: readonly Alias[] = [
  { names: ['h100 80gb hbm3', 'h100 sxm5 80gb'], ids: ['nvidia-h100-sxm-80gb'] },
  { names: ['h100 pcie', 'h100 80gb pcie'], ids: ['nvidia-h100-pcie-80gb'] },
  { names: ['h100 nvl'], ids: ['nvidia-h100-nvl-94gb'] },
  { names: ['h200'], ids: ['nvidia-h200-sxm-141gb'] },
  { names: ['b200'], ids: ['nvidia-b200-180gb'] },
  { names: ['a100 sxm4 80gb', 'a100 sxm 80gb'], ids: ['nvidia-a100-sxm-80gb'] },
  { names: ['a100 sxm4 40gb'], ids: ['nvidia-a100-sxm-40gb'] },
  { names: ['a100 80gb pcie', 'a100 pcie 80gb'], ids: ['nvidia-a100-pcie-80gb'] },
  { names: ['a100 pcie 40gb'], ids: ['nvidia-a100-pcie-40gb'] },
  { names: ['l40s'], ids: ['nvidia-l40s'] },
  { names: ['l4'], ids: ['nvidia-l4'] },
  { names: ['a10'], ids: ['nvidia-a10'] },
  { names: ['a40'], ids: ['nvidia-a40'] },
  { names: ['t4'], ids: ['nvidia-t4'] },
  { names: ['v100 sxm2 32gb'], ids: ['nvidia-v100-sxm2-32gb'] },
  { names: ['v100 sxm2 16gb'], ids: ['nvidia-v100-sxm2-16gb'] },
  { names: ['rtx 2080 ti'], ids: ['nvidia-rtx-2080-ti'] },
  { names: ['rtx 2080 super'], ids: ['nvidia-rtx-2080-super'] },
  // The RTX 3060 also ships with 8 GB, the 3080 with 12 GB, the 4060 Ti and A770 with 8 GB.
  { names: ['rtx 3060'], ids: ['nvidia-rtx-3060-12gb'], needsMemory: true },
  { names: ['rtx 3080'], ids: ['nvidia-rtx-3080-10gb'], needsMemory: true },
  { names: ['rtx 3090'], ids: ['nvidia-rtx-3090'] },
  { names: ['rtx 3090 ti'], ids: ['nvidia-rtx-3090-ti'] },
  { names: ['rtx a6000'], ids: ['nvidia-rtx-a6000'] },
  { names: ['rtx 4060 ti'], ids: ['nvidia-rtx-4060-ti-16gb'], needsMemory: true },
  { names: ['rtx 4070 ti super'], ids: ['nvidia-rtx-4070-ti-super'] },
  { names: ['rtx 4080'], ids: ['nvidia-rtx-4080'] },
  { names: ['rtx 4080 super'], ids: ['nvidia-rtx-4080-super'] },
  { names: ['rtx 4090'], ids: ['nvidia-rtx-4090'] },
  { names: ['rtx 6000 ada generation'], ids: ['nvidia-rtx-6000-ada'] },
  { names: ['rtx 5070 ti'], ids: ['nvidia-rtx-5070-ti'] },
  { names: ['rtx 5080'], ids: ['nvidia-rtx-5080'] },
  { names: ['rtx 5090'], ids: ['nvidia-rtx-5090'] },
  { names: ['rtx pro 6000 blackwell workstation edition'], ids: ['nvidia-rtx-pro-6000-blackwell'] },
  { names: ['instinct mi100'], ids: ['amd-mi100'] },
  { names: ['instinct mi210'], ids: ['amd-mi210'] },
  { names: ['instinct mi250x'], ids: ['amd-mi250x'] },
  { names: ['instinct mi300x', 'instinct mi300x oam', 'instinct mi300x vf'], ids: ['amd-mi300x'] },
  { names: ['instinct mi325x', 'instinct mi325x oam'], ids: ['amd-mi325x'] },
  { names: ['instinct mi355x', 'instinct mi355x oam'], ids: ['amd-mi355x'] },
  { names: ['radeon rx 7900 xtx'], ids: ['amd-radeon-rx-7900-xtx'] },
  // lspci's Navi 31 string covers the 20 GB XT and the 16 GB 7900M too: only 24 GiB means XTX.
  {
    names: ['radeon rx 7900 xt/7900 xtx/7900m'],
    ids: ['amd-radeon-rx-7900-xtx'],
    needsMemory: true,
  },
  { names: ['radeon pro w7900'], ids: ['amd-radeon-pro-w7900'] },
  { names: ['arc a770 graphics', 'arc a770'], ids: ['intel-arc-a770-16gb'], needsMemory: true },
  { names: ['arc b580 graphics', 'arc b580'], ids: ['intel-arc-b580'] },
  { names: ['data center gpu max 1550'], ids: ['intel-data-center-gpu-max-1550'] },
];

/** Vendor words that tools put in front of the model name (or not, depending on driver age). */
const LEADING_VENDOR_WORDS = /^(?:(?:nvidia|geforce|tesla|quadro|amd|ati|intel)\s+)+/;

/**
 * The comparable form of a tool's GPU name: lower case, trademarks dropped, the bracketed
 * marketing name of an lspci-style string, underscores and hyphens as spaces, vendor words gone.
 * @example normalizeGpuName('NVIDIA A100-SXM4-80GB') // 'a100 sxm4 80gb'
 * @example normalizeGpuName('Arcturus GL-XL [Instinct MI100]') // 'instinct mi100'
 */
export function normalizeGpuName(name: string): string {
  const bracketed = /\[([^\]]+)\]/.exec(name);
  return (bracketed?.[1] ?? name)
    .toLowerCase()
    .replace(/\((?:r|tm)\)|[®™]/g, '')
    .replace(/[_-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(LEADING_VENDOR_WORDS, '');
}

const ALIAS_BY_NAME: ReadonlyMap<string, Alias> = new Map(
  ALIASES.flatMap((alias) => alias.names.map((name) => [name, alias] as const)),
);

const memoryFits = (detectedBytes: number, catalogBytes: number): boolean =>
  detectedBytes >= catalogBytes * MIN_DETECTED_MEMORY_RATIO &&
  detectedBytes <= catalogBytes * MAX_DETECTED_MEMORY_RATIO;

const single = <T>(items: readonly T[]): T | undefined =>
  items.length === 1 ? items[0] : undefined;

function matchAlias(alias: Alias, memoryBytes: number | undefined): DeviceSpec | undefined {
  const candidates = alias.ids
    .map(findDevice)
    .filter((device): device is DeviceSpec => device !== undefined);
  if (memoryBytes === undefined) return alias.needsMemory ? undefined : single(candidates);
  return single(candidates.filter((device) => memoryFits(memoryBytes, device.memoryBytes)));
}

function matchApple(
  normalized: string,
  memoryBytes: number | undefined,
  gpuCores: number | undefined,
) {
  const chip = `apple ${normalized.replace(/^apple\s+/, '')}`;
  const candidates = APPLE_VARIANTS.filter(
    (variant) =>
      variant.chip.toLowerCase() === chip &&
      (memoryBytes === undefined || memoryFits(memoryBytes, variant.systemMemoryBytes)) &&
      (gpuCores === undefined || variant.gpuCores === gpuCores),
  );
  return single(candidates)?.device;
}

/** Facts beside the name that narrow the match. */
interface NameMatchHints {
  /** Apple GPU core count (system_profiler `sppci_cores`). */
  readonly gpuCores?: number;
}

/**
 * The catalog device a detection tool's GPU name refers to.
 * @param name the name as the tool printed it ("NVIDIA H100 80GB HBM3", "Tesla T4",
 *   "Arcturus GL-XL [Instinct MI100]", "Apple M2 Max", "Intel(R) Arc(TM) A770 Graphics")
 * @param memoryBytes the memory the tool reported: VRAM for discrete GPUs, total RAM
 *   (`hw.memsize`) for Apple Silicon. Picks between variants (A100 40 vs 80 GB, Apple memory sizes)
 *   and rejects a name whose memory does not fit the catalog device.
 * @param hints optional facts such as the Apple GPU core count
 * @returns the catalog device, or undefined for an unknown or ambiguous name
 * @example catalogDeviceForName('NVIDIA A100-SXM4-80GB')?.id // 'nvidia-a100-sxm-80gb'
 * @example catalogDeviceForName('NVIDIA GeForce RTX 4090 Laptop GPU') // undefined
 */
export function catalogDeviceForName(
  name: string,
  memoryBytes?: number,
  hints: NameMatchHints = {},
): DeviceSpec | undefined {
  const normalized = normalizeGpuName(name);
  if (/^(apple\s+)?m\d+(\s+(pro|max|ultra))?$/.test(normalized)) {
    return matchApple(normalized, memoryBytes, hints.gpuCores);
  }
  const alias = ALIAS_BY_NAME.get(normalized);
  return alias ? matchAlias(alias, memoryBytes) : undefined;
}
