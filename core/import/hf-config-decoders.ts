import type { ArchitectureSpec, LinearBiases, MoeSpec, SlidingWindowSpec } from '../models/types';
import { attentionKind, headDimOf } from './hf-config-classic';
import {
  readDeepseekMoe,
  readGenericMoe,
  readMixtralStyleMoe,
  readMla,
  readQwenMoe,
} from './hf-config-moe';
import { readHybrid } from './hf-config-hybrid';
import { CONFIG_LIMITS, type ConfigReader } from './hf-config-reader';

/**
 * Llama-style decoders (RMSNorm, RoPE, gated FFN): llama, mistral, mixtral, qwen2, qwen3,
 * qwen3_moe, gemma, gemma2, gemma3, phi3, deepseek_v2/v3, gpt_oss, and any unknown model_type
 * that has the standard keys. Each family's quirks and transformers defaults are in FAMILIES.
 */

type SlidingRule =
  | 'none' // no sliding window (Llama)
  | 'all' // every layer, when sliding_window is set (Mistral v0.1, Mixtral, Phi-3)
  | 'qwen' // use_sliding_window and layers ≥ max_window_layers (Qwen2Config.layer_types)
  | 'alternate' // even layers slide (Gemma2Config.layer_types: sliding iff (i + 1) % 2)
  | 'pattern'; // sliding iff (i + 1) % sliding_window_pattern ≠ 0 (Gemma 3)

interface DecoderFamily {
  /** The family's transformers config default for tie_word_embeddings. */
  readonly tied: boolean;
  /** Its default max_position_embeddings, where real files omit the key. */
  readonly contextTokens?: number;
  readonly sliding: SlidingRule;
  /** Its default sliding_window, used when the file omits the key. */
  readonly defaultWindow?: number;
  readonly normsPerLayer?: number;
  readonly qkNorm?: boolean;
  /** q, k, v projections always have biases (Qwen2Attention: bias=True; o_proj bias=False). */
  readonly qkvBias?: boolean;
  /** Phi-3 stores qkv_proj and gate_up_proj fused. */
  readonly fused?: boolean;
  /** Default attention_bias (GptOssConfig: True; all others False). */
  readonly attentionBias?: boolean;
  readonly moe?: 'mixtral' | 'qwen' | 'deepseek' | 'gpt_oss';
  /** Gemma3TextConfig fills heads, KV heads, head_dim and vocab when a file omits them. */
  readonly gemma3Defaults?: boolean;
}

/**
 * Gemma3TextConfig defaults (transformers models/gemma3/configuration_gemma3.py): vocab 262208,
 * 8 heads, 4 KV heads, head_dim 256, max_position_embeddings 131072, sliding_window 4096,
 * sliding_window_pattern 6, tie_word_embeddings True. google/gemma-3-4b-it's config omits them.
 */
const GEMMA3_TEXT_DEFAULTS = {
  vocabSize: 262_208,
  attentionHeads: 8,
  kvHeads: 4,
  headDim: 256,
  contextTokens: 131_072,
  windowTokens: 4096,
  slidingWindowPattern: 6,
} as const;

/** Qwen2Config defaults: use_sliding_window False, sliding_window 4096, max_window_layers 28. */
const QWEN_DEFAULT_WINDOW_TOKENS = 4096;
const QWEN_DEFAULT_MAX_WINDOW_LAYERS = 28;

/** LlamaConfig default max_position_embeddings=2048 (early LLaMA-1 configs omit the key). */
const LLAMA_DEFAULT_CONTEXT_TOKENS = 2048;

/** MistralConfig and Gemma2Config default sliding_window=4096. */
const DEFAULT_WINDOW_TOKENS = 4096;

const FAMILIES: Readonly<Record<string, DecoderFamily>> = {
  llama: { tied: false, contextTokens: LLAMA_DEFAULT_CONTEXT_TOKENS, sliding: 'none' },
  mistral: { tied: false, sliding: 'all', defaultWindow: DEFAULT_WINDOW_TOKENS },
  mixtral: { tied: false, sliding: 'all', moe: 'mixtral' },
  qwen2: { tied: false, sliding: 'qwen', qkvBias: true },
  qwen3: { tied: false, sliding: 'qwen', qkNorm: true },
  qwen3_moe: { tied: false, sliding: 'qwen', qkNorm: true, moe: 'qwen' },
  gemma: { tied: true, sliding: 'none' },
  gemma2: {
    tied: true,
    sliding: 'alternate',
    defaultWindow: DEFAULT_WINDOW_TOKENS,
    normsPerLayer: 4,
  },
  gemma3: {
    tied: true,
    sliding: 'pattern',
    defaultWindow: GEMMA3_TEXT_DEFAULTS.windowTokens,
    contextTokens: GEMMA3_TEXT_DEFAULTS.contextTokens,
    normsPerLayer: 4,
    qkNorm: true,
    gemma3Defaults: true,
  },
  phi3: { tied: false, sliding: 'all', fused: true },
  deepseek_v2: { tied: false, sliding: 'none', moe: 'deepseek' },
  deepseek_v3: { tied: false, sliding: 'none', moe: 'deepseek' },
  gpt_oss: { tied: false, sliding: 'none', attentionBias: true, moe: 'gpt_oss' },
  // Hybrid decoders (core/import/hf-config-hybrid.ts reads their per-layer mixers).
  qwen3_next: { tied: false, sliding: 'none', qkNorm: true, moe: 'qwen' },
  jamba: { tied: false, sliding: 'none' },
  granitemoehybrid: { tied: false, sliding: 'none' },
  falcon_h1: { tied: false, sliding: 'none' },
  lfm2: { tied: true, sliding: 'none', qkNorm: true },
};
/** gemma3_text is Gemma 3's text-only model_type (gemma-3-1b) and a gemma3 text_config's. */
const FAMILY_ALIASES: Readonly<Record<string, string>> = { gemma3_text: 'gemma3' };

