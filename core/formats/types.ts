import type { ComputeDtype } from '../devices/dtypes';
import type { TensorSpec } from '../models/types';

/** How a format is organised, for grouping in tables and the UI. */
export type FormatFamily =
  | 'float' // plain IEEE-style floats: fp32, fp16, bf16, fp8 …
  | 'integer' // plain integers with a negligible per-tensor scale: int8, int4
  | 'microscaling' // OCP MX and NVIDIA NVFP4 block formats
  | 'bitsandbytes' // LLM.int8, NF4, FP4 (bitsandbytes)
  | 'gptq-awq' // group-wise int4/int8 with scales and zero points
  | 'ggml' // one GGML block type (q4_0, q4_k …)
  | 'gguf-mix'; // a llama.cpp file type that mixes GGML types per tensor (Q4_K_M …)

/**
 * A storage format for weights (and, where it makes sense, the KV cache).
 *
 * `bitsPerWeight` is the true average cost of a weight stored in it, every scale, zero point
 * and block header included. For a `gguf-mix` it is the cost of the format's main type; the
 * real size of a model comes from `tensorFormat`, tensor by tensor.
 */
export interface NumericFormat {
  readonly id: string;
  readonly label: string;
  readonly family: FormatFamily;
  readonly bitsPerWeight: number;
  /**
   * The dtype the matrix math runs in when the device supports it natively. A format whose
   * `storageOnly` is true is always dequantized on the fly to `computeDtype` (fp16/bf16).
   */
  readonly computeDtype: ComputeDtype;
  readonly storageOnly: boolean;
  /**
   * Rank by fidelity to the original weights, higher is better (fp32 highest). Used by the
   * best-format search; equal ranks are equally good.
   */
  readonly qualityRank: number;
  /** Usable for the KV cache (fp16, bf16, fp8, q8_0, q4_0 …). */
  readonly kvCapable: boolean;
  /** Which engines can load weights in this format. */
  readonly engines: readonly EngineId[];
  readonly source: string;
  /**
   * The format each tensor of a model is stored in. Plain formats keep norms/biases and
   * (per engine convention) embeddings in higher precision; mixes follow llama.cpp's
   * quantizer rules. Returns a format id of a single (non-mix) format.
   */
  tensorFormat(tensor: TensorSpec, context: TensorContext): string;
}

/** What a per-tensor rule needs to know beyond the tensor itself. */
export interface TensorContext {
  /** Number of transformer layers (llama.cpp's rules depend on the layer's position). */
  readonly layers: number;
  /** Number of experts, 0 for dense models (llama.cpp gives MoE attn_v more bits). */
  readonly experts: number;
  /** Grouped-query attention factor = heads / kv heads (llama.cpp: n_gqa). */
  readonly gqaFactor: number;
  /**
   * The output head shares the token embedding (no separate `output` tensor). llama.cpp then
   * quantizes `token_embd` with the output tensor's rule (llama-quant.cpp: has_tied_embeddings).
   * Absent means false.
   */
  readonly tiedEmbeddings?: boolean;
  /**
   * The GGUF quantization used an importance matrix (`llama-quantize --imatrix`), which
   * changes a few of llama.cpp's per-tensor choices (IQ3_XXS, IQ4_NL/IQ4_XS, Q4_0/Q5_0).
   * Absent means false: plain `llama-quantize` without one.
   */
  readonly importanceMatrix?: boolean;
  /**
   * Hugging Face model_type (ArchitectureSpec.family): llama.cpp has Falcon-specific rules and
   * a 70B rule for llama/qwen2 models with 80 layers. Absent means none of those apply.
   */
  readonly family?: string;
}

export type EngineId = 'generic' | 'transformers' | 'vllm' | 'sglang' | 'llama.cpp';
