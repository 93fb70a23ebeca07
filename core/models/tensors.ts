import { BugError } from '../errors';
import { convChannels, isMoeLayer, layerMixer } from './layers';
import type {
  VisionTowerSpec,
  ArchitectureSpec,
  RecurrentStateSpec,
  TensorRole,
  TensorSpec,
} from './types';

/**
 * Every tensor of a model as its checkpoint stores it, in llama.cpp's vocabulary.
 *
 * Roles and names follow llama.cpp src/llama-arch.cpp (LLM_TENSOR_NAMES: token_embd,
 * position_embd, token_embd_norm, blk.N.attn_q …, output_norm, output) so the GGUF quantizer's
 * per-tensor rules can be applied to them. Shapes are [rows = outputs, cols = inputs] for
 * matrices (PyTorch nn.Linear order), [experts, rows, cols] for a layer's routed experts, which
 * form ONE TensorSpec per role per layer (llama.cpp ffn_*_exps), and 1-D for norms and biases.
 *
 * Norm weights and LayerNorm biases have role `norm`; biases of linear layers have role `bias`;
 * attention sinks and the router bias are `other`. Tied embeddings store no `output` tensor.
 * DeepSeek-V3's multi-token-prediction layers are not listed (see ArchitectureSpec.mtpLayers).
 *
 * @param arch the architecture (validated: positive whole dimensions)
 * @returns the tensors: embeddings, then layers 0…n-1 (norms, attention, FFN), final norm, output head
 * @example enumerateTensors(llama2_7b).length // 32 × 9 + 3 = 291
 */
export function enumerateTensors(arch: ArchitectureSpec): TensorSpec[] {
  assertBuildable(arch);
  const out: TensorSpec[] = [];
  const add = (
    role: TensorRole,
    name: string,
    shape: readonly number[],
    layer?: number,
    experts = 1,
  ) => {
    const elements = shape.reduce((product, size) => product * size, 1);
    out.push(
      layer === undefined
        ? { role, name, shape, elements, experts }
        : { role, layer, name, shape, elements, experts },
    );
  };
  const hidden = arch.hiddenSize;
  const addNorm = (name: string, size: number, layer?: number) => {
    add('norm', `${name}.weight`, [size], layer);
    if (arch.norm === 'layer') add('norm', `${name}.bias`, [size], layer);
  };

  add('token_embd', 'token_embd.weight', [arch.vocabSize, hidden]);
  if (arch.embeddingNorm) addNorm('token_embd_norm', hidden);
  if (arch.learnedPositionRows)
    add('pos_embd', 'position_embd.weight', [arch.learnedPositionRows, hidden]);

  for (let layer = 0; layer < arch.layers; layer++) {
    const blk = `blk.${layer}`;
    const norms = layerNormNames(arch);
    addNorm(`${blk}.${norms[0]}`, hidden, layer);
    const mixer = layerMixer(arch, layer);
    if (mixer.kind !== 'recurrent') addAttention(arch, layer, add, addNorm);
    if (mixer.kind !== 'attention') addRecurrentMixer(arch, mixer.state, layer, add);
    for (const name of norms.slice(1)) addNorm(`${blk}.${name}`, hidden, layer);
    if (isMoeLayer(arch, layer)) addMoeFfn(arch, layer, add);
    else addDenseFfn(arch, layer, add);
  }

  addNorm('output_norm', hidden);
  if (!arch.tiedEmbeddings) add('output', 'output.weight', [arch.vocabSize, hidden]);
  if (arch.vision) addVisionTower(arch.vision, add);
  return out;
}

/**
 * Whether a tensor belongs to the vision tower or its projector (llama.cpp's mmproj names:
 * tools/mtmd/clip-impl.h TN_* "v.…" and "mm.…"): text decoding never reads it.
 */
export function isVisionTensor(tensor: TensorSpec): boolean {
  const name = tensor.name ?? '';
  return name.startsWith('v.') || name.startsWith('mm.');
}

