/**
 * llama.cpp's quantizer, tensor by tensor: which GGML type `llama-quantize` gives each tensor
 * of a model for a file type (Q4_K_M …). Follows src/llama-quant.cpp of ggml-org/llama.cpp
 * master (commit 007dbbf3): tensor_allows_quantization, llama_tensor_get_type_impl,
 * tensor_type_fallback and llama_ftype_get_default_type. Each rule below says what the source
 * line does; the helpers for one tensor category live in llama-quant-rules.ts.
 *
 * Shapes: TensorSpec.shape is [rows, cols] (or [experts, rows, cols]); ggml's ne[0] is the
 * LAST dimension (cols, the inputs of a linear layer), the one that must be a multiple of
 * the block size.
 */
import type { TensorSpec } from '../models/types';
import type { TensorContext } from './types';
import { GGML_TYPES, type GgmlTypeId } from './ggml-types';
import { chooseType, type TensorCategory } from './llama-quant-rules';

/** The llama.cpp file types (LLAMA_FTYPE_MOSTLY_*), by their llama-quantize names, lower case. */
export const GGUF_FILE_TYPES = [
  'q4_0',
  'q4_1',
  'q5_0',
  'q5_1',
  'q8_0',
  'q2_k',
  'q2_k_s',
  'q3_k_s',
  'q3_k_m',
  'q3_k_l',
  'q4_k_s',
  'q4_k_m',
  'q5_k_s',
  'q5_k_m',
  'q6_k',
  'iq1_s',
  'iq1_m',
  'iq2_xxs',
  'iq2_xs',
  'iq2_s',
  'iq2_m',
  'iq3_xxs',
  'iq3_xs',
  'iq3_s',
  'iq3_m',
  'iq4_nl',
  'iq4_xs',
  'tq1_0',
  'tq2_0',
  'mxfp4_moe',
] as const;
export type GgufFileType = (typeof GGUF_FILE_TYPES)[number];

/**
 * The type most tensors of a file type get (llama-quant.cpp llama_ftype_get_default_type).
 * Note IQ2_S files are mostly iq2_xs and IQ2_M files mostly iq2_s; IQ3_XS, IQ3_S and IQ3_M
 * are all mostly iq3_s; MXFP4_MOE is mxfp4 for the experts.
 */
const GGUF_DEFAULT_TYPE: Readonly<Record<GgufFileType, GgmlTypeId>> = {
  q4_0: 'q4_0',
  q4_1: 'q4_1',
  q5_0: 'q5_0',
  q5_1: 'q5_1',
  q8_0: 'q8_0',
  q2_k: 'q2_k',
  q2_k_s: 'q2_k',
  q3_k_s: 'q3_k',
  q3_k_m: 'q3_k',
  q3_k_l: 'q3_k',
  q4_k_s: 'q4_k',
  q4_k_m: 'q4_k',
  q5_k_s: 'q5_k',
  q5_k_m: 'q5_k',
  q6_k: 'q6_k',
  iq1_s: 'iq1_s',
  iq1_m: 'iq1_m',
  iq2_xxs: 'iq2_xxs',
  iq2_xs: 'iq2_xs',
  iq2_s: 'iq2_xs',
  iq2_m: 'iq2_s',
  iq3_xxs: 'iq3_xxs',
  iq3_xs: 'iq3_s',
  iq3_s: 'iq3_s',
  iq3_m: 'iq3_s',
  iq4_nl: 'iq4_nl',
  iq4_xs: 'iq4_xs',
  tq1_0: 'tq1_0',
  tq2_0: 'tq2_0',
  mxfp4_moe: 'mxfp4',
};

/**
 * The type a tensor has before quantizing: convert_hf_to_gguf.py writes 1-D tensors, norms,
 * ffn_gate_inp (routers) and position embeddings as F32 ("Some tensor types are always in
 * float32"); llama-quantize copies tensors it may not quantize unchanged.
 */
const UNQUANTIZED_TYPE: GgmlTypeId = 'f32';

/**
 * When a row is not a multiple of the block size (tensor_type_fallback): 256-weight i-quants
 * fall back to iq4_nl; Q2_K, Q3_K, TQ1_0, TQ2_0 to q4_0; Q4_K to q5_0; Q5_K to q5_1; Q6_K to
 * q8_0. If that still does not divide the row, llama.cpp uses F16.
 */
const FALLBACK: Readonly<Partial<Record<GgmlTypeId, GgmlTypeId>>> = {
  iq1_s: 'iq4_nl',
  iq1_m: 'iq4_nl',
  iq2_xxs: 'iq4_nl',
  iq2_xs: 'iq4_nl',
  iq2_s: 'iq4_nl',
  iq3_xxs: 'iq4_nl',
  iq3_s: 'iq4_nl',
  iq4_xs: 'iq4_nl',
  q2_k: 'q4_0',
  q3_k: 'q4_0',
  tq1_0: 'q4_0',
  tq2_0: 'q4_0',
  q4_k: 'q5_0',
  q5_k: 'q5_1',
  q6_k: 'q8_0',
};

