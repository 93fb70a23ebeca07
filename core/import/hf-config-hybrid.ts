import type {
  ArchitectureSpec,
  LayerMixer,
  Mamba2Spec,
  MoeSpec,
  RecurrentStateSpec,
} from '../models/types';
import { CONFIG_LIMITS, type ConfigReader } from './hf-config-reader';

/**
 * Hybrid decoders whose layers are not all attention: which layers attend and what state the
 * others keep, read from each family's config keys (defaults are the transformers config
 * classes'). Applied on top of the Llama-style reading of the same file.
 */

const dim = { min: 1, max: CONFIG_LIMITS.hidden };
const kernelBounds = { min: 1, max: 1024 };
const headBounds = { min: 1, max: CONFIG_LIMITS.heads };
const layerIndex = (layers: number) => ({ min: 1, max: layers });

/** Qwen3NextConfig default full_attention_interval = 4: layer i attends iff (i + 1) % 4 == 0. */
const QWEN3_NEXT_FULL_ATTENTION_INTERVAL = 4;
/** JambaConfig defaults: attn_layer_period 8, attn_layer_offset 4, expert period 2, offset 1. */
const JAMBA_DEFAULTS = { attnPeriod: 8, attnOffset: 4, expertPeriod: 2, expertOffset: 1 };
/** Mamba's default dt rank: ceil(hidden / 16) (JambaConfig mamba_dt_rank "auto"). */
const MAMBA_DT_RANK_DIVISOR = 16;

/** The hybrid reading of `arch` for its model_type, or `arch` unchanged for other types. */
export function readHybrid(
  reader: ConfigReader,
  modelType: string,
  arch: ArchitectureSpec,
  warnings: string[],
): ArchitectureSpec {
  switch (modelType) {
    case 'qwen3_next':
      return readQwen3Next(reader, arch);
    case 'jamba':
      return readJamba(reader, arch, warnings);
    case 'granitemoehybrid':
      return readGraniteHybrid(reader, arch);
    case 'falcon_h1':
      return readFalconH1(reader, arch);
    case 'lfm2':
      return readLfm2(reader, arch);
    default:
      return arch;
  }
}

/**
 * Mixers from a `layer_types` list: `attentionNames` attend, `stateNames` keep `state`.
 * @returns undefined when the file has no layer_types
 */
function mixersFromLayerTypes(
  reader: ConfigReader,
  layers: number,
  attentionNames: readonly string[],
  stateNames: readonly string[],
  state: RecurrentStateSpec,
): LayerMixer[] | undefined {
  const types = reader.array('layer_types');
  if (!types) return undefined;
  if (types.length !== layers) {
    reader.fail(`layer_types lists ${types.length} layers, num_hidden_layers says ${layers}`);
  }
  const recurrent: LayerMixer = { kind: 'recurrent', state };
  return types.map((type, index) => {
    if (typeof type === 'string' && attentionNames.includes(type)) return { kind: 'attention' };
    if (typeof type === 'string' && stateNames.includes(type)) return recurrent;
    return reader.fail(
      `layer_types[${index}] is ${JSON.stringify(type)}; expected ${[...attentionNames, ...stateNames].join(' or ')}`,
    );
  });
}

/** Mixers where `attends(i)` says which layers attend. */
function mixersBy(
  layers: number,
  attends: (layer: number) => boolean,
  state: RecurrentStateSpec,
): LayerMixer[] {
  const recurrent: LayerMixer = { kind: 'recurrent', state };
  return Array.from({ length: layers }, (_, layer) =>
    attends(layer) ? { kind: 'attention' } : recurrent,
  );
}

/**
 * Qwen3-Next (transformers configuration_qwen3_next.py): Gated DeltaNet layers
 * (linear_num_key_heads, linear_num_value_heads, linear_key_head_dim, linear_value_head_dim,
 * linear_conv_kernel_dim) and gated full attention every full_attention_interval-th layer
 * (layer_types "linear_attention" / "full_attention"); a shared expert of
 * shared_expert_intermediate_size with its sigmoid gate.
 */
