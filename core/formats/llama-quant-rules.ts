/**
 * The per-category rules of llama.cpp's llama_tensor_get_type_impl (src/llama-quant.cpp,
 * ggml-org/llama.cpp master, commit 007dbbf3). Each function is one `else if` branch of
 * that function, in its order; the comments say what the source line does. Mix ids are
 * llama-quantize's names in lower case (q4_k_m = LLAMA_FTYPE_MOSTLY_Q4_K_M).
 */
import type { TensorSpec } from '../models/types';
import type { TensorContext } from './types';
import { GGML_TYPES, type GgmlTypeId } from './ggml-types';
import type { GgufFileType } from './llama-quant';

/** llama-quant.cpp enum tensor_category, lower case. */
export type TensorCategory =
  | 'token_embd'
  | 'output'
  | 'attn_v' // attn_v, attn_qkv and attn_kv_b (category_is_attn_v)
  | 'attn_k'
  | 'attn_q'
  | 'attn_output'
  | 'ffn_up'
  | 'ffn_gate'
  | 'ffn_down'
  | 'other';

interface RuleInput {
  readonly tensor: TensorSpec;
  readonly context: TensorContext;
  /** ggml ne[0]: the row length. */
  readonly cols: number;
}

/** The facts about the model the rules test, read once. */
interface Facts {
  readonly ft: GgufFileType;
  readonly def: GgmlTypeId;
  readonly layer: number;
  readonly layers: number;
  /** hparams.n_expert: routed experts, 0 for a dense model. */
  readonly experts: number;
  /** hparams.n_gqa(): n_head / n_head_kv in integer division. */
  readonly gqa: number;
  readonly falcon: boolean;
  readonly imatrix: boolean;
  readonly is70B: boolean;
}

/** The ftypes llama.cpp treats as "very low bit" in one shared branch. */
const IQ_LOW_BIT: ReadonlySet<GgufFileType> = new Set([
  'iq2_xxs',
  'iq2_xs',
  'iq1_s',
  'iq2_s',
  'iq2_m',
  'iq1_m',
]);
/** Output tensor in q5_k for these ftypes (the output branch's IQ list). */
const OUTPUT_Q5_K: ReadonlySet<GgufFileType> = new Set([
  'iq2_xxs',
  'iq2_xs',
  'iq3_xxs',
  'iq1_s',
  'iq2_s',
  'iq2_m',
  'iq1_m',
]);
/** attn_output in q5_k for an 8-expert model (Mixtral) with these ftypes. */
const MOE8_ATTN_OUTPUT_Q5_K: ReadonlySet<GgufFileType> = new Set([
  'q2_k',
  'iq3_xs',
  'iq3_xxs',
  'q3_k_s',
  'q3_k_m',
  'iq4_nl',
  'q4_k_s',
  'q4_k_m',
  'iq3_s',
  'iq3_m',
  'iq4_xs',
]);
/** The model with 8 experts the rules were tuned on (Mixtral-8x7B): `n_expert == 8`. */
const MIXTRAL_EXPERTS = 8;
/** GQA factor from which attn_v is small enough to spend more bits on it (`n_gqa() >= 4`). */
const LARGE_GQA = 4;
/** llama.cpp's LLM_TYPE_70B has 80 layers (llama-model.cpp: `case 80: type = LLM_TYPE_70B`). */
const LAYERS_70B = 80;
/** HF model_types that convert_hf_to_gguf.py writes as LLM_ARCH_LLAMA (LlamaModel registrations). */
const LLAMA_ARCH_FAMILIES: ReadonlySet<string> = new Set(['llama', 'mistral']);
/** HF model_types of Falcon (convert_hf_to_gguf.py FalconModel: FalconForCausalLM, RWForCausalLM). */
const FALCON_FAMILIES: ReadonlySet<string> = new Set(['falcon', 'refinedweb', 'refinedwebmodel']);

/**
 * use_more_bits: the first and last eighth of the layers and every third one in between
 * (llama-quant.cpp lambda; C++ integer division).
 * @example useMoreBits(6, 32) // true: (6 - 4) % 3 == 2
 */
export function useMoreBits(layer: number, layers: number): boolean {
  const eighth = Math.trunc(layers / 8);
  return layer < eighth || layer >= Math.trunc((7 * layers) / 8) || (layer - eighth) % 3 === 2;
}

