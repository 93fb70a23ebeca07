import { describe, expect, it } from 'vitest';
import { modelFromGguf } from '../../../../core/import/gguf-model';
import { readGgufHeader } from '../../../../core/import/gguf-reader';
import { parseHfConfig } from '../../../../core/import/hf-config';
import type { ImportedModel } from '../../../../core/import/imported-model';
import { recurrentStateBytes } from '../../../../core/memory/recurrent-state';
import { planFromRequest } from '../../../../core/plan/plan-request';
import { findModel } from '../../../../core/models/catalog';
import { countParameters } from '../../../../core/models/count';
import { attentionLayerCount, recurrentStateOf } from '../../../../core/models/layers';
import type { ArchitectureSpec, RecurrentStateSpec } from '../../../../core/models/types';
import {
  ggufHeader,
  parseSparse,
  T,
  type GgufKv,
  type GgufTensorSpec,
} from '../../../helpers/model-file-writers';

/**
 * Hybrid and recurrent GGUF files (issue 13): headers written here with the metadata keys and
 * tensor shapes llama.cpp's converter writes and its loader expects (src/llama-arch.cpp
 * LLM_KV_NAMES; src/models/<arch>.cpp load_arch_hparams / load_arch_tensors; ggml order, ne[0]
 * first). Each must read as the same layers the config.json of the same model reads as, count
 * the parameters its tensors hold, and keep llama.cpp's state (src/llama-hparams.cpp n_embd_r,
 * n_embd_s, F32) on its recurrent layers.
 */

const F32_BYTES = 4;

function importGguf(arch: string, kvs: GgufKv[], tensors: GgufTensorSpec[]): ImportedModel {
  const label = `models/${arch}.gguf`;
  const { header, dataBytes } = ggufHeader(
    [['general.architecture', T.STR, arch], ['general.file_type', T.U32, 0], ...kvs],
    tensors,
  );
  const fileSizeBytes = header.length + dataBytes;
  const parsed = parseSparse(readGgufHeader({ fileSizeBytes, label }), header, fileSizeBytes);
  return modelFromGguf(parsed, label);
}

/** A f32 tensor (the type does not change the counts under test). */
const t = (name: string, ...dims: number[]): GgufTensorSpec => ({ name, dims, type: 'f32' });
const u32 = (key: string, value: number): GgufKv => [key, T.U32, value];
const perLayer = (key: string, values: number[]): GgufKv => [
  key,
  T.ARR,
  { itemType: T.I32, items: values },
];

function stateOf(arch: ArchitectureSpec): RecurrentStateSpec {
  for (let layer = 0; layer < arch.layers; layer++) {
    const state = recurrentStateOf(arch, layer);
    if (state) return state;
  }
  throw new Error('no recurrent layer');
}

/** Attention q/k/v/o as create_tensor_qkv + wo lay them out. */
function attention(b: string, hidden: number, qRows: number, kvRows: number, oCols = qRows) {
  return [
    t(`${b}.attn_q.weight`, hidden, qRows),
    t(`${b}.attn_k.weight`, hidden, kvRows),
    t(`${b}.attn_v.weight`, hidden, kvRows),
    t(`${b}.attn_output.weight`, oCols, hidden),
  ];
}

function denseFfn(b: string, hidden: number, ffn: number) {
  return [
    t(`${b}.ffn_gate.weight`, hidden, ffn),
    t(`${b}.ffn_up.weight`, hidden, ffn),
    t(`${b}.ffn_down.weight`, ffn, hidden),
  ];
}

function expertFfn(b: string, hidden: number, width: number, experts: number) {
  return [
    t(`${b}.ffn_gate_inp.weight`, hidden, experts),
    t(`${b}.ffn_gate_exps.weight`, hidden, width, experts),
    t(`${b}.ffn_up_exps.weight`, hidden, width, experts),
    t(`${b}.ffn_down_exps.weight`, width, hidden, experts),
  ];
}

