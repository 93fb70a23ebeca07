import { computeCapabilityOfArchitecture } from './cuda-architecture';
import type { DtypeSupport, DtypeSupportTable, Fp8Encoding } from './dtypes';
import type { DeviceArchitecture } from './types';

/**
 * Which compute dtypes a device runs natively, derived from its architecture alone.
 *
 * `native` means matrix units (tensor cores, MFMA/WMMA, XMX, AMX) or full-rate SIMD for that
 * type; `emulated` means kernels exist but convert to a wider type first (fp8/fp4 weights
 * dequantized to fp16 on Ampere, bf16 computed through fp32 on Turing, int8 on Apple GPUs);
 * `none` is reserved for "no kernel would run at all", which no rule here produces: every
 * architecture below can at least dequantize to fp32.
 */

type Rule = Partial<Record<keyof DtypeSupportTable, DtypeSupport>>;

/** fp32 runs everywhere; everything else is emulated unless a rule says otherwise. */
const BASELINE: DtypeSupportTable = {
  fp32: 'native',
  tf32: 'emulated',
  fp16: 'emulated',
  bf16: 'emulated',
  fp8: 'emulated',
  fp4: 'emulated',
  int8: 'emulated',
  int4: 'emulated',
};

const withNative = (...dtypes: (keyof DtypeSupportTable)[]): Rule =>
  Object.fromEntries(dtypes.map((dtype) => [dtype, 'native' as const]));

const table = (rule: Rule): DtypeSupportTable => ({ ...BASELINE, ...rule });

// NVIDIA, by compute capability (major * 10 + minor). Sources: PTX ISA 8.7, "Warp-level matrix
// instructions" target notes (wmma .f16 needs sm_70; .s8/.u8 sm_72; .s4/.u4 sm_75; .bf16, .tf32
// sm_80; mma .e4m3/.e5m2 sm_89; mma .kind::f8f6f4 / .kind::mxf4 sm_100a/sm_120a), and the CUDA C++
// Programming Guide "Arithmetic Instructions" table (16-bit float add/mul at 2x the fp32 rate on
// cc 5.3, 6.0 and 6.2, but 1/64 of it on 6.1).

/** First compute capability with fp16 tensor cores (Volta, sm_70). */
const CC_FP16_TENSOR_CORES = 70;
/** First compute capability with int8 tensor-core MMA (sm_72; Turing sm_75 for discrete GPUs). */
const CC_INT8_TENSOR_CORES = 72;
/** First compute capability with int4 tensor-core MMA (Turing, sm_75). */
const CC_INT4_TENSOR_CORES = 75;
/** First compute capability with bf16 and tf32 tensor cores (Ampere, sm_80). */
const CC_BF16_TF32_TENSOR_CORES = 80;
/** First compute capability with fp8 (e4m3/e5m2) tensor cores (Ada, sm_89; Hopper sm_90). */
const CC_FP8_TENSOR_CORES = 89;
/**
 * Hopper (sm_90) dropped int4 tensor-core throughput: the H100 whitepaper's throughput table lists
 * FP8/FP16/BF16/TF32/FP64/INT8 and no INT4, and wgmma has no .s4/.u4 form; neither B200 nor RTX
 * Blackwell datasheets list INT4 again.
 */
const CC_INT4_DROPPED = 90;
/** First compute capability with fp4 (e2m1, NVFP4/MXFP4) tensor cores (Blackwell sm_100, sm_120). */
const CC_FP4_TENSOR_CORES = 100;
/** Compute capabilities whose CUDA cores run fp16 at twice the fp32 rate without tensor cores. */
const CC_FULL_RATE_FP16_SIMD: readonly number[] = [53, 60, 62];

/** "8.9" → 89, "10.0" → 100, "9.0a" → 90; undefined when it is not a compute capability. */
export function parseComputeCapability(value: string): number | undefined {
  const match = /^(\d{1,2})\.(\d)/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * 10 + Number(match[2]);
}

/** By compute capability; by the architecture name where the tool gave no capability. */
function cudaSupport(computeCapability: string, name: string): DtypeSupportTable {
  const cc = parseComputeCapability(computeCapability) ?? computeCapabilityOfArchitecture(name);
  if (cc === undefined) return BASELINE;
  const native: (keyof DtypeSupportTable)[] = [];
  if (cc >= CC_FP16_TENSOR_CORES || CC_FULL_RATE_FP16_SIMD.includes(cc)) native.push('fp16');
  if (cc >= CC_INT8_TENSOR_CORES) native.push('int8');
  if (cc >= CC_INT4_TENSOR_CORES && cc < CC_INT4_DROPPED) native.push('int4');
  if (cc >= CC_BF16_TF32_TENSOR_CORES) native.push('bf16', 'tf32');
  if (cc >= CC_FP8_TENSOR_CORES) native.push('fp8');
  if (cc >= CC_FP4_TENSOR_CORES) native.push('fp4');
  return table(withNative(...native));
}

