import type { ComputeDtype } from '../devices/dtypes';
import type { DeviceSpec } from '../devices/types';
import type { Throughput, ThroughputBound } from '../plan/types';
import { efficiencyFor } from './efficiency';

/**
 * Speed estimates. Decoding one token reads every active weight and the sequence's KV cache
 * once, so a step is bound by memory bandwidth until the batch is large enough for the
 * 2 × active-parameter FLOPs per token to take longer (the roofline; Kaplan et al. 2020 for
 * the 2N FLOPs per token). Prefill is compute-bound: 2 × active parameters FLOPs per token
 * plus attention over the context, at the peak of the dtype the device computes in.
 */

/** One device's share of the work of a decode step. */
export interface DeviceWork {
  readonly device: DeviceSpec;
  /** Weight bytes this device reads per step (its active weights). */
  readonly weightBytesPerStep: number;
  /** KV bytes this device reads per sequence per step. */
  readonly kvBytesPerSequence: number;
  /** Fraction of the model's FLOPs done on this device. */
  readonly computeShare: number;
}

interface ThroughputInput {
  readonly work: readonly DeviceWork[];
  /** Devices work at once (tensor parallel) or one after another (layer split, offload). */
  readonly arrangement: 'parallel' | 'sequential';
  readonly batch: number;
  /** FLOPs per token of the forward pass (2 × active params + attention). */
  readonly flopsPerToken: number;
  /** Preferred compute dtype of the weights' format; falls back to what a device has. */
  readonly computeDtype: ComputeDtype;
  /**
   * Eager engines: host time (Python and kernel launches) of one forward step, at the typical
   * and at the slow end; the step takes the longer of GPU and host time. Absent: CUDA graphs or
   * compiled runtimes (vLLM, llama.cpp), whose launches are negligible here.
   */
  readonly hostSecondsPerStep?: { readonly typical: number; readonly slow: number };
  /** Element-wise bytes per prefill token beyond the matrix math (eager engines). */
  readonly elementwiseBytesPerToken?: number;
}

/** Fallback order when a device lacks the format's compute dtype natively. */
const DTYPE_FALLBACK: readonly ComputeDtype[] = ['bf16', 'fp16', 'fp32'];

/** Peak ops/s a device reaches for a dtype, falling back to what it computes natively. */
export function peakOpsFor(
  device: DeviceSpec,
  preferred: ComputeDtype,
): { dtype: ComputeDtype; opsPerSecond: number } {
  for (const dtype of [preferred, ...DTYPE_FALLBACK]) {
    const ops = device.peakOpsPerSecond[dtype];
    if (ops !== undefined && ops > 0 && device.dtypes[dtype] === 'native')
      return { dtype, opsPerSecond: ops };
  }
  const fp32 = device.peakOpsPerSecond.fp32 ?? 0;
  return { dtype: 'fp32', opsPerSecond: fp32 };
}

function stepSeconds(
  work: DeviceWork,
  batch: number,
  flopsPerToken: number,
  computeDtype: ComputeDtype,
  elementwiseBytesPerToken: number,
) {
  const efficiency = efficiencyFor(work.device);
  const bytes = work.weightBytesPerStep + batch * work.kvBytesPerSequence;
  const memorySeconds =
    bytes / (work.device.bandwidthBytesPerSecond * efficiency.decodeBandwidthEfficiency);
  const peak =
    peakOpsFor(work.device, computeDtype).opsPerSecond * efficiency.prefillComputeEfficiency;
  const computeSeconds = peak > 0 ? (batch * flopsPerToken * work.computeShare) / peak : Infinity;
  const elementwiseSeconds =
    (elementwiseBytesPerToken * work.computeShare) /
    (work.device.bandwidthBytesPerSecond * efficiency.decodeBandwidthEfficiency);
  const prefillSecondsPerToken =
    peak > 0 ? (flopsPerToken * work.computeShare) / peak + elementwiseSeconds : Infinity;
  return { memorySeconds, computeSeconds, prefillSecondsPerToken };
}

/** Decode and prefill speed of a placed model. */
export function estimateThroughput(input: ThroughputInput): Throughput {
  // Parallel devices take as long as the slowest; sequential ones add up.
  const parallel = input.arrangement === 'parallel';
  let memorySeconds = 0;
  let computeSeconds = 0;
  let prefillSecondsPerToken = 0;
  for (const work of input.work) {
    const step = stepSeconds(
      work,
      input.batch,
      input.flopsPerToken,
      input.computeDtype,
      input.elementwiseBytesPerToken ?? 0,
    );
    memorySeconds = parallel
      ? Math.max(memorySeconds, step.memorySeconds)
      : memorySeconds + step.memorySeconds;
    computeSeconds = parallel
      ? Math.max(computeSeconds, step.computeSeconds)
      : computeSeconds + step.computeSeconds;
    prefillSecondsPerToken = parallel
      ? Math.max(prefillSecondsPerToken, step.prefillSecondsPerToken)
      : prefillSecondsPerToken + step.prefillSecondsPerToken;
  }
  const gpuSeconds = Math.max(memorySeconds, computeSeconds);
  const host = input.hostSecondsPerStep;
  const stepTime = Math.max(gpuSeconds, host?.typical ?? 0);
  const bound: ThroughputBound =
    host && host.typical > gpuSeconds
      ? 'host'
      : computeSeconds > memorySeconds
        ? 'compute'
        : 'memory-bandwidth';
  return {
    decodeTokensPerSecond: input.batch / stepTime,
    decodeTokensPerSecondPerSequence: 1 / stepTime,
    prefillTokensPerSecond: 1 / prefillSecondsPerToken,
    bound,
    ...(host
      ? {
          decodeTokensPerSecondRange: {
            low: input.batch / Math.max(gpuSeconds, host.slow),
            high: input.batch / stepTime,
          },
        }
      : {}),
  };
}

/**
 * FLOPs per token of a forward pass: 2 per active parameter (multiply + add), plus attention's
 * QKᵀ and AV products over `attendedTokens` of context: 2 × 2 × layers × (heads × head dim)
 * per attended token (Kaplan et al. 2020, table 1, "Attention: QK logits, softmax, AV").
 */
export function flopsPerToken(
  activeParams: number,
  layers: number,
  attentionWidth: number,
  attendedTokens: number,
): number {
  return 2 * activeParams + 4 * layers * attentionWidth * attendedTokens;
}
