import type {
  ArchitectureSpec,
  AttentionKind,
  LayerMixer,
  RecurrentStateSpec,
  SlidingWindowSpec,
} from '../types';

/**
 * Small builders that turn the handful of numbers a config.json gives into the full
 * ArchitectureSpec, the same way core/import/hf-config.ts reads them (a test checks the two
 * agree on every config in ../shared).
 */

/** A catalog entry before its parameters are counted. */
export interface CatalogEntry {
  /** The Hugging Face repo id. */
  readonly id: string;
  readonly displayName: string;
  /** Where the architecture numbers were read: the config.json (or a faithful copy) cited. */
  readonly config: string;
  readonly architecture: ArchitectureSpec;
  /** A core/formats id, from the config's torch_dtype or quantization_config. */
  readonly publishedFormat: string;
}

/** The numbers every decoder config states. */
export interface DecoderNumbers {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  /** Defaults to heads (multi-head attention). */
  readonly kvHeads?: number;
  /** Defaults to hidden / heads. */
  readonly headDim?: number;
  readonly intermediate: number;
  readonly vocab: number;
  readonly context: number;
  readonly tied?: boolean;
}

/** The attention kind implied by query and KV head counts. */
function kindOf(heads: number, kvHeads: number): AttentionKind {
  if (kvHeads === heads) return 'mha';
  return kvHeads === 1 ? 'mqa' : 'gqa';
}

/** A Llama-layout decoder (RMSNorm, RoPE, gated FFN, no biases) of the given family. */
export function decoder(family: string, n: DecoderNumbers): ArchitectureSpec {
  const kvHeads = n.kvHeads ?? n.heads;
  return {
    family,
    layers: n.layers,
    hiddenSize: n.hidden,
    attentionHeads: n.heads,
    kvHeads,
    headDim: n.headDim ?? n.hidden / n.heads,
    intermediateSize: n.intermediate,
    vocabSize: n.vocab,
    tiedEmbeddings: n.tied ?? false,
    attention: kindOf(n.heads, kvHeads),
    maxContextTokens: n.context,
  };
}

/** Every layer slides (Mistral v0.1, Phi-3). */
export function slidingAll(layers: number, windowTokens: number): SlidingWindowSpec {
  return { windowTokens, slidingLayers: Array.from({ length: layers }, () => true) };
}

/** Even layers slide, odd ones attend globally (Gemma 2, gpt-oss layer_types). */
export function slidingAlternate(layers: number, windowTokens: number): SlidingWindowSpec {
  return {
    windowTokens,
    slidingLayers: Array.from({ length: layers }, (_, layer) => layer % 2 === 0),
  };
}

/** GPT-2/OPT/BLOOM: every linear layer has a bias. */
export const ALL_BIASES = { qkv: true, attnOutput: true, ffn: true } as const;

/**
 * A hybrid's mixers: layers where `attends(i)` attend, the others keep `state` (Qwen3-Next
 * full_attention_interval, Jamba attn_layer_period/offset), as core/import/hf-config-hybrid.ts
 * reads them.
 */
export function hybridMixers(
  layers: number,
  attends: (layer: number) => boolean,
  state: RecurrentStateSpec,
): LayerMixer[] {
  const recurrent: LayerMixer = { kind: 'recurrent', state };
  return Array.from({ length: layers }, (_, layer) =>
    attends(layer) ? { kind: 'attention' } : recurrent,
  );
}
