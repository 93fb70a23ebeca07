import { describe, expect, it } from 'vitest';
import { planFromRequest } from '../../../../core/plan/plan-request';
import { memoryScope } from '../../../../core/plan/memory-scope';
import type { PlanRequest } from '../../../../core/bridge';

const LLAMA_70B_Q4_ON_4090S: PlanRequest = {
  modelId: 'meta-llama/Llama-3.1-70B',
  deviceIds: ['nvidia-rtx-4090', 'nvidia-rtx-4090', 'nvidia-rtx-4090', 'nvidia-rtx-4090'],
  weightsFormat: 'q4_k_m',
  kvFormat: 'fp16',
  contextTokens: 4096,
  batch: 1,
  engine: 'llama.cpp',
  marginFraction: 0.05,
  unit: 'GiB',
};

describe('memory per GPU and on all GPUs', () => {
  it('gives the busiest of 4 RTX 4090s per GPU and the sum over all four', () => {
    const plan = planFromRequest(LLAMA_70B_Q4_ON_4090S);
    const used = plan.memory.perDevice.map((device) => device.used);
    const scope = memoryScope(plan);
    expect(scope.devices).toBe(4);
    expect(scope.showBoth).toBe(true);
    expect(scope.perGpuBytes).toBe(Math.max(...used));
    expect(scope.allGpusBytes).toBe(used.reduce((a, b) => a + b, 0));
    expect(scope.perGpuBytes!).toBeLessThan(scope.allGpusBytes!);
  });

  it('shows one figure for one GPU and none without a device', () => {
    const one = memoryScope(
      planFromRequest({ ...LLAMA_70B_Q4_ON_4090S, deviceIds: ['nvidia-h100-sxm-80gb'] }),
    );
    expect(one.showBoth).toBe(false);
    expect(one.perGpuBytes).toBe(one.allGpusBytes);
    const none = memoryScope(planFromRequest({ ...LLAMA_70B_Q4_ON_4090S, deviceIds: [] }));
    expect(none).toEqual({ perGpuBytes: null, allGpusBytes: null, devices: 0, showBoth: false });
  });
});
