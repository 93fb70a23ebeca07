import { describe, expect, it } from 'vitest';
import type { Plan, TrainingScenario, TrainingThroughput } from '../../../core/plan/types';
import { runHeadroom } from '../../helpers/run-command';

const planJson = (stdout: string): Plan => JSON.parse(stdout) as Plan;
const modelStates = (plan: Plan): number => {
  const b = plan.memory.breakdown;
  return b.weights + b.gradients + b.optimizerStates + b.masterWeights;
};

describe('headroom plan --mode training', () => {
  it('prints the ZeRO paper’s stage-3 figure: 7.5 B params on 8 nodes × 8 GPUs, 1.9 GB of model states per GPU', async () => {
    // Rajbhandari et al. 2019, figure 1: Ψ = 7.5 B, N_d = 64, K = 12, P_os+g+p → 1.9 GB.
    const result = await runHeadroom([
      'plan',
      '--mode',
      'training',
      '--params',
      '7.5B',
      '--device',
      'nvidia-a100-sxm-80gb',
      '--gpus',
      '8',
      '--nodes',
      '8',
      '--zero',
      '3',
      '--no-activations',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const plan = planJson(result.stdout);
    expect(plan.schema).toBe('headroom.plan/v1');
    const scenario = plan.scenario as TrainingScenario & { devices: string[] };
    expect(scenario).toMatchObject({
      mode: 'training',
      zeroStage: 3,
      nodes: 8,
      includeActivations: false,
      precision: 'mixed',
    });
    expect(scenario.devices).toHaveLength(8);
    expect(modelStates(plan)).toBe(120e9 / 64);
    expect(plan.memory.breakdown.activations).toBe(0);
  });

  it('reproduces the seed: 1 B parameters, FP32 Adam, 4 + 8 + 4 + 8 GB', async () => {
    // shared/seeds/002: 4 GB weights + 8 GB optimizer + 4 GB gradients + 8 GB activations = 24 GB.
    const result = await runHeadroom([
      'plan',
      '--mode',
      'training',
      '--params',
      '1B',
      '--precision',
      'fp32',
      '--optimizer',
      'adamw',
      '--device',
      'nvidia-a100-sxm-80gb',
      '--train-tokens',
      '20B',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const plan = planJson(result.stdout);
    expect(plan.memory.breakdown).toMatchObject({
      weights: 4e9,
      optimizerStates: 8e9,
      gradients: 4e9,
      activations: 8e9,
    });
    const speed = plan.throughput as TrainingThroughput;
    // A100 FP32 19.5 TFLOPS (datasheet) × MFU 0.4 / (6 × 1e9 FLOPs per token) = 1300 tokens/s.
    expect(speed.trainingTokensPerSecond).toBeCloseTo(1300, 6);
    expect(speed.secondsToTrain).toBeCloseTo(20e9 / 1300, 3);
  });

  it('plans QLoRA of a 65 B model on one 48 GB GPU from flags, and prints it as tables', async () => {
    // Dettmers et al. 2023: 65 B on a single 48 GB GPU; r = 64 on all linear layers, 512 tokens.
    const args = [
      'plan',
      '--mode',
      'training',
      '--model',
      'huggyllama/llama-65b',
      '--device',
      'nvidia-a40',
      '--finetune',
      'qlora',
      '--lora-rank',
      '64',
      '--lora-targets',
      'q,k,v,o,gate,up,down',
      '--precision',
      'bf16',
      '--optimizer-dtype',
      'fp32',
      // qlora.py casts every LoraLayer to bf16 (`module.to(torch.bfloat16)` under --bf16).
      '--adapter-dtype',
      'bf16',
      '--context',
      '512',
      '--checkpointing',
      'full',
      '--flash-attention',
      'true',
      '--fail-if-no-fit',
    ];
    const result = await runHeadroom(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Scenario  training · QLoRA r=64 (q,k,v,o,gate,up,down) · bf16',
    );
    expect(result.stdout).toMatch(/Verdict {3}FITS/);
    expect(result.stdout).toMatch(
      /Speed {5}training ≈ [\d,.]+ tokens\/s, compute bound at MFU 0\.\d\d \(estimated\)/,
    );
    expect(result.stdout).toContain('frozen base nf4_dq: 4.1270 bits/weight');
  });

  it('takes --fsdp as its ZeRO stage and lists every pipeline stage', async () => {
    const result = await runHeadroom([
      'plan',
      '--mode',
      'training',
      '--model',
      'meta-llama/Llama-3.1-8B',
      '--device',
      'nvidia-h100-sxm-80gb',
      '--gpus',
      '8',
      '--fsdp',
      'full',
      '--tp',
      '2',
      '--pp',
      '2',
      '--grad-accum',
      '4',
      '--micro-batch',
      '2',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const plan = planJson(result.stdout);
    expect(plan.scenario).toMatchObject({
      zeroStage: 3,
      fsdp: 'full',
      tensorParallel: 2,
      pipelineParallel: 2,
      microBatch: 2,
      gradAccum: 4,
    });
    const stages = plan.memory.perDevice.map((device) =>
      device.name.replace(/.*\(stage (\d)\)$/, '$1'),
    );
    expect(stages).toEqual(['0', '0', '0', '0', '1', '1', '1', '1']);
  });

  it('exits 1 with --fail-if-no-fit when a 70 B full fine-tune meets one 24 GB card', async () => {
    const result = await runHeadroom([
      'plan',
      '--mode',
      'training',
      '--params',
      '70B',
      '--device',
      'nvidia-rtx-4090',
      '--fail-if-no-fit',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('DOES NOT FIT');
  });

  it('exits 2 with one line for flags of the other mode and for bad values', async () => {
    const kv = await runHeadroom(['plan', '--mode', 'training', '--params', '7B', '--kv', 'fp8']);
    expect(kv.code).toBe(2);
    expect(kv.stderr.trim()).toBe('headroom: --kv only applies to --mode inference.');
    const tp = await runHeadroom(['plan', '--params', '7B', '--tp', '2', '--zero', '1']);
    expect(tp.code).toBe(2);
    expect(tp.stderr).toContain('--zero, --tp only apply to --mode training.');
    const targets = await runHeadroom([
      'plan',
      '--mode',
      'training',
      '--params',
      '7B',
      '--lora-targets',
      'q,x',
    ]);
    expect(targets.code).toBe(2);
    expect(targets.stderr).toContain(
      'expected a comma-separated list of q, k, v, o, gate, up, down',
    );
    const offload = await runHeadroom([
      'plan',
      '--mode',
      'training',
      '--params',
      '7B',
      '--offload',
      'optimizer',
    ]);
    expect(offload.code).toBe(2);
    // Core names the setting; the CLI adds its flags.
    expect(offload.stderr).toContain(
      'set the ZeRO stage to 1, 2 or 3 (or use FSDP sharding). (--zero, --fsdp)',
    );
  });
});
