import { describe, expect, it } from 'vitest';
import { findDevice } from '../../../../core/devices/catalog';
import { findModel } from '../../../../core/models/catalog';
import { CUDA_DECODE_EFFICIENCY } from '../../../../core/perf/efficiency';
import {
  arrivalRateOf,
  concurrencyOf,
  costPerMillionTokens,
  loadAtConcurrency,
  loadAtRate,
  loadCurve,
  maxRateWithinTargets,
  planDeployment,
  stepThroughput,
  targetBreaks,
} from '../../../../core/serving';

const llama8b = findModel('meta-llama/Llama-3.1-8B')!;
const deploymentOn = (id: string, maxModelLen = 2048) =>
  planDeployment({ model: llama8b, devices: [findDevice(id)!], engine: 'vllm', maxModelLen });
const shape = { promptTokens: 1000, outputTokens: 300 };
const targets = { ttftSeconds: 1, tpotSeconds: 0.05 };

describe("Little's law", () => {
  it('L = λW: 20 requests/s for 2.5 s each keep 50 in flight', () => {
    expect(concurrencyOf(20, 2.5)).toBe(50);
    expect(arrivalRateOf(50, 2.5)).toBe(20);
  });

  it('every steady state the planner reports obeys it', () => {
    const deployment = deploymentOn('nvidia-h100-sxm-80gb');
    const point = loadAtRate(deployment, shape, 20)!;
    expect(point.concurrency).toBeCloseTo(20 * point.secondsInSystem, 1);
    const back = loadAtConcurrency(deployment, shape, 40)!;
    expect(back.requestsPerSecond * back.secondsInSystem).toBeCloseTo(40, 3);
  });
});

describe('the decode roofline against datasheet bandwidth', () => {
  // Llama-3.1-8B in bf16: 8.03e9 parameters × 2 bytes = 16.06 GB stored; a decode step reads
  // all but the input embedding table (128,256 × 4096 × 2 bytes = 1.05 GB, one row per token).
  const weightBytes = 8.03e9 * 2;
  const readBytes = weightBytes - 128_256 * 4096 * 2;

  it('H100 SXM (3.35 TB/s, NVIDIA H100 datasheet): batch 1 stays under 3.35e12 / 16.06e9 = 209 tokens/s', () => {
    const speed = stepThroughput(deploymentOn('nvidia-h100-sxm-80gb'), 1, 1);
    const bound = 3.35e12 / weightBytes;
    expect(bound).toBeCloseTo(208.6, 0);
    expect(speed.decodeTokensPerSecond).toBeLessThan(bound);
    // The roofline at the calibrated share of peak bandwidth (core/perf/efficiency.ts).
    expect(speed.decodeTokensPerSecond / (3.35e12 / readBytes)).toBeCloseTo(
      CUDA_DECODE_EFFICIENCY,
      2,
    );
    expect(speed.bound).toBe('memory-bandwidth');
  });

  it('H200 (4.8 TB/s, NVIDIA H200 datasheet): batch 1 stays under 4.8e12 / 16.06e9 = 299 tokens/s', () => {
    const speed = stepThroughput(deploymentOn('nvidia-h200-sxm-141gb'), 1, 1);
    const bound = 4.8e12 / weightBytes;
    expect(bound).toBeCloseTo(298.9, 0);
    expect(speed.decodeTokensPerSecond).toBeLessThan(bound);
    expect(speed.decodeTokensPerSecond / (4.8e12 / readBytes)).toBeCloseTo(
      CUDA_DECODE_EFFICIENCY,
      2,
    );
  });

  it('batching reads the weights once per step: 64 sequences make ~64× the tokens until KV reads and FLOPs weigh in', () => {
    const deployment = deploymentOn('nvidia-h100-sxm-80gb');
    const one = stepThroughput(deployment, 1, 1150).decodeTokensPerSecond;
    const many = stepThroughput(deployment, 64, 1150);
    expect(many.decodeTokensPerSecond).toBeGreaterThan(30 * one);
    expect(many.decodeTokensPerSecond).toBeLessThan(64 * one);
    // KV of 64 × 1150 tokens × 128 KiB = 9.6 GB beside 16 GB of weights.
    const bytes = weightBytes + 64 * 1150 * 131072;
    expect(many.decodeTokensPerSecond).toBeLessThan((64 * 3.35e12) / bytes);
  });
});

describe('latency under load', () => {
  const deployment = deploymentOn('nvidia-h100-sxm-80gb');

  it('TPOT and TTFT grow with the requests in flight', () => {
    const curve = loadCurve(deployment, shape);
    expect(curve.length).toBeGreaterThan(10);
    for (let i = 1; i < curve.length; i++) {
      expect(curve[i]!.tpotSeconds).toBeGreaterThanOrEqual(curve[i - 1]!.tpotSeconds - 1e-12);
      expect(curve[i]!.ttftSeconds).toBeGreaterThanOrEqual(curve[i - 1]!.ttftSeconds - 1e-12);
    }
  });

  it('a TPOT target breaks at the first concurrency past it', () => {
    const tight = { ttftSeconds: 10, tpotSeconds: 0.012 };
    const breaks = targetBreaks(deployment, shape, tight);
    expect(breaks.tpotConcurrency).not.toBeNull();
    const at = loadAtConcurrency(deployment, shape, breaks.tpotConcurrency!)!;
    const before = loadAtConcurrency(deployment, shape, breaks.tpotConcurrency! - 1)!;
    expect(at.tpotSeconds).toBeGreaterThan(0.012);
    expect(before.tpotSeconds).toBeLessThanOrEqual(0.012);
  });

  it('an L4 cannot meet 50 ms per token for an 8B bf16 model even alone (300 GB/s × 0.76 / 16 GB = 14 tokens/s)', () => {
    const l4 = deploymentOn('nvidia-l4');
    expect(maxRateWithinTargets(l4, shape, targets)).toBeNull();
    expect(targetBreaks(l4, shape, targets).tpotConcurrency).toBe(1);
  });

  it('the highest rate within the targets meets them, and a little more does not hold', () => {
    const best = maxRateWithinTargets(deployment, shape, targets)!;
    expect(best.tpotSeconds).toBeLessThanOrEqual(0.05);
    expect(best.ttftP90Seconds).toBeLessThanOrEqual(1);
    const more = loadAtRate(deployment, shape, best.requestsPerSecond * 1.05);
    expect(more === null || more.tpotSeconds > 0.05 || more.ttftP90Seconds > 1).toBe(true);
  });
});

describe('cost per 1M tokens', () => {
  it('= price per hour / (tokens/s × 3600) × 10^6', () => {
    // $2.50/h at 6000 tokens/s: 2.5 / 21.6e6 × 1e6 = $0.1157.
    expect(costPerMillionTokens(2.5, 6000)).toBeCloseTo(0.11574, 5);
    expect(costPerMillionTokens(2.5, 0)).toBe(Infinity);
  });
});