// AMD, by LLVM gfx target. Source: ROCm "Data types and precision support", "Matrix core
// support" table: CDNA1 (gfx908) and CDNA2 (gfx90a) int8/fp16/bf16/fp32; CDNA3 (gfx940-942) adds
// tf32 and fp8 (FNUZ); CDNA4 (gfx950) adds fp4/fp6 and OCP fp8; RDNA3 (gfx11xx) int8/fp16/bf16;
// RDNA4 (gfx12xx) adds OCP fp8. RDNA3/RDNA4 WMMA also take 4-bit integers
// (V_WMMA_I32_16X16X16_IU4 in the "RDNA3" and "RDNA4" Instruction Set Architecture guides).
// Vega/RDNA1-2 (gfx9xx other than CDNA, gfx10xx) have packed fp16 math but no matrix units.

const AMD_CDNA12 = withNative('fp16', 'bf16', 'int8');
const AMD_CDNA3 = withNative('fp16', 'bf16', 'int8', 'tf32', 'fp8');
const AMD_CDNA4 = withNative('fp16', 'bf16', 'int8', 'tf32', 'fp8', 'fp4');
const AMD_RDNA3 = withNative('fp16', 'bf16', 'int8', 'int4');
const AMD_RDNA4 = withNative('fp16', 'bf16', 'int8', 'int4', 'fp8');
const AMD_PACKED_FP16_ONLY = withNative('fp16');

function rocmRule(gfxTarget: string): Rule {
  const target = gfxTarget.trim().toLowerCase();
  if (target === 'gfx908' || target === 'gfx90a') return AMD_CDNA12;
  if (/^gfx94[0-2]$/.test(target)) return AMD_CDNA3;
  if (target === 'gfx950') return AMD_CDNA4;
  if (/^gfx11[0-9a-f]{2}$/.test(target)) return AMD_RDNA3;
  if (/^gfx12[0-9a-f]{2}$/.test(target)) return AMD_RDNA4;
  if (/^gfx(9[0-9a-f]{2}|10[0-9a-f]{2})$/.test(target)) return AMD_PACKED_FP16_ONLY;
  return {};
}

// Apple GPUs have no fp8 or int8 matrix units: simdgroup_matrix runs fp16/fp32 (and bfloat)
// on the ordinary ALUs (Philip Turner, metal-benchmarks README, "Operations per Second": F16 and
// F32 at the same rate, no tensor cores). bfloat is a Metal 3.1 (macOS 14) type; on M1 (Apple7)
// it has no hardware path (metal-flash-attention issue #17: "earlier M1 chips (without hardware
// BF16 support)"; a measured M1 Max bf16 run at ~1/16 of fp16 in tracel-ai/cubecl PR #1509).
// We count it native from M2 / A15 (Apple8), as the brief asks; transformers PR #40458 claims M2
// also emulates it, so detection should prefer a measured answer when it has one.

/** First M-series generation with bf16 counted as native (M2, GPU family Apple8). */
const APPLE_M_BF16_GENERATION = 2;
/** The A-series chip of the same GPU family (A15, Apple8). */
const APPLE_A_BF16_GENERATION = 15;

function appleRule(generation: string): Rule {
  const value = generation.trim().toLowerCase();
  const mSeries = /^m(\d+)/.exec(value);
  const aSeries = /^a(\d+)/.exec(value);
  const bf16 =
    (mSeries !== null && Number(mSeries[1]) >= APPLE_M_BF16_GENERATION) ||
    (aSeries !== null && Number(aSeries[1]) >= APPLE_A_BF16_GENERATION);
  return bf16 ? withNative('fp16', 'bf16') : withNative('fp16');
}

// Intel: Xe-HPG (Arc A-series) and Xe2 (Arc B-series, Lunar Lake) XMX engines take FP16, BF16,
// INT8, INT4 and INT2 (Intel support article 000098346, "Intel AI Engines and Supported
// Datatypes"); Xe-HPC (Data Center GPU Max) XMX adds TF32 and has no int4 path (oneAPI GPU
// Optimization Guide, "Boost Matrix Multiplication Performance with Intel XMX"); Xe-LP/Xe-LPG
// integrated GPUs have no XMX (same article) and only half-precision SIMD.

