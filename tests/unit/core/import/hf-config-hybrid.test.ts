import { describe, expect, it } from 'vitest';
import { parseHfConfig } from '../../../../core/import/hf-config';
import { recurrentStateBytes } from '../../../../core/memory/recurrent-state';
import { findModel } from '../../../../core/models/catalog';
import { countParameters } from '../../../../core/models/count';
import { attentionLayerCount, recurrentStateOf } from '../../../../core/models/layers';
import type { ArchitectureSpec, RecurrentStateSpec } from '../../../../core/models/types';

/**
 * Hybrid configs (issue 13): which layers attend and the state the others keep, with each
 * engine's bytes per sequence worked out by hand from its source.
 */

function stateOf(arch: ArchitectureSpec): RecurrentStateSpec {
  for (let layer = 0; layer < arch.layers; layer++) {
    const state = recurrentStateOf(arch, layer);
    if (state) return state;
  }
  throw new Error('no recurrent layer');
}

describe('LFM2-1.2B (config.json: 16 layers, full_attn_idxs [2,5,8,10,12,14], conv_L_cache 3)', () => {
  const config = {
    model_type: 'lfm2',
    num_hidden_layers: 16,
    hidden_size: 2048,
    num_attention_heads: 32,
    num_key_value_heads: 8,
    conv_L_cache: 3,
    conv_bias: false,
    full_attn_idxs: [2, 5, 8, 10, 12, 14],
    max_position_embeddings: 128_000,
    vocab_size: 65_536,
    block_ff_dim: 12_288,
    block_multiple_of: 256,
    block_ffn_dim_multiplier: 1.0,
    block_auto_adjust_ff_dim: true,
    tie_word_embeddings: true,
    torch_dtype: 'bfloat16',
  };
  const arch = parseHfConfig(config, 'LiquidAI/LFM2-1.2B').architecture;

  it('reads 6 attention layers and 10 short-convolution layers', () => {
    expect(attentionLayerCount(arch)).toBe(6);
    expect(stateOf(arch)).toEqual({
      kind: 'short-conv',
      channels: 2048,
      convKernel: 3,
      bias: false,
    });
  });

  it('counts 1.17B parameters, as the Hub lists for LiquidAI/LFM2-1.2B (FFN auto-adjusted to 8192)', () => {
    expect(arch.intermediateSize).toBe(8192); // int(2 × 12288 / 3) rounded up to 256
    expect(countParameters(arch).params / 1e9).toBeCloseTo(1.17, 2);
    // The catalog entry, transcribed by hand, is the same architecture.
    expect(countParameters(arch).params).toBe(findModel('LiquidAI/LFM2-1.2B')!.params);
    expect(findModel('LiquidAI/LFM2-1.2B')!.architecture!.layerMixers).toEqual(arch.layerMixers);
  });

  it('keeps 2048 × (3 − 1) F32 values per conv layer in llama.cpp, 2048 × 3 bf16 in transformers', () => {
    // llama-hparams.cpp n_embd_r = n_embd × (n_shortconv_l_cache − 1); Lfm2HybridConvCache
    // holds (hidden, L_cache); vLLM short_conv_state_shape (kernel − 1, hidden) in bf16.
    const state = stateOf(arch);
    expect(recurrentStateBytes(state, 'llama.cpp', 2)).toBe(16_384);
    expect(recurrentStateBytes(state, 'transformers', 2)).toBe(12_288);
    expect(recurrentStateBytes(state, 'vllm', 2)).toBe(8192);
  });
});