/** The generic reading of an unknown model_type: LlamaConfig's defaults. */
const UNKNOWN_FAMILY: DecoderFamily = {
  tied: false,
  contextTokens: LLAMA_DEFAULT_CONTEXT_TOKENS,
  sliding: 'none',
};

/** True when Headroom knows this model_type's layout (not the generic Llama reading). */
export function isKnownDecoder(modelType: string): boolean {
  return (FAMILY_ALIASES[modelType] ?? modelType) in FAMILIES;
}

/**
 * Reads a Llama-style decoder config.
 *
 * @param reader the config (or its text_config) to read
 * @param family the model_type to record (the outer one for multimodal configs)
 * @param warnings collects what had to be assumed
 */
export function readDecoder(
  reader: ConfigReader,
  family: string,
  warnings: string[],
): ArchitectureSpec {
  const known = FAMILIES[FAMILY_ALIASES[family] ?? family];
  const spec = known ?? UNKNOWN_FAMILY;
  if (!known) {
    warnings.push(
      `model_type "${family || '(none)'}" is not one Headroom knows: read as a Llama-style decoder ` +
        '(RMSNorm, gated FFN, no biases); check the parameter count against the model card',
    );
  }
  const g3 = spec.gemma3Defaults ? GEMMA3_TEXT_DEFAULTS : undefined;
  const layers = reader.int(['num_hidden_layers', 'n_layer', 'num_layers'], {
    min: 1,
    max: CONFIG_LIMITS.layers,
  });
  const hidden = reader.int(['hidden_size', 'n_embd', 'd_model'], {
    min: 1,
    max: CONFIG_LIMITS.hidden,
  });
  const heads = reader.int(
    ['num_attention_heads', 'n_head'],
    { min: 1, max: CONFIG_LIMITS.heads },
    g3?.attentionHeads,
  );
  const kvHeads = reader.int(['num_key_value_heads'], { min: 1, max: heads }, g3?.kvHeads ?? heads);
  if (heads % kvHeads !== 0)
    reader.fail(`${heads} attention heads are not a multiple of ${kvHeads} KV heads`);
  const headDim =
    reader.optionalInt(['head_dim'], { min: 1, max: CONFIG_LIMITS.headDim }) ??
    g3?.headDim ??
    headDimOf(reader, hidden, heads);
  // LFM2 configs name the FFN width block_ff_dim (transformers Lfm2Config reads it as such).
  const intermediate = reader.int(['intermediate_size', 'block_ff_dim'], {
    min: 1,
    max: CONFIG_LIMITS.intermediate,
  });
  const contextTokens = reader.int(
    ['max_position_embeddings'],
    { min: 1, max: CONFIG_LIMITS.contextTokens },
    spec.contextTokens,
  );

  const moe = readFamilyMoe(reader, spec, family, layers, intermediate, warnings);
  const mla = spec.moe === 'deepseek' ? readMla(reader, warnings) : undefined;
  const sliding = readSliding(reader, spec, layers, warnings);
  const biases = readBiases(reader, spec, family, warnings);
  // Multi-token-prediction layers after the main stack: DeepSeek-V3 / GLM-4.5
  // num_nextn_predict_layers; Qwen3-Next / Qwen3.5 mtp_num_hidden_layers (llama.cpp
  // conversion/qwen.py _QwenMtpMixin reads the same key; vLLM's qwen3_next_mtp drafts with them).
  const mtpLayers = reader.optionalInt(['num_nextn_predict_layers', 'mtp_num_hidden_layers'], {
    min: 0,
    max: CONFIG_LIMITS.layers,
  });

  const decoded: ArchitectureSpec = {
    family: family || 'unknown',
    layers,
    hiddenSize: hidden,
    attentionHeads: heads,
    kvHeads,
    headDim: mla ? mla.qkNopeHeadDim + mla.qkRopeHeadDim : headDim,
    intermediateSize: intermediate,
    vocabSize: reader.int(['vocab_size'], { min: 1, max: CONFIG_LIMITS.vocab }, g3?.vocabSize),
    tiedEmbeddings: reader.bool('tie_word_embeddings', spec.tied),
    attention: mla ? 'mla' : attentionKind(heads, kvHeads),
    maxContextTokens: contextTokens,
    ...(mla ? { mla } : {}),
    ...(moe ? { moe } : {}),
    ...(sliding ? { slidingWindow: sliding } : {}),
    ...(spec.normsPerLayer ? { normsPerLayer: spec.normsPerLayer } : {}),
    ...(spec.qkNorm ? { qkNorm: true } : {}),
    ...(biases ? { linearBiases: biases } : {}),
    ...(spec.fused ? { fusedQkv: true, fusedGateUp: true } : {}),
    ...(spec.moe === 'gpt_oss' ? { attentionSinks: true } : {}),
    ...(mtpLayers ? { mtpLayers } : {}),
  };
  return readHybrid(reader, FAMILY_ALIASES[family] ?? family, decoded, warnings);
}

