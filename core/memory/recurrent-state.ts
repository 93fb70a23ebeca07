import { convChannels } from '../models/layers';
import type { RecurrentStateSpec } from '../models/types';

/**
 * The fixed state a recurrent layer (Mamba, Gated DeltaNet, LFM2's short convolution) keeps per
 * sequence instead of a KV cache: a convolution window over the last few inputs and, for SSM
 * and linear-attention layers, a recurrent matrix. Its size does not depend on the context.
 * Each engine sizes and types it its own way:
 *
 * - `vllm`: MambaStateShapeCalculator (vllm/model_executor/layers/mamba/mamba_utils.py):
 *   conv state (kernel − 1) × conv channels, temporal state mamba1 inner × d_state, mamba2
 *   heads × head_dim × d_state, gated_delta_net value heads × value dim × key dim; both in the
 *   model's dtype (MambaStateDtypeCalculator._mamba_state_dtype: mamba_cache_dtype and
 *   mamba_ssm_cache_dtype "auto"). One state per running request (mamba_block_size =
 *   max_model_len without prefix caching: vllm/model_executor/models/config.py).
 * - `llama.cpp`: llama_memory_recurrent keeps r (n_embd_r) and s (n_embd_s) rows per sequence
 *   slot, in F32 (src/llama-model.cpp create_memory passes GGML_TYPE_F32 for both);
 *   src/llama-hparams.cpp n_embd_r = (ssm_d_conv − 1) × (ssm_d_inner + 2 × ssm_n_group ×
 *   ssm_d_state), LFM2 n_embd × (L_cache − 1); n_embd_s = ssm_d_state × ssm_d_inner (Qwen3-Next:
 *   d_state = key head dim, d_inner = value heads × value dim, n_group = key heads).
 * - `transformers`: the model's cache class keeps the whole kernel window (conv_kernel columns,
 *   not kernel − 1): modeling_jamba.py HybridMambaAttentionDynamicCache, modeling_bamba.py /
 *   granitemoehybrid and modeling_falcon_h1.py FalconHybridMambaAttentionDynamicCache,
 *   modeling_lfm2.py Lfm2HybridConvCache (all in the model's dtype) and modeling_qwen3_next.py
 *   Qwen3NextDynamicCache, whose recurrent state comes out of (torch_)chunk_gated_delta_rule in
 *   float32 while its conv state keeps the model's dtype.
 * - `sglang`: python/sglang/srt/configs/mamba_utils.py (Mamba2StateShape, the GDN shapes):
 *   conv state (kernel − 1) × conv channels in the model's dtype, the temporal state in
 *   `--mamba-ssm-dtype`, float32 by default (server_args.py mamba_ssm_dtype).
 */
export type RecurrentStateRule = 'vllm' | 'llama.cpp' | 'transformers' | 'sglang';

/** Bytes of an F32 element: llama.cpp's recurrent state type. */
const F32_BYTES = 4;

/** The two tensors of a recurrent layer's state, in elements and bytes per element. */
interface RecurrentStateTensors {
  readonly convElements: number;
  readonly convBytesPerElement: number;
  /** The recurrent (SSM / delta-rule) matrix; 0 for a short convolution. */
  readonly ssmElements: number;
  readonly ssmBytesPerElement: number;
}

/** Elements of the recurrent matrix (0 for a convolution-only layer). */
function ssmStateElements(state: RecurrentStateSpec): number {
  switch (state.kind) {
    case 'mamba1':
      return state.innerSize * state.stateSize;
    case 'mamba2':
      return state.heads * state.headDim * state.stateSize;
    case 'gated-deltanet':
      return state.valueHeads * state.keyHeadDim * state.valueHeadDim;
    case 'short-conv':
      return 0;
  }
}

/**
 * The state tensors of one layer for one sequence as an engine allocates them.
 * @param modelDtypeBytes bytes of the model's activation dtype (2 for bf16/fp16, 4 for fp32)
 * @example recurrentStateTensors(qwen3NextDeltaNet, 'vllm', 2).convElements // 3 × 8192
 */
function recurrentStateTensors(
  state: RecurrentStateSpec,
  rule: RecurrentStateRule,
  modelDtypeBytes: number,
): RecurrentStateTensors {
  const channels = convChannels(state);
  const ssmElements = ssmStateElements(state);
  switch (rule) {
    case 'vllm':
      return {
        convElements: (state.convKernel - 1) * channels,
        convBytesPerElement: modelDtypeBytes,
        ssmElements,
        ssmBytesPerElement: modelDtypeBytes,
      };
    case 'llama.cpp':
      return {
        convElements: (state.convKernel - 1) * channels,
        convBytesPerElement: F32_BYTES,
        ssmElements,
        ssmBytesPerElement: F32_BYTES,
      };
    case 'sglang':
      return {
        convElements: (state.convKernel - 1) * channels,
        convBytesPerElement: modelDtypeBytes,
        ssmElements,
        ssmBytesPerElement: F32_BYTES,
      };
    case 'transformers':
      return {
        convElements: state.convKernel * channels,
        convBytesPerElement: modelDtypeBytes,
        ssmElements,
        ssmBytesPerElement: state.kind === 'gated-deltanet' ? F32_BYTES : modelDtypeBytes,
      };
  }
}

/** Bytes of one layer's state for one sequence (see recurrentStateTensors). */
export function recurrentStateBytes(
  state: RecurrentStateSpec,
  rule: RecurrentStateRule,
  modelDtypeBytes: number,
): number {
  const t = recurrentStateTensors(state, rule, modelDtypeBytes);
  return t.convElements * t.convBytesPerElement + t.ssmElements * t.ssmBytesPerElement;
}

/** Where each recurrent-state rule comes from, for the plan's assumptions. */
export const RECURRENT_STATE_RULE_SOURCES: Readonly<Record<RecurrentStateRule, string>> = {
  vllm: 'vllm/model_executor/layers/mamba/mamba_utils.py MambaStateShapeCalculator (conv kernel - 1 columns) and MambaStateDtypeCalculator (model dtype); pages padded to the attention page by vllm/model_executor/models/config.py HybridAttentionMambaModelConfig',
  'llama.cpp':
    'llama.cpp src/llama-hparams.cpp n_embd_r / n_embd_s, src/llama-memory-recurrent.cpp: one F32 r and s row per sequence slot (n_seq_max)',
  sglang:
    'SGLang python/sglang/srt/configs/mamba_utils.py: conv state of kernel - 1 columns in the model dtype, temporal state in --mamba-ssm-dtype (float32 by default)',
  transformers:
    'transformers cache classes (HybridMambaAttentionDynamicCache, FalconHybridMambaAttentionDynamicCache, Lfm2HybridConvCache, Qwen3NextDynamicCache): the whole conv kernel window in the model dtype; Gated DeltaNet recurrent state in float32',
};