describe('Jamba 1.5 Mini (catalog)', () => {
  const model = findModel('ai21labs/AI21-Jamba-1.5-Mini')!;
  const arch = model.architecture!;

  it('resolves by its id and counts AI21’s 52B total, 12B active', () => {
    expect(model.params / 1e9).toBeCloseTo(51.6, 1);
    expect(model.activeParams / 1e9).toBeCloseTo(12.1, 1);
    expect(attentionLayerCount(arch)).toBe(4);
  });

  it('keeps a Mamba-1 state of (3 × 8192 + 8192 × 16) values per layer', () => {
    // vLLM mamba1_state_shape: conv (8192, 4 − 1), temporal (8192, 16), bf16 → 311 296 B;
    // llama.cpp n_embd_r = 3 × 8192, n_embd_s = 16 × 8192 in F32 → 622 592 B;
    // transformers HybridMambaAttentionDynamicCache: conv (8192, 4), ssm (8192, 16) bf16.
    const state = stateOf(arch);
    expect(recurrentStateBytes(state, 'vllm', 2)).toBe(311_296);
    expect(recurrentStateBytes(state, 'llama.cpp', 2)).toBe(622_592);
    expect(recurrentStateBytes(state, 'transformers', 2)).toBe((4 * 8192 + 8192 * 16) * 2);
  });

  it('reads the same architecture from its config.json keys', () => {
    const parsed = parseHfConfig(
      {
        model_type: 'jamba',
        attn_layer_offset: 4,
        attn_layer_period: 8,
        expert_layer_offset: 1,
        expert_layer_period: 2,
        hidden_size: 4096,
        intermediate_size: 14_336,
        mamba_conv_bias: true,
        mamba_d_conv: 4,
        mamba_d_state: 16,
        mamba_dt_rank: 256,
        mamba_expand: 2,
        mamba_proj_bias: false,
        max_position_embeddings: 262_144,
        num_attention_heads: 32,
        num_experts: 16,
        num_experts_per_tok: 2,
        num_hidden_layers: 32,
        num_key_value_heads: 8,
        tie_word_embeddings: false,
        vocab_size: 65_536,
        torch_dtype: 'bfloat16',
      },
      'AI21-Jamba-1.5-Mini/config.json',
    ).architecture;
    expect(countParameters(parsed).params).toBe(model.params);
    expect(parsed.layerMixers).toEqual(arch.layerMixers);
  });
});

describe('Qwen3-Next-80B-A3B (catalog and config.json agree)', () => {
  it('reads layer_types from full_attention_interval 4 and counts the same parameters', () => {
    const model = findModel('Qwen/Qwen3-Next-80B-A3B-Instruct')!;
    // aiconfigurator's copy of the Thinking checkpoint's config.json (same architecture).
    const config = {
      model_type: 'qwen3_next',
      full_attention_interval: 4,
      head_dim: 256,
      hidden_size: 2048,
      intermediate_size: 5120,
      linear_conv_kernel_dim: 4,
      linear_key_head_dim: 128,
      linear_num_key_heads: 16,
      linear_num_value_heads: 32,
      linear_value_head_dim: 128,
      max_position_embeddings: 262_144,
      mlp_only_layers: [],
      moe_intermediate_size: 512,
      num_attention_heads: 16,
      num_experts: 512,
      num_experts_per_tok: 10,
      num_hidden_layers: 48,
      num_key_value_heads: 2,
      shared_expert_intermediate_size: 512,
      tie_word_embeddings: false,
      torch_dtype: 'bfloat16',
      vocab_size: 151_936,
    };
    const parsed = parseHfConfig(config, 'Qwen3-Next-80B-A3B-Thinking/config.json').architecture;
    expect(attentionLayerCount(parsed)).toBe(12);
    expect(countParameters(parsed).params).toBe(model.params);
    // Model card: 80B total (the MTP module is not counted).
    expect(model.params / 1e9).toBeCloseTo(79.7, 1);
    // This config.json has no mtp_num_hidden_layers (llama.cpp conversion/qwen.py _QwenMtpMixin:
    // "Qwen-3-Next doesn't include `mtp_num_hidden_layers` in config"), so no MTP layers are read.
    expect(parsed.mtpLayers).toBeUndefined();
    // With the key (as Qwen3.5 configs and _QwenMtpMixin have it) the import is the catalog's.
    const withMtp = parseHfConfig(
      { ...config, mtp_num_hidden_layers: 1 },
      'Qwen3-Next-80B-A3B-Thinking/config.json',
    ).architecture;
    expect(withMtp.mtpLayers).toBe(1);
    expect(withMtp).toEqual(model.architecture);
  });
});

