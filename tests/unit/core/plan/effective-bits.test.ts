import { describe, expect, it } from 'vitest';
import { DEFAULT_MARGIN_FRACTION } from '../../../../core/plan/verdict';
import { effectiveBitsPerWeight } from '../../../../core/plan/effective-bits';
import { planFromRequest } from '../../../../core/plan/plan-request';

/** Llama-3-8B's file sizes per GGUF type, llama.cpp quantize.cpp QUANT_OPTIONS ("G" = GiB). */
const QUANTIZE_CPP_GIB = { q3_k_s: 3.41, q3_k_m: 3.74, q3_k_l: 4.03, q4_k_m: 4.58 } as const;

function bitsOf(weightsFormat: keyof typeof QUANTIZE_CPP_GIB): number | null {
  const plan = planFromRequest({
    modelId: 'meta-llama/Meta-Llama-3-8B',
    deviceIds: ['nvidia-h100-sxm-80gb'],
    weightsFormat,
    contextTokens: 4096,
    batch: 1,
    engine: 'llama.cpp',
    marginFraction: DEFAULT_MARGIN_FRACTION,
    unit: 'GiB',
  });
  return effectiveBitsPerWeight(plan.memory.breakdown.weights, plan.model.params);
}

describe('effective bits per weight (issue 17: the matrix shows these, not block bits)', () => {
  it('tells Q3_K_S, Q3_K_M and Q3_K_L apart as their files do, within 1 %', () => {
    // Llama-3-8B: 8,030,261,248 parameters (model.safetensors.index.json, 16,060,522,496 bytes in BF16).
    const params = 8_030_261_248;
    for (const [format, gib] of Object.entries(QUANTIZE_CPP_GIB)) {
      const published = (gib * 2 ** 30 * 8) / params;
      const bits = bitsOf(format as keyof typeof QUANTIZE_CPP_GIB)!;
      expect(Math.abs(bits - published) / published, format).toBeLessThan(0.01);
    }
    expect(bitsOf('q3_k_s')).toBeLessThan(bitsOf('q3_k_m')!);
    expect(bitsOf('q3_k_m')).toBeLessThan(bitsOf('q3_k_l')!);
  });

  it('is 16 for BF16 weights and says nothing without a parameter count', () => {
    expect(effectiveBitsPerWeight(16_060_522_496, 8_030_261_248)).toBe(16);
    expect(effectiveBitsPerWeight(1e9, 0)).toBeNull();
  });
});
