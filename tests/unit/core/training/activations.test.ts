import { describe, expect, it } from 'vitest';
import {
  gptBlockShape,
  layerActivationBytes,
  logitsBytes,
  type ActivationSettings,
} from '../../../../core/training/activations';
import { planTraining } from '../../../../core/training/training-plan';
import { trainingScenario } from '../../../../core/training/scenario';
import { gpus, model } from './helpers';

// Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer Models",
// table 3: the 175 B GPT-3 configuration — 96 attention heads, hidden size 12288, 96 layers,
// tensor parallel 8, pipeline parallel 8, sequence length 2048, micro-batch 1.
// Table 2 gives the activation memory per layer:
//   no parallelism                       sbh(34 + 5as/h)
//   tensor parallel (baseline)           sbh(10 + 24/t + 5as/(ht))
//   tensor + sequence parallel           sbh(34/t + 5as/(ht))
//   tensor parallel + selective          sbh(10 + 24/t)
//   tensor + sequence + selective        sbh(34/t)
//   full activation recomputation        2sbh
// With s = 2048, b = 1, h = 12288: sbh = 25,165,824 and 5as/h = 5 × 96 × 2048 / 12288 = 80.
describe('Korthikanti et al. 2022 per-layer activations, GPT-3 175B (table 3)', () => {
  const gpt3 = gptBlockShape(12288, 96);
  const SBH = 2048 * 1 * 12288;
  const settings = (overrides: Partial<ActivationSettings>): ActivationSettings => ({
    sequenceTokens: 2048,
    microBatch: 1,
    tensorParallel: 1,
    sequenceParallel: false,
    checkpointing: 'none',
    flashAttention: false,
    bytesPerElement: 2,
    ...overrides,
  });

  it('no parallelism: sbh(34 + 80) = 2,868,903,936 bytes', () => {
    expect(SBH).toBe(25_165_824);
    expect(layerActivationBytes(gpt3, settings({}))).toBe(2_868_903_936);
  });

  it('tensor parallel 8: sbh(10 + 24/8 + 80/8) = 23 sbh', () => {
    expect(layerActivationBytes(gpt3, settings({ tensorParallel: 8 }))).toBe(23 * SBH);
  });

  it('tensor + sequence parallel 8: sbh(34/8 + 80/8) = 14.25 sbh', () => {
    expect(
      layerActivationBytes(gpt3, settings({ tensorParallel: 8, sequenceParallel: true })),
    ).toBe(14.25 * SBH);
  });

  it('tensor parallel 8 + selective recompute: sbh(10 + 24/8) = 13 sbh', () => {
    expect(
      layerActivationBytes(gpt3, settings({ tensorParallel: 8, checkpointing: 'selective' })),
    ).toBe(13 * SBH);
  });

  it('tensor + sequence parallel 8 + selective recompute: 34/8 sbh', () => {
    const bytes = layerActivationBytes(
      gpt3,
      settings({ tensorParallel: 8, sequenceParallel: true, checkpointing: 'selective' }),
    );
    expect(bytes).toBe((34 / 8) * SBH);
  });

  it('full recompute keeps the layer input: 2sbh (and 2sbh/t split over the sequence)', () => {
    expect(layerActivationBytes(gpt3, settings({ tensorParallel: 8, checkpointing: 'full' }))).toBe(
      2 * SBH,
    );
    expect(
      layerActivationBytes(
        gpt3,
        settings({ tensorParallel: 8, sequenceParallel: true, checkpointing: 'full' }),
      ),
    ).toBe((2 * SBH) / 8);
  });

  it('flash attention removes the 5as/h score term, keeping an fp32 log-sum-exp per head and token', () => {
    // flash_attn_interface.py saves softmax_lse [batch, heads, seqlen] in float32.
    expect(layerActivationBytes(gpt3, settings({ flashAttention: true }))).toBe(
      34 * SBH + 4 * 96 * 2048,
    );
  });

  it("matches Megatron-LM's theoretical memory for any FFN width: sbh(18 + 4·ffn/h)/t", () => {
    // NVIDIA/Megatron-LM megatron/training/theoretical_memory_usage.py compute_activation_memory
    // (sequence parallel + selective recompute, table 2 of the paper generalised to ffn_hidden_size).
    const block = { ...gptBlockShape(4096, 32), ffnWidth: 11008 };
    const sbh = 4096 * 2 * 4096;
    const bytes = layerActivationBytes(block, {
      ...settings({ tensorParallel: 4, sequenceParallel: true, checkpointing: 'selective' }),
      sequenceTokens: 4096,
      microBatch: 2,
    });
    expect(bytes).toBeCloseTo((sbh * (18 + (4 * 11008) / 4096)) / 4, 0);
  });

  it('adds the output layer: 4sbh/t(1 + v/h) (fp32 logits), plus the fp32 gradient of the logits', () => {
    // Section 4.3 of the paper; theoretical_memory_usage.py: s·b·h·4·(1 + padded_vocab/h) for p = 1.
    const v = 51200;
    const bytes = logitsBytes(12288, v, settings({ tensorParallel: 8, sequenceParallel: true }));
    const paper = (4 * SBH * (1 + v / 12288)) / 8;
    const gradient = (2048 * v * 4) / 8;
    expect(bytes).toBeCloseTo(paper + gradient, 0);
  });
});

