import { describe, expect, it } from 'vitest';
import {
  inferenceAccuracy,
  trainingAccuracy,
  worstCaseUsedBytes,
} from '../../../../core/calibration/accuracy';
import { MEASURED_ACCURACY } from '../../../../core/calibration/measured-accuracy';
import { buildVerdict } from '../../../../core/plan/verdict';
import type { DevicePlan } from '../../../../core/plan/types';
import { EMPTY_BREAKDOWN } from '../../../../core/plan/types';

const GB = 1e9;
const gpu = (usedBytes: number, headroomBytes: number): DevicePlan => ({
  device: 'nvidia-h200-sxm-141gb',
  name: 'NVIDIA H200',
  capacity: usedBytes + headroomBytes,
  used: usedBytes,
  headroom: headroomBytes,
  breakdown: EMPTY_BREAKDOWN,
  layers: 32,
});

describe('the accuracy each plan states', () => {
  it('eager PyTorch inference in bf16 is backed by the measured H200 runs', () => {
    const accuracy = inferenceAccuracy('transformers', 'bf16', true);
    expect(accuracy.basis).toBe('measured');
    expect(accuracy.runs).toBeGreaterThanOrEqual(7);
    expect(accuracy.summary).toMatch(/over \d+ measured runs on NVIDIA H200/);
  });

  it('engines and formats without measured runs say so', () => {
    expect(inferenceAccuracy('llama.cpp', 'q4_k_m', true).summary).toBe(
      'no measured runs: formula only',
    );
    expect(inferenceAccuracy('transformers', 'bf16', false).basis).toBe('formula');
    expect(
      trainingAccuracy({
        hasArchitecture: true,
        gpus: 8,
        sharded: true,
        precision: 'bf16',
        qlora: false,
      }).basis,
    ).toBe('formula');
  });

  it('a plan that undershot by 5 % means the device shows used / 0.95', () => {
    const accuracy = { ...inferenceAccuracy('transformers', 'bf16', true), lowestError: -0.05 };
    expect(worstCaseUsedBytes(95 * GB, accuracy)).toBeCloseTo(100 * GB, 0);
  });
});

describe('verdicts honour the measured error band', () => {
  const accuracy = inferenceAccuracy('transformers', 'bf16', true);
  const band = MEASURED_ACCURACY.find((entry) => entry.family === accuracy.family)!;
  const formatBytes = (bytes: number): string => `${(bytes / GB).toFixed(2)} GB`;
  const verdict = (headroomFraction: number) =>
    buildVerdict({
      perDevice: [gpu(100 * GB, 100 * GB * headroomFraction)],
      marginFraction: 0,
      offload: null,
      offloadPossible: false,
      minDevices: 1,
      formatBytes,
      accuracy,
    });

  it('is "tight", never "fits", when the headroom lies inside the band (no safety margin asked)', () => {
    const inside = (-band.lowestError / (1 + band.lowestError)) * 0.5;
    expect(verdict(inside).status).toBe('tight');
    expect(verdict(inside).reason).toContain('measured error');
  });

  it('fits once the headroom is past what the band allows', () => {
    const outside = (-band.lowestError / (1 + band.lowestError)) * 2 + 0.001;
    expect(verdict(outside).status).toBe('fits');
  });
});
