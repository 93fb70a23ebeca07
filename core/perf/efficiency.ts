import type { DeviceSpec } from '../devices/types';

/**
 * What fraction of peak bandwidth (decode) and peak matrix throughput (prefill) real engines
 * reach, per backend. Calibrated on published llama.cpp llama-bench runs; each run is written
 * down with the arithmetic, and tests/unit/core/perf checks the estimates against them.
 *
 * Decode, CUDA — llama.cpp PR #4766 (ggml-backend integration, 2024-01-10), RTX 4090
 * (1008 GB/s), codellama-7B: F16 12.55 GiB tg128 = 61.03 t/s → 13.48 GB × 61.03 = 823 GB/s
 * = 0.82 of peak; Q8_0 6.67 GiB tg128 = 98.13 t/s → 7.16 GB × 98.13 = 703 GB/s = 0.70.
 * Mean 0.76.
 *
 * Decode, Metal — llama.cpp PR #10238 (2024-11), M2 Ultra (800 GB/s), Llama 3.2 3B F16
 * 5.98 GiB tg128 = 72.29 t/s → 6.42 GB × 72.29 = 464 GB/s = 0.58; PR #2959 (2023-09),
 * M2 Max 30-core (400 GB/s), LLaMA 7B Q4_0 3.56 GiB tg128 = 61.71 t/s → 3.82 GB × 61.71 =
 * 236 GB/s = 0.59. Mean 0.58.
 *
 * Prefill, CUDA — PR #4766, RTX 4090, 7B F16 pp512 = 11048 t/s → 2 × 6.74e9 × 11048 =
 * 148.9 TFLOP/s of 165.2 dense FP16 (FP32-accumulate) = 0.90; Q8_0 pp512 = 7664 t/s →
 * 103.3 TFLOP/s = 0.63 (int8 MMQ kernels). Mean 0.76.
 *
 * Prefill, Metal — PR #3084 (2023-09), M2 Ultra 76-core, LLaMA 7B F16 pp512 = 1265 t/s →
 * 17.1 TFLOP/s of 27.2 FP16 = 0.63.
 *
 * ROCm and Intel have no calibration run here: they take CUDA's values and the plan says so.
 * CPU — llama.cpp issue #34 (slaren, 2023-08): i9-13900K, DDR5-6400 dual channel
 * (102.4 GB/s), 7B Q4_0 tg128 at 8 threads = 18.27 t/s → 3.82 GB × 18.27 = 69.8 GB/s = 0.68.
 */
interface BackendEfficiency {
  readonly backend: 'cuda' | 'rocm' | 'metal' | 'intel' | 'cpu';
  readonly decodeBandwidthEfficiency: number;
  readonly prefillComputeEfficiency: number;
  readonly calibrated: boolean;
  readonly source: string;
}

export const CUDA_DECODE_EFFICIENCY = 0.76;
const CUDA_PREFILL_EFFICIENCY = 0.76;
const METAL_DECODE_EFFICIENCY = 0.58;
const METAL_PREFILL_EFFICIENCY = 0.63;
const CPU_DECODE_EFFICIENCY = 0.68;
/** CPU prefill: no clean published run to calibrate on; half of peak SIMD throughput assumed. */
const CPU_PREFILL_EFFICIENCY = 0.5;

const CUDA: BackendEfficiency = {
  backend: 'cuda',
  decodeBandwidthEfficiency: CUDA_DECODE_EFFICIENCY,
  prefillComputeEfficiency: CUDA_PREFILL_EFFICIENCY,
  calibrated: true,
  source: 'llama.cpp PR #4766 llama-bench, RTX 4090 (F16, Q8_0)',
};

/** The efficiencies that apply to a device. */
export function efficiencyFor(device: DeviceSpec): BackendEfficiency {
  switch (device.architecture.kind) {
    case 'cuda':
      return CUDA;
    case 'apple':
      return {
        backend: 'metal',
        decodeBandwidthEfficiency: METAL_DECODE_EFFICIENCY,
        prefillComputeEfficiency: METAL_PREFILL_EFFICIENCY,
        calibrated: true,
        source: 'llama.cpp PRs #10238, #2959, #3084 llama-bench, M2 Ultra / M2 Max',
      };
    case 'rocm':
      return {
        ...CUDA,
        backend: 'rocm',
        calibrated: false,
        source: 'CUDA calibration reused (no ROCm run)',
      };
    case 'intel-xe':
      return {
        ...CUDA,
        backend: 'intel',
        calibrated: false,
        source: 'CUDA calibration reused (no Intel run)',
      };
    case 'cpu':
      return {
        backend: 'cpu',
        decodeBandwidthEfficiency: CPU_DECODE_EFFICIENCY,
        prefillComputeEfficiency: CPU_PREFILL_EFFICIENCY,
        calibrated: true,
        source: 'llama.cpp issue #34, i9-13900K DDR5-6400 tg128',
      };
  }
}
