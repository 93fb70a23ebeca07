import type { LayerMixer, MoeSpec, RecurrentStateSpec } from '../models/types';
import { CONFIG_LIMITS } from './hf-config-reader';
import type { GgufLookup } from './gguf-metadata';

/**
 * Hybrid GGUF decoders whose layers are not all attention (Qwen3-Next, Jamba, granite-4.0-h,
 * Falcon-H1, LFM2): which layers attend and what state the others keep, read from the metadata
 * llama.cpp's converter writes, onto the same layer kinds core/import/hf-config-hybrid.ts reads
 * from config.json. Key names: src/llama-arch.cpp LLM_KV_NAMES (`{arch}.ssm.conv_kernel`,
 * `.ssm.inner_size`, `.ssm.state_size`, `.ssm.time_step_rank`, `.ssm.group_count`,
 * `.full_attention_interval`, `.attention.recurrent_layers`, `.shortconv.l_cache`).
 */

/** Families this module reads (HF model_type names, as gguf-architecture.ts maps them). */
const GGUF_HYBRID_FAMILIES = [
  'qwen3_next',
  'jamba',
  'granitemoehybrid',
  'falcon_h1',
  'lfm2',
] as const;
type GgufHybridFamily = (typeof GGUF_HYBRID_FAMILIES)[number];

export function isGgufHybridFamily(family: string): family is GgufHybridFamily {
  return (GGUF_HYBRID_FAMILIES as readonly string[]).includes(family);
}

/**
 * Qwen3-Next's default: llama.cpp src/models/qwen3next.cpp load_arch_hparams uses 4 when the file
 * has neither attention.recurrent_layers nor full_attention_interval (as Qwen3NextConfig does).
 */
const QWEN3_NEXT_FULL_ATTENTION_INTERVAL = 4;
const KERNEL_MAX = 1024;

export interface GgufHybridLayout {
  readonly layerMixers: readonly LayerMixer[];
  /** The first layer that attends: its tensors show the attention layout (biases, q/k norms). */
  readonly firstAttentionLayer: number;
  /** Jamba: experts on every Nth layer (from which layers hold ffn_gate_inp). */
  readonly moe?: MoeSpec;
  /** Qwen3-Next: q_proj carries the output gate; the shared expert a sigmoid gate. */
  readonly attentionOutputGate?: true;
  readonly sharedExpertGate?: true;
  /** Per-layer keys whose differences this reading explains (no "differs per layer" warning). */
  readonly explainedKeys: readonly string[];
}

type GgufHybridReading =
  | { readonly ok: true; readonly layout: GgufHybridLayout }
  | { readonly ok: false; readonly reason: string };

interface Context {
  readonly g: GgufLookup;
  readonly key: (name: string) => string;
  readonly layers: number;
  readonly hiddenSize: number;
}

/**
 * The hybrid layout of a GGUF model of one of GGUF_HYBRID_FAMILIES.
 *
 * @param g the header lookup
 * @param key `{arch}.` + name
 * @param family the HF model_type the architecture maps to
 * @param layers main decoder layers (block_count less any nextn_predict_layers)
 * @param hiddenSize embedding_length
 * @param moe the routed experts read from the metadata, if any
 * @returns the layer mixers, or why they could not be read
 * @example readGgufHybrid(g, key, 'lfm2', 16, 2048, undefined) // 6 attention + 10 short-conv layers
 */
