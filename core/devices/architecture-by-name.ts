import { normalizeGpuName } from './name-match';
import type { DeviceArchitecture } from './types';

/**
 * A GPU's architecture from its product name alone, by product family, for GPUs that are not in
 * the device catalog and whose tool reported no compute capability, gfx target or architecture
 * (an RTX A4000 named by systeminformation, an Instinct MI210 seen only in sysfs, an RTX PRO
 * 4000 Blackwell). Names are compared in normalizeGpuName's form (lower case, vendor words and
 * trademarks gone, lspci's bracketed marketing name taken), and anchored at the start, so
 * "a100" never reads as "a10". A name no family claims gives undefined.
 */

/** A product-family rule and the architecture it gives. */
interface ArchitectureRule {
  /** What the rule says, in words (reported as the source of a device's dtypes). */
  readonly family: string;
  readonly pattern: RegExp;
  readonly architecture: DeviceArchitecture;
}

type Vendor = 'nvidia' | 'amd' | 'intel' | 'apple';

const cuda = (computeCapability: string, name: string): DeviceArchitecture => ({
  kind: 'cuda',
  computeCapability,
  name,
});
const rocm = (gfxTarget: string, name: string): DeviceArchitecture => ({
  kind: 'rocm',
  gfxTarget,
  name,
});

/**
 * NVIDIA product families → compute capability. Source: NVIDIA "CUDA GPU Compute Capability"
 * (developer.nvidia.com/cuda-gpus): B300/GB300 10.3; B200/GB200 10.0; RTX PRO Blackwell and
 * GeForce RTX 50 12.0; H100/H200/H800/H20/GH200 9.0; L4/L20/L40/L40S, RTX Ada and GeForce
 * RTX 40 8.9; RTX A-series, A2/A10/A16/A40 and GeForce RTX 30 8.6; A100/A30/A800 8.0; T4,
 * Quadro RTX and GeForce RTX 20/GTX 16 7.5; V100/Titan V 7.0; P100 6.0; P4/P40 and GTX 10 6.1.
 */
const NVIDIA_RULES: readonly ArchitectureRule[] = [
  { family: 'B300/GB300', pattern: /^g?b300\b/, architecture: cuda('10.3', 'Blackwell') },
  { family: 'B100/B200/GB200', pattern: /^g?b[12]00\b/, architecture: cuda('10.0', 'Blackwell') },
  {
    family: 'RTX PRO Blackwell',
    pattern: /^rtx pro \d{4}\b.*\bblackwell\b/,
    architecture: cuda('12.0', 'Blackwell'),
  },
  { family: 'GeForce RTX 50', pattern: /^rtx 50\d0\b/, architecture: cuda('12.0', 'Blackwell') },
  {
    family: 'H100/H200/H800/H20/GH200',
    pattern: /^(?:gh200|h100|h200|h800|h20)\b/,
    architecture: cuda('9.0', 'Hopper'),
  },
  {
    family: 'L4/L20/L40/L40S',
    pattern: /^l(?:4|20|40s?|40g)\b/,
    architecture: cuda('8.9', 'Ada Lovelace'),
  },
  {
    family: 'RTX Ada Generation',
    pattern: /^rtx \d{4}\b.*\bada\b/,
    architecture: cuda('8.9', 'Ada Lovelace'),
  },
  { family: 'GeForce RTX 40', pattern: /^rtx 40\d0\b/, architecture: cuda('8.9', 'Ada Lovelace') },
  { family: 'RTX A-series', pattern: /^rtx a\d{3,4}\b/, architecture: cuda('8.6', 'Ampere') },
  { family: 'A100/A30/A800', pattern: /^a(?:100|30|800)\b/, architecture: cuda('8.0', 'Ampere') },
  {
    family: 'A2/A10/A16/A40',
    pattern: /^a(?:2|10g?|16|40)\b/,
    architecture: cuda('8.6', 'Ampere'),
  },
  { family: 'GeForce RTX 30', pattern: /^rtx 30\d0\b/, architecture: cuda('8.6', 'Ampere') },
  {
    family: 'T4, Quadro RTX, GeForce RTX 20 / GTX 16',
    pattern: /^(?:t4|rtx 20\d0|gtx 16\d0|titan rtx|rtx [4568]000)\b(?!.*\bada\b)/,
    architecture: cuda('7.5', 'Turing'),
  },
  { family: 'V100/Titan V', pattern: /^(?:v100|titan v)\b/, architecture: cuda('7.0', 'Volta') },
  { family: 'P100', pattern: /^p100\b/, architecture: cuda('6.0', 'Pascal') },
  {
    family: 'P4/P40, GTX 10',
    pattern: /^(?:p4|p40|gtx 10[5-8]0)\b/,
    architecture: cuda('6.1', 'Pascal'),
  },
];

/**
 * AMD product families → LLVM gfx target. Source: LLVM "User Guide for AMDGPU Backend",
 * Processors table: gfx900 MI25; gfx906 MI50/MI60; gfx908 MI100; gfx90a MI210/MI250/MI250X;
 * gfx942 MI300A/MI300X/MI308X/MI325X; gfx950 MI350X/MI355X; gfx1030 RX 6800/6900/6950, PRO
 * W6800; gfx1031 RX 6700; gfx1032 RX 6600; gfx1034 RX 6400/6500; gfx1100 RX 7900, PRO
 * W7800/W7900; gfx1101 RX 7700/7800, PRO W7700; gfx1102 RX 7600, PRO W7500/W7600; gfx1200
 * RX 9060; gfx1201 RX 9070, AI PRO R9700.
 */