/**
 * A SigLIP/ViT vision tower (transformers SiglipVisionModel): the patch convolution and learned
 * positions, per layer q/k/v/o and fc1/fc2 with biases and two LayerNorms, a final LayerNorm;
 * then the projector into the language model (Gemma 3: mm_soft_emb_norm and
 * mm_input_projection_weight [vision hidden, text hidden]). Counted as global tensors.
 */
function addVisionTower(vision: VisionTowerSpec, add: AddTensor): void {
  const h = vision.hiddenSize;
  const positions = (vision.imageSize / vision.patchSize) ** 2;
  add('other', 'v.patch_embd.weight', [h, vision.channels, vision.patchSize, vision.patchSize]);
  add('bias', 'v.patch_embd.bias', [h]);
  add('other', 'v.position_embd.weight', [positions, h]);
  for (let layer = 0; layer < vision.layers; layer++) {
    const blk = `v.blk.${layer}`;
    for (const name of ['attn_q', 'attn_k', 'attn_v', 'attn_out']) {
      add('other', `${blk}.${name}.weight`, [h, h]);
      add('bias', `${blk}.${name}.bias`, [h]);
    }
    add('other', `${blk}.ffn_up.weight`, [vision.intermediateSize, h]);
    add('bias', `${blk}.ffn_up.bias`, [vision.intermediateSize]);
    add('other', `${blk}.ffn_down.weight`, [h, vision.intermediateSize]);
    add('bias', `${blk}.ffn_down.bias`, [h]);
    for (const name of ['ln1', 'ln2']) {
      add('norm', `${blk}.${name}.weight`, [h]);
      add('norm', `${blk}.${name}.bias`, [h]);
    }
  }
  add('norm', 'v.post_ln.weight', [h]);
  add('norm', 'v.post_ln.bias', [h]);
  add('norm', 'mm.soft_emb_norm.weight', [h]);
  add('other', 'mm.input_projection.weight', [h, vision.projectorOutputSize]);
}

type AddTensor = (
  role: TensorRole,
  name: string,
  shape: readonly number[],
  layer?: number,
  experts?: number,
) => void;
type AddNorm = (name: string, size: number, layer?: number) => void;

/**
 * The per-layer norm names (llama.cpp): the first sits before attention, the rest after it.
 * 1: attn_norm (Falcon-7B, one norm for its parallel block); 2: attn_norm + ffn_norm, or
 * attn_norm + attn_norm_2 for Falcon-40B's parallel ln_attn/ln_mlp; 4 (Gemma 2/3):
 * attn_norm, post_attention_norm, ffn_norm, post_ffw_norm.
 */
function layerNormNames(arch: ArchitectureSpec): readonly string[] {
  const count = arch.normsPerLayer ?? 2;
  if (count === 1) return ['attn_norm'];
  if (count === 2)
    return arch.parallelAttention ? ['attn_norm', 'attn_norm_2'] : ['attn_norm', 'ffn_norm'];
  if (count === 4) return ['attn_norm', 'post_attention_norm', 'ffn_norm', 'post_ffw_norm'];
  throw new BugError(`normsPerLayer ${count} is not a layout Headroom knows (1, 2 or 4)`);
}

