import { describe, expect, it } from 'vitest';
import type { ServingPlan } from '../../../core/serving';
import { runHeadroom } from '../../helpers/run-command';

// The question through the CLI contract: Llama-3.1-8B, 20 req/s, 1k in / 300 out,
// TTFT ≤ 1 s, TPOT ≤ 50 ms, with the user's prices.
const QUESTION = [
  'serve-plan',
  '--model',
  'meta-llama/Llama-3.1-8B',
  '--prompt',
  '1000',
  '--output',
  '300',
  '--rate',
  '20',
  '--ttft',
  '1s',
  '--tpot',
  '50ms',
];

describe('headroom serve-plan (CLI)', () => {
  it('prints one headroom.serving/v1 document: the cheapest setup by --price, and its vllm serve settings', async () => {
    const result = await runHeadroom([
      ...QUESTION,
      '--device',
      'nvidia-h100-sxm-80gb',
      '--device',
      'nvidia-a100-sxm-80gb',
      '--price',
      'nvidia-h100-sxm-80gb=2.49',
      '--price',
      'nvidia-a100-sxm-80gb=1.29',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as ServingPlan;
    expect(plan.schema).toBe('headroom.serving/v1');
    expect(plan.workload.targets).toEqual({ ttftSeconds: 1, tpotSeconds: 0.05 });
    expect(plan.setup).not.toBeNull();
    const costs = plan.setups.map((setup) => setup.costPerHourUsd!);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    expect(plan.launch?.text).toMatch(/vllm serve meta-llama\/Llama-3\.1-8B/);
    expect(plan.launch?.text).toMatch(/--max-num-seqs \d+/);
  });

  it('one setup with --device and --gpus prints the capacity as vLLM logs it', async () => {
    const result = await runHeadroom([
      ...QUESTION,
      '--device',
      'nvidia-h100-sxm-80gb',
      '--gpus',
      '1',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Maximum concurrency for 2,048 tokens per request: [\d.]+x/);
    expect(result.stdout).toContain('--tensor-parallel-size 1');
  });

  it('rejects a malformed --price with exit 2 and one line', async () => {
    const result = await runHeadroom([...QUESTION, '--price', 'nvidia-h100-sxm-80gb']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--price/);
  });
});
