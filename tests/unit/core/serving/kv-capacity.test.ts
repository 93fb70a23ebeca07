import { describe, expect, it } from 'vitest';
import { findDevice } from '../../../../core/devices/catalog';
import { findModel } from '../../../../core/models/catalog';
import {
  capacityLine,
  llamaCppSlots,
  planDeployment,
  sequencesInBlocks,
  sequencesInPool,
  sglangTokenPool,
  vllmBlockCapacity,
} from '../../../../core/serving';

const GIB = 2 ** 30;
const MIB = 2 ** 20;
const llama8b = findModel('meta-llama/Llama-3.1-8B')!;

// Llama-3.1-8B caches 2 (K, V) × 8 KV heads × 128 dims × 32 layers × 2 bytes (bf16) per token.
const LLAMA_8B_KV_BYTES_PER_TOKEN = 2 * 8 * 128 * 32 * 2;

describe("vLLM's block arithmetic and its logged maximum concurrency", () => {
  // vLLM issue #10517 (comment of 2024-12-02), RTX 3090, meta-llama/Llama-3.1-8B-Instruct,
  // gpu_memory_utilization 0.90: "kv_cache_size=3.81GiB … # GPU blocks: 1952 … Maximum
  // concurrency for 20000 tokens per request: 1.56x".
  it('Llama-3.1-8B on an RTX 3090: 1952 blocks hold 31,232 tokens, 1.56x for 20,000 tokens (vLLM #10517)', () => {
    const blockBytes = 16 * LLAMA_8B_KV_BYTES_PER_TOKEN;
    expect(blockBytes).toBe(2 * MIB);
    // 1952 blocks of 2 MiB are the 3.81 GiB the log prints.
    expect(((1952 * blockBytes) / GIB).toFixed(2)).toBe('3.81');
    const capacity = vllmBlockCapacity(1952 * blockBytes, LLAMA_8B_KV_BYTES_PER_TOKEN, 16, 20000);
    expect(capacity.numGpuBlocks).toBe(1952);
    expect(capacity.kvCacheTokens).toBe(31232);
    expect(capacity.maxConcurrency.toFixed(2)).toBe('1.56');
  });

  it('the same log at --max-model-len 29000: 1478 blocks = 23,648 tokens, 0.82x (vLLM #10517)', () => {
    // "# GPU blocks: 1478 … Maximum concurrency for 29000 tokens per request: 0.82x … the
    // maximum number of tokens that can be stored in KV cache (23648)".
    const capacity = vllmBlockCapacity(1478 * 2 * MIB, LLAMA_8B_KV_BYTES_PER_TOKEN, 16, 29000);
    expect(capacity.kvCacheTokens).toBe(23648);
    expect(capacity.maxConcurrency.toFixed(2)).toBe('0.82');
  });

  it('the blocks follow from the profiled memory of that log: 0.9 × 23.58 − 17.06 − 0.35 GiB', () => {
    // total_gpu_memory=23.58GiB peak_torch_memory=17.06GiB non_torch_memory=0.35GiB: the
    // printed figures are rounded to 0.01 GiB, i.e. ±5 blocks of 2 MiB.
    const available = (0.9 * 23.58 - 17.06 - 0.35) * GIB;
    const { numGpuBlocks } = vllmBlockCapacity(available, LLAMA_8B_KV_BYTES_PER_TOKEN, 16, 20000);
    expect(Math.abs(numGpuBlocks - 1952)).toBeLessThanOrEqual(5);
  });

  it('127,626 blocks = 2,042,016 tokens, 997.08x for 2,048 tokens (vLLM PR #13596)', () => {
    // PR #13596 "[V1][Minor] Print KV cache size in token counts": "# GPU blocks: 127626",
    // "GPU KV cache size: 2,042,016 tokens", "Maximum concurrency for 2,048 tokens per request: 997.08x".
    const capacity = vllmBlockCapacity(127626 * 1000, 1000 / 16, 16, 2048);
    expect(capacity.numGpuBlocks).toBe(127626);
    expect(capacity.kvCacheTokens).toBe(2_042_016);
    expect(capacity.maxConcurrency.toFixed(2)).toBe('997.08');
  });

  it('a sequence holds whole blocks', () => {
    expect(sequencesInBlocks(1952, 16, 1150)).toBe(27); // 72 blocks each
    expect(sequencesInBlocks(1952, 16, 16)).toBe(1952);
  });
});