function addAttention(
  arch: ArchitectureSpec,
  layer: number,
  add: AddTensor,
  addNorm: AddNorm,
): void {
  const blk = `blk.${layer}`;
  const hidden = arch.hiddenSize;
  const heads = arch.attentionHeads;
  const biases = arch.linearBiases;
  const withBias = (role: TensorRole, name: string, rows: number, cols: number, bias: boolean) => {
    add(role, `${blk}.${name}.weight`, [rows, cols], layer);
    if (bias) add('bias', `${blk}.${name}.bias`, [rows], layer);
  };

  if (arch.mla) {
    // DeepSeek-V2/V3 MLA (HF modeling_deepseek.py DeepseekV3Attention; llama.cpp names).
    const mla = arch.mla;
    const qHeadDim = mla.qkNopeHeadDim + mla.qkRopeHeadDim;
    if (mla.qLoraRank === null) {
      withBias('attn_q', 'attn_q', heads * qHeadDim, hidden, false);
    } else {
      withBias('attn_q_a', 'attn_q_a', mla.qLoraRank, hidden, false);
      addNorm(`${blk}.attn_q_a_norm`, mla.qLoraRank, layer);
      withBias('attn_q_b', 'attn_q_b', heads * qHeadDim, mla.qLoraRank, false);
    }
    withBias('attn_kv_a', 'attn_kv_a_mqa', mla.kvLoraRank + mla.qkRopeHeadDim, hidden, false);
    addNorm(`${blk}.attn_kv_a_norm`, mla.kvLoraRank, layer);
    withBias(
      'attn_kv_b',
      'attn_kv_b',
      heads * (mla.qkNopeHeadDim + mla.vHeadDim),
      mla.kvLoraRank,
      false,
    );
    withBias('attn_output', 'attn_output', hidden, heads * mla.vHeadDim, false);
    return;
  }

  const qRows = heads * arch.headDim;
  // Qwen3-Next's gated attention: q_proj yields the queries and a same-sized output gate.
  const qProjRows = arch.attentionOutputGate ? 2 * qRows : qRows;
  const kvRows = arch.kvHeads * arch.headDim;
  const qkvBias = biases?.qkv ?? false;
  if (arch.fusedQkv) {
    withBias('attn_qkv', 'attn_qkv', qProjRows + 2 * kvRows, hidden, qkvBias);
  } else {
    withBias('attn_q', 'attn_q', qProjRows, hidden, qkvBias);
    withBias('attn_k', 'attn_k', kvRows, hidden, qkvBias);
    withBias('attn_v', 'attn_v', kvRows, hidden, qkvBias);
  }
  if (arch.qkNorm) {
    add('norm', `${blk}.attn_q_norm.weight`, [arch.headDim], layer);
    add('norm', `${blk}.attn_k_norm.weight`, [arch.headDim], layer);
  }
  withBias('attn_output', 'attn_output', hidden, qRows, biases?.attnOutput ?? false);
  if (arch.attentionSinks) add('other', `${blk}.attn_sinks.weight`, [heads], layer);
}

function addDenseFfn(arch: ArchitectureSpec, layer: number, add: AddTensor): void {
  const blk = `blk.${layer}`;
  const hidden = arch.hiddenSize;
  const width = arch.intermediateSize;
  const bias = arch.linearBiases?.ffn ?? false;
  const withBias = (role: TensorRole, name: string, rows: number, cols: number) => {
    add(role, `${blk}.${name}.weight`, [rows, cols], layer);
    if (bias) add('bias', `${blk}.${name}.bias`, [rows], layer);
  };
  if (arch.ffnKind === 'plain') {
    withBias('ffn_up', 'ffn_up', width, hidden);
  } else if (arch.fusedGateUp) {
    withBias('ffn_gate_up', 'ffn_gate_up', 2 * width, hidden);
  } else {
    withBias('ffn_gate', 'ffn_gate', width, hidden);
    withBias('ffn_up', 'ffn_up', width, hidden);
  }
  withBias('ffn_down', 'ffn_down', hidden, width);
}

