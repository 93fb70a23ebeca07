/**
 * Formats outside GGUF: IEEE-style floats, the idealised integers of the rules of thumb,
 * bitsandbytes (LLM.int8, NF4, FP4) and the microscaling 4-bit formats (MXFP4, NVFP4).
 * GPTQ/AWQ are in gptq.ts, GGUF in catalog-gguf.ts.
 */
import type { NumericFormat } from './types';
import { defineFormat } from './define';
import { routedExpertsRule, weightOnlyRule } from './weight-only';

/** Bits in an IEEE binary32 / TF32-in-storage / binary16 / bfloat16 / FP8 value. */
const FP32_BITS = 32;
const HALF_BITS = 16;
const FP8_BITS = 8;

/**
 * Row length at which per-row (or per-column) vectors are charged when a format's cost has
 * to be one number: 4096, the hidden size of Llama-2-7B, Mistral-7B and Llama-3-8B
 * (config.json hidden_size). A 32-bit value per 4096-weight row costs 0.0078 bits/weight.
 */
export const REFERENCE_ROW_ELEMENTS = 4096;

/**
 * bitsandbytes 4-bit: one absmax per 64 weights (QLoRA, Dettmers et al. 2023, section 3:
 * "blocksize of 64 for W"; bitsandbytes Params4bit blocksize=64), stored as FP32.
 */
const BNB_4BIT_BLOCK_WEIGHTS = 64;
/** Double quantization: the absmax values quantized to 8 bits in blocks of 256 (QLoRA section 3). */
const BNB_DQ_ABSMAX_BITS = 8;
const BNB_DQ_SECOND_BLOCK = 256;
/** NF4/FP4 without DQ: 4 + 32/64 = 4.5 bits per parameter (QLoRA: "32/64 = 0.5 bits"). */
const NF4_BITS_PER_WEIGHT = 4 + FP32_BITS / BNB_4BIT_BLOCK_WEIGHTS;
/** NF4 with DQ: 4 + 8/64 + 32/(64·256) ≈ 4.127 bits per parameter (QLoRA section 3). */
const NF4_DQ_BITS_PER_WEIGHT =
  4 +
  BNB_DQ_ABSMAX_BITS / BNB_4BIT_BLOCK_WEIGHTS +
  FP32_BITS / (BNB_4BIT_BLOCK_WEIGHTS * BNB_DQ_SECOND_BLOCK);

/**
 * LLM.int8(): "more than 99.9% of values are multiplied in 8-bit" (Dettmers et al. 2022,
 * abstract), the outlier feature columns in FP16. Assumed: 0.1% of the weight columns kept
 * as FP16 copies beside the int8 matrix, the paper's upper bound.
 */
const LLM_INT8_OUTLIER_FRACTION = 0.001;
/** int8 weights + FP16 outlier columns + one FP32 absmax per row (bitsandbytes SCB). */
export const LLM_INT8_BITS_PER_WEIGHT =
  8 + HALF_BITS * LLM_INT8_OUTLIER_FRACTION + FP32_BITS / REFERENCE_ROW_ELEMENTS;

/** OCP Microscaling spec v1.0: MXFP4 = 32 E2M1 values sharing one E8M0 scale → 4.25 bits. */
const MX_BLOCK_WEIGHTS = 32;
const MX_SCALE_BITS = 8;
const MXFP4_BITS_PER_WEIGHT = 4 + MX_SCALE_BITS / MX_BLOCK_WEIGHTS;
/**
 * NVFP4: 16 E2M1 values sharing one FP8 E4M3 scale, plus one FP32 scale per tensor
 * (NVIDIA, "Introducing NVFP4", 2025; ggml-common.h block_nvfp4 = 4 scale bytes + 32 bytes per
 * 64 values, the same 4.5 bits). The per-tensor scale is 32 bits per tensor: negligible.
 */
const NVFP4_BLOCK_WEIGHTS = 16;
const NVFP4_BITS_PER_WEIGHT = 4 + FP8_BITS / NVFP4_BLOCK_WEIGHTS;

/** Every tensor in the same format (fp32, tf32, fp16, bf16). */
const everyTensor = (id: string) => () => id;

