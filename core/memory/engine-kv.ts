import { hasAttention, recurrentStateOf } from '../models/layers';
import type { ArchitectureSpec, SlidingWindowSpec } from '../models/types';
import { kvElementsPerTokenPerLayer, type MlaCacheLayout } from './kv-cache';
import { recurrentStateBytes, type RecurrentStateRule } from './recurrent-state';

/**
 * KV cache and recurrent state per layer as each engine allocates them: the whole context on
 * full-attention layers, the engine's sliding-window rule on local layers, a fixed state per
 * sequence on recurrent layers (core/memory/recurrent-state.ts).
 */

/**
 * How many tokens an engine keeps on a sliding-window layer:
 * - `whole-prompt` (transformers): DynamicSlidingWindowLayer.update (cache_utils.py) returns the
 *   full key states for the prefill and keeps a `[-window + 1:]` view of them, whose storage is
 *   the whole prompt — at the memory peak every layer holds the whole context;
 * - `vllm-window-pages` (vLLM v1): SlidingWindowSpec.max_memory_usage_bytes
 *   (vllm/v1/kv_cache_interface.py) = (cdiv(min(window − 1 + max_num_batched_tokens,
 *   max_model_len), block_size) + 1) pages per request, what get_max_concurrency_for_kv_cache_config
 *   (vllm/v1/core/kv_cache_utils.py) counts per request; SlidingWindowManager.remove_skipped_blocks
 *   (vllm/v1/core/single_type_kv_cache_manager.py) frees the pages that fall out of the window;
 * - `llama-swa-cache` (llama.cpp): llama_kv_cache_iswa (src/llama-kv-cache-iswa.cpp) gives the
 *   SWA layers a cache of GGML_PAD(min(n_ctx_seq, n_swa + n_ubatch), 256) cells per sequence
 *   stream; `--swa-full` (swa_full) makes it as large as the full cache;
 * - `sglang-swa-pool` (SGLang): for the hybrid-SWA architectures (SGLANG_HYBRID_SWA_FAMILIES) the
 *   token pool is split so the sliding layers get `--swa-full-tokens-ratio` (0.8) of the full
 *   layers' tokens (model_runner_kv_cache_mixin.py set_num_tokens_hybrid_swa); every other
 *   model caches the whole context on every layer (model_config.py is_hybrid_swa_model).
 */
export type SlidingWindowRule =
  'whole-prompt' | 'vllm-window-pages' | 'llama-swa-cache' | 'sglang-swa-pool';

/** The cache rules of one engine (EngineProfile carries them). */
export interface EngineCacheRules {
  readonly slidingWindowCache: SlidingWindowRule;
  readonly recurrentState: RecurrentStateRule;
  readonly mlaCache: MlaCacheLayout;
  /** Tokens per KV page (vLLM 16; 1 = exact). */
  readonly kvBlockTokens: number;
  /**
   * Most tokens one forward step takes, all sequences together: vLLM's max_num_batched_tokens
   * (core/memory/vllm-defaults.ts), SGLang's chunked_prefill_size, llama.cpp's n_ubatch;
   * unbounded (Infinity) for transformers, which runs each prompt whole.
   */
  readonly stepTokens: number;
}

/**
 * The model types whose llama.cpp architecture sets a sliding-window type (src/llama-model.cpp
 * load_hparams sets hparams.swa_type for LLM_ARCH_GEMMA2, GEMMA3, OPENAI_MOE, COHERE2 and PHI3).
 * Mistral v0.1, Mixtral and Qwen2 convert to LLM_ARCH_LLAMA / QWEN2, which read no window, so
 * llama.cpp caches their whole context.
 */
const LLAMA_CPP_SWA_FAMILIES: ReadonlySet<string> = new Set([
  'gemma2',
  'gemma3',
  'gpt_oss',
  'cohere2',
  'phi3',
]);