/** The type llama_tensor_get_type_impl picks, before the row-length fallback. */
export function chooseType(
  ft: GgufFileType,
  def: GgmlTypeId,
  category: TensorCategory,
  input: RuleInput,
): GgmlTypeId {
  const f = facts(ft, def, input);
  const tied = input.context.tiedEmbeddings === true;
  // "for arches that share the same tensor between the token embeddings and the output, we
  // quantize the token embeddings with the quantization of the output tensor"
  if (category === 'output' || (tied && category === 'token_embd'))
    return outputType(f, input.cols);
  // MXFP4_MOE: "MoE tensors -> MXFP4, other tensors -> Q8_0" (3-D expert groups: ne[2] > 1).
  if (ft === 'mxfp4_moe') return input.tensor.experts > 1 ? 'mxfp4' : 'q8_0';
  if (category === 'token_embd') return tokenEmbdType(f);
  if (IQ_LOW_BIT.has(ft)) return iqLowBitType(f, category);
  switch (category) {
    case 'attn_v':
      return attnVType(f);
    case 'attn_k':
      return attnKType(f);
    case 'attn_q':
      return ft === 'iq3_xs' ? 'iq3_xxs' : ft === 'iq3_xxs' ? 'iq2_s' : def;
    case 'ffn_down':
      return ffnDownType(f);
    case 'attn_output':
      return attnOutputType(f);
    case 'ffn_gate':
    case 'ffn_up':
      // IQ3_XS: the middle three quarters of the layers' ffn_gate/ffn_up in iq3_xxs.
      return ft === 'iq3_xs' &&
        f.layer >= Math.trunc(f.layers / 8) &&
        f.layer < Math.trunc((7 * f.layers) / 8)
        ? 'iq3_xxs'
        : def;
    default:
      return def;
  }
}

function facts(ft: GgufFileType, def: GgmlTypeId, input: RuleInput): Facts {
  const { context } = input;
  const family = (context.family ?? '').toLowerCase();
  const gqa = Math.floor(context.gqaFactor);
  // LLM_TYPE_70B: llama with 80 layers and GQA (llama-model.cpp: n_head == n_head_kv ? 65B :
  // 70B; llama-quant.cpp llama_quant_model_from_metadata says the same), qwen2 with 80 layers.
  const is70B =
    context.layers === LAYERS_70B &&
    ((LLAMA_ARCH_FAMILIES.has(family) && gqa > 1) || family === 'qwen2');
  return {
    ft,
    def,
    layer: input.tensor.layer ?? 0,
    layers: context.layers,
    experts: context.experts,
    gqa,
    falcon: FALCON_FAMILIES.has(family),
    imatrix: context.importanceMatrix === true,
    is70B,
  };
}

/** output.weight (and a tied token_embd). */
function outputType(f: Facts, cols: number): GgmlTypeId {
  if (f.ft === 'mxfp4_moe') return 'q8_0';
  // "arch == LLM_ARCH_FALCON || nx % qk_k != 0" → Q8_0, qk_k being the default type's block.
  if (f.falcon || cols % GGML_TYPES[f.def].weightsPerBlock !== 0) return 'q8_0';
  if (OUTPUT_Q5_K.has(f.ft)) return 'q5_k';
  // "else if (new_type != GGML_TYPE_Q8_0) new_type = GGML_TYPE_Q6_K": Q8_0 files keep q8_0.
  return f.def === 'q8_0' ? 'q8_0' : 'q6_k';
}

/** token_embd.weight of a model with a separate output tensor. */
function tokenEmbdType(f: Facts): GgmlTypeId {
  switch (f.ft) {
    case 'iq2_xxs':
    case 'iq2_xs':
    case 'iq1_s':
    case 'iq1_m':
      return 'q2_k';
    case 'iq2_s':
    case 'iq2_m':
    case 'iq3_xxs':
      return 'iq3_s';
    case 'tq1_0':
    case 'tq2_0':
      return 'q4_k';
    default:
      return f.def;
  }
}

/** The shared branch of IQ2_XXS, IQ2_XS, IQ2_S, IQ2_M, IQ1_S and IQ1_M. */
function iqLowBitType(f: Facts, category: TensorCategory): GgmlTypeId {
  const iq2sm = f.ft === 'iq2_s' || f.ft === 'iq2_m';
  if (category === 'attn_v') {
    // "n_gqa() >= 4 || n_expert >= 4" → Q4_K, else IQ3_S (IQ2_S/M) or Q2_K.
    if (f.gqa >= LARGE_GQA || f.experts >= LARGE_GQA) return 'q4_k';
    return iq2sm ? 'iq3_s' : 'q2_k';
  }
  if (f.experts === MIXTRAL_EXPERTS && category === 'attn_k') return 'q4_k';
  if (category === 'ffn_down') {
    // The first eighth of the ffn_down tensors: IQ3_S (IQ2_S/M) or Q2_K.
    if (f.layer < Math.trunc(f.layers / 8)) return iq2sm ? 'iq3_s' : 'q2_k';
    return f.def;
  }
  if (category === 'attn_output') {
    if (f.experts === MIXTRAL_EXPERTS) return 'q5_k';
    if (f.ft === 'iq1_s' || f.ft === 'iq1_m') return 'iq2_xxs';
    if (iq2sm) return 'iq3_s';
  }
  return f.def;
}

