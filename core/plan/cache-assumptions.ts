import type { NumericFormat } from '../formats/types';
import {
  engineSlidingWindow,
  layerCacheBytes,
  slidingLayerTokens,
  SLIDING_WINDOW_RULE_SOURCES,
  vllmGroupPadding,
  WHOLE_WINDOW_SOURCES,
  vllmPaging,
} from '../memory/engine-kv';
import type { EngineProfile } from '../memory/engine-profiles';
import { kvElementsPerTokenPerLayer } from '../memory/kv-cache';
import { recurrentStateBytes, RECURRENT_STATE_RULE_SOURCES } from '../memory/recurrent-state';
import { attentionLayerCount, recurrentStateOf } from '../models/layers';
import type { ArchitectureSpec } from '../models/types';
import type { Assumption } from './types';

/** MLA layouts' sources (core/memory/kv-cache.ts MlaCacheLayout). */
const MLA_SOURCES = {
  latent:
    'vLLM MLA backends (kv_c and k_pe in one 576-wide entry), SGLang python/sglang/srt/mem_cache/memory_pool.py MLATokenToKVPool (kv_lora_rank + qk_rope_head_dim per layer, not divided by TP) and llama.cpp src/llama-kv-cache.cpp (an MLA cache keeps K rows only, no V)',
  'per-head':
    'transformers models/deepseek_v3/modeling_deepseek_v3.py: keys (nope + rope) and values of every head go to past_key_values.update',
} as const;

interface CacheAssumptionInput {
  readonly architecture: ArchitectureSpec;
  readonly engine: EngineProfile;
  readonly kvFormat: NumericFormat;
  readonly contextTokens: number;
  /** Bytes of the model's dtype (sizes vLLM's and transformers' recurrent state). */
  readonly modelDtypeBytes: number;
  readonly swaFull?: boolean;
}

/**
 * The engine rule behind each KV-cache and recurrent-state item of a plan: what one token of
 * attention KV costs, what a sliding layer holds, what a recurrent layer keeps per sequence.
 */
export function cacheAssumptions(input: CacheAssumptionInput): Assumption[] {
  const { architecture, engine, kvFormat, contextTokens } = input;
  const list: Assumption[] = [];
  const attentionLayers = attentionLayerCount(architecture);
  const bytesPerElement = kvFormat.bitsPerWeight / 8;
  if (attentionLayers > 0) {
    const elements = kvElementsPerTokenPerLayer(architecture, engine.mlaCache);
    list.push({
      name: `KV cache per token (${engine.label})`,
      value: `${attentionLayers} attention layers × ${elements} elements × ${bytesPerElement} bytes = ${attentionLayers * elements * bytesPerElement} bytes`,
      source: architecture.mla
        ? MLA_SOURCES[engine.mlaCache]
        : 'keys and values of every KV head (Pope et al. 2022, "Efficiently Scaling Transformer Inference")',
    });
  }
  const window = engineSlidingWindow(architecture, engine.slidingWindowCache);
  if (architecture.slidingWindow && !window) {
    list.push({
      name: `sliding-window layers (${engine.label})`,
      value: `the whole context: ${engine.label} runs ${architecture.family} without a sliding-window cache`,
      source: WHOLE_WINDOW_SOURCES[engine.slidingWindowCache] ?? '',
    });
  }
  if (window) {
    const slidingLayers = window.slidingLayers.filter(Boolean).length;
    const held = slidingLayerTokens(
      engine,
      window.windowTokens,
      contextTokens,
      engine.kvBlockTokens,
      input.swaFull,
    );
    list.push({
      name: `sliding-window layers (${engine.label})`,
      value: `${slidingLayers} of ${architecture.layers} layers (window ${window.windowTokens}) hold ${held} tokens per sequence at ${contextTokens} context${input.swaFull ? ' (--swa-full)' : ''}`,
      source: SLIDING_WINDOW_RULE_SOURCES[engine.slidingWindowCache],
    });
  }
  let stateBytes = 0;
  let recurrentLayers = 0;
  for (let layer = 0; layer < architecture.layers; layer++) {
    const state = recurrentStateOf(architecture, layer);
    if (!state) continue;
    recurrentLayers++;
    stateBytes += recurrentStateBytes(state, engine.recurrentState, input.modelDtypeBytes);
  }
  if (recurrentLayers > 0) {
    const cacheInput = {
      contextTokens,
      batch: 1,
      kvBytesPerElement: bytesPerElement,
      modelDtypeBytes: input.modelDtypeBytes,
    };
    const paging =
      engine.recurrentState === 'vllm' ? vllmPaging(architecture, engine, cacheInput) : null;
    const paged =
      paging && paging.statePageBytes > 0
        ? `; paged as ${recurrentLayers} × ${paging.statePageBytes} bytes with attention pages of ${paging.blockTokens} tokens`
        : '';
    list.push({
      name: `recurrent state per sequence (${engine.label})`,
      value: `${recurrentLayers} recurrent layers: ${stateBytes} bytes, whatever the context${paged}`,
      source: RECURRENT_STATE_RULE_SOURCES[engine.recurrentState],
    });
  }
  if (engine.recurrentState === 'vllm') {
    const padding = vllmGroupPadding(architecture);
    const padded = (['full', 'sliding', 'recurrent'] as const).filter((kind) => padding[kind] > 1);
    if (padded.length > 0) {
      list.push({
        name: 'vLLM KV-cache groups',
        value: padded
          .map((kind) => `${kind} layers take ${padding[kind].toFixed(3)} × their pages`)
          .join('; '),
        source:
          'vllm/v1/core/kv_cache_utils.py _get_kv_cache_groups_uniform_page_size: each kind of layer in groups of one size, the last group padded',
      });
    }
  }
  // The total, so the list states the one number these rules give for one sequence.
  const perSequence = layerCacheBytes(architecture, engine, {
    contextTokens,
    batch: 1,
    kvBytesPerElement: bytesPerElement,
    modelDtypeBytes: input.modelDtypeBytes,
    ...(input.swaFull ? { swaFull: true } : {}),
  }).reduce((sum, bytes) => sum + bytes, 0);
  list.push({
    name: `KV cache and state per sequence (${engine.label})`,
    value: perSequence,
    unit: 'bytes',
    source: 'the rules above, summed over the layers',
  });
  return list;
}