const AMD_RULES: readonly ArchitectureRule[] = [
  {
    family: 'Instinct MI25',
    pattern: /^(?:radeon )?instinct mi25\b/,
    architecture: rocm('gfx900', 'GCN5'),
  },
  {
    family: 'Instinct MI50/MI60',
    pattern: /^(?:radeon )?instinct mi[56]0\b/,
    architecture: rocm('gfx906', 'GCN5'),
  },
  { family: 'Instinct MI100', pattern: /^instinct mi100\b/, architecture: rocm('gfx908', 'CDNA') },
  {
    family: 'Instinct MI200',
    pattern: /^instinct mi2[0-9]0x?\b/,
    architecture: rocm('gfx90a', 'CDNA2'),
  },
  {
    family: 'Instinct MI300',
    pattern: /^instinct mi3[0-2][0-9][ax]?\b/,
    architecture: rocm('gfx942', 'CDNA3'),
  },
  {
    family: 'Instinct MI350',
    pattern: /^instinct mi35[0-9]x?\b/,
    architecture: rocm('gfx950', 'CDNA4'),
  },
  {
    family: 'Radeon RX 6800/6900',
    pattern: /^radeon (?:rx 6[89]\d0|pro w6800)\b/,
    architecture: rocm('gfx1030', 'RDNA2'),
  },
  {
    family: 'Radeon RX 6700',
    pattern: /^radeon rx 67\d0\b/,
    architecture: rocm('gfx1031', 'RDNA2'),
  },
  {
    family: 'Radeon RX 6600',
    pattern: /^radeon (?:rx 66\d0|pro w6600)\b/,
    architecture: rocm('gfx1032', 'RDNA2'),
  },
  {
    family: 'Radeon RX 6400/6500',
    pattern: /^radeon rx 6[45]\d0\b/,
    architecture: rocm('gfx1034', 'RDNA2'),
  },
  {
    family: 'Radeon RX 7900',
    pattern: /^radeon (?:rx 79\d0|pro w7[89]00)\b/,
    architecture: rocm('gfx1100', 'RDNA3'),
  },
  {
    family: 'Radeon RX 7700/7800',
    pattern: /^radeon (?:rx 7[78]\d0|pro w7700)\b/,
    architecture: rocm('gfx1101', 'RDNA3'),
  },
  {
    family: 'Radeon RX 7600',
    pattern: /^radeon (?:rx 76\d0|pro w7[56]00)\b/,
    architecture: rocm('gfx1102', 'RDNA3'),
  },
  {
    family: 'Radeon RX 9060',
    pattern: /^radeon rx 906\d\b/,
    architecture: rocm('gfx1200', 'RDNA4'),
  },
  {
    family: 'Radeon RX 9070',
    pattern: /^radeon (?:rx 907\d|ai pro r9700)\b/,
    architecture: rocm('gfx1201', 'RDNA4'),
  },
];

/**
 * Intel product families → Xe generation (the names intel-parse.ts and dtype-support.ts use).
 * Source: Intel Arc product pages and ark.intel.com: Arc A-series and Data Center GPU Flex are
 * Xe-HPG (Alchemist); Arc B-series is Xe2-HPG (Battlemage); Data Center GPU Max is Xe-HPC (Ponte
 * Vecchio); "Arc Graphics" in Core Ultra processors is Xe-LPG.
 */
const INTEL_RULES: readonly ArchitectureRule[] = [
  {
    family: 'Data Center GPU Max',
    pattern: /^data center gpu max\b/,
    architecture: { kind: 'intel-xe', name: 'xe-hpc' },
  },
  {
    family: 'Arc A-series, Data Center GPU Flex',
    pattern: /^(?:arc a\d{3}|data center gpu flex)\b/,
    architecture: { kind: 'intel-xe', name: 'xe-hpg' },
  },
  {
    family: 'Arc B-series',
    pattern: /^arc b\d{3}\b/,
    architecture: { kind: 'intel-xe', name: 'xe2-hpg' },
  },
  {
    family: 'Arc Graphics (Core Ultra)',
    pattern: /^arc(?: \d{3}[tv])? graphics$/,
    architecture: { kind: 'intel-xe', name: 'xe-lpg' },
  },
];

/** Apple M1–M4 (and Pro/Max/Ultra): the generation is the chip's number (apple-parse.ts's form). */
function appleArchitecture(normalized: string): ArchitectureRule | undefined {
  const match = /^(?:apple )?m([1-4])(?: (?:pro|max|ultra))?$/.exec(normalized);
  if (!match) return undefined;
  const generation = `m${match[1]}`;
  return {
    family: `Apple ${generation.toUpperCase()}`,
    pattern: /^(?:apple )?m[1-4](?: (?:pro|max|ultra))?$/,
    architecture: { kind: 'apple', generation },
  };
}

const RULES_BY_VENDOR: Readonly<Record<Exclude<Vendor, 'apple'>, readonly ArchitectureRule[]>> = {
  nvidia: NVIDIA_RULES,
  amd: AMD_RULES,
  intel: INTEL_RULES,
};

/**
 * The architecture a GPU's product name implies.
 * @param vendor who makes it (the rules are per vendor: an "A10" is only an NVIDIA name)
 * @param name the name as a tool printed it
 * @returns the family rule that matched, or undefined when none does
 * @example architectureFromProductName('nvidia', 'NVIDIA RTX A4000')?.architecture
 *   // { kind: 'cuda', computeCapability: '8.6', name: 'Ampere' }
 * @example architectureFromProductName('amd', 'AMD Instinct MI210')?.architecture.kind // 'rocm'
 */
export function architectureFromProductName(
  vendor: Vendor,
  name: string,
): ArchitectureRule | undefined {
  const normalized = normalizeGpuName(name);
  if (vendor === 'apple') return appleArchitecture(normalized);
  return RULES_BY_VENDOR[vendor].find((rule) => rule.pattern.test(normalized));
}
