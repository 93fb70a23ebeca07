import { describe, expect, it } from 'vitest';
import { findDevice } from '../../../../core/devices/catalog';
import type { DeviceSpec } from '../../../../core/devices/types';
import { ENGINE_PROFILES } from '../../../../core/memory/engine-profiles';
import {
  activationBytesAt,
  deviceCapacity,
  placeTensorParallel,
  type ModelMemory,
} from '../../../../core/plan/allocation';

function device(id: string): DeviceSpec {
  const spec = findDevice(id);
  if (!spec) throw new Error(`no catalog device ${id}`);
  return spec;
}

const H100 = device('nvidia-h100-sxm-80gb');

/**
 * Llama-3.1-70B's shape (its config.json: 80 layers, 8 KV heads, head_dim 128) with round
 * per-layer figures: 1 GB of weights and 0.1 GB of KV cache per layer.
 */
const LLAMA_70B_LIKE: ModelMemory = {
  layerWeightBytes: Array.from({ length: 80 }, () => 1e9),
  layerKvBytes: Array.from({ length: 80 }, () => 1e8),
  embeddingBytes: 2e9,
  headBytes: 2e9,
  shardableKvHeads: 8,
  activationFixedBytes: 1e8,
  activationShardedBytes: 8e8,
  activationFloorBytes: 0,
  hostExpertBytes: 0,
  layerExpertBytes: Array.from({ length: 80 }, () => 0),
  routedExperts: 0,
  sideWeightBytes: 0,
  sideKvBytes: 0,
};

describe('tensor-parallel placement', () => {
  it('gives each of N devices 1/N of the weights, embeddings and head included', () => {
    const placement = placeTensorParallel(
      LLAMA_70B_LIKE,
      [H100, H100, H100, H100],
      ENGINE_PROFILES.vllm,
    );
    // (80 × 1 GB + 2 GB + 2 GB) / 4 = 21 GB on each device.
    for (const plan of placement.perDevice) expect(plan.breakdown.weights).toBe(21e9);
  });

  it('splits 8 KV heads over 4 GPUs (2 each) but not below one head per GPU', () => {
    // vLLM's QKVParallelLinear: past tp = num_key_value_heads each rank keeps one replicated
    // KV head (num_kv_head_replicas = tp / num_kv_heads), so 16 GPUs hold 1/8 each, not 1/16.
    const four = placeTensorParallel(LLAMA_70B_LIKE, Array(4).fill(H100), ENGINE_PROFILES.vllm);
    const sixteen = placeTensorParallel(LLAMA_70B_LIKE, Array(16).fill(H100), ENGINE_PROFILES.vllm);
    expect(four.perDevice[0]!.breakdown.kvCache).toBeCloseTo(8e9 / 4, 0);
    expect(sixteen.perDevice[0]!.breakdown.kvCache).toBeCloseTo(8e9 / 8, 0);
  });

  it('keeps the whole cache on every device when it cannot be split (MLA latent)', () => {
    // DeepSeek-V2's MLA caches one compressed latent per token (kv_lora_rank 512): every rank holds it.
    const mla = { ...LLAMA_70B_LIKE, shardableKvHeads: null };
    const placement = placeTensorParallel(mla, [H100, H100], ENGINE_PROFILES.vllm);
    expect(placement.perDevice[1]!.breakdown.kvCache).toBe(8e9);
  });

  it('divides only the FFN share of the activation workspace', () => {
    // Megatron-LM's tensor parallelism splits the MLP; the residual stream and logits stay whole.
    expect(activationBytesAt(LLAMA_70B_LIKE, 8)).toBe(1e8 + 1e8);
  });

  it('plans against free memory when detection read it, else the total', () => {
    // nvidia-smi on an H100 80GB HBM3 reports 81559 MiB total (../shared/fixtures/detect).
    const detected: DeviceSpec = { ...H100, memoryFreeBytes: 80_000 * 2 ** 20 };
    expect(deviceCapacity(detected)).toBe(80_000 * 2 ** 20);
    expect(deviceCapacity(H100)).toBe(H100.memoryBytes);
  });
});