describe('LFM2-1.2B GGUF (src/models/lfm2.cpp)', () => {
  const hidden = 2048;
  const attends = [2, 5, 8, 10, 12, 14];
  const tensors: GgufTensorSpec[] = [
    t('token_embd.weight', hidden, 65_536),
    // The final norm, under LLM_TENSOR_OUTPUT_NORM_LFM2's name; tied, so no output.weight.
    t('token_embd_norm.weight', hidden),
  ];
  for (let l = 0; l < 16; l++) {
    const b = `blk.${l}`;
    tensors.push(t(`${b}.attn_norm.weight`, hidden), t(`${b}.ffn_norm.weight`, hidden));
    tensors.push(...denseFfn(b, hidden, 8192));
    if (attends.includes(l)) {
      tensors.push(...attention(b, hidden, hidden, 8 * 64));
      tensors.push(t(`${b}.attn_q_norm.weight`, 64), t(`${b}.attn_k_norm.weight`, 64));
    } else {
      tensors.push(
        t(`${b}.shortconv.conv.weight`, 3, hidden),
        t(`${b}.shortconv.in_proj.weight`, hidden, 3 * hidden),
        t(`${b}.shortconv.out_proj.weight`, hidden, hidden),
      );
    }
  }
  const model = importGguf(
    'lfm2',
    [
      u32('lfm2.block_count', 16),
      u32('lfm2.context_length', 128_000),
      u32('lfm2.embedding_length', hidden),
      // conversion/lfm2.py writes the auto-adjusted width: int(2 × 12288 / 3) → 8192.
      u32('lfm2.feed_forward_length', 8192),
      u32('lfm2.attention.head_count', 32),
      // conversion/lfm2.py: num_key_value_heads per layer, 0 on the "conv" layers.
      perLayer(
        'lfm2.attention.head_count_kv',
        Array.from({ length: 16 }, (_, l) => (attends.includes(l) ? 8 : 0)),
      ),
      u32('lfm2.shortconv.l_cache', 3),
    ],
    tensors,
  );
  const arch = model.spec.architecture!;

  it('reads 6 attention and 10 short-conv layers, as the catalog entry from config.json does', () => {
    const catalog = findModel('LiquidAI/LFM2-1.2B')!;
    expect(arch.family).toBe('lfm2');
    expect(attentionLayerCount(arch)).toBe(6);
    expect(arch.layerMixers).toEqual(catalog.architecture!.layerMixers);
    expect(arch.qkNorm).toBe(true);
    expect(arch.embeddingNorm).toBeUndefined();
    // Hub: 1.17B; every tensor of the header is counted, no warning.
    expect(model.spec.params).toBe(catalog.params);
    expect(countParameters(arch).params).toBe(model.spec.params);
    expect(model.warnings).toEqual([]);
  });

  it('keeps n_embd × (l_cache − 1) F32 values per conv layer in llama.cpp: 16 384 B', () => {
    expect(recurrentStateBytes(stateOf(arch), 'llama.cpp', 2)).toBe(2048 * 2 * F32_BYTES);
  });
});

