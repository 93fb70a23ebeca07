import { describe, expect, it } from 'vitest';
import { DEVICE_CATALOG, findDevice } from '../../../../core/devices/catalog';
import { findModel } from '../../../../core/models/catalog';
import { defaultMaxModelLen, planServing, SERVING_SCHEMA } from '../../../../core/serving';
import { planDeployment } from '../../../../core/serving/deployment';

const llama8b = findModel('meta-llama/Llama-3.1-8B')!;
// The question: Llama-3.1-8B, 20 req/s, 1k in / 300 out, TTFT ≤ 1 s, TPOT ≤ 50 ms.
const question = {
  model: llama8b,
  engine: 'vllm' as const,
  shape: { promptTokens: 1000, outputTokens: 300 },
  targets: { ttftSeconds: 1, tpotSeconds: 0.05 },
  requestsPerSecond: 20,
  maxGpus: 8,
  headroomVersion: 'test',
};
const gpus = DEVICE_CATALOG.filter((device) => device.vendor === 'nvidia').slice(0, 20);

describe('serve-plan: workload to the cheapest setup', () => {
  it('answers the issue question with a device count, ranked by the prices given', () => {
    const plan = planServing({
      ...question,
      candidates: gpus,
      pricesUsdPerHour: {
        'nvidia-h100-sxm-80gb': 2.5,
        'nvidia-a100-sxm-80gb': 1.2,
        'nvidia-l40s': 0.9,
      },
    });
    expect(plan.schema).toBe(SERVING_SCHEMA);
    expect(plan.setups.length).toBeGreaterThan(3);
    // Priced setups first, cheapest per hour first.
    const priced = plan.setups.filter((setup) => setup.costPerHourUsd !== null);
    expect(plan.setups.slice(0, priced.length)).toEqual(priced);
    for (let i = 1; i < priced.length; i++)
      expect(priced[i]!.costPerHourUsd!).toBeGreaterThanOrEqual(priced[i - 1]!.costPerHourUsd!);
    const best = plan.setup!;
    expect(best.costPerHourUsd).toBe(priced[0]!.costPerHourUsd);
    expect(best.gpus).toBe(best.replicas * best.tensorParallel);
    expect(best.perReplica.tpotSeconds).toBeLessThanOrEqual(0.05);
    expect(best.perReplica.ttftP90Seconds).toBeLessThanOrEqual(1);
    expect(best.maxRequestsPerSecondPerReplica * best.replicas).toBeGreaterThanOrEqual(20);
    // cost per 1M output tokens = $/h / (20 × 300 tokens/s × 3600) × 1e6.
    expect(best.costPerMillionOutputTokensUsd).toBeCloseTo(
      (best.costPerHourUsd! / (6000 * 3600)) * 1e6,
      9,
    );
    expect(plan.accuracy.basis).toBe('formula');
    expect(plan.curve.length).toBeGreaterThan(0);
    expect(plan.launch?.text).toContain('--max-num-seqs');
  });

  it('one H100 holds it: 1 GPU, and vllm serve settings with -tp 1 and the derived --max-model-len', () => {
    const plan = planServing({
      ...question,
      setup: { device: findDevice('nvidia-h100-sxm-80gb')!, tensorParallel: 1 },
    });
    expect(plan.setup?.gpus).toBe(1);
    expect(plan.maxModelLen).toBe(2048);
    expect(plan.launch?.text).toContain('--tensor-parallel-size 1');
    expect(plan.launch?.text).toContain('--max-model-len 2048');
    expect(plan.launch?.text).toContain('--gpu-memory-utilization 0.9');
  });

  it('starts vLLM for the --max-num-seqs it writes, and names the serve-plan command it comes from', () => {
    const h100 = findDevice('nvidia-h100-sxm-80gb')!;
    const plan = planServing({ ...question, setup: { device: h100, tensorParallel: 1 } });
    const written = Number(/--max-num-seqs (\d+)/.exec(plan.launch!.text)![1]);
    // vLLM's profile samples --max-num-seqs requests (core/memory/vllm-sampler.ts): at its H100
    // default of 1024 the sampler takes 1024 × 128256 × 14 B = 1.71 GiB; at the few hundred the
    // KV holds, the 8192-token forward pass (0.78 GiB) is the peak instead, and the KV gets the rest.
    expect(written).toBeGreaterThan(1);
    expect(written).toBeLessThan(1024);
    expect(plan.deployment!.activationsBytes / 2 ** 30).toBeCloseTo(
      (8192 * 2 * (2 * 4096 + 3 * 14336)) / 2 ** 30,
      3,
    );
    const atDefault = planDeployment({
      model: llama8b,
      devices: [h100],
      engine: 'vllm',
      maxModelLen: plan.maxModelLen,
    });
    expect(plan.deployment!.availableKvBytes).toBeGreaterThan(
      Math.min(...atDefault.availableKvBytesPerDevice),
    );
    // The one-request memory plan is not what the launch runs: the header names serve-plan.
    expect(plan.launch!.text).toContain(
      'launch settings for the serving plan `headroom serve-plan --model meta-llama/Llama-3.1-8B --engine vllm',
    );
    expect(plan.launch!.text).toContain('--device nvidia-h100-sxm-80gb --gpus 1`');
  });

  it('says so when a setup cannot hold the workload', () => {
    const plan = planServing({
      ...question,
      setup: { device: findDevice('nvidia-l4')!, tensorParallel: 1 },
    });
    expect(plan.setup).toBeNull();
    expect(plan.warnings[0]).toMatch(/does not hold|cannot keep up/);
    expect(plan.breaks.tpotConcurrency).toBe(1);
  });

  it('derives --max-model-len from the p90 lengths', () => {
    expect(
      defaultMaxModelLen({
        promptTokens: 1000,
        outputTokens: 300,
        promptTokensP90: 3000,
        outputTokensP90: 600,
      }),
    ).toBe(4096);
  });

  it('refuses a search without a rate, and a p90 below the mean', () => {
    expect(() =>
      planServing({ ...question, requestsPerSecond: undefined, candidates: gpus }),
    ).toThrow(/request rate/);
    expect(() =>
      planServing({
        ...question,
        candidates: gpus,
        shape: { promptTokens: 1000, outputTokens: 300, promptTokensP90: 10 },
      }),
    ).toThrow(/p90/);
  });
});