/** The F16 llama.cpp falls back to when no quantized type fits a row. */
const LAST_RESORT_TYPE: GgmlTypeId = 'f16';

/** The length of one row: the last dimension (ggml ne[0]). */
export function rowLength(tensor: TensorSpec): number {
  return tensor.shape[tensor.shape.length - 1] ?? 1;
}

/**
 * Whether llama-quantize may quantize the tensor at all (tensor_allows_quantization): only
 * 2-D and 3-D `*.weight` tensors, never norms, routers (ffn_gate_inp) or position embeddings.
 */
function allowsQuantization(tensor: TensorSpec): boolean {
  if (tensor.shape.length < 2) return false; // "quantize only 2D and 3D tensors (experts)"
  switch (tensor.role) {
    case 'norm': // "do not quantize norm tensors"
    case 'bias': // does not end in "weight"
    case 'ffn_gate_inp': // "do not quantize expert gating tensors"
    case 'pos_embd': // "do not quantize positional embeddings and token types (BERT)"
    case 'ssm_conv1d': // "do not quantize Mamba's small yet 2D weights" (ssm_conv1d, shortconv.conv)
      return false;
    default:
      return true;
  }
}

/** The broad category llama.cpp files a tensor under (tensor_get_category, by name). */
function tensorCategory(tensor: TensorSpec): TensorCategory {
  switch (tensor.role) {
    case 'token_embd':
      return 'token_embd';
    case 'output':
      return 'output';
    case 'attn_qkv':
    case 'attn_kv_b':
    case 'attn_v':
      // category_is_attn_v: attn_qkv and attn_kv_b follow every attn_v rule.
      return 'attn_v';
    case 'attn_k':
      return 'attn_k';
    case 'attn_q':
      return 'attn_q';
    case 'attn_output':
      return 'attn_output';
    case 'ffn_up':
    case 'ffn_up_exps':
    case 'ffn_up_shexp':
      return 'ffn_up'; // name contains "ffn_up"
    case 'ffn_gate':
    case 'ffn_gate_exps':
    case 'ffn_gate_shexp':
    case 'ffn_gate_up':
      return 'ffn_gate'; // name contains "ffn_gate" (ffn_gate_up_exps has no "ffn_up")
    case 'ffn_down':
    case 'ffn_down_exps':
    case 'ffn_down_shexp':
      return 'ffn_down';
    default:
      // attn_q_a, attn_q_b, attn_kv_a_mqa and anything else 2-D: no special rule.
      return 'other';
  }
}

/**
 * A type that fits the row (tensor_type_fallback). For a type without a fallback whose block
 * does not divide the row, llama.cpp stops with "no tensor type fallback is defined"; F16 is
 * then the only way to store the tensor, so that is what this returns.
 */
function fitRow(type: GgmlTypeId, cols: number): GgmlTypeId {
  if (cols % GGML_TYPES[type].weightsPerBlock === 0) return type;
  const fallback = FALLBACK[type];
  if (fallback === undefined || cols % GGML_TYPES[fallback].weightsPerBlock !== 0) {
    return LAST_RESORT_TYPE;
  }
  return fallback;
}

/**
 * The GGML type llama-quantize gives `tensor` in a file of type `fileType` (no --pure, no
 * --tensor-type overrides, --imatrix as `context.importanceMatrix` says).
 *
 * One approximation: llama.cpp counts attn_v and (for dense models) ffn_down tensors in file
 * order; Headroom uses the tensor's layer index, which is the same count when each layer has
 * one of each. In the IQ1/IQ2 mixes llama.cpp also counts MoE ffn_down_exps and
 * ffn_down_shexp separately, so there its "first 1/8 of ffn_down" ends a little earlier.
 * @example llamaTensorType('q4_k_m', { role: 'output', shape: [32000, 4096], … }, ctx) // 'q6_k'
 */
export function llamaTensorType(
  fileType: GgufFileType,
  tensor: TensorSpec,
  context: TensorContext,
): GgmlTypeId {
  if (!allowsQuantization(tensor)) return UNQUANTIZED_TYPE;
  const chosen = chooseType(fileType, GGUF_DEFAULT_TYPE[fileType], tensorCategory(tensor), {
    tensor,
    context,
    cols: rowLength(tensor),
  });
  return fitRow(chosen, rowLength(tensor));
}

/**
 * `llama-quantize --pure`: every tensor it may quantize in one type (with the row fallback),
 * the rest left as converted (F32). Used for GGML types that no file type is named after.
 */
export function pureTensorType(type: GgmlTypeId, tensor: TensorSpec): GgmlTypeId {
  if (!allowsQuantization(tensor)) return UNQUANTIZED_TYPE;
  return fitRow(type, rowLength(tensor));
}