/** attn_v (and attn_qkv, attn_kv_b) outside the very-low-bit branch. */
function attnVType(f: Facts): GgmlTypeId {
  let type = attnVBase(f);
  // "In the 70B model we have 8 heads sharing the same attn_v weights … Q3_K/Q4_K → Q5_K".
  if (f.is70B && (type === 'q3_k' || type === 'q4_k')) type = 'q5_k';
  // "for the 8-expert model, bumping this to Q8_0 trades just ~128MB".
  if (f.experts === MIXTRAL_EXPERTS) type = 'q8_0';
  return type;
}

function attnVBase(f: Facts): GgmlTypeId {
  const bigGqa = f.gqa >= LARGE_GQA;
  switch (f.ft) {
    case 'q2_k':
      return bigGqa ? 'q4_k' : 'q3_k';
    case 'q2_k_s':
      return bigGqa ? 'q4_k' : f.def;
    case 'iq3_xxs':
      return bigGqa ? 'q4_k' : f.imatrix ? 'iq3_xxs' : 'iq3_s';
    case 'iq3_xs':
    case 'iq3_s':
      return bigGqa ? 'q4_k' : f.def;
    case 'iq3_m':
      return 'q4_k';
    case 'q3_k_m':
      return f.layer < 2 ? 'q5_k' : 'q4_k'; // the first two attn_v tensors in q5_k
    case 'q3_k_l':
      return 'q5_k';
    case 'iq4_nl':
    case 'iq4_xs':
      return bigGqa ? 'q5_k' : f.def;
    case 'q4_k_m':
    case 'q5_k_m':
      return useMoreBits(f.layer, f.layers) ? 'q6_k' : f.def;
    case 'q4_k_s':
      return f.layer < 4 ? 'q5_k' : f.def; // the first four attn_v tensors in q5_k
    default:
      return f.def;
  }
}

/** attn_k outside the very-low-bit branch. */
function attnKType(f: Facts): GgmlTypeId {
  if (f.experts === MIXTRAL_EXPERTS) return 'q8_0';
  if (f.ft === 'iq3_xs') return 'iq3_xxs';
  if (f.ft === 'iq3_xxs') return 'iq2_s';
  return f.def;
}

/** ffn_down (dense, routed and shared experts) outside the very-low-bit branch. */
function ffnDownType(f: Facts): GgmlTypeId {
  const { ft, layer, layers, falcon } = f;
  const eighth = Math.trunc(layers / 8);
  const sixteenth = Math.trunc(layers / 16);
  const more = useMoreBits(layer, layers);
  switch (ft) {
    case 'q2_k':
      return 'q3_k';
    case 'q2_k_s':
      return layer < eighth ? 'q4_k' : f.def;
    case 'iq3_xxs':
      if (f.imatrix) return f.def;
      return layer < eighth ? 'q4_k' : 'q3_k';
    case 'q3_k_m':
      if (layer < sixteenth) return 'q5_k';
      return !falcon || more ? 'q4_k' : 'q3_k';
    case 'iq3_m':
      return layer < eighth || (f.experts === MIXTRAL_EXPERTS && more) ? 'q4_k' : f.def;
    case 'q3_k_l':
      return falcon ? 'q4_k' : 'q5_k';
    case 'q4_k_m':
      if (falcon) return layer < sixteenth ? 'q6_k' : more ? 'q5_k' : 'q4_k';
      return more ? 'q6_k' : f.def;
    case 'iq4_nl':
    case 'iq4_xs':
      return layer < eighth && !f.imatrix ? 'q5_k' : f.def;
    case 'q5_k_m':
      return more ? 'q6_k' : f.def;
    case 'q4_k_s':
      return !falcon && layer < eighth ? 'q5_k' : f.def;
    case 'q4_0':
    case 'q5_0':
      // "Guard against craziness in the first few ffn_down layers" (only with an imatrix).
      if (f.imatrix && layer < eighth) return ft === 'q4_0' ? 'q4_1' : 'q5_1';
      return f.def;
    default:
      return f.def;
  }
}

/** attn_output outside the very-low-bit branch. */
function attnOutputType(f: Facts): GgmlTypeId {
  if (f.falcon) return f.ft === 'q3_k_l' ? 'q4_k' : f.def;
  if (f.experts === MIXTRAL_EXPERTS) return MOE8_ATTN_OUTPUT_Q5_K.has(f.ft) ? 'q5_k' : f.def;
  switch (f.ft) {
    case 'q2_k':
      return 'q3_k';
    case 'iq3_xxs':
      return 'iq3_s';
    case 'q3_k_m':
    case 'iq3_m':
      return 'q4_k';
    case 'q3_k_l':
      return 'q5_k';
    default:
      return f.def;
  }
}
