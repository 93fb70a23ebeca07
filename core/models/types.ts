/**
 * The architecture of a transformer model as Headroom needs it: enough to count every
 * parameter exactly, size the KV cache and activations, and list its tensors.
 */

export type AttentionKind = 'mha' | 'gqa' | 'mqa' | 'mla';

/** Multi-head latent attention (DeepSeek-V2/V3): the KV cache holds a compressed latent. */
export interface MlaSpec {
  readonly kvLoraRank: number;
  /** null when queries are not low-rank compressed (DeepSeek-V2-Lite). */
  readonly qLoraRank: number | null;
  readonly qkNopeHeadDim: number;
  readonly qkRopeHeadDim: number;
  readonly vHeadDim: number;
}

/** Mixture of experts: routed experts (and shared ones), some layers possibly dense. */
export interface MoeSpec {
  readonly routedExperts: number;
  readonly activeExperts: number;
  readonly sharedExperts: number;
  /** FFN width of one routed expert. */
  readonly expertIntermediateSize: number;
  /** FFN width of the shared expert(s) together; 0 when there are none. */
  readonly sharedIntermediateSize: number;
  /** Layers at the start that are dense (DeepSeek first_k_dense_replace), 0 otherwise. */
  readonly firstDenseLayers: number;
  /**
   * The router stores a [routedExperts] vector beside its weight: gpt-oss `router.bias`,
   * DeepSeek-V3 `e_score_correction_bias` (llama.cpp `exp_probs_b`). Absent = none.
   */
  readonly routerBias?: boolean;
  /**
   * Every Nth layer is sparse, the others dense (Llama 4 `interleave_moe_layer_step`: transformers
   * Llama4TextConfig.moe_layers = range(step - 1, layers, step), so with 2 the odd layers are MoE
   * and the even ones use the dense FFN of intermediateSize). Absent = 1 (every layer past
   * firstDenseLayers). See isMoeLayer in core/models/layers.ts.
   */
  readonly moeLayerInterval?: number;
}

/** Which layers attend only within a window (Mistral v0.1, Gemma 2/3, gpt-oss). */
export interface SlidingWindowSpec {
  readonly windowTokens: number;
  /** One entry per layer: true where that layer uses the sliding window. */
  readonly slidingLayers: readonly boolean[];
}

/**
 * The fixed state a recurrent (linear-attention or SSM) mixer keeps per sequence instead of a
 * KV cache, with the dimensions each engine sizes it from. One variant per mixer family:
 * - `mamba1`: Jamba's Mamba layers (transformers JambaMambaMixer; llama.cpp LLM_ARCH_JAMBA);
 * - `mamba2`: granite-4.0-h and Falcon-H1 (transformers GraniteMoeHybridMambaLayer,
 *   FalconH1Mixer; vLLM MambaMixer2);
 * - `gated-deltanet`: Qwen3-Next's linear attention (transformers Qwen3NextGatedDeltaNet);
 * - `short-conv`: LFM2's gated short convolution (transformers Lfm2ShortConv).
 */
export type RecurrentStateSpec = Mamba1Spec | Mamba2Spec | GatedDeltaNetSpec | ShortConvSpec;

interface Mamba1Spec {
  readonly kind: 'mamba1';
  /** d_inner = mamba_expand × hidden_size. */
  readonly innerSize: number;
  /** mamba_d_state. */
  readonly stateSize: number;
  /** mamba_d_conv. */
  readonly convKernel: number;
  /** mamba_dt_rank (default ceil(hidden / 16)). */
  readonly dtRank: number;
  readonly convBias: boolean;
  readonly projBias: boolean;
}

export interface Mamba2Spec {
  readonly kind: 'mamba2';
  /** d_inner = mamba_n_heads × mamba_d_head. */
  readonly innerSize: number;
  readonly heads: number;
  readonly headDim: number;
  /** mamba_n_groups: B and C are shared by the heads of a group. */
  readonly groups: number;
  readonly stateSize: number;
  readonly convKernel: number;
  readonly convBias: boolean;
  readonly projBias: boolean;
  /** A gated RMSNorm of innerSize before out_proj (granite: always; Falcon-H1: mamba_rms_norm). */
  readonly gatedNorm: boolean;
}

interface GatedDeltaNetSpec {
  readonly kind: 'gated-deltanet';
  readonly keyHeads: number;
  readonly valueHeads: number;
  readonly keyHeadDim: number;
  readonly valueHeadDim: number;
  readonly convKernel: number;
}

