import { describe, expect, it } from 'vitest';
import { findModel } from '../../../../core/models/catalog';
import type { ArchitectureSpec } from '../../../../core/models/types';
import { PYTORCH_RUNTIME_OVERHEAD_BYTES } from '../../../../core/memory/engine-profiles';
import { eagerPrefillActivationParts } from '../../../../core/memory/pytorch-eager-inference';
import { sdpaBackend } from '../../../../core/memory/sdpa-backend';
import { describeWithShared, readSharedText } from '../../../helpers/shared';

const architecture = (id: string): ArchitectureSpec => {
  const found = findModel(id)?.architecture;
  if (!found) throw new Error(`catalog lacks ${id}`);
  return found;
};

const activationBytes = (id: string, promptTokens: number, batch: number): number => {
  const parts = eagerPrefillActivationParts(architecture(id), {
    promptTokens,
    batch,
    computeBytes: 2,
  });
  return parts.fixedBytes + parts.shardedBytes;
};

// Measured on an H200 (../shared/calibration/h200-2026-12-04/cases.jsonl, transformers 5.17
// generate(), bf16): torch.cuda.max_memory_allocated − the weights − the KV cache of the
// prompt and 8 new tokens is what prefill's activations allocate at their peak.
describe('transformers prefill activations against measured allocations', () => {
  it('Llama-3.1-8B, 4,104 tokens: 487,720,960 bytes measured (4 hidden copies + 3 FFN widths per token)', () => {
    // 17,086,163,968 peak − 16,060,523,520 weights − 4,104 × 131,072 KV = 487,720,960.
    const measured = 17_086_163_968 - 16_060_523_520 - 4104 * 131_072;
    expect(activationBytes('meta-llama/Llama-3.1-8B', 4104, 1) / measured - 1).toBeCloseTo(0, 2);
  });

  it('Qwen2.5-0.5B, batch 8 × 4,104 tokens: 1,199,835,136 bytes measured', () => {
    // 2,599,597,056 peak − 996,322,304 weights − 32,832 × 12,288 KV.
    const measured = 2_599_597_056 - 996_322_304 - 32_832 * 12_288;
    expect(activationBytes('Qwen/Qwen2.5-0.5B', 4104, 8) / measured - 1).toBeCloseTo(0, 2);
  });

  it('Qwen3-30B-A3B, 4,104 tokens: within 10 % of the 607,816,704 bytes measured (grouped_mm experts)', () => {
    // 62,076,936,192 peak − 61,065,679,872 weights − 4,104 × 98,304 KV.
    const measured = 62_076_936_192 - 61_065_679_872 - 4104 * 98_304;
    const error = activationBytes('Qwen/Qwen3-30B-A3B', 4104, 1) / measured - 1;
    expect(Math.abs(error)).toBeLessThan(0.1);
  });

  it('materialises the sliding-window mask when the window is shorter than the prompt (Mistral-7B-v0.1, 8,200 tokens)', () => {
    const mistral = architecture('mistralai/Mistral-7B-v0.1');
    const long = eagerPrefillActivationParts(mistral, {
      promptTokens: 8200,
      batch: 1,
      computeBytes: 2,
    });
    const dense = eagerPrefillActivationParts(
      { ...mistral, slidingWindow: undefined },
      { promptTokens: 8200, batch: 1, computeBytes: 2 },
    );
    // masking_utils.sdpa_mask: a (batch, 1, q, kv) bool tensor, 8,200² bytes.
    expect(long.fixedBytes - dense.fixedBytes).toBe(8200 * 8200);
  });
});

// aten/src/ATen/native/transformers/cuda/sdp_utils.cpp: flash takes 16-bit inputs and GQA;
// memory-efficient takes fp32 and masks but not GQA; the rest falls back to the math kernel.
describe('which SDPA kernel PyTorch runs', () => {
  it('flash for bf16 without a mask, GQA or not', () => {
    expect(sdpaBackend({ computeBytes: 2, groupedQuery: true, masked: false })).toBe('flash');
  });
  it('memory-efficient for fp32 multi-head attention and for any masked call', () => {
    expect(sdpaBackend({ computeBytes: 4, groupedQuery: false, masked: false })).toBe(
      'mem-efficient',
    );
    expect(sdpaBackend({ computeBytes: 2, groupedQuery: true, masked: true })).toBe(
      'mem-efficient',
    );
  });
  it('math (the whole score matrix) for fp32 with grouped-query attention', () => {
    expect(sdpaBackend({ computeBytes: 4, groupedQuery: true, masked: false })).toBe('math');
  });
  it('math attention makes fp32 Qwen2.5-0.5B prefill hold 2 × heads × prompt² × 4 bytes of scores', () => {
    const qwen = architecture('Qwen/Qwen2.5-0.5B');
    const fp32 = eagerPrefillActivationParts(qwen, {
      promptTokens: 4096,
      batch: 1,
      computeBytes: 4,
    });
    expect(fp32.shardedBytes).toBeGreaterThan(2 * 14 * 4096 * 4096 * 4);
  });
});

describeWithShared('PyTorch runtime memory outside the caching allocator', () => {
  it('is the H200 runtime-overhead record: after the first SDPA call, device use minus the allocator’s share', () => {
    const runtime = readSharedText('calibration/h200-2026-12-04/cases.jsonl')
      .split('\n')
      .map((line) => (line.trim() ? (JSON.parse(line) as Record<string, unknown>) : null))
      .find((record) => record?.['kind'] === 'runtime')!;
    expect(PYTORCH_RUNTIME_OVERHEAD_BYTES).toBe(
      (runtime['after_sdpa'] as number) - (runtime['reserved_after_sdpa'] as number),
    );
  });
});