describe('llama.cpp server slots', () => {
  it('-np slots of the context each, -c = slots × context', () => {
    expect(llamaCppSlots(8e9, 1e9, 4096)).toEqual({ slots: 8, contextTokens: 32768 });
    expect(llamaCppSlots(0.5e9, 1e9, 4096)).toEqual({ slots: 0, contextTokens: 0 });
  });
});

describe('deployment capacity from the memory plan', () => {
  it('Llama-3.1-8B bf16 on an H100 SXM: every byte past weights, activations and runtime becomes 2 MiB blocks', () => {
    const h100 = findDevice('nvidia-h100-sxm-80gb')!;
    const deployment = planDeployment({
      model: llama8b,
      devices: [h100],
      engine: 'vllm',
      maxModelLen: 8192,
    });
    expect(deployment.fits).toBe(true);
    expect(deployment.kvBytesPerTokenPerDevice[0]).toBe(LLAMA_8B_KV_BYTES_PER_TOKEN);
    const device = deployment.plan.memory.perDevice[0]!;
    const other =
      device.breakdown.weights + device.breakdown.activations + device.breakdown.overhead;
    expect(deployment.availableKvBytesPerDevice[0]).toBeCloseTo(0.9 * h100.memoryBytes - other, 0);
    if (deployment.capacity.engine !== 'vllm') throw new Error('vllm expected');
    expect(deployment.capacity.numGpuBlocks).toBe(
      Math.floor(deployment.availableKvBytesPerDevice[0]! / (2 * MIB)),
    );
    // About 55 GB of KV: some 26,000 blocks, over 50 requests of 8k.
    expect(deployment.capacity.maxConcurrency).toBeGreaterThan(50);
  });

  it('tensor parallelism splits the KV heads: each of 2 workers holds half a token', () => {
    const h100 = findDevice('nvidia-h100-sxm-80gb')!;
    const deployment = planDeployment({
      model: llama8b,
      devices: [h100, h100],
      engine: 'vllm',
      maxModelLen: 8192,
    });
    expect(deployment.kvBytesPerTokenPerDevice[0]).toBe(LLAMA_8B_KV_BYTES_PER_TOKEN / 2);
  });

  it('llama.cpp: slots of the whole context from the room of all devices', () => {
    const gpu = findDevice('nvidia-rtx-4090')!;
    const deployment = planDeployment({
      model: llama8b,
      devices: [gpu],
      engine: 'llama.cpp',
      weightsFormat: 'q4_k_m',
      maxModelLen: 8192,
    });
    if (deployment.capacity.engine !== 'llama.cpp') throw new Error('llama.cpp expected');
    const perSlot = deployment.plan.memory.breakdown.kvCache;
    expect(deployment.capacity.slots).toBe(
      Math.floor(deployment.availableKvBytesPerDevice[0]! / perSlot),
    );
    expect(deployment.capacity.contextTokens).toBe(deployment.capacity.slots * 8192);
  });
});