function readQwen3Next(reader: ConfigReader, arch: ArchitectureSpec): ArchitectureSpec {
  const state: RecurrentStateSpec = {
    kind: 'gated-deltanet',
    keyHeads: reader.int(['linear_num_key_heads'], headBounds),
    valueHeads: reader.int(['linear_num_value_heads'], headBounds),
    keyHeadDim: reader.int(['linear_key_head_dim'], dim),
    valueHeadDim: reader.int(['linear_value_head_dim'], dim),
    convKernel: reader.int(['linear_conv_kernel_dim'], kernelBounds),
  };
  const interval = reader.int(
    ['full_attention_interval'],
    layerIndex(arch.layers),
    QWEN3_NEXT_FULL_ATTENTION_INTERVAL,
  );
  const layerMixers =
    mixersFromLayerTypes(reader, arch.layers, ['full_attention'], ['linear_attention'], state) ??
    mixersBy(arch.layers, (layer) => (layer + 1) % interval === 0, state);
  const shared = reader.optionalInt(['shared_expert_intermediate_size'], {
    min: 0,
    max: CONFIG_LIMITS.intermediate,
  });
  const moe: MoeSpec | undefined =
    arch.moe && shared
      ? { ...arch.moe, sharedExperts: 1, sharedIntermediateSize: shared }
      : arch.moe;
  return {
    ...arch,
    ...(moe ? { moe } : {}),
    layerMixers,
    attentionOutputGate: true,
    ...(moe && moe.sharedExperts > 0 ? { sharedExpertGate: true } : {}),
  };
}

/**
 * Jamba (transformers configuration_jamba.py): Mamba-1 layers (mamba_d_state, mamba_d_conv,
 * mamba_expand, mamba_dt_rank, mamba_conv_bias, mamba_proj_bias) with attention where
 * i % attn_layer_period == attn_layer_offset, and experts (num_experts of intermediate_size)
 * where i % expert_layer_period == expert_layer_offset.
 */
function readJamba(
  reader: ConfigReader,
  arch: ArchitectureSpec,
  warnings: string[],
): ArchitectureSpec {
  const hidden = arch.hiddenSize;
  const dtRankValue = reader.config['mamba_dt_rank'];
  const state: RecurrentStateSpec = {
    kind: 'mamba1',
    innerSize: reader.int(['mamba_expand'], { min: 1, max: 64 }, 2) * hidden,
    stateSize: reader.int(['mamba_d_state'], dim, 16),
    convKernel: reader.int(['mamba_d_conv'], kernelBounds, 4),
    dtRank:
      dtRankValue === undefined || dtRankValue === 'auto'
        ? Math.ceil(hidden / MAMBA_DT_RANK_DIVISOR)
        : reader.int(['mamba_dt_rank'], dim),
    convBias: reader.bool('mamba_conv_bias', true),
    projBias: reader.bool('mamba_proj_bias', false),
  };
  const period = reader.int(
    ['attn_layer_period'],
    layerIndex(arch.layers),
    JAMBA_DEFAULTS.attnPeriod,
  );
  const offset = reader.int(
    ['attn_layer_offset'],
    { min: 0, max: period - 1 },
    JAMBA_DEFAULTS.attnOffset,
  );
  const layerMixers = mixersBy(arch.layers, (layer) => layer % period === offset, state);
  const experts = reader.int(['num_experts'], { min: 1, max: CONFIG_LIMITS.experts }, 16);
  if (experts === 1) return { ...arch, layerMixers };
  const expertPeriod = reader.int(
    ['expert_layer_period'],
    layerIndex(arch.layers),
    JAMBA_DEFAULTS.expertPeriod,
  );
  const expertOffset = reader.int(
    ['expert_layer_offset'],
    { min: 0, max: expertPeriod - 1 },
    JAMBA_DEFAULTS.expertOffset,
  );
  if (expertOffset !== expertPeriod - 1) {
    warnings.push(
      `expert_layer_offset ${expertOffset} of period ${expertPeriod}: Headroom places experts on the last layer of each period`,
    );
  }
  return {
    ...arch,
    layerMixers,
    moe: {
      routedExperts: experts,
      activeExperts: reader.int(['num_experts_per_tok'], { min: 1, max: experts }, 2),
      sharedExperts: 0,
      expertIntermediateSize: arch.intermediateSize,
      sharedIntermediateSize: 0,
      firstDenseLayers: 0,
      moeLayerInterval: expertPeriod,
    },
  };
}

/** The Mamba-2 keys granite-4.0-h and Falcon-H1 share (mamba_n_heads, mamba_d_head …). */
function readMamba2(
  reader: ConfigReader,
  hidden: number,
  innerKeys: readonly string[],
  gatedNorm: boolean,
): Mamba2Spec {
  const expand = reader.int(['mamba_expand'], { min: 1, max: 64 }, 2);
  const heads = reader.int(['mamba_n_heads'], headBounds);
  const headDim = reader.int(['mamba_d_head'], dim);
  return {
    kind: 'mamba2',
    innerSize: reader.optionalInt(innerKeys, dim) ?? expand * hidden,
    heads,
    headDim,
    groups: reader.int(['mamba_n_groups'], headBounds, 1),
    stateSize: reader.int(['mamba_d_state'], dim),
    convKernel: reader.int(['mamba_d_conv'], kernelBounds, 4),
    convBias: reader.bool('mamba_conv_bias', true),
    projBias: reader.bool('mamba_proj_bias', false),
    gatedNorm,
  };
}

