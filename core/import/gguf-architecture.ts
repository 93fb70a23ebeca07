import type {
  ArchitectureSpec,
  AttentionKind,
  LinearBiases,
  MlaSpec,
  MoeSpec,
  SlidingWindowSpec,
} from '../models/types';
import { CONFIG_LIMITS } from './hf-config-reader';
import type { GgufHeader } from './gguf-reader';
import { isGgufHybridFamily, readGgufHybrid, type GgufHybridLayout } from './gguf-hybrid';
import { GgufLookup } from './gguf-metadata';

/**
 * A GGUF header's architecture metadata (`{arch}.block_count`, `.embedding_length`,
 * `.attention.head_count` …, key names from llama.cpp src/llama-arch.cpp LLM_KV_NAMES) and its
 * tensor names (LLM_TENSOR_NAMES: blk.N.attn_q, ffn_gate_exps …) turned into an ArchitectureSpec.
 * Layout details (biases, fused matrices, norms) are read from which tensors exist, so the spec
 * enumerates the same tensors the file holds.
 */

/** GGUF general.architecture → Hugging Face model_type, where they differ or need a choice. */
const FAMILY_OF_ARCH: Readonly<Record<string, string>> = {
  qwen2moe: 'qwen2_moe',
  qwen3moe: 'qwen3_moe',
  'gpt-oss': 'gpt_oss',
  qwen3next: 'qwen3_next',
  granitehybrid: 'granitemoehybrid',
  'falcon-h1': 'falcon_h1',
};

/**
 * Architectures whose every layer is a Mamba mixer with no attention and no FFN (llama.cpp
 * src/models/mamba.cpp, mamba2.cpp): ArchitectureSpec cannot describe them yet.
 */
const PURE_SSM_ARCHS: ReadonlySet<string> = new Set(['mamba', 'mamba2']);

/** Families whose HF config and GGUF layouts Headroom models (core/import/hf-config-*.ts). */
const KNOWN_FAMILIES: ReadonlySet<string> = new Set([
  'llama',
  'mistral',
  'mixtral',
  'qwen2',
  'qwen3',
  'qwen3_moe',
  'gemma',
  'gemma2',
  'gemma3',
  'phi3',
  'deepseek_v2',
  'deepseek_v3',
  'gpt_oss',
  'falcon',
  'bloom',
  'gpt2',
  'qwen3_next',
  'jamba',
  'granitemoehybrid',
  'falcon_h1',
  'lfm2',
]);

/**
 * Sliding-window layer patterns llama.cpp sets (src/llama-model.cpp hparams.set_swa_pattern):
 * Gemma 2 and gpt-oss alternate (even layers slide), Gemma 3 slides 5 of every 6 layers.
 */
const SWA_PATTERN: Readonly<Record<string, number>> = { gemma2: 2, gpt_oss: 2, gemma3: 6 };

/**
 * Assumed when a file omits `{arch}.context_length` (llama.cpp itself requires the key): the
 * LlamaConfig default max_position_embeddings = 2048 that hf-config-decoders.ts also uses. Warned.
 */
const DEFAULT_CONTEXT_TOKENS = 2048;

interface GgufArchitectureResult {
  /** Undefined when the metadata lacks what an architecture needs (the warnings say what). */
  readonly architecture?: ArchitectureSpec;
  readonly family: string;
  readonly warnings: readonly string[];
}

/**
 * Builds the architecture of a GGUF model from its header.
 *
 * @param header a validated header (readGgufHeader)
 * @returns the architecture when the metadata allows, the family name, and warnings
 * @example ggufArchitecture(header).architecture?.layers // 32 for Llama-2-7B
 */
