import { describe, expect, it } from 'vitest';
import type { EngineId } from '../../../../core/formats/types';
import { llamaCppSettings } from '../../../../core/launch/llama-cpp';
import { requireCatalogDevice } from '../../../../core/plan/lookups';
import { planFromRequest } from '../../../../core/plan/plan-request';
import type { InferencePlan } from '../../../../core/plan/types';
import { headroomErrorOf } from '../report/fixtures';

/**
 * Issue 13: the KV cache (and recurrent state) each engine really keeps, through the real plan.
 * Every expected figure is worked out by hand from the engine source cited beside it.
 */

const H200 = 'nvidia-h200-sxm-141gb';

function plan(
  modelId: string,
  engine: EngineId,
  options: {
    context?: number;
    kv?: string;
    weights?: string;
    swaFull?: boolean;
    devices?: number;
  } = {},
): InferencePlan {
  return planFromRequest({
    modelId,
    deviceIds: Array.from({ length: options.devices ?? 1 }, () => H200),
    ...(options.weights ? { weightsFormat: options.weights } : {}),
    ...(options.kv ? { kvFormat: options.kv } : {}),
    contextTokens: options.context ?? 32_768,
    batch: 1,
    engine,
    marginFraction: 0.05,
    ...(options.swaFull ? { swaFull: true } : {}),
    unit: 'GB',
  });
}

const kvBytes = (p: InferencePlan): number => p.memory.breakdown.kvCache;
const launch = (p: InferencePlan): string =>
  llamaCppSettings({
    plan: p,
    devices: p.scenario.devices.map(requireCatalogDevice),
    headroomVersion: '0.1.0',
  }).text;

describe('Gemma-3-27B at 32k: sliding layers per engine', () => {
  // config.json: 62 layers, 16 KV heads × 128, sliding_window 1024 on 5 of every 6 layers (52
  // sliding, 10 global); bf16 KV: 2 × 16 × 128 × 2 B = 8192 B per token per layer.
  const gemma = 'google/gemma-3-27b-it';
  const perToken = 8192;

  it('transformers holds the whole prompt on every layer (DynamicSlidingWindowLayer keeps a view of it)', () => {
    // 62 × 32768 × 8192 B
    expect(kvBytes(plan(gemma, 'transformers'))).toBe(16_642_998_272);
  });

  it('vLLM holds window − 1 + max_num_batched_tokens in 16-token pages, plus one page (SlidingWindowSpec)', () => {
    // full: 10 × 32768 tokens; sliding: cdiv(min(1023 + 8192, 32768), 16) + 1 = 577 pages = 9232
    // tokens per layer. kv_cache_utils.py _get_kv_cache_groups_uniform_page_size groups the
    // kinds by the smaller count (10): the 52 sliding layers fill 6 groups, 60 layer slots.
    const p = plan(gemma, 'vllm');
    expect(kvBytes(p)).toBeCloseTo((10 * 32_768 + 60 * 9232) * perToken, -1);
    expect(p.assumptions.find((a) => a.name === 'vLLM KV-cache groups')?.value).toMatch(
      /sliding layers take 1\.154 × their pages/,
    );
  });

  it('vLLM on a GPU under 70 GiB steps 2048 tokens, so its sliding pages are fewer (get_batch_defaults)', () => {
    // L40S 48 GB: sliding cdiv(min(1023 + 2048, 32768), 16) + 1 = 193 pages = 3088 tokens per
    // layer, on the same 60 grouped layer slots; the assumptions name the 2048-token step.
    const p = planFromRequest({
      modelId: gemma,
      deviceIds: ['nvidia-l40s'],
      contextTokens: 32_768,
      batch: 1,
      engine: 'vllm',
      marginFraction: 0.05,
      unit: 'GB',
    });
    expect(kvBytes(p)).toBeCloseTo((10 * 32_768 + 60 * 3088) * perToken, -1);
    expect(p.assumptions.find((a) => a.name === 'vLLM prefill chunk')?.value).toBe(
      '2048 tokens per forward pass',
    );
  });

  it('llama.cpp gives its SWA cache n_swa + n_ubatch cells, padded to 256 (llama_kv_cache_iswa)', () => {
    // sliding: GGML_PAD(min(32768, 1024 + 512), 256) = 1536 cells on each of 52 layers.
    expect(kvBytes(plan(gemma, 'llama.cpp', { weights: 'q4_k_m' }))).toBe(
      (10 * 32_768 + 52 * 1536) * perToken,
    );
  });

  it('llama.cpp --swa-full keeps the whole context, as transformers does, and the launch says so', () => {
    const full = plan(gemma, 'llama.cpp', { weights: 'q4_k_m', swaFull: true });
    expect(kvBytes(full)).toBe(62 * 32_768 * perToken);
    expect(launch(full)).toMatch(/--swa-full/);
  });

  it('SGLang caches every layer whole: Gemma 3 is not one of its hybrid-SWA models (is_hybrid_swa_model)', () => {
    const p = plan(gemma, 'sglang');
    expect(kvBytes(p)).toBe(62 * 32_768 * perToken);
    expect(p.assumptions.map((a) => a.source).join('\n')).toMatch(/is_hybrid_swa_model/);
  });

  it('names the rule it used in the assumptions', () => {
    const names = (p: InferencePlan) =>
      p.assumptions.map((a) => `${a.name}: ${a.source}`).join('\n');
    expect(names(plan(gemma, 'vllm'))).toMatch(/SlidingWindowSpec\.max_memory_usage_bytes/);
    expect(names(plan(gemma, 'llama.cpp', { weights: 'q4_k_m' }))).toMatch(/llama_kv_cache_iswa/);
    expect(names(plan(gemma, 'transformers'))).toMatch(/DynamicSlidingWindowLayer/);
  });
});