export function readGgufHybrid(
  g: GgufLookup,
  key: (name: string) => string,
  family: GgufHybridFamily,
  layers: number,
  hiddenSize: number,
  moe: MoeSpec | undefined,
): GgufHybridReading {
  const c: Context = { g, key, layers, hiddenSize };
  const state = readState(c, family);
  if (typeof state === 'string') return { ok: false, reason: state };
  const kvHeadsKey = key('attention.head_count_kv');

  if (family === 'falcon_h1') {
    // src/models/falcon-h1.cpp: every layer builds attention and the Mamba-2 mixer side by side
    // (is_recr_impl filled with true, attention tensors created on every layer).
    const both: LayerMixer = { kind: 'attention-and-recurrent', state };
    return {
      ok: true,
      layout: {
        layerMixers: Array.from({ length: layers }, () => both),
        firstAttentionLayer: 0,
        explainedKeys: [],
      },
    };
  }

  const recurrent = recurrentLayers(c, family);
  if (typeof recurrent === 'string') return { ok: false, reason: recurrent };
  const firstAttentionLayer = recurrent.indexOf(false);
  const mixers: LayerMixer[] = recurrent.map((isRecurrent) =>
    isRecurrent ? { kind: 'recurrent', state } : { kind: 'attention' },
  );
  const layout: GgufHybridLayout = {
    layerMixers: mixers,
    firstAttentionLayer: Math.max(firstAttentionLayer, 0),
    explainedKeys: attentionKvHeadsUniform(c, recurrent) ? [kvHeadsKey] : [],
  };
  if (family === 'qwen3_next') {
    // src/models/qwen3next.cpp load_arch_tensors: attention q is n_embd_head_k × n_head × 2 (the
    // output gate), and ffn_gate_inp_shexp gates the shared expert.
    return {
      ok: true,
      layout: {
        ...layout,
        attentionOutputGate: true,
        ...(g.has('blk.0.ffn_gate_inp_shexp.weight') ? { sharedExpertGate: true } : {}),
      },
    };
  }
  if (family === 'jamba' && moe) {
    const interval = expertLayerInterval(g, layers);
    if (interval === undefined) {
      return {
        ok: false,
        reason:
          'Jamba experts (blk.N.ffn_gate_inp) are not on every Nth layer; Headroom models only that',
      };
    }
    return {
      ok: true,
      layout: {
        ...layout,
        moe: { ...moe, ...(interval > 1 ? { moeLayerInterval: interval } : {}) },
      },
    };
  }
  return { ok: true, layout };
}

/** The recurrent state one layer keeps, or what the header lacks. */
function readState(c: Context, family: GgufHybridFamily): RecurrentStateSpec | string {
  const { g, key } = c;
  const need = (name: string, max: number): number | string =>
    g.count(key(name), max) || `no ${key(name)}`;
  const firstRecurrent = firstLayerWith(g, [
    'ssm_in.weight',
    'attn_qkv.weight',
    'shortconv.in_proj.weight',
  ]);
  const hasLayerTensor = (name: string) =>
    firstRecurrent !== undefined && g.has(`blk.${firstRecurrent}.${name}`);

  if (family === 'lfm2') {
    // src/models/lfm2.cpp: shortconv.conv {l_cache, n_embd}, in_proj {n_embd, 3 n_embd}, out_proj;
    // llama-hparams.cpp n_embd_r = n_embd × (l_cache − 1).
    const kernel = need('shortconv.l_cache', KERNEL_MAX);
    if (typeof kernel === 'string') return kernel;
    return {
      kind: 'short-conv',
      channels: c.hiddenSize,
      convKernel: kernel,
      bias: hasLayerTensor('shortconv.in_proj.bias'),
    };
  }

  const kernel = need('ssm.conv_kernel', KERNEL_MAX);
  if (typeof kernel === 'string') return kernel;
  const inner = need('ssm.inner_size', CONFIG_LIMITS.hidden);
  if (typeof inner === 'string') return inner;
  const dState = need('ssm.state_size', CONFIG_LIMITS.hidden);
  if (typeof dState === 'string') return dState;
  const dtRank = need('ssm.time_step_rank', CONFIG_LIMITS.hidden);
  if (typeof dtRank === 'string') return dtRank;

  if (family === 'jamba') {
    // src/models/jamba.cpp: Mamba-1 ssm_in {n_embd, 2 d_inner}, ssm_conv1d {d_conv, d_inner} + bias,
    // ssm_x {d_inner, dt_rank + 2 d_state}, ssm_dt {dt_rank, d_inner} + bias, dt/B/C norms.
    return {
      kind: 'mamba1',
      innerSize: inner,
      stateSize: dState,
      convKernel: kernel,
      dtRank,
      convBias: hasLayerTensor('ssm_conv1d.bias'),
      projBias: hasLayerTensor('ssm_in.bias'),
    };
  }

  const groups = need('ssm.group_count', CONFIG_LIMITS.heads);
  if (typeof groups === 'string') return groups;
  if (family === 'qwen3_next') {
    // conversion/qwen.py Qwen3NextModel.set_gguf_parameters: state_size = linear_key_head_dim,
    // group_count = linear_num_key_heads, time_step_rank = linear_num_value_heads, inner_size =
    // linear_value_head_dim × linear_num_value_heads.
    if (inner % dtRank !== 0) {
      return `${key('ssm.inner_size')} ${inner} is not a multiple of ${key('ssm.time_step_rank')} ${dtRank}`;
    }
    return {
      kind: 'gated-deltanet',
      keyHeads: groups,
      valueHeads: dtRank,
      keyHeadDim: dState,
      valueHeadDim: inner / dtRank,
      convKernel: kernel,
    };
  }
  // granite-4.0-h and Falcon-H1 Mamba-2 (src/models/granite-hybrid.cpp, falcon-h1.cpp):
  // time_step_rank is the SSM head count (conversion/granite.py: "n_heads"), ssm_in {n_embd,
  // 2 d_inner + 2 n_group d_state + n_head}, ssm_norm only where the model has the gated norm.
  if (inner % dtRank !== 0) {
    return `${key('ssm.inner_size')} ${inner} is not a multiple of ${key('ssm.time_step_rank')} ${dtRank} heads`;
  }
  return {
    kind: 'mamba2',
    innerSize: inner,
    heads: dtRank,
    headDim: inner / dtRank,
    groups,
    stateSize: dState,
    convKernel: kernel,
    convBias: hasLayerTensor('ssm_conv1d.bias'),
    projBias: hasLayerTensor('ssm_in.bias'),
    gatedNorm: hasLayerTensor('ssm_norm.weight'),
  };
}

