import { describe, expect, it } from 'vitest';
import { findDevice } from '../../../../core/devices/catalog';
import { getFormat } from '../../../../core/formats/catalog';
import { ENGINE_PROFILES } from '../../../../core/memory/engine-profiles';
import { findModel } from '../../../../core/models/catalog';
import { planAssumptions } from '../../../../core/plan/assumptions';

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

const model = required(findModel('meta-llama/Llama-3.1-8B'), 'Llama-3.1-8B');
const device = required(findDevice('nvidia-h100-sxm-80gb'), 'H100');

const assumptionsFor = (engine: 'vllm' | 'llama.cpp', formatId: string, kvFormatId: string) =>
  planAssumptions({
    model,
    format: required(getFormat(formatId), formatId),
    kvFormat: required(getFormat(kvFormatId), kvFormatId),
    engine: ENGINE_PROFILES[engine],
    devices: [device],
    layout: null,
    contextTokens: 8192,
    batch: 1,
  });

const valueOf = (list: ReturnType<typeof assumptionsFor>, name: string) =>
  list.find((assumption) => assumption.name === name)?.value;

describe("a plan's assumptions", () => {
  it("names vLLM's gpu_memory_utilization default, 0.9, with its source", () => {
    // vllm/config: gpu_memory_utilization defaults to 0.9 of the device's memory.
    const list = assumptionsFor('vllm', 'bf16', 'bf16');
    const utilisation = list.find((assumption) => assumption.name.endsWith('memory utilisation'));
    expect(utilisation?.value).toBe(0.9);
    expect(utilisation?.source).not.toBe('');
  });

  it('states the KV cache element size of its format: 2 bytes for bf16, 1.0625 for q8_0', () => {
    // ggml-common.h block_q8_0: 32 int8 + one fp16 scale = 34 bytes per 32 values.
    expect(valueOf(assumptionsFor('llama.cpp', 'q4_k_m', 'bf16'), 'KV cache format bf16')).toBe(
      '2.0000 bytes/element',
    );
    expect(valueOf(assumptionsFor('llama.cpp', 'q4_k_m', 'q8_0'), 'KV cache format q8_0')).toBe(
      '1.0625 bytes/element',
    );
  });

  it('gives every assumption a source', () => {
    for (const assumption of assumptionsFor('llama.cpp', 'q4_k_m', 'f16')) {
      expect(assumption.source.length, assumption.name).toBeGreaterThan(0);
    }
  });
});