describe('Jamba 1.5 Mini GGUF (src/models/jamba.cpp)', () => {
  const hidden = 4096;
  const inner = 8192;
  const dtRank = 256;
  const dState = 16;
  const tensors: GgufTensorSpec[] = [t('token_embd.weight', hidden, 65_536)];
  for (let l = 0; l < 32; l++) {
    const b = `blk.${l}`;
    tensors.push(t(`${b}.attn_norm.weight`, hidden), t(`${b}.ffn_norm.weight`, hidden));
    if (l % 8 === 4) tensors.push(...attention(b, hidden, hidden, 8 * 128));
    else {
      tensors.push(
        t(`${b}.ssm_in.weight`, hidden, 2 * inner),
        t(`${b}.ssm_conv1d.weight`, 4, inner),
        t(`${b}.ssm_conv1d.bias`, inner),
        t(`${b}.ssm_x.weight`, inner, dtRank + 2 * dState),
        t(`${b}.ssm_dt_norm.weight`, dtRank),
        t(`${b}.ssm_dt.weight`, dtRank, inner),
        t(`${b}.ssm_dt.bias`, inner),
        t(`${b}.ssm_b_norm.weight`, dState),
        t(`${b}.ssm_c_norm.weight`, dState),
        t(`${b}.ssm_a`, dState, inner),
        t(`${b}.ssm_d`, inner),
        t(`${b}.ssm_out.weight`, inner, hidden),
      );
    }
    // Experts where i % expert_layer_period (2) == expert_layer_offset (1).
    if (l % 2 === 1) tensors.push(...expertFfn(b, hidden, 14_336, 16));
    else tensors.push(...denseFfn(b, hidden, 14_336));
  }
  tensors.push(t('output_norm.weight', hidden), t('output.weight', hidden, 65_536));
  const model = importGguf(
    'jamba',
    [
      u32('jamba.block_count', 32),
      u32('jamba.context_length', 262_144),
      u32('jamba.embedding_length', hidden),
      u32('jamba.feed_forward_length', 14_336),
      u32('jamba.attention.head_count', 32),
      // conversion/jamba.py n_kv_vec: num_key_value_heads on attention layers, else 0.
      perLayer(
        'jamba.attention.head_count_kv',
        Array.from({ length: 32 }, (_, l) => (l % 8 === 4 ? 8 : 0)),
      ),
      u32('jamba.ssm.conv_kernel', 4),
      u32('jamba.ssm.inner_size', inner),
      u32('jamba.ssm.state_size', dState),
      u32('jamba.ssm.time_step_rank', dtRank),
      u32('jamba.expert_count', 16),
      u32('jamba.expert_used_count', 2),
    ],
    tensors,
  );
  const arch = model.spec.architecture!;

  it('reads the catalog’s layers and AI21’s 52B total, 12B active', () => {
    const catalog = findModel('ai21labs/AI21-Jamba-1.5-Mini')!;
    expect(arch.layerMixers).toEqual(catalog.architecture!.layerMixers);
    expect(arch.moe?.moeLayerInterval).toBe(2);
    expect(model.spec.params).toBe(catalog.params);
    expect(countParameters(arch)).toEqual({
      params: catalog.params,
      activeParams: catalog.activeParams,
    });
    expect(model.warnings).toEqual([]);
  });

  it('keeps 3 × 8192 + 16 × 8192 F32 values per Mamba layer in llama.cpp: 622 592 B', () => {
    expect(recurrentStateBytes(stateOf(arch), 'llama.cpp', 2)).toBe(622_592);
  });
});