/**
 * The model types SGLang gives a split sliding-window pool (python/sglang/srt/configs/
 * model_config.py is_hybrid_swa_model: Llama4ForConditionalGeneration, GptOssForCausalLM and
 * newer MiMo/Step/Gemma 4 architectures); Gemma 2/3, Mistral and Cohere cache every layer whole.
 */
const SGLANG_HYBRID_SWA_FAMILIES: ReadonlySet<string> = new Set(['gpt_oss', 'llama4']);

/** SGLang `--swa-full-tokens-ratio` default: sliding layers hold 0.8 × the full layers' tokens. */
const SGLANG_SWA_FULL_TOKENS_RATIO = 0.8;

/** llama.cpp's physical batch: `-ub/--ubatch-size` defaults to 512 (common/common.h n_ubatch). */
export const LLAMA_CPP_UBATCH_TOKENS = 512;

/** llama.cpp's logical batch: `-b/--batch-size` 2048 (common/common.h n_batch). */
export const LLAMA_CPP_BATCH_TOKENS = 2048;

/** llama_kv_cache_iswa pads the SWA cache to 256 cells ("always padded to 256 for performance"). */
const LLAMA_CPP_SWA_PAD_CELLS = 256;

/**
 * vLLM's FlashAttention needs attention pages of a multiple of 16 tokens; hybrid models grow
 * the page to hold a whole Mamba state (HybridAttentionMambaModelConfig.verify_and_update_config,
 * vllm/model_executor/models/config.py: kernel_block_alignment_size = 16).
 */
const VLLM_KERNEL_BLOCK_ALIGNMENT_TOKENS = 16;

interface LayerCacheInput {
  readonly contextTokens: number;
  readonly batch: number;
  /** Bytes per cached KV element, block overhead included (q8_0: 34/32). */
  readonly kvBytesPerElement: number;
  /** Bytes of the model's dtype, which sizes vLLM's and transformers' recurrent state. */
  readonly modelDtypeBytes: number;
  /** llama.cpp `--swa-full`: sliding layers keep the whole context. */
  readonly swaFull?: boolean;
}

/** Rounds up to a multiple. */
function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** Tokens one sequence holds on a sliding layer of `windowTokens` under an engine's rules. */
export function slidingLayerTokens(
  rules: Pick<EngineCacheRules, 'slidingWindowCache' | 'stepTokens'>,
  windowTokens: number,
  contextTokens: number,
  blockTokens: number,
  swaFull = false,
): number {
  switch (rules.slidingWindowCache) {
    case 'whole-prompt':
      return contextTokens;
    case 'vllm-window-pages': {
      const tokens = Math.min(windowTokens - 1 + rules.stepTokens, contextTokens);
      return (Math.ceil(tokens / blockTokens) + 1) * blockTokens;
    }
    case 'llama-swa-cache':
      if (swaFull) return contextTokens;
      return roundUp(
        Math.min(contextTokens, windowTokens + rules.stepTokens),
        LLAMA_CPP_SWA_PAD_CELLS,
      );
    case 'sglang-swa-pool':
      return Math.ceil(contextTokens * SGLANG_SWA_FULL_TOKENS_RATIO);
  }
}

/**
 * The sliding window an engine applies to a model: the config's, except for the families an
 * engine caches whole (llama.cpp: LLAMA_CPP_SWA_FAMILIES; SGLang: SGLANG_HYBRID_SWA_FAMILIES).
 */
export function engineSlidingWindow(
  architecture: ArchitectureSpec,
  rule: SlidingWindowRule,
): SlidingWindowSpec | undefined {
  if (rule === 'llama-swa-cache' && !LLAMA_CPP_SWA_FAMILIES.has(architecture.family)) {
    return undefined;
  }
  if (rule === 'sglang-swa-pool' && !SGLANG_HYBRID_SWA_FAMILIES.has(architecture.family)) {
    return undefined;
  }
  return architecture.slidingWindow;
}

