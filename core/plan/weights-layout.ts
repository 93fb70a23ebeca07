import type { NumericFormat, TensorContext } from '../formats/types';
import { weightBytes } from '../formats/weight-bytes';
import { isVisionTensor } from '../models/tensors';
import type { ArchitectureSpec, TensorSpec } from '../models/types';

/** Where a model's weight bytes sit: per layer, and the global tensors around the layers. */
export interface WeightsLayout {
  /** Bytes of each transformer layer's tensors, index = layer. */
  readonly layerBytes: readonly number[];
  /** Of those, the routed experts' (ffn_*_exps), which llama.cpp can keep in system RAM. */
  readonly layerExpertBytes: readonly number[];
  /** Input embeddings (token_embd, pos_embd): one row read per token. */
  readonly embeddingBytes: number;
  /** Output head, final norm and any other global tensor: read in full per token. */
  readonly headBytes: number;
  /** Of `headBytes`, the vision tower and projector's (llama.cpp keeps them in the mmproj file). */
  readonly visionBytes: number;
  readonly totalBytes: number;
  /**
   * Bytes one decoded token reads: every layer's dense tensors, the active share of routed
   * experts, and the head; embeddings contribute one row (negligible, counted as zero).
   */
  readonly activeBytesPerToken: number;
  /** Bytes by stored format id, for the assumptions list. */
  readonly byFormat: Readonly<
    Record<string, { readonly elements: number; readonly bytes: number }>
  >;
}

function tensorContext(architecture: ArchitectureSpec): TensorContext {
  return {
    layers: architecture.layers,
    experts: architecture.moe?.routedExperts ?? 0,
    gqaFactor: architecture.attentionHeads / architecture.kvHeads,
    tiedEmbeddings: architecture.tiedEmbeddings,
    family: architecture.family,
  };
}

/** Lays a model's tensors out by layer in a format, with llama.cpp-style per-tensor rules. */
export function layoutWeights(
  architecture: ArchitectureSpec,
  tensors: readonly TensorSpec[],
  format: NumericFormat,
): WeightsLayout {
  const context = tensorContext(architecture);
  const byLayer: TensorSpec[][] = Array.from({ length: architecture.layers }, () => []);
  const embeddings: TensorSpec[] = [];
  const head: TensorSpec[] = [];
  for (const tensor of tensors) {
    if (tensor.layer !== undefined) byLayer[tensor.layer]?.push(tensor);
    else if (tensor.role === 'token_embd' || tensor.role === 'pos_embd') embeddings.push(tensor);
    else head.push(tensor);
  }

  const activeShare = architecture.moe
    ? architecture.moe.activeExperts / architecture.moe.routedExperts
    : 1;
  let activeBytesPerToken = 0;
  const layerExpertBytes: number[] = [];
  const layerBytes = byLayer.map((layerTensors) => {
    let bytes = 0;
    let experts = 0;
    for (const tensor of layerTensors) {
      const tensorBytes = weightBytes([tensor], format, context).totalBytes;
      bytes += tensorBytes;
      if (tensor.experts > 1) experts += tensorBytes;
      activeBytesPerToken += tensor.experts > 1 ? tensorBytes * activeShare : tensorBytes;
    }
    layerExpertBytes.push(experts);
    return bytes;
  });
  const embeddingBytes = weightBytes(embeddings, format, context).totalBytes;
  const headBytes = weightBytes(head, format, context).totalBytes;
  // Decoding reads the head, not the vision tower that sits among the global tensors.
  const visionBytes = weightBytes(head.filter(isVisionTensor), format, context).totalBytes;
  activeBytesPerToken += headBytes - visionBytes;
  // Tied embeddings: the head *is* token_embd, read in full for the logits.
  if (architecture.tiedEmbeddings) activeBytesPerToken += embeddingBytes;

  const all = weightBytes(tensors, format, context);
  return {
    layerBytes,
    layerExpertBytes,
    embeddingBytes,
    headBytes,
    visionBytes,
    totalBytes: all.totalBytes,
    activeBytesPerToken,
    byFormat: all.byFormat,
  };
}