describe('Qwen3-Next-80B-A3B GGUF with its MTP layer (src/models/qwen3next.cpp)', () => {
  const hidden = 2048;
  const keyDim = 16 * 128;
  const valueDim = 32 * 128;
  const trunk = (b: string, attends: boolean): GgufTensorSpec[] => [
    t(`${b}.attn_norm.weight`, hidden),
    t(`${b}.post_attention_norm.weight`, hidden), // LLM_TENSOR_ATTN_POST_NORM
    ...(attends
      ? [
          ...attention(b, hidden, 256 * 16 * 2, 256 * 2, 256 * 16),
          t(`${b}.attn_q_norm.weight`, 256),
          t(`${b}.attn_k_norm.weight`, 256),
        ]
      : [
          t(`${b}.attn_qkv.weight`, hidden, 2 * keyDim + valueDim),
          t(`${b}.attn_gate.weight`, hidden, valueDim),
          t(`${b}.ssm_conv1d.weight`, 4, 2 * keyDim + valueDim),
          t(`${b}.ssm_dt.bias`, 32),
          t(`${b}.ssm_a`, 32),
          t(`${b}.ssm_ba.weight`, hidden, 64),
          t(`${b}.ssm_norm.weight`, 128),
          t(`${b}.ssm_out.weight`, valueDim, hidden),
        ]),
    ...expertFfn(b, hidden, 512, 512),
    t(`${b}.ffn_gate_inp_shexp.weight`, hidden),
    t(`${b}.ffn_gate_shexp.weight`, hidden, 512),
    t(`${b}.ffn_up_shexp.weight`, hidden, 512),
    t(`${b}.ffn_down_shexp.weight`, 512, hidden),
  ];
  const tensors: GgufTensorSpec[] = [t('token_embd.weight', hidden, 151_936)];
  for (let l = 0; l < 48; l++) tensors.push(...trunk(`blk.${l}`, (l + 1) % 4 === 0));
  // The MTP block the converter appends as layer 48 (load_block_mtp: a full-attention trunk block
  // plus eh_proj, enorm, hnorm and the shared head norm).
  const mtp: GgufTensorSpec[] = [
    ...trunk('blk.48', true),
    t('blk.48.nextn.eh_proj.weight', 2 * hidden, hidden),
    t('blk.48.nextn.enorm.weight', hidden),
    t('blk.48.nextn.hnorm.weight', hidden),
    t('blk.48.nextn.shared_head_norm.weight', hidden),
  ];
  tensors.push(...mtp, t('output_norm.weight', hidden), t('output.weight', hidden, 151_936));
  const model = importGguf(
    'qwen3next',
    [
      u32('qwen3next.block_count', 49),
      u32('qwen3next.nextn_predict_layers', 1),
      u32('qwen3next.context_length', 262_144),
      u32('qwen3next.embedding_length', hidden),
      u32('qwen3next.feed_forward_length', 5120),
      u32('qwen3next.attention.head_count', 16),
      u32('qwen3next.attention.head_count_kv', 2),
      u32('qwen3next.attention.key_length', 256),
      u32('qwen3next.attention.value_length', 256),
      u32('qwen3next.expert_count', 512),
      u32('qwen3next.expert_used_count', 10),
      u32('qwen3next.expert_feed_forward_length', 512),
      u32('qwen3next.expert_shared_feed_forward_length', 512),
      // conversion/qwen.py Qwen3NextModel.set_gguf_parameters.
      u32('qwen3next.ssm.conv_kernel', 4),
      u32('qwen3next.ssm.state_size', 128),
      u32('qwen3next.ssm.group_count', 16),
      u32('qwen3next.ssm.time_step_rank', 32),
      u32('qwen3next.ssm.inner_size', valueDim),
      u32('qwen3next.full_attention_interval', 4),
    ],
    tensors,
  );
  const arch = model.spec.architecture!;
  const catalog = findModel('Qwen/Qwen3-Next-80B-A3B-Instruct')!;

  it('reads 48 main layers (block_count − nextn_predict_layers), 12 attending, and the MTP layer', () => {
    expect(arch.layers).toBe(48);
    expect(arch.mtpLayers).toBe(1);
    expect(attentionLayerCount(arch)).toBe(12);
    expect(arch.layerMixers).toEqual(catalog.architecture!.layerMixers);
    expect(arch.attentionOutputGate).toBe(true);
    expect(arch.sharedExpertGate).toBe(true);
  });

  it('counts the catalog’s 79.7B for the main layers; the header holds the MTP block besides', () => {
    const mtpParams = mtp.reduce((sum, tensor) => sum + tensor.dims.reduce((a, b) => a * b, 1), 0);
    expect(countParameters(arch).params).toBe(catalog.params);
    expect(model.spec.params).toBe(catalog.params + mtpParams);
    expect(model.warnings).toEqual([
      expect.stringContaining(`${mtpParams} more than the metadata counts`),
    ]);
  });

  it('plans llama.cpp KV on the 12 attending layers and a state on the 36 others, as the catalog entry', () => {
    // Read as all-attention over block_count, this file planned 49 × 32768 × 2048 B =
    // 3 288 334 336 B of KV. llama.cpp keeps KV on 12 layers (2 KV heads × 256 × K and V × 2 B =
    // 2048 B per token) and n_embd_r + n_embd_s F32 values on 36: 884 342 784 B, the figure
    // engine-kv-plans.test.ts pins for the catalog model.
    const plan = planFromRequest({
      model: model.spec,
      deviceIds: ['nvidia-h200-sxm-141gb'],
      weightsFormat: 'q4_k_m',
      kvFormat: 'fp16',
      contextTokens: 32_768,
      batch: 1,
      engine: 'llama.cpp',
      marginFraction: 0.05,
      unit: 'GB',
    });
    expect(plan.memory.breakdown.kvCache).toBe(12 * 32_768 * 2048 + 36 * 2_195_456);
  });

  it('keeps (4 − 1) × (4096 + 2 × 16 × 128) + 128 × 4096 F32 values per DeltaNet layer in llama.cpp', () => {
    // n_embd_r = (ssm_d_conv − 1) × (ssm_d_inner + 2 × ssm_n_group × ssm_d_state);
    // n_embd_s = ssm_d_state × ssm_d_inner.
    expect(recurrentStateBytes(stateOf(arch), 'llama.cpp', 2)).toBe(
      (3 * (4096 + 2 * 16 * 128) + 128 * 4096) * F32_BYTES,
    );
  });
});