/** One flag per layer: true where the layer keeps a recurrent state instead of a KV cache. */
function recurrentLayers(c: Context, family: GgufHybridFamily): boolean[] | string {
  const { g, key, layers } = c;
  if (family === 'qwen3_next') {
    // src/models/qwen3next.cpp load_arch_hparams: attention.recurrent_layers when present, else
    // layer i is recurrent iff (i + 1) % full_attention_interval != 0.
    const flags = g.perLayer(key('attention.recurrent_layers'), layers, 1);
    if (flags) return flags.map((flag) => flag === 1);
    const interval =
      g.count(key('full_attention_interval'), layers) || QWEN3_NEXT_FULL_ATTENTION_INTERVAL;
    return Array.from({ length: layers }, (_, i) => (i + 1) % interval !== 0);
  }
  // Jamba, granite-4.0-h, LFM2 (src/models/jamba.cpp, granite-hybrid.cpp, lfm2.cpp
  // load_arch_hparams): a layer is recurrent iff its attention.head_count_kv entry is 0 (the
  // converters write a per-layer array with 0 for the Mamba / conv layers).
  const kvHeads = g.perLayer(key('attention.head_count_kv'), layers, CONFIG_LIMITS.heads);
  if (!kvHeads) return `no per-layer ${key('attention.head_count_kv')} to tell recurrent layers`;
  return kvHeads.map((heads) => heads === 0);
}

/** Whether the attention layers share one KV head count (the zeros mark recurrent layers). */
function attentionKvHeadsUniform(c: Context, recurrent: readonly boolean[]): boolean {
  const kvHeads = c.g.perLayer(c.key('attention.head_count_kv'), c.layers, CONFIG_LIMITS.heads);
  if (!kvHeads) return true;
  const attending = kvHeads.filter((_, layer) => !recurrent[layer]);
  return attending.every((heads) => heads === attending[0]);
}

/** The first layer index holding any of `suffixes`, or undefined. */
function firstLayerWith(g: GgufLookup, suffixes: readonly string[]): number | undefined {
  let first: number | undefined;
  for (const tensor of g.header.tensors) {
    const match = /^blk\.(\d+)\.(.+)$/.exec(tensor.name);
    if (!match || !suffixes.includes(match[2]!)) continue;
    const layer = Number(match[1]);
    if (first === undefined || layer < first) first = layer;
  }
  return first;
}

/**
 * Jamba's expert layers (src/models/jamba.cpp: a layer is MoE iff it has ffn_gate_inp) as an
 * interval N where layer i is MoE iff (i + 1) % N == 0 (ArchitectureSpec.moeLayerInterval).
 */
function expertLayerInterval(g: GgufLookup, layers: number): number | undefined {
  const moeLayers = Array.from({ length: layers }, (_, i) => g.has(`blk.${i}.ffn_gate_inp.weight`));
  const first = moeLayers.indexOf(true);
  if (first < 0) return undefined;
  const interval = first + 1;
  return moeLayers.every((isMoe, i) => isMoe === ((i + 1) % interval === 0)) ? interval : undefined;
}