describe("SGLang's token pool against what SGLang logged", () => {
  const GIB_PER_GB = GIB; // SGLang's "GB" in these lines is bytes / 2^30

  it('defaults max_running_requests to 2048 for 139,040 tokens at context_len 40,960 (tests/fixtures/measure/sglang-scheduler-1gpu.log)', () => {
    // "max_total_num_tokens=139040, … max_running_requests=2048, context_len=40960": the request
    // table is max(int(139040 / 40960 × 512), 2048) = 2048 rows, below 139040 // 2.
    const cell = 65_536;
    const pool = sglangTokenPool(139_040 * cell, cell, 40_960, 0.9);
    expect(pool.maxTotalNumTokens).toBe(139_040);
    expect(pool.maxRunningRequests).toBe(2048);
    expect(sequencesInPool(pool, 1000)).toBe(139);
  });

  it('Qwen3-235B-A22B at TP 4 keeps one of 4 KV heads per rank: the log’s 8.23 + 8.23 GB for 367,404 tokens', () => {
    // sgl-project issue excerpt in tests/fixtures/measure/sglang-qwen3-235b-tp4-kv.log:
    // "KV Cache is allocated. #tokens: 367404, K size: 8.23 GB, V size: 8.23 GB" on each rank
    // (the pool holds #tokens + 1 rows; sizes rounded to 0.01 GB).
    const h100 = findDevice('nvidia-h100-sxm-80gb')!;
    const deployment = planDeployment({
      model: findModel('Qwen/Qwen3-235B-A22B')!,
      devices: [h100, h100, h100, h100],
      engine: 'sglang',
      weightsFormat: 'fp8_e4m3',
      kvFormat: 'bf16',
      maxModelLen: 8192,
    });
    const loggedPerToken = ((8.23 + 8.23) * GIB_PER_GB) / (367_404 + 1);
    const planned = deployment.kvBytesPerTokenPerDevice[0]!;
    expect(Math.abs(planned - loggedPerToken) / loggedPerToken).toBeLessThan(0.002);
  });

  it('DeepSeek-V3 at TP 2 keeps the whole MLA latent on each rank: the log’s 0.65 GB for 10,000 tokens on TP0 and TP1', () => {
    // tests/fixtures/measure/sglang-deepseek-v3-tp2-mla.log: "#tokens: 10000, KV size: 0.65 GB"
    // printed by both ranks (MLATokenToKVPool, bf16).
    const h200 = findDevice('nvidia-h200-sxm-141gb')!;
    const deployment = planDeployment({
      model: findModel('deepseek-ai/DeepSeek-V3')!,
      devices: [h200, h200],
      engine: 'sglang',
      weightsFormat: 'fp8_e4m3',
      kvFormat: 'bf16',
      maxModelLen: 8192,
    });
    const loggedPerToken = (0.65 * GIB_PER_GB) / (10_000 + 1);
    for (const planned of deployment.kvBytesPerTokenPerDevice) {
      // 0.65 is rounded to 0.01 GB: ±0.8 %.
      expect(Math.abs(planned - loggedPerToken) / loggedPerToken).toBeLessThan(0.008);
    }
  });

  it('the pool is mem_fraction_static of the free memory less the weights, on every rank alike', () => {
    const h100 = findDevice('nvidia-h100-sxm-80gb')!;
    const deployment = planDeployment({
      model: llama8b,
      devices: [h100],
      engine: 'sglang',
      maxModelLen: 8192,
    });
    if (deployment.capacity.engine !== 'sglang') throw new Error('sglang expected');
    const device = deployment.plan.memory.perDevice[0]!;
    const fraction = deployment.capacity.memFractionStatic;
    // profile_max_num_token: rest = free after weights − free before × (1 − fraction), the free
    // memory before the weights being the capacity less the CUDA context.
    const freeBefore = h100.memoryBytes - device.breakdown.overhead;
    const rest = freeBefore - device.breakdown.weights - freeBefore * (1 - fraction);
    expect(deployment.availableKvBytesPerDevice[0]).toBeCloseTo(rest, 0);
    expect(deployment.capacity.maxTotalNumTokens).toBe(
      Math.floor(rest / LLAMA_8B_KV_BYTES_PER_TOKEN),
    );
    expect(capacityLine(deployment.capacity, 8192)).toMatch(
      /^SGLang: --mem-fraction-static 0\.83; max_total_num_tokens=\d+, max_running_requests=\d+, context_len=8192$/,
    );
  });
});