describe('granite-4.0-h style GGUF (src/models/granite-hybrid.cpp)', () => {
  // The small GraniteMoeHybrid config of hf-config-hybrid.test.ts, converted.
  const config = {
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
  };
  const hidden = 512;
  const inner = 1024;
  const convChannels = inner + 2 * 128;
  const tensors: GgufTensorSpec[] = [t('token_embd.weight', hidden, 49_152)];
  config.layer_types.forEach((type, l) => {
    const b = `blk.${l}`;
    tensors.push(t(`${b}.attn_norm.weight`, hidden), t(`${b}.ffn_norm.weight`, hidden));
    if (type === 'attention') tensors.push(...attention(b, hidden, 512, 512));
    else {
      tensors.push(
        t(`${b}.ssm_in.weight`, hidden, 2 * inner + 2 * 128 + 8),
        t(`${b}.ssm_conv1d.weight`, 4, convChannels),
        t(`${b}.ssm_conv1d.bias`, convChannels),
        t(`${b}.ssm_dt.bias`, 8),
        t(`${b}.ssm_a`, 1, 8),
        t(`${b}.ssm_d`, 1, 8),
        t(`${b}.ssm_norm.weight`, inner, 1),
        t(`${b}.ssm_out.weight`, inner, hidden),
      );
    }
    tensors.push(
      ...expertFfn(b, hidden, 1024, 8),
      t(`${b}.ffn_gate_shexp.weight`, hidden, 512),
      t(`${b}.ffn_up_shexp.weight`, hidden, 512),
      t(`${b}.ffn_down_shexp.weight`, 512, hidden),
    );
  });
  tensors.push(t('output_norm.weight', hidden));
  const model = importGguf(
    'granitehybrid',
    [
      u32('granitehybrid.block_count', 8),
      u32('granitehybrid.context_length', 4096),
      u32('granitehybrid.embedding_length', hidden),
      u32('granitehybrid.feed_forward_length', 1024),
      u32('granitehybrid.attention.head_count', 8),
      perLayer(
        'granitehybrid.attention.head_count_kv',
        config.layer_types.map((type) => (type === 'attention' ? 8 : 0)),
      ),
      u32('granitehybrid.expert_count', 8),
      u32('granitehybrid.expert_used_count', 2),
      u32('granitehybrid.expert_shared_feed_forward_length', 512),
      // conversion/granite.py GraniteHybridModel: time_step_rank = mamba_n_heads.
      u32('granitehybrid.ssm.conv_kernel', 4),
      u32('granitehybrid.ssm.state_size', 128),
      u32('granitehybrid.ssm.group_count', 1),
      u32('granitehybrid.ssm.inner_size', inner),
      u32('granitehybrid.ssm.time_step_rank', 8),
    ],
    tensors,
  );
  const arch = model.spec.architecture!;
  const fromConfig = parseHfConfig(config, 'granitemoehybrid/config.json').architecture;

  it('reads the layers and the Mamba-2 state config.json reads, and counts every tensor', () => {
    expect(arch.family).toBe('granitemoehybrid');
    expect(arch.layerMixers).toEqual(fromConfig.layerMixers);
    expect(countParameters(arch)).toEqual(countParameters(fromConfig));
    expect(model.spec.params).toBe(countParameters(arch).params);
    expect(model.warnings).toEqual([]);
  });

  it('keeps (4 − 1) × 1280 + 8 × 128 × 128 F32 values per Mamba-2 layer in llama.cpp: 539 648 B', () => {
    expect(recurrentStateBytes(stateOf(arch), 'llama.cpp', 2)).toBe(539_648);
  });
});