export function ggufArchitecture(header: GgufHeader): GgufArchitectureResult {
  const g = new GgufLookup(header);
  const warnings: string[] = [];
  const arch = g.string('general.architecture');
  if (!arch) {
    return { family: 'unknown', warnings: ['no general.architecture: architecture unknown'] };
  }
  const family = familyOf(arch, g);
  if (PURE_SSM_ARCHS.has(arch)) {
    return {
      family,
      warnings: [
        `architecture unknown: "${arch}" has only Mamba layers (no attention, no FFN), which Headroom does not model; plans use the parameter count only, without the recurrent state`,
      ],
    };
  }
  if (!KNOWN_FAMILIES.has(family)) {
    warnings.push(
      `GGUF architecture "${arch}" is not one Headroom models exactly; read as a Llama-style decoder`,
    );
  }
  const key = (name: string) => `${arch}.${name}`;
  // block_count counts the MTP layers the converter appends (nextn_predict_layers): llama.cpp
  // src/llama-hparams.cpp n_layer() = n_layer_all − n_layer_nextn; conversion/qwen.py
  // _QwenMtpMixin and conversion/glm.py add them to block_count.
  const blocks = g.count(key('block_count'), CONFIG_LIMITS.layers);
  const mtpLayers = blocks
    ? Math.min(g.count(key('nextn_predict_layers'), blocks - 1) ?? 0, blocks - 1)
    : 0;
  const layers = blocks ? blocks - mtpLayers : undefined;
  const hiddenSize = g.count(key('embedding_length'), CONFIG_LIMITS.hidden);
  const attentionHeads = g.count(key('attention.head_count'), CONFIG_LIMITS.heads);
  const embedding = g.tensor('token_embd.weight');
  const vocabSize =
    embedding?.dims[1] ??
    g.count(key('vocab_size'), CONFIG_LIMITS.vocab) ??
    g.arrayLength('tokenizer.ggml.tokens');
  const missing = [
    layers ? undefined : key('block_count'),
    hiddenSize ? undefined : key('embedding_length'),
    attentionHeads ? undefined : key('attention.head_count'),
    vocabSize ? undefined : 'token_embd.weight',
  ].filter((name) => name !== undefined);
  if (!layers || !hiddenSize || !attentionHeads || !vocabSize || missing.length > 0) {
    warnings.push(
      `architecture unknown: the header lacks ${missing.join(', ')}; plans use the parameter count only`,
    );
    return { family, warnings };
  }

  const kvHeads = g.count(key('attention.head_count_kv'), CONFIG_LIMITS.heads) || attentionHeads;
  const mla = readMla(g, key);
  const headDim = mla
    ? mla.qkNopeHeadDim + mla.qkRopeHeadDim
    : g.count(key('attention.key_length'), CONFIG_LIMITS.headDim) ||
      Math.floor(hiddenSize / attentionHeads);
  const moe = readMoe(g, key, layers);
  const intermediateSize = readFfnWidth(g, key, moe);
  let maxContextTokens = g.count(key('context_length'), CONFIG_LIMITS.contextTokens);
  if (!maxContextTokens) {
    warnings.push(`no ${key('context_length')}: assuming ${DEFAULT_CONTEXT_TOKENS} tokens`);
    maxContextTokens = DEFAULT_CONTEXT_TOKENS;
  }
  if (!intermediateSize || !headDim) {
    warnings.push(
      `architecture unknown: no FFN width (${key('feed_forward_length')}) or head size`,
    );
    return { family, warnings };
  }

  let hybrid: GgufHybridLayout | undefined;
  if (isGgufHybridFamily(family)) {
    const reading = readGgufHybrid(g, key, family, layers, hiddenSize, moe);
    if (!reading.ok) {
      warnings.push(
        `architecture unknown: ${reading.reason}; plans use the parameter count only, without the recurrent state`,
      );
      return { family, warnings };
    }
    hybrid = reading.layout;
  }

  const architecture: ArchitectureSpec = {
    family,
    layers,
    hiddenSize,
    attentionHeads,
    kvHeads,
    headDim,
    intermediateSize,
    vocabSize,
    tiedEmbeddings: !g.has('output.weight'),
    attention: attentionKind(attentionHeads, kvHeads, mla !== undefined),
    maxContextTokens,
    ...(mla ? { mla } : {}),
    ...(moe ? { moe } : {}),
    ...slidingWindow(g, key, family, layers),
    ...layout(g, intermediateSize, family, hybrid?.firstAttentionLayer ?? 0),
    ...(hybrid
      ? {
          layerMixers: hybrid.layerMixers,
          ...(hybrid.moe ? { moe: hybrid.moe } : {}),
          ...(hybrid.attentionOutputGate ? { attentionOutputGate: true } : {}),
          ...(hybrid.sharedExpertGate ? { sharedExpertGate: true } : {}),
        }
      : {}),
    ...(mtpLayers > 0 ? { mtpLayers } : {}),
  };
  for (const perLayer of g.perLayerKeys) {
    if (hybrid?.explainedKeys.includes(perLayer)) continue;
    warnings.push(`${perLayer} differs per layer; Headroom uses its largest value`);
  }
  return { architecture, family, warnings };
}

