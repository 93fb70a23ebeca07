import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../../../core/formats/catalog';
import { defaultEngine, resolveEngine } from '../../../../core/plan/default-engine';

describe('defaultEngine: the engine follows the format', () => {
  it('runs GGUF types in llama.cpp', () => {
    for (const id of ['q4_k_m', 'Q5_K_M', 'q8_0', 'iq4_xs', 'q2_k']) {
      expect(defaultEngine(id)).toBe('llama.cpp');
    }
  });

  it('serves AWQ, GPTQ and FP8 checkpoints with vLLM', () => {
    for (const id of ['awq_int4', 'gptq_int4', 'gptq_int8', 'gptq_int4_g32', 'fp8_e4m3']) {
      expect(defaultEngine(id)).toBe('vllm');
    }
  });

  it('loads plain and bitsandbytes weights with transformers', () => {
    for (const id of ['bf16', 'fp16', 'fp32', 'nf4', 'llm_int8', 'mxfp4']) {
      expect(defaultEngine(id)).toBe('transformers');
    }
  });

  it('never picks an engine the format catalog says cannot load the format', () => {
    // int8 (per-tensor) loads in vLLM only; fp8_e5m2 and int4 in no named engine.
    expect(defaultEngine('int8')).toBe('vllm');
    expect(defaultEngine('fp8_e5m2')).toBe('generic');
    expect(defaultEngine('int4')).toBe('generic');
    for (const format of FORMATS.filter((f) => f.engines.length > 0)) {
      expect(format.engines).toContain(defaultEngine(format.id));
    }
  });

  it('answers generic for an unknown format instead of throwing', () => {
    expect(defaultEngine('no-such-format')).toBe('generic');
  });
});

describe('resolveEngine', () => {
  it('follows the format for auto and keeps a pinned engine', () => {
    expect(resolveEngine('auto', 'q4_k_m')).toBe('llama.cpp');
    expect(resolveEngine('auto', 'awq_int4')).toBe('vllm');
    expect(resolveEngine('generic', 'q4_k_m')).toBe('generic');
    expect(resolveEngine('vllm', 'bf16')).toBe('vllm');
  });
});