export const PLAIN_FORMATS: readonly NumericFormat[] = [
  defineFormat({
    id: 'fp32',
    label: 'FP32',
    family: 'float',
    bitsPerWeight: FP32_BITS,
    computeDtype: 'fp32',
    storageOnly: false,
    kvCapable: true, // llama.cpp -ctk/-ctv f32 (common/arg.cpp kv_cache_types)
    engines: ['generic', 'transformers', 'vllm', 'sglang', 'llama.cpp'],
    source: 'IEEE 754 binary32: 4 bytes per parameter',
    tensorFormat: everyTensor('fp32'),
  }),
  defineFormat({
    id: 'tf32',
    label: 'TF32 (FP32 storage)',
    family: 'float',
    bitsPerWeight: FP32_BITS,
    computeDtype: 'tf32',
    storageOnly: false,
    kvCapable: false,
    engines: ['generic', 'transformers'],
    source: 'NVIDIA A100 whitepaper: TF32 is a tensor-core math mode; tensors stay FP32 in memory',
    tensorFormat: everyTensor('tf32'),
  }),
  defineFormat({
    id: 'fp16',
    label: 'FP16',
    family: 'float',
    bitsPerWeight: HALF_BITS,
    computeDtype: 'fp16',
    storageOnly: false,
    kvCapable: true,
    engines: ['generic', 'transformers', 'vllm', 'sglang', 'llama.cpp'],
    source: 'IEEE 754 binary16: 2 bytes per parameter',
    tensorFormat: everyTensor('fp16'),
  }),
  defineFormat({
    id: 'bf16',
    label: 'BF16',
    family: 'float',
    bitsPerWeight: HALF_BITS,
    computeDtype: 'bf16',
    storageOnly: false,
    kvCapable: true,
    engines: ['generic', 'transformers', 'vllm', 'sglang', 'llama.cpp'],
    source: 'bfloat16: 8-bit exponent, 7-bit mantissa, 2 bytes per parameter',
    tensorFormat: everyTensor('bf16'),
  }),
  defineFormat({
    id: 'fp8_e4m3',
    label: 'FP8 E4M3',
    family: 'float',
    bitsPerWeight: FP8_BITS, // + one FP32 scale per tensor (vLLM fp8): negligible
    computeDtype: 'fp8',
    storageOnly: false,
    kvCapable: true, // vLLM --kv-cache-dtype fp8 / fp8_e4m3
    engines: ['generic', 'transformers', 'vllm', 'sglang'],
    source: 'OCP 8-bit floating point spec (E4M3FN); vLLM FP8 W8A8 with a per-tensor scale',
    tensorFormat: weightOnlyRule('fp8_e4m3', 'bf16'),
  }),
  defineFormat({
    id: 'fp8_e5m2',
    label: 'FP8 E5M2',
    family: 'float',
    bitsPerWeight: FP8_BITS,
    computeDtype: 'fp8',
    storageOnly: false,
    kvCapable: true, // vLLM --kv-cache-dtype fp8_e5m2
    engines: ['generic'], // vLLM loads FP8 weights as E4M3 only; E5M2 is its KV-cache option
    source: 'OCP 8-bit floating point spec (E5M2); vLLM docs, Quantized KV Cache',
    tensorFormat: weightOnlyRule('fp8_e5m2', 'bf16'),
  }),
  defineFormat({
    id: 'int8',
    label: 'INT8 (per-tensor scale)',
    family: 'integer',
    bitsPerWeight: 8, // idealised: 1 byte per parameter ("70 B at INT8 = 70 GB", seeds)
    computeDtype: 'int8',
    storageOnly: false, // W8A8 int8 GEMM where the device has it
    kvCapable: false,
    engines: ['generic', 'vllm', 'sglang'],
    source: 'Rule of thumb: 1 byte per parameter (seed articles); vLLM INT8 W8A8',
    tensorFormat: weightOnlyRule('int8', 'bf16'),
  }),
  defineFormat({
    id: 'int4',
    label: 'INT4 (per-tensor scale)',
    family: 'integer',
    bitsPerWeight: 4, // idealised: half a byte per parameter ("70 B at 4 bits = 35 GB", seeds)
    computeDtype: 'fp16',
    storageOnly: true, // weight-only: dequantized for fp16 matmuls (W4A16)
    kvCapable: false,
    engines: ['generic'],
    source: 'Rule of thumb: half a byte per parameter (seed articles)',
    tensorFormat: weightOnlyRule('int4', 'bf16'),
  }),
  defineFormat({
    id: 'llm_int8',
    label: 'LLM.int8() (bitsandbytes)',
    family: 'bitsandbytes',
    bitsPerWeight: LLM_INT8_BITS_PER_WEIGHT,
    computeDtype: 'int8',
    storageOnly: false, // int8 matmul, outlier columns in fp16 (Dettmers et al. 2022)
    kvCapable: false,
    engines: ['generic', 'transformers', 'vllm', 'sglang'],
    source: 'Dettmers et al. 2022, LLM.int8(): vector-wise int8 + 0.1% FP16 outlier columns',
    tensorFormat: weightOnlyRule('llm_int8', 'bf16'),
  }),
  defineFormat({
    id: 'nf4',
    label: 'NF4 (bitsandbytes)',
    family: 'bitsandbytes',
    bitsPerWeight: NF4_BITS_PER_WEIGHT,
    computeDtype: 'bf16',
    storageOnly: true,
    kvCapable: false,
    engines: ['generic', 'transformers', 'vllm', 'sglang'],
    source: 'Dettmers et al. 2023, QLoRA section 3: NormalFloat4, FP32 absmax per 64 weights',
    tensorFormat: weightOnlyRule('nf4', 'bf16'),
  }),
  defineFormat({
    id: 'nf4_dq',
    label: 'NF4 + double quantization',
    family: 'bitsandbytes',
    bitsPerWeight: NF4_DQ_BITS_PER_WEIGHT,
    computeDtype: 'bf16',
    storageOnly: true,
    kvCapable: false,
    engines: ['generic', 'transformers', 'vllm'],
    source: 'Dettmers et al. 2023, QLoRA section 3: 4 + 8/64 + 32/(64·256) = 4.127 bits',
    tensorFormat: weightOnlyRule('nf4_dq', 'bf16'),
  }),
  defineFormat({
    id: 'fp4',
    label: 'FP4 (bitsandbytes)',
    family: 'bitsandbytes',
    bitsPerWeight: NF4_BITS_PER_WEIGHT, // same blocks as NF4, E2M1 values instead
    computeDtype: 'bf16',
    storageOnly: true,
    kvCapable: false,
    engines: ['generic', 'transformers', 'vllm'],
    source: 'bitsandbytes FP4 (transformers bnb_4bit_quant_type default "fp4"), blocks of 64',
    tensorFormat: weightOnlyRule('fp4', 'bf16'),
  }),
  defineFormat({
    id: 'mxfp4',
    label: 'MXFP4',
    family: 'microscaling',
    bitsPerWeight: MXFP4_BITS_PER_WEIGHT,
    computeDtype: 'fp4',
    storageOnly: false, // FP4 tensor cores where present (Blackwell), else dequantized
    kvCapable: false,
    engines: ['generic', 'transformers', 'vllm', 'sglang', 'llama.cpp'],
    source: 'OCP Microscaling Formats spec v1.0; ggml-common.h block_mxfp4 (17 bytes / 32)',
    // Every linear layer in MXFP4 (AMD Quark's MXFP4 checkpoints). gpt-oss's own quantize only
    // the MoE experts: `mxfp4_experts` below (llama.cpp's MXFP4_MOE, `mxfp4_moe`, keeps the
    // rest in q8_0 instead).
    tensorFormat: weightOnlyRule('mxfp4', 'bf16'),
  }),
  defineFormat({
    id: 'mxfp4_experts',
    label: 'MXFP4 experts',
    family: 'microscaling',
    // The routed experts, nearly all of an MoE model's weights; the rest is bf16 tensor by tensor.
    bitsPerWeight: MXFP4_BITS_PER_WEIGHT,
    computeDtype: 'fp4',
    storageOnly: false,
    kvCapable: false,
    engines: ['generic', 'transformers', 'vllm', 'sglang'],
    source:
      'gpt-oss config.json quantization_config: quant_method mxfp4, modules_to_not_convert self_attn, mlp.router, embed_tokens, lm_head (OCP Microscaling Formats spec v1.0 blocks of 32)',
    tensorFormat: routedExpertsRule('mxfp4', 'bf16'),
  }),
  defineFormat({
    id: 'nvfp4',
    label: 'NVFP4',
    family: 'microscaling',
    bitsPerWeight: NVFP4_BITS_PER_WEIGHT,
    computeDtype: 'fp4',
    storageOnly: false,
    kvCapable: false,
    engines: ['generic', 'vllm', 'sglang', 'llama.cpp'],
    source: 'NVIDIA "Introducing NVFP4" (2025): 16 E2M1 values + E4M3 scale; llama.cpp NVFP4',
    tensorFormat: weightOnlyRule('nvfp4', 'bf16'),
  }),
];