function intelRule(name: string): Rule {
  const value = name.trim().toLowerCase();
  if (value === 'xe-hpc') return withNative('fp16', 'bf16', 'tf32', 'int8');
  if (value === 'xe-hpg' || value.startsWith('xe2') || value.startsWith('xe3'))
    return withNative('fp16', 'bf16', 'int8', 'int4');
  return withNative('fp16');
}

// CPUs, by the feature flags Linux prints in /proc/cpuinfo (or macOS hw.optional.arm.FEAT_*):
// bf16 dot products need AVX512_BF16 (VDPBF16PS) or AMX-BF16 (TDPBF16PS) on x86, or FEAT_BF16
// (BFMMLA/BFDOT) on Arm; int8 dot products need AVX512_VNNI/AVX_VNNI (VPDPBUSD), AMX-INT8
// (TDPBSSD) or FEAT_I8MM (SMMLA) — Intel 64 and IA-32 Architectures Software Developer's Manual
// Vol. 2 and the Arm A-profile architecture reference. Everything else converts to fp32.

const CPU_BF16_FLAGS: readonly string[] = ['avx512bf16', 'amxbf16', 'bf16'];
const CPU_INT8_FLAGS: readonly string[] = ['avx512vnni', 'avxvnni', 'amxint8', 'i8mm'];

/**
 * Flags compared without case, punctuation or a `FEAT_` prefix, so `avx512_bf16`, `AVX512BF16`
 * and `hw.optional.arm.FEAT_BF16`'s `FEAT_BF16` all read the same.
 */
export function normalizeCpuFlag(flag: string): string {
  return flag
    .toLowerCase()
    .replace(/^hw\.optional\.arm\./, '')
    .replace(/[^a-z0-9]/g, '')
    .replace(/^feat/, '');
}

function cpuRule(flags: readonly string[]): Rule {
  const present = new Set(flags.map(normalizeCpuFlag));
  const native: (keyof DtypeSupportTable)[] = [];
  if (CPU_BF16_FLAGS.some((flag) => present.has(flag))) native.push('bf16');
  if (CPU_INT8_FLAGS.some((flag) => present.has(flag))) native.push('int8');
  return withNative(...native);
}

/**
 * The dtype support table of an architecture: which compute dtypes run natively, which only
 * through conversion.
 * @param architecture the device's architecture facts (compute capability, gfx target, …)
 * @returns a table with every compute dtype
 * @example dtypeSupportFor({ kind: 'cuda', computeCapability: '8.9', name: 'Ada' }).fp8 // 'native'
 * @example dtypeSupportFor({ kind: 'cuda', computeCapability: '7.5', name: 'Turing' }).bf16 // 'emulated'
 */
export function dtypeSupportFor(architecture: DeviceArchitecture): DtypeSupportTable {
  switch (architecture.kind) {
    case 'cuda':
      return cudaSupport(architecture.computeCapability, architecture.name);
    case 'rocm':
      return table(rocmRule(architecture.gfxTarget));
    case 'apple':
      return table(appleRule(architecture.generation));
    case 'intel-xe':
      return table(intelRule(architecture.name));
    case 'cpu':
      return table(cpuRule(architecture.flags));
  }
}

/**
 * The FP8 encoding a device's matrix units compute in, or undefined where fp8 is not native.
 * AMD CDNA3 (gfx940-942, MI300 series) uses FNUZ (e4m3fnuz, max 240); everything else with native
 * fp8 uses the OCP encoding (e4m3fn, max 448). Source: ROCm "Data types and precision support"
 * (CDNA3 natively supports FP8 FNUZ; CDNA4 and RDNA4 take OCP `__hip_fp8_e4m3`).
 * @example fp8EncodingFor({ kind: 'rocm', gfxTarget: 'gfx942', name: 'CDNA3' }) // 'fnuz'
 */
export function fp8EncodingFor(architecture: DeviceArchitecture): Fp8Encoding | undefined {
  if (dtypeSupportFor(architecture).fp8 !== 'native') return undefined;
  if (
    architecture.kind === 'rocm' &&
    /^gfx94[0-2]$/.test(architecture.gfxTarget.trim().toLowerCase())
  ) {
    return 'fnuz';
  }
  return 'ocp';
}