// Section 4.2.3 of the paper (equation 5): with the 1F1B schedule the first stage holds p
// micro-batches of its L/p layers, so its activations are L layers' worth whatever p is.
describe('pipeline parallelism: the first stage holds p micro-batches in flight', () => {
  const llama = model('meta-llama/Llama-3.1-8B');
  const node = gpus('nvidia-h100-sxm-80gb', 8);
  const perLayer = (pipelineParallel: number, gradAccum: number) => {
    const plan = planTraining({
      model: llama,
      devices: node,
      scenario: trainingScenario({ pipelineParallel, gradAccum }),
    });
    const listed = plan.assumptions.find(
      (assumption) => assumption.name === 'activations per layer and micro-batch',
    );
    return { plan, layer: listed!.value as number };
  };

  it('stage 0 of 4 holds 32 layers of activations: 8 layers × 4 micro-batches', () => {
    const { plan, layer } = perLayer(4, 8);
    const stage0 = plan.memory.perDevice.find((device) => device.name.endsWith('(stage 0)'))!;
    expect(stage0.layers).toBe(8);
    expect(stage0.breakdown.activations).toBe(32 * layer);
    // Stage i holds p − i micro-batches: the third stage (index 2) holds 2.
    const stage2 = plan.memory.perDevice.find((device) => device.name.endsWith('(stage 2)'))!;
    expect(stage2.breakdown.activations).toBe(8 * 2 * layer);
  });

  it('holds only the micro-batches there are when gradient accumulation is below p', () => {
    const { plan, layer } = perLayer(4, 2);
    const stage0 = plan.memory.perDevice.find((device) => device.name.endsWith('(stage 0)'))!;
    expect(stage0.breakdown.activations).toBe(8 * 2 * layer);
    expect(plan.warnings.join(' ')).toContain('set the gradient accumulation to at least');
  });

  it('puts the logits on the last stage only', () => {
    const { plan, layer } = perLayer(4, 8);
    const last = plan.memory.perDevice.find((device) => device.name.endsWith('(stage 3)'))!;
    const logits = plan.assumptions.find((assumption) => assumption.name.startsWith('logits'))!
      .value as number;
    expect(last.breakdown.activations).toBe(8 * layer + logits);
    // Llama 3.1's 128256-token vocabulary at 4096 tokens: 4096 × 128256 × (4 + 4) bytes of logits.
    expect(logits).toBeGreaterThan(4096 * 128256 * 8);
  });
});
