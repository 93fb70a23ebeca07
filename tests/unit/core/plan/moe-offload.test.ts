import { describe, expect, it } from 'vitest';
import { findDevice } from '../../../../core/devices/catalog';
import { cpuDevice } from '../../../../core/devices/cpu';
import { llamaCppSettings } from '../../../../core/launch/llama-cpp';
import { findModel } from '../../../../core/models/catalog';
import { planInference } from '../../../../core/plan/inference-plan';
import type { InferenceScenario } from '../../../../core/plan/types';

const deepseek = findModel('deepseek-ai/DeepSeek-V3')!;
const rtx4090 = findDevice('nvidia-rtx-4090')!;
const GB = 1e9;
// A server with 512 GB of DDR5 in 8 channels of 4800 MT/s: 8 × 38.4 = 307.2 GB/s.
const server = cpuDevice({
  id: 'host',
  name: 'EPYC server, 512 GB DDR5-4800 × 8 channels',
  memoryBytes: 512 * GB,
  cores: 64,
  flags: ['avx2', 'fma', 'avx512f'],
  bandwidthBytesPerSecond: 307.2 * GB,
});
const scenario = (overrides: Partial<InferenceScenario>): InferenceScenario => ({
  mode: 'inference',
  weightsFormat: 'q4_k_m',
  kvFormat: 'fp16',
  contextTokens: 8192,
  batch: 1,
  engine: 'llama.cpp',
  marginFraction: 0.05,
  ...overrides,
});

// Issue 13 acceptance: DeepSeek-V3 Q4_K_M on one 24 GB GPU + 512 GB RAM with every layer's
// routed experts in system RAM (llama.cpp -ot "exps=CPU").
describe('MoE experts kept in system RAM (llama.cpp --n-cpu-moe / -ot exps=CPU)', () => {
  const plan = planInference({
    model: deepseek,
    devices: [rtx4090],
    host: server,
    scenario: scenario({ moeOffloadLayers: deepseek.architecture!.layers }),
  });

  it('fits DeepSeek-V3 Q4_K_M on a 24 GB GPU: attention, shared experts and KV on the GPU, routed experts in RAM', () => {
    expect(plan.verdict.status).toBe('fits');
    expect(plan.memory.perDevice[0]!.used).toBeLessThan(24 * GB);
    // The whole model is still counted: the experts sit in RAM, within the host's 512 GB.
    expect(plan.memory.breakdown.weights).toBeGreaterThan(350 * GB);
    expect(plan.memory.breakdown.weights).toBeLessThan(512 * GB);
  });

  it('decodes at the pace of system RAM over the active experts’ bytes', () => {
    const t = plan.throughput!;
    expect(t.bound).toBe('memory-bandwidth');
    // 8 of 256 routed experts per token in 58 MoE layers of 3 × 7168 × 2048 weights at
    // Q4_K_M ≈ 4.8 bits: ≈ 10.2 GB per token from RAM; 307 GB/s × 0.68 (CPU decode efficiency,
    // llama.cpp issue #34) ⇒ about 20 tok/s at most.
    const expertBytesPerToken = 58 * 8 * 3 * 7168 * 2048 * (4.823 / 8);
    const ramBound = (307.2 * GB * 0.68) / expertBytesPerToken;
    expect(t.decodeTokensPerSecond).toBeLessThan(ramBound * 1.05);
    expect(t.decodeTokensPerSecond).toBeGreaterThan(ramBound * 0.5);
  });

  it('the llama.cpp launch settings keep every expert on the CPU (-ot exps=CPU) and all layers on the GPU', () => {
    const text = llamaCppSettings({ plan, devices: [rtx4090], headroomVersion: '0.1.0' }).text;
    expect(text).toContain('-ot exps=CPU');
    expect(text).toMatch(/-ngl 62/);
  });

  it('without the split, proposes the fewest layers whose experts must stay in RAM', () => {
    const alone = planInference({
      model: deepseek,
      devices: [rtx4090],
      host: server,
      scenario: scenario({}),
    });
    expect(alone.verdict.fits).toBe(false);
    const layers = alone.verdict.moeOffloadLayers!;
    expect(layers).toBeGreaterThan(3);
    expect(alone.verdict.reason).toContain(`--n-cpu-moe ${layers}`);
    const split = planInference({
      model: deepseek,
      devices: [rtx4090],
      host: server,
      scenario: scenario({ moeOffloadLayers: layers }),
    });
    expect(split.verdict.fits).toBe(true);
    const fewer = planInference({
      model: deepseek,
      devices: [rtx4090],
      host: server,
      scenario: scenario({ moeOffloadLayers: layers - 1 }),
    });
    expect(fewer.verdict.status).not.toBe('fits');
  });

  it('refuses the setting for engines that cannot keep experts in RAM', () => {
    expect(() =>
      planInference({
        model: deepseek,
        devices: [rtx4090],
        scenario: scenario({ engine: 'vllm', weightsFormat: 'bf16', moeOffloadLayers: 4 }),
      }),
    ).toThrow(/engine must be llama.cpp/);
  });
});
