// parseHfConfig: quantization_config and torch_dtype → the published format id.
import { describe, expect, it } from 'vitest';
import { getFormat } from '../../../../core/formats/catalog';
import { parseHfConfig } from '../../../../core/import/hf-config';

/** meta-llama/Llama-2-7b-hf config.json architecture keys (shared copy meta-llama__Llama-2-7b-hf.json). */
const LLAMA2_7B = {
  architectures: ['LlamaForCausalLM'],
  hidden_size: 4096,
  intermediate_size: 11008,
  max_position_embeddings: 4096,
  model_type: 'llama',
  num_attention_heads: 32,
  num_hidden_layers: 32,
  num_key_value_heads: 32,
  tie_word_embeddings: false,
  torch_dtype: 'float16',
  vocab_size: 32000,
} as const;

describe('parseHfConfig published formats', () => {
  it.each([
    [{ torch_dtype: 'bfloat16' }, 'bf16'],
    [{ torch_dtype: 'float16' }, 'fp16'],
    [{ torch_dtype: 'float32' }, 'fp32'],
    [{ dtype: 'bfloat16' }, 'bf16'],
    // deepseek-ai/DeepSeek-V3 config.json
    [
      {
        torch_dtype: 'bfloat16',
        quantization_config: {
          quant_method: 'fp8',
          fmt: 'e4m3',
          activation_scheme: 'dynamic',
          weight_block_size: [128, 128],
        },
      },
      'fp8_e4m3',
    ],
    // An MXFP4 checkpoint that quantizes attention too (only lm_head kept)
    [
      { quantization_config: { quant_method: 'mxfp4', modules_to_not_convert: ['lm_head'] } },
      'mxfp4',
    ],
    // openai/gpt-oss-20b config.json: attention, router, embeddings and head kept in bf16
    [
      {
        quantization_config: {
          quant_method: 'mxfp4',
          modules_to_not_convert: [
            'model.layers.*.self_attn',
            'model.layers.*.mlp.router',
            'model.embed_tokens',
            'lm_head',
          ],
        },
      },
      'mxfp4_experts',
    ],
    // TheBloke/*-GPTQ configs: quant_method gptq, bits 4
    [
      {
        torch_dtype: 'float16',
        quantization_config: { quant_method: 'gptq', bits: 4, group_size: 128, desc_act: false },
      },
      'gptq_int4',
    ],
    [
      {
        torch_dtype: 'float16',
        quantization_config: {
          quant_method: 'awq',
          bits: 4,
          group_size: 128,
          version: 'gemm',
          zero_point: true,
        },
      },
      'awq_int4',
    ],
    // a bitsandbytes 4-bit NF4 save (load_in_4bit, bnb_4bit_quant_type nf4), with and without
    // double quantization
    [
      {
        torch_dtype: 'bfloat16',
        quantization_config: {
          quant_method: 'bitsandbytes',
          load_in_4bit: true,
          bnb_4bit_quant_type: 'nf4',
          bnb_4bit_use_double_quant: true,
        },
      },
      'nf4_dq',
    ],
    [
      {
        torch_dtype: 'bfloat16',
        quantization_config: {
          quant_method: 'bitsandbytes',
          load_in_4bit: true,
          bnb_4bit_quant_type: 'nf4',
          bnb_4bit_use_double_quant: false,
        },
      },
      'nf4',
    ],
    // GPTQ group sizes other than 128 keep the id core/formats/gptq.ts gives them
    [
      {
        torch_dtype: 'float16',
        quantization_config: { quant_method: 'gptq', bits: 4, group_size: 32 },
      },
      'gptq_int4_g32',
    ],
    [
      {
        torch_dtype: 'float16',
        quantization_config: { quant_method: 'gptq', bits: 8, group_size: -1 },
      },
      'gptq_int8_per_channel',
    ],
    [
      {
        torch_dtype: 'float16',
        quantization_config: { quant_method: 'awq', w_bit: 4, q_group_size: 64 },
      },
      'awq_int4_g64',
    ],
    [
      {
        torch_dtype: 'float16',
        quantization_config: { quant_method: 'bitsandbytes', load_in_8bit: true },
      },
      'llm_int8',
    ],
  ])('%j → %s', (keys, format) => {
    const { torch_dtype: _dropped, ...base } = LLAMA2_7B;
    expect(parseHfConfig({ ...base, ...keys }, 'x').publishedFormat).toBe(format);
    expect(getFormat(format)?.id, 'a core/formats id').toBe(format);
  });

  it('falls back to torch_dtype with a warning for GPTQ bit widths core/formats lacks', () => {
    const parsed = parseHfConfig(
      { ...LLAMA2_7B, quantization_config: { quant_method: 'gptq', bits: 3, group_size: 128 } },
      'x',
    );
    expect(parsed.publishedFormat).toBe('fp16');
    expect(parsed.warnings.join(' ')).toContain('GPTQ with bits 3');
  });

  it('falls back to torch_dtype with a warning for a quantization method it does not know', () => {
    const parsed = parseHfConfig(
      { ...LLAMA2_7B, quantization_config: { quant_method: 'hqq' } },
      'x',
    );
    expect(parsed.publishedFormat).toBe('fp16');
    expect(parsed.warnings.join(' ')).toContain('"hqq"');
  });
});
