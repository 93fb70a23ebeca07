import { describe, expect, it } from 'vitest';
import { findDevice } from '../../../../core/devices/catalog';
import type { DeviceSpec } from '../../../../core/devices/types';
import { vllmBatchDefaults } from '../../../../core/memory/vllm-defaults';

/**
 * vLLM's step budget and request limit for `vllm serve` by GPU, as vllm/engine/arg_utils.py
 * EngineArgs.get_batch_defaults sets them: 8192 tokens and 1024 sequences on a GPU of at least
 * 70 GiB that is not an A100, 2048 and 256 on every other (the A100 exception:
 * vllm-project/vllm#17885). vLLM v0.19 logged "Defaulting max_num_seqs to 1024" and
 * "max_num_batched_tokens=8192" on an H100 80GB (llm-d-incubation/llm-d-planner,
 * accuracy/results/v0.19.0/logs).
 */

function device(id: string): DeviceSpec {
  const found = findDevice(id);
  if (!found) throw new Error(`no catalog device ${id}`);
  return found;
}

describe('vLLM batch defaults by GPU', () => {
  it.each([
    ['nvidia-h100-sxm-80gb', 8192, 1024],
    ['nvidia-h200-sxm-141gb', 8192, 1024],
    ['amd-mi300x', 8192, 1024],
    ['nvidia-a100-sxm-80gb', 2048, 256],
    ['nvidia-l40s', 2048, 256],
    ['nvidia-rtx-4090', 2048, 256],
  ])('%s: %i tokens per step, %i sequences', (id, tokens, sequences) => {
    expect(vllmBatchDefaults(device(id))).toEqual({
      maxNumBatchedTokens: tokens,
      maxNumSeqs: sequences,
    });
  });

  it('reads a detected GPU by its total memory and name, as vLLM does on rank 0', () => {
    const h100 = device('nvidia-h100-sxm-80gb');
    // 69 GiB is under the 70 GiB line; an "A100" in the detected name is excluded at any size.
    expect(vllmBatchDefaults({ ...h100, memoryBytes: 69 * 2 ** 30 }).maxNumBatchedTokens).toBe(
      2048,
    );
    expect(vllmBatchDefaults({ ...h100, name: 'NVIDIA A100-SXM4-80GB' }).maxNumSeqs).toBe(256);
  });
});