/** Why an engine caches a sliding-window model's every layer whole, for the assumptions. */
export const WHOLE_WINDOW_SOURCES: Readonly<Partial<Record<SlidingWindowRule, string>>> = {
  'llama-swa-cache':
    'llama.cpp src/llama-model.cpp load_hparams: only Gemma 2/3, gpt-oss, Cohere2 and Phi-3 set a sliding-window type',
  'sglang-swa-pool':
    'SGLang python/sglang/srt/configs/model_config.py is_hybrid_swa_model: only Llama 4, gpt-oss and a few newer architectures get a sliding-window pool',
};

/** How vLLM pages a model: the attention page in tokens and the padded state page in bytes. */
interface VllmPaging {
  readonly blockTokens: number;
  /** Bytes of one recurrent layer's state page (padded to the attention page), or 0. */
  readonly statePageBytes: number;
}

/**
 * vLLM's page sizes for a model. With recurrent layers beside attention, the attention block
 * grows to the smallest multiple of 16 tokens whose page holds one Mamba state, and the state
 * page is padded to exactly that page (HybridAttentionMambaModelConfig.verify_and_update_config,
 * the path without Mamba prefix caching).
 */
export function vllmPaging(
  architecture: ArchitectureSpec,
  rules: EngineCacheRules,
  input: LayerCacheInput,
): VllmPaging {
  let stateBytes = 0;
  let attends = false;
  for (let layer = 0; layer < architecture.layers; layer++) {
    const state = recurrentStateOf(architecture, layer);
    if (state)
      stateBytes = Math.max(stateBytes, recurrentStateBytes(state, 'vllm', input.modelDtypeBytes));
    if (hasAttention(architecture, layer)) attends = true;
  }
  if (stateBytes === 0 || !attends) {
    return { blockTokens: rules.kvBlockTokens, statePageBytes: stateBytes };
  }
  const attentionPageBytesPerToken =
    kvElementsPerTokenPerLayer(architecture, rules.mlaCache) * input.kvBytesPerElement;
  const align = VLLM_KERNEL_BLOCK_ALIGNMENT_TOKENS;
  const blockTokens = align * Math.ceil(stateBytes / (align * attentionPageBytesPerToken));
  return { blockTokens, statePageBytes: blockTokens * attentionPageBytesPerToken };
}

/**
 * Bytes each layer keeps for `batch` sequences of `contextTokens`: KV on attention layers (the
 * window rule on sliding ones), the fixed state on recurrent ones, both on Falcon-H1's parallel
 * layers.
 * @example layerCacheBytes(llama31_8b, vllmRules, { contextTokens: 8192, batch: 1, kvBytesPerElement: 2, modelDtypeBytes: 2 })[0] // 8192 × 4096 B
 */
export function layerCacheBytes(
  architecture: ArchitectureSpec,
  rules: EngineCacheRules,
  input: LayerCacheInput,
): number[] {
  const paging =
    rules.recurrentState === 'vllm'
      ? vllmPaging(architecture, rules, input)
      : { blockTokens: rules.kvBlockTokens, statePageBytes: 0 };
  const block = paging.blockTokens;
  const fullTokens = roundUp(input.contextTokens, block);
  const kvBytesPerToken =
    kvElementsPerTokenPerLayer(architecture, rules.mlaCache) * input.kvBytesPerElement;
  const window = engineSlidingWindow(architecture, rules.slidingWindowCache);
  const slidingTokens = window
    ? slidingLayerTokens(rules, window.windowTokens, input.contextTokens, block, input.swaFull)
    : fullTokens;
  const groups =
    rules.recurrentState === 'vllm' ? vllmGroupPadding(architecture) : NO_GROUP_PADDING;
  const result = new Array<number>(architecture.layers);
  for (let layer = 0; layer < architecture.layers; layer++) {
    let perSequence = 0;
    if (hasAttention(architecture, layer)) {
      const sliding = window?.slidingLayers[layer] ?? false;
      const held = sliding ? slidingTokens : fullTokens;
      perSequence += held * kvBytesPerToken * (sliding ? groups.sliding : groups.full);
    }
    const state = recurrentStateOf(architecture, layer);
    if (state) {
      const stateBytes =
        rules.recurrentState === 'vllm' && paging.statePageBytes > 0
          ? paging.statePageBytes
          : recurrentStateBytes(state, rules.recurrentState, input.modelDtypeBytes);
      perSequence += stateBytes * groups.recurrent;
    }
    result[layer] = perSequence * input.batch;
  }
  return result;
}

