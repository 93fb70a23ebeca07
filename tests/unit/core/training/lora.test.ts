import { describe, expect, it } from 'vitest';
import { getFormat } from '../../../../core/formats/catalog';
import { paramsOnlyModel } from '../../../../core/models/catalog';
import { trainingScenario } from '../../../../core/training/scenario';
import { planTraining } from '../../../../core/training/training-plan';
import { device, gpus, model, modelStates } from './helpers';

const loraAssumption = (plan: ReturnType<typeof planTraining>): number => {
  const listed = plan.assumptions.find((assumption) => assumption.name === 'LoRA adapters');
  if (!listed) throw new Error('no LoRA adapters listed');
  return Number(String(listed.value).split(' ')[0]);
};

// Hu et al. 2021, LoRA, section 4.1: a frozen W [out, in] gets B [out, r] · A [r, in]:
// r × (in + out) trainable parameters per adapted matrix.
describe('LoRA trainable parameters, counted from the architecture', () => {
  const one = gpus('nvidia-rtx-4090', 1);

  it('counts 4,194,304 for Llama-2-7B at r = 8 on q_proj and v_proj, as PEFT prints', () => {
    // PEFT print_trainable_parameters() for meta-llama/Llama-2-7b-hf with LoraConfig(r=8,
    // target_modules=["q_proj", "v_proj"]): "trainable params: 4,194,304 || all params:
    // 6,742,609,920 || trainable%: 0.0622" — 32 layers × 2 matrices × 8 × (4096 + 4096).
    const llama2 = model('meta-llama/Llama-2-7b-hf');
    const plan = planTraining({
      model: llama2,
      devices: one,
      scenario: trainingScenario({ finetune: 'lora', loraRank: 8, loraTargets: ['q', 'v'] }),
    });
    const adapters = loraAssumption(plan);
    expect(adapters).toBe(4_194_304);
    expect(llama2.params + adapters).toBe(6_742_609_920);
  });

  it('adapts a fused qkv_proj once when any of q, k, v is targeted (Phi-3)', () => {
    // Phi-3-mini stores qkv_proj as one [3 × 3072, 3072] Linear: 8 × (3072 + 9216) per layer, 32 layers.
    const plan = planTraining({
      model: model('microsoft/Phi-3-mini-4k-instruct'),
      devices: one,
      scenario: trainingScenario({ finetune: 'lora', loraRank: 8, loraTargets: ['q', 'v'] }),
    });
    expect(loraAssumption(plan)).toBe(32 * 8 * (3072 + 9216));
  });

  it('prices the frozen base in the recipe dtype and the adapters with the optimizer', () => {
    const llama2 = model('meta-llama/Llama-2-7b-hf');
    const plan = planTraining({
      model: llama2,
      devices: one,
      scenario: trainingScenario({
        finetune: 'lora',
        precision: 'mixed',
        includeActivations: false,
      }),
    });
    const adapters = 4_194_304;
    const { breakdown } = plan.memory;
    // bf16 base (2 bytes); peft keeps the adapters of a 16-bit model in fp32 (get_peft_model's
    // autocast_adapter_dtype=True), so fp32 adapters and gradients, no separate master copy, and
    // two fp32 moments of the adapters only.
    expect(breakdown.weights).toBe(2 * llama2.params + 4 * adapters);
    expect(breakdown.gradients).toBe(4 * adapters);
    expect(breakdown.masterWeights).toBe(0);
    expect(breakdown.optimizerStates).toBe(8 * adapters);
  });

  it('asks for the architecture when only a parameter count is given', () => {
    expect(() =>
      planTraining({
        model: paramsOnlyModel(7e9),
        devices: one,
        scenario: trainingScenario({ finetune: 'lora' }),
      }),
    ).toThrow(/architecture/);
  });
});

// Dettmers et al. 2023, "QLoRA: Efficient Finetuning of Quantized LLMs", abstract: QLoRA
// "reduces memory usage enough to finetune a 65B parameter model on a single 48GB GPU" —
// "from >780GB of GPU memory to <48GB" (section 1). Section 3: NF4 with double quantization
// costs 4 + 8/64 + 32/(64 · 256) = 4.127 bits per parameter. Section 5 / appendix: LoRA r = 64 on
// all linear layers, bf16 compute, paged AdamW with 32-bit states, gradient checkpointing;
// figure 6 measures batch size 1 at sequence length 512.
describe('QLoRA: a 65 B model fine-tunes within one 48 GB GPU', () => {
  const llama65 = model('huggyllama/llama-65b');
  const allLinear = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] as const;
  const qlora = trainingScenario({
    finetune: 'qlora',
    loraRank: 64,
    loraTargets: allLinear,
    precision: 'bf16',
    optimizerStateDtype: 'fp32',
    // qlora.py casts every LoraLayer to bf16 (`if args.bf16: module = module.to(torch.bfloat16)`).
    adapterDtype: 'bf16',
    contextTokens: 512,
    microBatch: 1,
    checkpointing: 'full',
  });

  it('stores NF4 with double quantization at 4.127 bits per parameter', () => {
    expect(getFormat('nf4_dq')!.bitsPerWeight).toBeCloseTo(4.127, 3);
    expect(getFormat('nf4_dq')!.bitsPerWeight).toBe(4 + 8 / 64 + 32 / (64 * 256));
  });

  it('fits one 48 GB A40 with r = 64 on every linear layer at 512 tokens', () => {
    const plan = planTraining({ model: llama65, devices: [device('nvidia-a40')], scenario: qlora });
    expect(plan.verdict.fits).toBe(true);
    expect(plan.memory.total).toBeLessThan(48e9);
    // 80 layers × 64 × (4 × (8192 + 8192) + 2 × (8192 + 22016) + (22016 + 8192)) adapters.
    expect(loraAssumption(plan)).toBe(799_539_200);
  });

  it('keeps the frozen base at 4.127 bits for the 64.76 B linear weights, bf16 for embeddings and norms', () => {
    const plan = planTraining({
      model: llama65,
      devices: [device('nvidia-a40')],
      scenario: { ...qlora, includeActivations: false },
    });
    // Linear weights: 80 × (4 × 8192² + 3 × 8192 × 22016) = 64,760,053,760; the rest
    // (embeddings, head, norms) 525,606,912 — LLaMA-65B's 65,285,660,672 parameters.
    const base = (64_760_053_760 * (4 + 8 / 64 + 32 / (64 * 256))) / 8 + 525_606_912 * 2;
    expect(plan.memory.breakdown.weights).toBe(base + 2 * 799_539_200);
  });

  it('needs more than 780 GB for a 16-bit full fine-tune of the same model', () => {
    const full = planTraining({
      model: llama65,
      devices: [],
      scenario: trainingScenario({ precision: 'mixed', includeActivations: false }),
    });
    expect(modelStates(full.memory.breakdown)).toBeGreaterThan(780e9);
    expect(full.verdict.status).toBe('no-device');
  });
});
