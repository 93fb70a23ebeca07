import { describe, expect, it } from 'vitest';
import {
  eagerLayerSavedBytesPerToken,
  eagerTrainingActivations,
  lossBytesPerToken,
} from '../../../../core/training/eager-activations';
import { adapterRecipe, PRECISION_RECIPES } from '../../../../core/training/precision';
import { trainingScenario } from '../../../../core/training/scenario';
import { planTraining } from '../../../../core/training/training-plan';
import { device, model } from './helpers';

// Measured on an H200 (../shared/calibration/h200-2026-12-04/cases.jsonl: PyTorch 2.11,
// transformers 5.17, peft 0.21, SDPA). At the start of backward a step holds its model states
// (states_alloc_after_step), every saved activation and the loss's three fp32 vocabulary-wide
// buffers: peak_alloc − states_alloc_after_step is what the activation count must give.
describe('eager training activations against measured allocations', () => {
  it('Llama-3.1-8B LoRA r16 q,k,v,o in bf16, 1 × 2,048: 16,600,564,736 bytes measured', () => {
    const activations = eagerTrainingActivations(model('meta-llama/Llama-3.1-8B').architecture!, {
      recipe: adapterRecipe(PRECISION_RECIPES.bf16),
      finetune: 'lora',
      loraTargets: ['q', 'k', 'v', 'o'],
      checkpointing: 'none',
      flashAttention: true,
      sequenceTokens: 2048,
      microBatch: 1,
    });
    const measured = 32_825_174_016 - 16_224_609_280;
    expect((activations.savedBytes + activations.lossBackwardBytes) / measured - 1).toBeCloseTo(
      0,
      2,
    );
  });

  it('saves 20h + 8q + 4kv + 4a + 6f bytes per token in each such layer (≈ 205 KB for Llama-3.1-8B)', () => {
    const bytes = eagerLayerSavedBytesPerToken(model('meta-llama/Llama-3.1-8B').architecture!, {
      recipe: adapterRecipe(PRECISION_RECIPES.bf16),
      finetune: 'lora',
      loraTargets: ['q', 'k', 'v', 'o'],
      flashAttention: true,
      sequenceTokens: 2048,
    });
    // h 4096, q 4096, kv 1024, 32 heads, f 14336.
    expect(bytes).toBe(20 * 4096 + 8 * 4096 + 4 * 1024 + 4 * 32 + 6 * 14336);
  });

  it('Qwen2.5-0.5B full fine-tune under autocast with checkpointing, 4 × 1,024: 8,130,978,816 bytes measured', () => {
    const activations = eagerTrainingActivations(model('Qwen/Qwen2.5-0.5B').architecture!, {
      recipe: PRECISION_RECIPES.amp,
      finetune: 'full',
      loraTargets: [],
      checkpointing: 'full',
      flashAttention: true,
      sequenceTokens: 1024,
      microBatch: 4,
    });
    // Beyond the states: the layer inputs kept by checkpointing, the loss buffers, and the bf16
    // copy of the tied embedding that lm_head saved (151,936 × 896 × 2 bytes).
    const measured = 14_068_106_752 - 5_937_127_936 - 151_936 * 896 * 2;
    expect((activations.savedBytes + activations.lossBackwardBytes) / measured - 1).toBeCloseTo(
      0,
      2,
    );
  });

  it('Qwen2.5-0.5B in fp32 with GQA saves the math kernel’s score matrix, 2 × 1,024: 12,193,244,160 bytes measured', () => {
    const activations = eagerTrainingActivations(model('Qwen/Qwen2.5-0.5B').architecture!, {
      recipe: PRECISION_RECIPES.fp32,
      finetune: 'full',
      loraTargets: [],
      checkpointing: 'none',
      flashAttention: true,
      sequenceTokens: 1024,
      microBatch: 2,
    });
    const measured = 18_169_054_720 - 5_975_810_560;
    expect(
      Math.abs((activations.savedBytes + activations.lossBackwardBytes) / measured - 1),
    ).toBeLessThan(0.03);
  });

  it('holds three fp32 vocabulary-wide buffers at the start of backward (log_softmax output and two gradients)', () => {
    expect(lossBytesPerToken(151_936, 2)).toEqual({
      forwardBytes: 151_936 * (2 + 4 + 4),
      backwardBytes: 151_936 * 12,
    });
    // fp32 logits need no upcast copy (`logits.float()` returns the same tensor).
    expect(lossBytesPerToken(151_936, 4).forwardBytes).toBe(151_936 * 8);
  });
});

// torch/optim/adam.py _multi_tensor_adam (torch.optim's default on CUDA): exp_avg_sq_sqrt =
// torch._foreach_sqrt(exp_avg_sqs) is a new tensor per parameter, all alive while the step runs;
// the fused kernel (torch._fused_adamw_) works in place.
describe('the optimizer step of a full fine-tune', () => {
  const plan = (optimizerImpl: 'fused' | 'foreach') =>
    planTraining({
      model: model('meta-llama/Llama-3.1-8B'),
      devices: [device('nvidia-h200-sxm-141gb')],
      scenario: trainingScenario({
        precision: 'bf16',
        checkpointing: 'full',
        contextTokens: 2048,
        optimizerImpl,
      }),
    });

  it('peaks at the step with weights, gradients and both moments (fused AdamW, as measured: 64.26 GB allocated)', () => {
    const breakdown = plan('fused').memory.breakdown;
    // 8,030,261,248 parameters × (2 weights + 2 gradients + 2 × 2 bf16 moments) bytes.
    expect(breakdown.weights + breakdown.gradients + breakdown.optimizerStates).toBe(
      8_030_261_248 * 8,
    );
  });

  it('adds one moment-sized temporary with foreach AdamW', () => {
    const fused = plan('fused').memory.perDevice[0]!.used;
    const foreach = plan('foreach').memory.perDevice[0]!.used;
    expect(foreach - fused).toBeCloseTo(8_030_261_248 * 2, -8);
  });
});
