import { HeadroomError } from '../errors';
import type { EngineId } from '../formats/types';

/**
 * KV-cache formats as llama.cpp's `-ctk/-ctv` name them (common/arg.cpp kv_cache_types: f32,
 * f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1; default f16, left unset → null). The
 * quantized ones cost their ggml block (ggml-common.h: block_q8_0 = 34 B per 32 values,
 * block_q4_0 = 18 B per 32), which their catalog format's bitsPerWeight already holds.
 */
export const LLAMA_CPP_CACHE_TYPES: Readonly<Record<string, string | null>> = {
  fp32: 'f32',
  fp16: null,
  bf16: 'bf16',
  q8_0: 'q8_0',
  q4_0: 'q4_0',
  q4_1: 'q4_1',
  iq4_nl: 'iq4_nl',
  q5_0: 'q5_0',
  q5_1: 'q5_1',
};

/**
 * The KV formats each engine can run.
 * - llama.cpp: LLAMA_CPP_CACHE_TYPES above.
 * - vLLM: `--kv-cache-dtype` auto (the model's dtype: fp32, fp16 or bf16), bfloat16, fp8 /
 *   fp8_e4m3, fp8_e5m2 (vllm/config/cache.py CacheDType).
 * - SGLang: `--kv-cache-dtype` auto (the model's dtype), bf16, fp8_e4m3, fp8_e5m2
 *   (python/sglang/srt/server_args.py kv_cache_dtype choices; fp4_e2m1 is not modelled).
 * - transformers: DynamicCache stores keys and values in the model's dtype (cache_utils.py
 *   DynamicLayer.update); its QuantizedCache (quanto/HQQ int2/int4) is not modelled.
 * - generic: any format that can hold a cache.
 */
const ENGINE_KV_FORMATS: Readonly<Record<Exclude<EngineId, 'generic'>, readonly string[]>> = {
  'llama.cpp': Object.keys(LLAMA_CPP_CACHE_TYPES),
  vllm: ['fp32', 'fp16', 'bf16', 'fp8_e4m3', 'fp8_e5m2'],
  sglang: ['fp32', 'fp16', 'bf16', 'fp8_e4m3', 'fp8_e5m2'],
  transformers: ['fp32', 'fp16', 'bf16'],
};

/** Whether an engine can keep its KV cache in `kvFormatId`. */
export function engineRunsKvFormat(engine: EngineId, kvFormatId: string): boolean {
  return engine === 'generic' || ENGINE_KV_FORMATS[engine].includes(kvFormatId);
}

/**
 * Throws when an engine cannot keep its KV cache in `kvFormatId`, saying which formats it can.
 * @throws HeadroomError BAD_ARGUMENT naming the engine's KV formats
 */
export function checkEngineKvFormat(engine: EngineId, kvFormatId: string): void {
  if (engine === 'generic' || engineRunsKvFormat(engine, kvFormatId)) return;
  throw new HeadroomError(
    'BAD_ARGUMENT',
    `${engine} cannot keep the KV cache in ${kvFormatId}: it runs ${ENGINE_KV_FORMATS[engine].join(', ')}.`,
  );
}