describe('gpt-oss-20b at 32k: alternate 128-token windows', () => {
  // config.json: 24 layers, 8 KV heads × 64, sliding_window 128 on the 12 even layers; bf16:
  // 2 × 8 × 64 × 2 B = 2048 B per token per layer.
  const gptOss = 'openai/gpt-oss-20b';
  it('differs per engine: transformers whole prompt, vLLM 9232-token pages, llama.cpp 768 cells', () => {
    expect(kvBytes(plan(gptOss, 'transformers', { weights: 'bf16' }))).toBe(24 * 32_768 * 2048);
    // vLLM: cdiv(min(127 + 8192, 32768), 16) + 1 = 521 pages = 8336 tokens.
    expect(kvBytes(plan(gptOss, 'vllm', { weights: 'bf16' }))).toBe(
      (12 * 32_768 + 12 * 8336) * 2048,
    );
    // llama.cpp: GGML_PAD(128 + 512, 256) = 768 cells (fp16 KV, 2 B as well).
    expect(kvBytes(plan(gptOss, 'llama.cpp', { weights: 'q8_0' }))).toBe(
      (12 * 32_768 + 12 * 768) * 2048,
    );
    // SGLang: GptOssForCausalLM is a hybrid-SWA model; set_num_tokens_hybrid_swa gives the
    // sliding layers --swa-full-tokens-ratio 0.8 of the full layers' tokens: ⌈0.8 × 32768⌉.
    expect(kvBytes(plan(gptOss, 'sglang', { weights: 'bf16' }))).toBe(
      (12 * 32_768 + 12 * 26_215) * 2048,
    );
  });
});

describe('DeepSeek-V3 at 32k: MLA', () => {
  const deepseek = 'deepseek-ai/DeepSeek-V3';
  it('vLLM and llama.cpp agree on the latent (61 × (512 + 64) × 2 B = 70 272 B/token); transformers caches every head', () => {
    // On 8 H200s: vLLM replicates the latent on every tensor-parallel rank; llama.cpp splits
    // the layers, so its total is one copy.
    const vllm = plan(deepseek, 'vllm', { weights: 'bf16', kv: 'bf16', devices: 8 });
    const llama = plan(deepseek, 'llama.cpp', { weights: 'q4_k_m', kv: 'fp16', devices: 8 });
    expect(vllm.memory.perDevice[0]!.breakdown.kvCache).toBe(70_272 * 32_768);
    expect(kvBytes(llama)).toBe(70_272 * 32_768);
    expect(vllm.model.kvBytesPerToken).toBe(llama.model.kvBytesPerToken);
    // transformers: 128 heads × (128 + 64 + 128) × 2 B × 61 layers = 4 997 120 B/token.
    const hf = plan(deepseek, 'transformers', { weights: 'bf16', devices: 8 });
    expect(kvBytes(hf)).toBe(4_997_120 * 32_768);
  });

  it('SGLang keeps the same latent on every TP rank (MLATokenToKVPool: cell_size not divided by TP)', () => {
    const sglang = plan(deepseek, 'sglang', { weights: 'bf16', kv: 'bf16', devices: 8 });
    expect(sglang.memory.perDevice.map((d) => d.breakdown.kvCache)).toEqual(
      Array.from({ length: 8 }, () => 70_272 * 32_768),
    );
    expect(sglang.model.kvBytesPerToken).toBe(70_272);
  });
});

