import { describe, expect, it } from 'vitest';
import { planFromRequest } from '../../../../core/plan/plan-request';

/**
 * gpt-oss as published: MXFP4 routed experts, everything else bf16 (config.json
 * quantization_config.modules_to_not_convert), laid out tensor by tensor.
 */

function weightBytes(modelId: string, weightsFormat?: string): number {
  return planFromRequest({
    modelId,
    deviceIds: ['nvidia-h200-sxm-141gb'],
    ...(weightsFormat ? { weightsFormat } : {}),
    contextTokens: 4096,
    batch: 1,
    engine: 'vllm',
    marginFraction: 0,
    unit: 'GB',
  }).memory.breakdown.weights;
}

describe('MXFP4 experts (gpt-oss)', () => {
  it("is gpt-oss-20b's published format, to the byte of its checkpoint (model.safetensors.index.json total_size 13,761,264,768)", () => {
    expect(weightBytes('openai/gpt-oss-20b')).toBe(13_761_264_768);
  });

  it('keeps attention in bf16: MXFP4 on every linear layer would be 0.87 GiB lighter', () => {
    // 24 layers × (q 2880×4096 + k, v 2880×512 + o 4096×2880) weights at 2 bytes instead of
    // 4.25 bits, less the MXFP4 block scales.
    const difference =
      weightBytes('openai/gpt-oss-20b') - weightBytes('openai/gpt-oss-20b', 'mxfp4');
    expect(difference / 2 ** 30).toBeCloseTo(0.871, 2);
  });
});