interface ShortConvSpec {
  readonly kind: 'short-conv';
  /** Channels convolved: the hidden size. */
  readonly channels: number;
  /** conv_L_cache: the convolution's length. */
  readonly convKernel: number;
  readonly bias: boolean;
}

/**
 * What mixes tokens in one layer: attention (with a KV cache), a recurrent mixer (a fixed state
 * per sequence), or both side by side (Falcon-H1 runs attention and Mamba-2 in parallel).
 */
export type LayerMixer =
  | { readonly kind: 'attention' }
  | { readonly kind: 'recurrent'; readonly state: RecurrentStateSpec }
  | { readonly kind: 'attention-and-recurrent'; readonly state: RecurrentStateSpec };

export interface ArchitectureSpec {
  /** Hugging Face model_type (llama, qwen2, gemma2, deepseek_v3, gpt_oss …). */
  readonly family: string;
  readonly layers: number;
  readonly hiddenSize: number;
  readonly attentionHeads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  /** Dense FFN width (for MoE models: of the dense layers, if any). */
  readonly intermediateSize: number;
  readonly vocabSize: number;
  readonly tiedEmbeddings: boolean;
  readonly attention: AttentionKind;
  readonly maxContextTokens: number;
  readonly mla?: MlaSpec;
  readonly moe?: MoeSpec;
  readonly slidingWindow?: SlidingWindowSpec;
  /**
   * One entry per layer for hybrid models (Qwen3-Next, Jamba, granite-4.0-h, Falcon-H1, LFM2),
   * from config.json layer_types / attn_layer_period / layers_block_type. Absent = every layer
   * is attention. See core/models/layers.ts for the per-layer helpers.
   */
  readonly layerMixers?: readonly LayerMixer[];
  /**
   * q_proj also yields a sigmoid gate on the attention output, so it is twice as wide (Qwen3-Next
   * gated attention: transformers Qwen3NextAttention q_proj = heads × head_dim × 2).
   */
  readonly attentionOutputGate?: boolean;
  /** A scalar sigmoid gate on the shared expert (Qwen3-Next shared_expert_gate: [1, hidden]). */
  readonly sharedExpertGate?: boolean;

  // Optional layout details. Absent means the Llama layout: RMSNorm, two norms per layer,
  // separate q/k/v and gate/up/down matrices, no biases, RoPE (no position table).

  /** `rms` (weight only, the default) or `layer` (LayerNorm: weight and bias). */
  readonly norm?: NormKind;
  /** Norms in each layer; default 2 (before attention, before FFN). Gemma 2/3: 4; Falcon-7B: 1. */
  readonly normsPerLayer?: number;
  /** A [headDim] RMSNorm on queries and one on keys in every layer (Qwen3, Gemma 3). */
  readonly qkNorm?: boolean;
  /** Which linear layers carry a bias vector; absent = none. */
  readonly linearBiases?: LinearBiases;
  /** `gated` (gate, up, down: SwiGLU/GeGLU, the default) or `plain` (up, down: GPT-2, OPT, BLOOM, Falcon). */
  readonly ffnKind?: FfnKind;
  /** The checkpoint stores q, k and v as one matrix (GPT-2 c_attn, BLOOM, Falcon, Phi-3 qkv_proj). */
  readonly fusedQkv?: boolean;
  /** The checkpoint stores gate and up as one matrix (Phi-3 gate_up_proj). */
  readonly fusedGateUp?: boolean;
  /** Rows of a learned absolute position table (GPT-2: n_positions; OPT: max positions + 2). */
  readonly learnedPositionRows?: number;
  /** A LayerNorm right after the token embedding (BLOOM word_embeddings_layernorm). */
  readonly embeddingNorm?: boolean;
  /** Attention and FFN read the same input side by side (Falcon); changes activations, not parameters. */
  readonly parallelAttention?: boolean;
  /** One learned sink logit per attention head per layer (gpt-oss `sinks`). */
  readonly attentionSinks?: boolean;
  /**
   * Multi-token-prediction layers the checkpoint carries after the main ones (DeepSeek-V3
   * num_nextn_predict_layers). Never counted: transformers skips them on load
   * (modular_deepseek_v3.py: _keys_to_ignore_on_load_unexpected = model.layers.61.*), llama.cpp's
   * convert_hf_to_gguf.py drops layers ≥ num_hidden_layers (skip_mtp), and DeepSeek's published
   * 671B total leaves out the 14B MTP module.
   */
  readonly mtpLayers?: number;
  /**
   * A ViT-style vision tower (SigLIP, CLIP) and the projector into the language model, loaded
   * with the model (transformers' *ForConditionalGeneration, llama.cpp's mmproj file).
   */
  readonly vision?: VisionTowerSpec;
}