function readFamilyMoe(
  reader: ConfigReader,
  spec: DecoderFamily,
  family: string,
  layers: number,
  intermediate: number,
  warnings: string[],
): MoeSpec | undefined {
  switch (spec.moe) {
    case 'mixtral':
      return readMixtralStyleMoe(reader, intermediate, false);
    case 'gpt_oss':
      return readMixtralStyleMoe(reader, intermediate, true);
    case 'qwen':
      return readQwenMoe(reader, layers, warnings);
    case 'deepseek':
      return readDeepseekMoe(reader, layers, warnings);
    default: {
      const moe = spec === UNKNOWN_FAMILY ? readGenericMoe(reader, intermediate) : undefined;
      if (moe)
        warnings.push(`${family}: experts read from the common keys; check the expert layout`);
      return moe;
    }
  }
}

function readBiases(
  reader: ConfigReader,
  spec: DecoderFamily,
  family: string,
  warnings: string[],
): LinearBiases | undefined {
  const attention = reader.bool('attention_bias', spec.attentionBias ?? false);
  if (spec.moe === 'deepseek') {
    if (attention) warnings.push(`${family}: attention_bias is true; MLA biases are not counted`);
    return undefined;
  }
  const biases: LinearBiases = {
    qkv: attention || (spec.qkvBias ?? false),
    attnOutput: attention,
    // gpt-oss experts always carry gate_up_proj_bias and down_proj_bias (GptOssExperts).
    ffn: spec.moe === 'gpt_oss' || reader.bool('mlp_bias', false),
  };
  return biases.qkv || biases.attnOutput || biases.ffn ? biases : undefined;
}

function readSliding(
  reader: ConfigReader,
  spec: DecoderFamily,
  layers: number,
  warnings: string[],
): SlidingWindowSpec | undefined {
  const windowBounds = { min: 1, max: CONFIG_LIMITS.contextTokens };
  const layerTypes = reader.array('layer_types');
  let slidingLayers: boolean[];
  let window: number | undefined;

  if (layerTypes) {
    if (layerTypes.length !== layers) {
      reader.fail(
        `layer_types lists ${layerTypes.length} layers, num_hidden_layers says ${layers}`,
      );
    }
    slidingLayers = layerTypes.map((type, index) => {
      if (type === 'sliding_attention') return true;
      if (type === 'full_attention') return false;
      if (typeof type !== 'string') reader.fail(`layer_types[${index}] is not a string`);
      warnings.push(`layer_types[${index}] is "${type}": counted as full attention`);
      return false;
    });
    if (!slidingLayers.some(Boolean)) return undefined;
    window = reader.int(['sliding_window'], windowBounds);
    return { windowTokens: window, slidingLayers };
  }

  const windowKey = reader.config['sliding_window'];
  if (windowKey === null) return undefined;
  window =
    windowKey === undefined ? spec.defaultWindow : reader.int(['sliding_window'], windowBounds);
  const indexes = Array.from({ length: layers }, (_, index) => index);

  switch (spec.sliding) {
    case 'none':
      if (window !== undefined && spec === UNKNOWN_FAMILY) {
        warnings.push(`sliding_window ${window} ignored: no layer_types say which layers use it`);
      }
      return undefined;
    case 'all':
      slidingLayers = indexes.map(() => true);
      break;
    case 'qwen': {
      if (!reader.bool('use_sliding_window', false)) return undefined;
      window ??= QWEN_DEFAULT_WINDOW_TOKENS;
      const from = reader.int(
        ['max_window_layers'],
        { min: 0, max: CONFIG_LIMITS.layers },
        QWEN_DEFAULT_MAX_WINDOW_LAYERS,
      );
      slidingLayers = indexes.map((index) => index >= from);
      break;
    }
    case 'alternate':
      slidingLayers = indexes.map((index) => (index + 1) % 2 !== 0);
      break;
    case 'pattern': {
      const pattern = reader.int(
        ['sliding_window_pattern'],
        { min: 1, max: CONFIG_LIMITS.layers },
        GEMMA3_TEXT_DEFAULTS.slidingWindowPattern,
      );
      slidingLayers = indexes.map((index) => (index + 1) % pattern !== 0);
      break;
    }
  }
  if (window === undefined || !slidingLayers.some(Boolean)) return undefined;
  return { windowTokens: window, slidingLayers };
}