describe('Qwen3-Next-80B-A3B: 12 gated-attention layers with KV, 36 Gated DeltaNet layers with a fixed state', () => {
  const next = 'Qwen/Qwen3-Next-80B-A3B-Instruct';
  // Attention: 2 KV heads × 256 × 2 (K and V) × 2 B = 2048 B per token per layer, 12 layers.
  // DeltaNet (linear_num_key_heads 16, linear_num_value_heads 32, head dims 128, kernel 4):
  // conv channels 2 × 16 × 128 + 32 × 128 = 8192; recurrent matrix 32 × 128 × 128 = 524 288.

  it('vLLM: (3 × 8192 + 524 288) × 2 B = 1 097 728 B per layer, paged in 544-token attention pages', () => {
    // mamba_utils.py gated_delta_net_state_shape: conv (kernel − 1) × 8192, temporal 32 × 128 ×
    // 128, both bf16. config.py HybridAttentionMambaModelConfig: block = 16 × cdiv(1 097 728,
    // 16 × 2048) = 544 tokens; the state page is padded to 544 × 2048 = 1 114 112 B.
    // On 2 GPUs (tensor parallel 2): each rank holds one of the 2 KV heads and half of every
    // state, so the devices together hold one copy.
    const p = plan(next, 'vllm', { context: 32_768, devices: 2 });
    const kvTokens = Math.ceil(32_768 / 544) * 544; // 33 184
    expect(kvBytes(p)).toBe(12 * kvTokens * 2048 + 36 * 1_114_112);
    const state = p.assumptions.find((a) => a.name.startsWith('recurrent state per sequence'));
    expect(state?.value).toMatch(/^36 recurrent layers: 39518208 bytes/); // 36 × 1 097 728
    expect(state?.source).toMatch(/MambaStateShapeCalculator/);
  });

  it('llama.cpp: F32 r and s rows, (3 × 8192 + 128 × 4096) × 4 B = 2 195 456 B per layer', () => {
    // llama-hparams.cpp n_embd_r = (d_conv − 1) × (d_inner + 2 × n_group × d_state) with d_inner
    // 4096, n_group 16, d_state 128; n_embd_s = d_state × d_inner.
    const p = plan(next, 'llama.cpp', { weights: 'q4_k_m', context: 32_768 });
    expect(kvBytes(p)).toBe(12 * 32_768 * 2048 + 36 * 2_195_456);
  });

  it('transformers: the whole 4-wide conv window in bf16 and the recurrent matrix in float32', () => {
    // Qwen3NextDynamicCache: conv 8192 × 4 × 2 B = 65 536; state 524 288 × 4 B = 2 097 152.
    const p = plan(next, 'transformers', { context: 32_768, devices: 2 });
    expect(kvBytes(p)).toBe(12 * 32_768 * 2048 + 36 * (65_536 + 2_097_152));
  });

  it('SGLang: kernel − 1 conv columns in bf16, the recurrent matrix in --mamba-ssm-dtype float32', () => {
    // configs/mamba_utils.py: conv 3 × 8192 × 2 B = 49 152; temporal 524 288 × 4 B = 2 097 152.
    const p = plan(next, 'sglang', { context: 32_768, devices: 2 });
    expect(kvBytes(p)).toBe(12 * 32_768 * 2048 + 36 * (49_152 + 2_097_152));
  });

  it('the state does not grow with the context', () => {
    const at = (context: number) =>
      kvBytes(plan(next, 'llama.cpp', { weights: 'q4_k_m', context }));
    expect(at(65_536) - at(32_768)).toBe(12 * 32_768 * 2048);
  });
});