describe('granite-4.0-h style Mamba-2 hybrid (layer_types "mamba" / "attention")', () => {
  // A small GraniteMoeHybridForCausalLM config (hidden 512, 8 layers, mamba_n_heads 8 ×
  // mamba_d_head 128, mamba_d_state 128, mamba_n_groups 1, mamba_d_conv 4, 8 experts of 1024
  // and a shared MLP of 512), the keys granite-4.0-h's config.json uses.
  const arch = parseHfConfig(
    {
      model_type: 'granitemoehybrid',
      hidden_size: 512,
      intermediate_size: 1024,
      layer_types: ['mamba', 'mamba', 'mamba', 'attention', 'mamba', 'mamba', 'mamba', 'attention'],
      mamba_conv_bias: true,
      mamba_d_conv: 4,
      mamba_d_head: 128,
      mamba_d_state: 128,
      mamba_expand: 2,
      mamba_n_groups: 1,
      mamba_n_heads: 8,
      mamba_proj_bias: false,
      max_position_embeddings: 4096,
      num_attention_heads: 8,
      num_experts_per_tok: 2,
      num_hidden_layers: 8,
      num_key_value_heads: 8,
      num_local_experts: 8,
      shared_intermediate_size: 512,
      tie_word_embeddings: true,
      torch_dtype: 'bfloat16',
      vocab_size: 49_152,
    },
    'granitemoehybrid/config.json',
  ).architecture;

  it('keeps KV on 2 layers and a Mamba-2 state on 6', () => {
    expect(attentionLayerCount(arch)).toBe(2);
    expect(arch.moe?.sharedIntermediateSize).toBe(512);
  });

  it('sizes the state as vLLM mamba2_state_shape and llama.cpp n_embd_r / n_embd_s do', () => {
    // conv channels 1024 + 2 × 1 × 128 = 1280; vLLM conv (4 − 1) × 1280, temporal 8 × 128 × 128,
    // bf16: (3840 + 131 072) × 2 = 269 824 B; llama.cpp the same values in F32: 539 648 B;
    // transformers HybridMambaAttentionDynamicCache conv (1280, 4): (5120 + 131 072) × 2.
    const state = stateOf(arch);
    expect(recurrentStateBytes(state, 'vllm', 2)).toBe(269_824);
    expect(recurrentStateBytes(state, 'llama.cpp', 2)).toBe(539_648);
    expect(recurrentStateBytes(state, 'transformers', 2)).toBe(272_384);
  });
});

describe('Falcon-H1: attention and Mamba-2 side by side in every layer', () => {
  // A small config with Falcon-H1's keys (mamba_d_ssm, mamba_n_heads, mamba_d_head …).
  const arch = parseHfConfig(
    {
      model_type: 'falcon_h1',
      hidden_size: 1024,
      intermediate_size: 2048,
      num_hidden_layers: 4,
      num_attention_heads: 8,
      num_key_value_heads: 2,
      head_dim: 64,
      mamba_d_ssm: 1536,
      mamba_n_heads: 24,
      mamba_d_head: 64,
      mamba_n_groups: 1,
      mamba_d_state: 128,
      mamba_d_conv: 4,
      vocab_size: 32_768,
      max_position_embeddings: 16_384,
      torch_dtype: 'bfloat16',
    },
    'falcon_h1/config.json',
  ).architecture;

  it('keeps KV and a state on every layer', () => {
    expect(attentionLayerCount(arch)).toBe(4);
    // vLLM: conv 3 × (1536 + 2 × 128) = 5376, temporal 24 × 64 × 128 = 196 608, bf16.
    expect(recurrentStateBytes(stateOf(arch), 'vllm', 2)).toBe((5376 + 196_608) * 2);
  });
});