describe('Falcon-H1 style GGUF (src/models/falcon-h1.cpp)', () => {
  const config = {
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
  };
  const hidden = 1024;
  const inner = 1536;
  const convDim = inner + 2 * 128;
  const tensors: GgufTensorSpec[] = [t('token_embd.weight', hidden, 32_768)];
  for (let l = 0; l < 4; l++) {
    const b = `blk.${l}`;
    tensors.push(
      t(`${b}.ssm_in.weight`, hidden, inner + convDim + 24),
      t(`${b}.ssm_conv1d.weight`, 4, convDim),
      t(`${b}.ssm_conv1d.bias`, convDim),
      t(`${b}.ssm_dt.bias`, 24),
      t(`${b}.ssm_a`, 1, 24),
      t(`${b}.ssm_d`, 1, 24),
      t(`${b}.ssm_out.weight`, inner, hidden),
      ...attention(b, hidden, 8 * 64, 2 * 64),
      t(`${b}.attn_norm.weight`, hidden),
      t(`${b}.ffn_norm.weight`, hidden),
      ...denseFfn(b, hidden, 2048),
    );
  }
  tensors.push(t('output_norm.weight', hidden), t('output.weight', hidden, 32_768));
  const model = importGguf(
    'falcon-h1',
    [
      u32('falcon-h1.block_count', 4),
      u32('falcon-h1.context_length', 16_384),
      u32('falcon-h1.embedding_length', hidden),
      u32('falcon-h1.feed_forward_length', 2048),
      u32('falcon-h1.attention.head_count', 8),
      u32('falcon-h1.attention.head_count_kv', 2),
      u32('falcon-h1.attention.key_length', 64),
      u32('falcon-h1.attention.value_length', 64),
      u32('falcon-h1.ssm.conv_kernel', 4),
      u32('falcon-h1.ssm.state_size', 128),
      u32('falcon-h1.ssm.group_count', 1),
      u32('falcon-h1.ssm.inner_size', inner),
      u32('falcon-h1.ssm.time_step_rank', 24),
    ],
    tensors,
  );
  const arch = model.spec.architecture!;
  const fromConfig = parseHfConfig(config, 'falcon_h1/config.json').architecture;

  it('reads attention and Mamba-2 side by side on every layer, as config.json does', () => {
    expect(arch.family).toBe('falcon_h1');
    expect(arch.layerMixers).toEqual(fromConfig.layerMixers);
    expect(attentionLayerCount(arch)).toBe(4);
    expect(countParameters(arch).params).toBe(countParameters(fromConfig).params);
    expect(model.spec.params).toBe(countParameters(arch).params);
    expect(model.warnings).toEqual([]);
  });

  it('keeps (4 − 1) × 1792 + 24 × 64 × 128 F32 values per layer in llama.cpp', () => {
    expect(recurrentStateBytes(stateOf(arch), 'llama.cpp', 2)).toBe(
      (3 * 1792 + 24 * 64 * 128) * F32_BYTES,
    );
  });
});

describe('GGUF files Headroom cannot read as hybrids say so instead of reading all-attention', () => {
  it('a pure Mamba file (no attention, no FFN) has no architecture and says why', () => {
    const model = importGguf(
      'mamba',
      [
        u32('mamba.block_count', 1),
        u32('mamba.embedding_length', 768),
        u32('mamba.attention.head_count', 0),
      ],
      [t('token_embd.weight', 768, 64)],
    );
    expect(model.spec.architecture).toBeUndefined();
    expect(model.warnings[0]).toContain('has only Mamba layers');
  });

  it('a Jamba file without its ssm keys has no architecture and names the missing key', () => {
    const model = importGguf(
      'jamba',
      [
        u32('jamba.block_count', 2),
        u32('jamba.context_length', 4096),
        u32('jamba.embedding_length', 256),
        u32('jamba.feed_forward_length', 512),
        u32('jamba.attention.head_count', 2),
        perLayer('jamba.attention.head_count_kv', [0, 2]),
      ],
      [t('token_embd.weight', 256, 64)],
    );
    expect(model.spec.architecture).toBeUndefined();
    expect(model.warnings).toEqual([expect.stringContaining('no jamba.ssm.conv_kernel')]);
  });
});