/** How many layer slots each kind of layer takes per layer, once vLLM has grouped them. */
interface GroupPadding {
  readonly full: number;
  readonly sliding: number;
  readonly recurrent: number;
}

const NO_GROUP_PADDING: GroupPadding = { full: 1, sliding: 1, recurrent: 1 };

/**
 * vLLM's hybrid KV-cache manager puts each kind of layer (full attention, sliding window, Mamba
 * state) into groups of one size and pads the last group of a kind: the group size is the
 * smallest kind's layer count, or the largest's when that is under 1.5 × the smallest
 * (vllm/v1/core/kv_cache_utils.py _get_kv_cache_groups_uniform_page_size). Every group's pages
 * span all group-size tensors (get_kv_cache_config_from_groups), so a kind of n layers costs
 * cdiv(n, size) × size layers' pages: Gemma 3's 52 sliding layers in groups of 10 take 60.
 * @returns the factor each layer of a kind is counted with (1 where nothing is padded)
 */
export function vllmGroupPadding(architecture: ArchitectureSpec): GroupPadding {
  let full = 0;
  let sliding = 0;
  let recurrent = 0;
  for (let layer = 0; layer < architecture.layers; layer++) {
    if (hasAttention(architecture, layer)) {
      if (architecture.slidingWindow?.slidingLayers[layer]) sliding++;
      else full++;
    }
    if (recurrentStateOf(architecture, layer)) recurrent++;
  }
  const counts = [full, sliding, recurrent].filter((count) => count > 0);
  if (counts.length < 2) return NO_GROUP_PADDING;
  const smallest = Math.min(...counts);
  const largest = Math.max(...counts);
  const size = largest < smallest * VLLM_GROUP_SIZE_SLACK ? largest : smallest;
  const factor = (count: number) => (count === 0 ? 1 : (Math.ceil(count / size) * size) / count);
  return { full: factor(full), sliding: factor(sliding), recurrent: factor(recurrent) };
}

/** `max_num_layers < min_num_layers * 1.5`: then the largest kind sets the group size. */
const VLLM_GROUP_SIZE_SLACK = 1.5;

/** Where each sliding-window rule comes from, for the plan's assumptions. */
export const SLIDING_WINDOW_RULE_SOURCES: Readonly<Record<SlidingWindowRule, string>> = {
  'whole-prompt':
    'transformers cache_utils.py DynamicSlidingWindowLayer.update: the prefill returns the full key states and keeps a view of their last window - 1, so the whole prompt stays allocated (measured on an H200, docs/accuracy.md)',
  'vllm-window-pages':
    'vllm/v1/kv_cache_interface.py SlidingWindowSpec.max_memory_usage_bytes: cdiv(min(window - 1 + max_num_batched_tokens, max_model_len), block_size) + 1 pages per request, as vllm/v1/core/kv_cache_utils.py get_max_concurrency_for_kv_cache_config counts them',
  'llama-swa-cache':
    'llama.cpp src/llama-kv-cache-iswa.cpp llama_kv_cache_iswa: SWA cache of GGML_PAD(min(n_ctx_seq, n_swa + n_ubatch), 256) cells per sequence; --swa-full: the full context',
  'sglang-swa-pool':
    "SGLang python/sglang/srt/model_executor/model_runner_kv_cache_mixin.py set_num_tokens_hybrid_swa: the sliding layers get --swa-full-tokens-ratio (0.8) of the full layers' tokens",
};