/** A ViT encoder's shape (config.json vision_config), enough to count its parameters. */
export interface VisionTowerSpec {
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly layers: number;
  readonly patchSize: number;
  readonly imageSize: number;
  readonly channels: number;
  /** Width the projector maps image embeddings to (the language model's hidden size). */
  readonly projectorOutputSize: number;
}

type NormKind = 'rms' | 'layer';
type FfnKind = 'gated' | 'plain';

/** Which linear layers of a block have a bias vector. */
export interface LinearBiases {
  /** q, k and v projections (Qwen2 has only these). */
  readonly qkv: boolean;
  /** The attention output projection. */
  readonly attnOutput: boolean;
  /** FFN matrices: dense, shared and routed experts alike (gpt-oss experts, GPT-2, OPT …). */
  readonly ffn: boolean;
}

/**
 * What a tensor is, in llama.cpp's vocabulary (llama-arch.cpp LLM_TENSOR_*), because the
 * GGUF quantizer's rules are written in it. `other` covers norms, biases, routers, position
 * embeddings and anything else small.
 */
export type TensorRole =
  | 'token_embd'
  | 'pos_embd'
  | 'output'
  | 'attn_q'
  | 'attn_k'
  | 'attn_v'
  | 'attn_qkv'
  | 'attn_output'
  | 'attn_q_a'
  | 'attn_q_b'
  | 'attn_kv_a'
  | 'attn_kv_b'
  | 'ffn_gate'
  | 'ffn_up'
  | 'ffn_down'
  | 'ffn_gate_up'
  | 'ffn_gate_exps'
  | 'ffn_up_exps'
  | 'ffn_down_exps'
  | 'ffn_gate_shexp'
  | 'ffn_up_shexp'
  | 'ffn_down_shexp'
  | 'ffn_gate_inp'
  | 'ssm_in'
  | 'ssm_conv1d'
  | 'ssm_out'
  | 'norm'
  | 'bias'
  | 'other';

/** One tensor (or one group of identical tensors, e.g. all routed experts of a layer). */
export interface TensorSpec {
  readonly role: TensorRole;
  /** Layer index, absent for embeddings, the output head and the final norm. */
  readonly layer?: number;
  /**
   * Shape in PyTorch nn.Linear order: [rows = outputs, cols = inputs] for matrices (GPT-2's
   * Conv1D stores the transpose, same elements), [experts, rows, cols] for an expert group,
   * [vocab, hidden] for embeddings and the output head, 1-D for norms and biases.
   */
  readonly shape: readonly number[];
  /** Total elements, counting every copy (experts × rows × cols). */
  readonly elements: number;
  /** Experts in this group (1 for a plain tensor): a routed token reads activeExperts of them. */
  readonly experts: number;
  /** The tensor's GGUF name as llama.cpp's converter writes it (`blk.3.attn_q.weight`), for display. */
  readonly name?: string;
}

/** Where a model spec came from, so every plan can say it. */
export type ModelSource =
  | { readonly kind: 'catalog'; readonly config: string }
  | { readonly kind: 'params'; readonly note: string }
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly format: 'config.json' | 'safetensors' | 'gguf';
    }
  | { readonly kind: 'hub'; readonly repo: string };

export interface ModelSpec {
  /** Hugging Face repo id for catalog models; a path or `params:7e9` otherwise. */
  readonly id: string;
  readonly displayName: string;
  readonly source: ModelSource;
  /** Exact total parameter count (all experts). */
  readonly params: number;
  /** Parameters one token's forward pass reads (routed experts: only the active ones). */
  readonly activeParams: number;
  /** Absent for a bare parameter count: then rules of thumb apply and the plan says so. */
  readonly architecture?: ArchitectureSpec;
  /** The format the published weights are in (bf16 for most). */
  readonly publishedFormat: string;
  /**
   * Exact bytes of the weights as stored in the files this spec was imported from (GGUF or
   * safetensors tensor data). Plans in the published format use it instead of the per-tensor
   * estimate, so a file's real size wins over the rules.
   */
  readonly storedWeightBytes?: number;
}