describe('LFM2-1.2B at 8k: 6 attention layers and 10 short convolutions', () => {
  // config.json: 8 KV heads × 64 → 2048 B per token per attention layer (bf16); conv state
  // 2048 channels × (3 − 1) columns.
  const lfm2 = 'LiquidAI/LFM2-1.2B';
  it('vLLM pads each 8192 B conv state to a 16-token attention page and the 10 conv layers to 12 slots', () => {
    // config.py HybridAttentionMambaModelConfig: block 16 × cdiv(8192, 16 × 2048) = 16 tokens,
    // state page 16 × 2048 = 32 768 B; kv_cache_utils.py groups of min(6, 10) = 6 layers:
    // cdiv(10, 6) × 6 = 12 conv slots.
    expect(kvBytes(plan(lfm2, 'vllm', { context: 8192 }))).toBeCloseTo(
      6 * 8192 * 2048 + 12 * 32_768,
      -1,
    );
  });
  it('llama.cpp keeps 2048 × 2 F32 values per conv layer', () => {
    expect(kvBytes(plan(lfm2, 'llama.cpp', { context: 8192, weights: 'q8_0' }))).toBe(
      6 * 8192 * 2048 + 10 * 16_384,
    );
  });
});

describe('quantized KV per engine', () => {
  it('llama.cpp q8_0 KV of Llama-3.1-8B at 8k: 32 × 8 × 128 × 2 × 8192 × 34/32 B (block_q8_0)', () => {
    const p = plan('meta-llama/Llama-3.1-8B', 'llama.cpp', {
      weights: 'q4_k_m',
      kv: 'q8_0',
      context: 8192,
    });
    expect(kvBytes(p)).toBe((32 * 8 * 128 * 2 * 8192 * 34) / 32);
    const text = launch(p);
    expect(text).toMatch(/-ctk q8_0/);
    expect(text).toMatch(/-ctv q8_0/);
    expect(text).toMatch(/-fa on/);
  });

  it('q4_0 costs 18 B per 32 values (block_q4_0)', () => {
    const p = plan('meta-llama/Llama-3.1-8B', 'llama.cpp', {
      weights: 'q4_k_m',
      kv: 'q4_0',
      context: 8192,
    });
    expect(kvBytes(p)).toBe((32 * 8 * 128 * 2 * 8192 * 18) / 32);
  });

  it('refuses a KV format the engine cannot run, naming the ones it can', () => {
    expect(
      headroomErrorOf(
        () => plan('meta-llama/Llama-3.1-8B', 'transformers', { kv: 'fp8_e4m3' }),
        'BAD_ARGUMENT',
      ),
    ).toMatch(/transformers cannot keep the KV cache in fp8_e4m3: it runs fp32, fp16, bf16/);
    expect(
      headroomErrorOf(
        () => plan('meta-llama/Llama-3.1-8B', 'llama.cpp', { weights: 'q4_k_m', kv: 'fp8_e4m3' }),
        'BAD_ARGUMENT',
      ),
    ).toMatch(/llama\.cpp cannot keep the KV cache in fp8_e4m3: it runs .*q8_0/);
  });

  it('answers "what fits best" with only the engines that run the KV format', () => {
    const answered = planFromRequest({
      modelId: 'meta-llama/Llama-3.1-8B',
      deviceIds: ['nvidia-rtx-4090'],
      weightsFormat: 'bf16',
      kvFormat: 'q8_0',
      contextTokens: 8192,
      batch: 1,
      engine: 'llama.cpp',
      marginFraction: 0.05,
      answer: { engine: 'auto' },
      unit: 'GB',
    });
    // GPTQ/AWQ/FP8 would run on vLLM or transformers, which cannot keep a q8_0 cache.
    expect(answered.solution?.fitAnswer?.best?.engine).toBe('llama.cpp');
  });

  it('--swa-full is a llama.cpp setting', () => {
    expect(
      headroomErrorOf(
        () => plan('google/gemma-3-27b-it', 'vllm', { swaFull: true }),
        'BAD_ARGUMENT',
      ),
    ).toMatch(/llama\.cpp setting \(--swa-full\)/);
  });
});