function familyOf(arch: string, g: GgufLookup): string {
  if (arch === 'deepseek2')
    return g.has('blk.0.exp_probs_b.bias') || anyTensorEndsWith(g, '.exp_probs_b.bias')
      ? 'deepseek_v3'
      : 'deepseek_v2';
  if (arch === 'llama' && (g.count('llama.expert_count', CONFIG_LIMITS.experts) ?? 0) > 0)
    return 'mixtral';
  return FAMILY_OF_ARCH[arch] ?? arch;
}

function anyTensorEndsWith(g: GgufLookup, suffix: string): boolean {
  return g.header.tensors.some((tensor) => tensor.name.endsWith(suffix));
}

function attentionKind(heads: number, kvHeads: number, isMla: boolean): AttentionKind {
  if (isMla) return 'mla';
  if (kvHeads === heads) return 'mha';
  return kvHeads === 1 ? 'mqa' : 'gqa';
}

/**
 * DeepSeek MLA: kv_lora_rank, q_lora_rank (0 or absent = no query compression) and
 * rope.dimension_count; per-head sizes from key/value_length_mla when the converter split
 * attn_kv_b (newer llama.cpp), else key_length − rope and value_length.
 */
function readMla(g: GgufLookup, key: (name: string) => string): MlaSpec | undefined {
  const kvLoraRank = g.count(key('attention.kv_lora_rank'), CONFIG_LIMITS.rank);
  if (!kvLoraRank) return undefined;
  const qLoraRank = g.count(key('attention.q_lora_rank'), CONFIG_LIMITS.rank) || null;
  const rope = g.count(key('rope.dimension_count'), CONFIG_LIMITS.headDim) ?? 0;
  const keyLength =
    g.count(key('attention.key_length_mla'), CONFIG_LIMITS.headDim) ??
    g.count(key('attention.key_length'), CONFIG_LIMITS.headDim) ??
    0;
  const valueLength =
    g.count(key('attention.value_length_mla'), CONFIG_LIMITS.headDim) ??
    g.count(key('attention.value_length'), CONFIG_LIMITS.headDim) ??
    0;
  if (keyLength <= rope || valueLength === 0) return undefined;
  return {
    kvLoraRank,
    qLoraRank,
    qkNopeHeadDim: keyLength - rope,
    qkRopeHeadDim: rope,
    vHeadDim: valueLength,
  };
}

function readMoe(
  g: GgufLookup,
  key: (name: string) => string,
  layers: number,
): MoeSpec | undefined {
  const routedExperts = g.count(key('expert_count'), CONFIG_LIMITS.experts);
  const activeExperts = g.count(key('expert_used_count'), CONFIG_LIMITS.experts);
  if (!routedExperts || !activeExperts) return undefined;
  const firstDenseLayers = Math.min(g.count(key('leading_dense_block_count'), layers) ?? 0, layers);
  const expertTensor =
    findLayerTensor(g, 'ffn_up_exps.weight') ?? findLayerTensor(g, 'ffn_down_exps.weight');
  const expertIntermediateSize =
    g.count(key('expert_feed_forward_length'), CONFIG_LIMITS.intermediate) ||
    (expertTensor
      ? expertTensor.name.includes('down')
        ? expertTensor.dims[0]
        : expertTensor.dims[1]
      : undefined);
  if (!expertIntermediateSize) return undefined;
  const shared = findLayerTensor(g, 'ffn_up_shexp.weight');
  const sharedIntermediateSize = shared?.dims[1] ?? 0;
  const sharedExperts =
    g.count(key('expert_shared_count'), CONFIG_LIMITS.experts) ?? (shared ? 1 : 0);
  const routerBias =
    anyTensorEndsWith(g, '.exp_probs_b.bias') || anyTensorEndsWith(g, '.ffn_gate_inp.bias');
  return {
    routedExperts,
    activeExperts,
    sharedExperts,
    expertIntermediateSize,
    sharedIntermediateSize,
    firstDenseLayers,
    ...(routerBias ? { routerBias } : {}),
  };
}