function addMoeFfn(arch: ArchitectureSpec, layer: number, add: AddTensor): void {
  const moe = arch.moe;
  if (!moe) throw new BugError('addMoeFfn called on a dense architecture');
  const blk = `blk.${layer}`;
  const hidden = arch.hiddenSize;
  const count = moe.routedExperts;
  const width = moe.expertIntermediateSize;
  const bias = arch.linearBiases?.ffn ?? false;

  add('ffn_gate_inp', `${blk}.ffn_gate_inp.weight`, [count, hidden], layer);
  if (moe.routerBias) {
    // DeepSeek-V3's and GLM-4.5's correction bias (e_score_correction_bias) is `exp_probs_b` in
    // GGUF; gpt-oss's router bias keeps the router's name.
    const name = arch.family === 'gpt_oss' ? `${blk}.ffn_gate_inp.bias` : `${blk}.exp_probs_b.bias`;
    add('other', name, [count], layer);
  }

  const experts = (role: TensorRole, name: string, rows: number, cols: number) => {
    add(role, `${blk}.${name}.weight`, [count, rows, cols], layer, count);
    if (bias) add('bias', `${blk}.${name}.bias`, [count, rows], layer, count);
  };
  if (arch.ffnKind === 'plain') {
    experts('ffn_up_exps', 'ffn_up_exps', width, hidden);
  } else {
    experts('ffn_gate_exps', 'ffn_gate_exps', width, hidden);
    experts('ffn_up_exps', 'ffn_up_exps', width, hidden);
  }
  experts('ffn_down_exps', 'ffn_down_exps', hidden, width);

  if (moe.sharedExperts > 0 && moe.sharedIntermediateSize > 0) {
    const shared = moe.sharedIntermediateSize;
    add('ffn_gate_shexp', `${blk}.ffn_gate_shexp.weight`, [shared, hidden], layer);
    add('ffn_up_shexp', `${blk}.ffn_up_shexp.weight`, [shared, hidden], layer);
    add('ffn_down_shexp', `${blk}.ffn_down_shexp.weight`, [hidden, shared], layer);
    if (arch.sharedExpertGate)
      add('ffn_gate_inp', `${blk}.ffn_gate_inp_shexp.weight`, [1, hidden], layer);
  }
}

/**
 * A recurrent mixer's weights, named as llama.cpp's converter writes them (ssm_in, ssm_conv1d,
 * ssm_out …; LFM2's shortconv.*):
 * - mamba1: transformers JambaMambaMixer — in_proj [2 × inner, hidden], conv1d [inner, 1, kernel]
 *   (+ bias), x_proj [dt_rank + 2 × d_state, inner], dt_proj [inner, dt_rank] + bias, A_log
 *   [inner, d_state], D [inner], out_proj [hidden, inner], and Jamba's dt/B/C RMSNorms;
 * - mamba2: transformers GraniteMoeHybridMambaLayer / FalconH1Mixer — in_proj [inner + conv
 *   channels + heads, hidden], conv1d [channels, 1, kernel] (+ bias), dt_bias, A_log and D
 *   [heads], the gated RMSNorm [inner] where present, out_proj [hidden, inner];
 * - gated-deltanet: transformers Qwen3NextGatedDeltaNet — in_proj_qkvz [2 × key + 2 × value
 *   dims, hidden], in_proj_ba [2 × value heads, hidden], conv1d [channels, 1, kernel] without
 *   bias, dt_bias and A_log [value heads], norm [value head dim], out_proj [hidden, value dims];
 * - short-conv: transformers Lfm2ShortConv — in_proj [3 × hidden, hidden], conv [hidden, 1,
 *   L_cache], out_proj [hidden, hidden], each with a bias when conv_bias.
 */