/**
 * granite-4.0-h (transformers configuration_granitemoehybrid.py): layer_types "mamba" /
 * "attention"; Mamba-2 of mamba_expand × hidden with a gated RMSNorm; every layer a MoE of
 * num_local_experts × intermediate_size plus a shared MLP of shared_intermediate_size (dense
 * shared MLP only when num_local_experts is 0).
 */
function readGraniteHybrid(reader: ConfigReader, arch: ArchitectureSpec): ArchitectureSpec {
  const state = readMamba2(reader, arch.hiddenSize, [], true);
  const layerMixers =
    mixersFromLayerTypes(reader, arch.layers, ['attention'], ['mamba'], state) ??
    mixersBy(arch.layers, () => false, state);
  const shared = reader.int(
    ['shared_intermediate_size'],
    { min: 0, max: CONFIG_LIMITS.intermediate },
    0,
  );
  const experts = reader.int(['num_local_experts'], { min: 0, max: CONFIG_LIMITS.experts }, 0);
  if (experts === 0) {
    return { ...arch, intermediateSize: shared, layerMixers };
  }
  return {
    ...arch,
    layerMixers,
    moe: {
      routedExperts: experts,
      activeExperts: reader.int(['num_experts_per_tok'], { min: 1, max: experts }),
      sharedExperts: shared > 0 ? 1 : 0,
      expertIntermediateSize: arch.intermediateSize,
      sharedIntermediateSize: shared,
      firstDenseLayers: 0,
    },
  };
}

/**
 * Falcon-H1 (transformers configuration_falcon_h1.py): every layer runs attention and a Mamba-2
 * mixer side by side (mamba_d_ssm inner width, mamba_n_heads, mamba_d_head, mamba_n_groups,
 * mamba_d_state, mamba_d_conv; the gated norm only with mamba_rms_norm).
 */
function readFalconH1(reader: ConfigReader, arch: ArchitectureSpec): ArchitectureSpec {
  const state = readMamba2(
    reader,
    arch.hiddenSize,
    ['mamba_d_ssm'],
    reader.bool('mamba_rms_norm', false),
  );
  const both: LayerMixer = { kind: 'attention-and-recurrent', state };
  return { ...arch, layerMixers: Array.from({ length: arch.layers }, () => both) };
}

/**
 * LFM2 (transformers configuration_lfm2.py): layer_types "conv" / "full_attention" (older files:
 * full_attn_idxs); gated short convolutions of conv_L_cache over the hidden size; the FFN width
 * auto-adjusted as Lfm2MLP does: int(2 × w / 3), × block_ffn_dim_multiplier, rounded up to
 * block_multiple_of.
 */
function readLfm2(reader: ConfigReader, arch: ArchitectureSpec): ArchitectureSpec {
  const state: RecurrentStateSpec = {
    kind: 'short-conv',
    channels: arch.hiddenSize,
    convKernel: reader.int(['conv_L_cache'], kernelBounds, 3),
    bias: reader.bool('conv_bias', false),
  };
  let layerMixers = mixersFromLayerTypes(reader, arch.layers, ['full_attention'], ['conv'], state);
  if (!layerMixers) {
    const indexes = (reader.array('full_attn_idxs') ?? []).map((value, index) =>
      reader.checkInt(`full_attn_idxs[${index}]`, value, { min: 0, max: arch.layers - 1 }),
    );
    layerMixers = mixersBy(arch.layers, (layer) => indexes.includes(layer), state);
  }
  let width = reader.int(['block_ff_dim', 'intermediate_size'], {
    min: 1,
    max: CONFIG_LIMITS.intermediate,
  });
  if (reader.bool('block_auto_adjust_ff_dim', true)) {
    width = Math.trunc((2 * width) / 3);
    const multiplierValue = reader.config['block_ffn_dim_multiplier'];
    if (typeof multiplierValue === 'number') width = Math.trunc(multiplierValue * width);
    const multiple = reader.int(['block_multiple_of'], { min: 1, max: 1 << 16 }, 256);
    width = multiple * Math.ceil(width / multiple);
  }
  return { ...arch, intermediateSize: width, layerMixers };
}