/** The first `blk.N.<suffix>` tensor in the file. */
function findLayerTensor(g: GgufLookup, suffix: string) {
  return g.header.tensors.find(
    (tensor) => tensor.name.startsWith('blk.') && tensor.name.endsWith(`.${suffix}`),
  );
}

/** Dense FFN width: feed_forward_length, else a dense ffn_up's rows, else the expert width. */
function readFfnWidth(
  g: GgufLookup,
  key: (name: string) => string,
  moe: MoeSpec | undefined,
): number | undefined {
  const declared = g.count(key('feed_forward_length'), CONFIG_LIMITS.intermediate);
  if (declared) return declared;
  const up = findLayerTensor(g, 'ffn_up.weight');
  return up?.dims[1] ?? moe?.expertIntermediateSize;
}

function slidingWindow(
  g: GgufLookup,
  key: (name: string) => string,
  family: string,
  layers: number,
): { slidingWindow?: SlidingWindowSpec } {
  const windowTokens = g.count(key('attention.sliding_window'), CONFIG_LIMITS.contextTokens);
  if (!windowTokens) return {};
  const pattern =
    family === 'gemma3'
      ? (g.count(key('attention.sliding_window_pattern'), layers) ?? SWA_PATTERN['gemma3']!)
      : SWA_PATTERN[family];
  const slidingLayers = Array.from({ length: layers }, (_, i) =>
    pattern ? (i + 1) % pattern !== 0 : true,
  );
  return { slidingWindow: { windowTokens, slidingLayers } };
}

/**
 * Optional layout fields, from the tensors of layer 0, the first attending layer (`attnLayer`:
 * a hybrid's layer 0 may be a Mamba or conv layer) and the model-level tensors.
 */
function layout(
  g: GgufLookup,
  ffnWidth: number,
  family: string,
  attnLayer: number,
): Partial<ArchitectureSpec> {
  const blk = (name: string) => g.has(`blk.0.${name}`);
  const attn = (name: string) => g.has(`blk.${attnLayer}.${name}`);
  const out: {
    -readonly [K in keyof ArchitectureSpec]?: ArchitectureSpec[K];
  } = {};
  if (blk('attn_norm.bias')) out.norm = 'layer';
  const norms = [
    'attn_norm',
    'attn_norm_2',
    'ffn_norm',
    'post_attention_norm',
    'post_ffw_norm',
  ].filter((name) => blk(`${name}.weight`)).length;
  if (norms === 1 || norms === 4) out.normsPerLayer = norms;
  if (blk('attn_norm_2.weight') || norms === 1) out.parallelAttention = true;
  if (attn('attn_q_norm.weight')) out.qkNorm = true;
  if (attn('attn_qkv.weight')) out.fusedQkv = true;
  const up = g.tensor('blk.0.ffn_up.weight');
  if (!blk('ffn_gate.weight') && up) {
    if (up.dims[1] === 2 * ffnWidth) out.fusedGateUp = true;
    else out.ffnKind = 'plain';
  }
  if (!blk('ffn_gate_exps.weight') && blk('ffn_up_exps.weight')) out.ffnKind = 'plain';
  const biases: LinearBiases = {
    qkv: attn('attn_q.bias') || attn('attn_qkv.bias'),
    attnOutput: attn('attn_output.bias'),
    ffn: blk('ffn_up.bias') || blk('ffn_down.bias') || anyTensorEndsWith(g, '_exps.bias'),
  };
  if (biases.qkv || biases.attnOutput || biases.ffn) out.linearBiases = biases;
  const positions = g.tensor('position_embd.weight');
  if (positions?.dims[1]) out.learnedPositionRows = positions.dims[1];
  // LFM2 stores its final norm as token_embd_norm (llama-arch.cpp LLM_TENSOR_OUTPUT_NORM_LFM2,
  // "fix for wrong tensor name"): not a norm after the embedding.
  if (g.has('token_embd_norm.weight') && family !== 'lfm2') out.embeddingNorm = true;
  if (attn('attn_sinks.weight')) out.attentionSinks = true;
  return out;
}