function addRecurrentMixer(
  arch: ArchitectureSpec,
  state: RecurrentStateSpec,
  layer: number,
  add: AddTensor,
): void {
  const blk = `blk.${layer}`;
  const hidden = arch.hiddenSize;
  const linear = (role: TensorRole, name: string, rows: number, cols: number, bias: boolean) => {
    add(role, `${blk}.${name}.weight`, [rows, cols], layer);
    if (bias) add('bias', `${blk}.${name}.bias`, [rows], layer);
  };
  const conv = (name: string, channels: number, kernel: number, bias: boolean) => {
    add('ssm_conv1d', `${blk}.${name}.weight`, [channels, 1, kernel], layer);
    if (bias) add('bias', `${blk}.${name}.bias`, [channels], layer);
  };
  switch (state.kind) {
    case 'mamba1': {
      const inner = state.innerSize;
      linear('ssm_in', 'ssm_in', 2 * inner, hidden, state.projBias);
      conv('ssm_conv1d', inner, state.convKernel, state.convBias);
      linear('other', 'ssm_x', state.dtRank + 2 * state.stateSize, inner, false);
      linear('other', 'ssm_dt', inner, state.dtRank, true);
      add('other', `${blk}.ssm_a`, [inner, state.stateSize], layer);
      add('other', `${blk}.ssm_d`, [inner], layer);
      add('norm', `${blk}.ssm_dt_norm.weight`, [state.dtRank], layer);
      add('norm', `${blk}.ssm_b_norm.weight`, [state.stateSize], layer);
      add('norm', `${blk}.ssm_c_norm.weight`, [state.stateSize], layer);
      linear('ssm_out', 'ssm_out', hidden, inner, state.projBias);
      return;
    }
    case 'mamba2': {
      const channels = convChannels(state);
      linear('ssm_in', 'ssm_in', state.innerSize + channels + state.heads, hidden, state.projBias);
      conv('ssm_conv1d', channels, state.convKernel, state.convBias);
      add('other', `${blk}.ssm_dt.bias`, [state.heads], layer);
      add('other', `${blk}.ssm_a`, [state.heads], layer);
      add('other', `${blk}.ssm_d`, [state.heads], layer);
      if (state.gatedNorm) add('norm', `${blk}.ssm_norm.weight`, [state.innerSize], layer);
      linear('ssm_out', 'ssm_out', hidden, state.innerSize, state.projBias);
      return;
    }
    case 'gated-deltanet': {
      const keyDims = state.keyHeads * state.keyHeadDim;
      const valueDims = state.valueHeads * state.valueHeadDim;
      linear('ssm_in', 'attn_qkv', 2 * keyDims + 2 * valueDims, hidden, false);
      linear('other', 'ssm_ba', 2 * state.valueHeads, hidden, false);
      conv('ssm_conv1d', convChannels(state), state.convKernel, false);
      add('other', `${blk}.ssm_dt.bias`, [state.valueHeads], layer);
      add('other', `${blk}.ssm_a`, [state.valueHeads], layer);
      add('norm', `${blk}.ssm_norm.weight`, [state.valueHeadDim], layer);
      linear('ssm_out', 'ssm_out', hidden, valueDims, false);
      return;
    }
    case 'short-conv':
      linear('ssm_in', 'shortconv.in_proj', 3 * state.channels, hidden, state.bias);
      conv('shortconv.conv', state.channels, state.convKernel, state.bias);
      linear('ssm_out', 'shortconv.out_proj', hidden, state.channels, state.bias);
      return;
  }
}

/** Every dimension enumerateTensors multiplies must be a positive whole number. */
function assertBuildable(arch: ArchitectureSpec): void {
  const dims: Record<string, number> = {
    layers: arch.layers,
    hiddenSize: arch.hiddenSize,
    attentionHeads: arch.attentionHeads,
    kvHeads: arch.kvHeads,
    headDim: arch.headDim,
    intermediateSize: arch.intermediateSize,
    vocabSize: arch.vocabSize,
  };
  if (arch.moe) {
    dims['routedExperts'] = arch.moe.routedExperts;
    dims['activeExperts'] = arch.moe.activeExperts;
    dims['expertIntermediateSize'] = arch.moe.expertIntermediateSize;
    if (arch.moe.moeLayerInterval !== undefined)
      dims['moeLayerInterval'] = arch.moe.moeLayerInterval;
  }
  for (const [name, value] of Object.entries(dims)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new BugError(
        `architecture ${arch.family}: ${name} is ${value}, not a positive whole number`,
      );
    }
  }
}
