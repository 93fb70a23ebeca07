import { BugError, HeadroomError } from '../errors';
import type { NumericFormat } from '../formats/types';
import type { EngineProfile } from '../memory/engine-profiles';
import { enumerateTensors } from '../models/tensors';
import type {
  ArchitectureSpec,
  LayerMixer,
  ModelSpec,
  TensorRole,
  TensorSpec,
} from '../models/types';
import { MTP_DRAFT } from './draft-choice';
import { requireFormat } from './lookups';
import { cachedLayout, computeBytesOf, layerKvBytes, promptTokens } from './model-memory';
import type { InferenceScenario, SpeculativeMemory } from './types';
import { layoutWeights } from './weights-layout';

/**
 * Speculative decoding's memory: a draft model's weights and KV cache beside the target's, or
 * the target's own multi-token-prediction (MTP) layers, counted only where the engine loads them.
 */

/**
 * llama.cpp refuses a draft whose vocabulary differs from the target's by more than this many
 * tokens (common/speculative.cpp SPEC_VOCAB_MAX_SIZE_DIFFERENCE).
 */
const SPEC_VOCAB_MAX_SIZE_DIFFERENCE = 128;

/** The MTP module's tensors: its decoder layers and the glue around them. */
interface MtpModule {
  /** Every tensor the checkpoint stores for the module. */
  readonly stored: readonly TensorSpec[];
  /**
   * The ones vLLM keeps: the module's embedding and output head are the target's (vLLM
   * vllm/v1/spec_decode/eagle.py EagleProposer.load_model: "Detected MTP model. Sharing target
   * model embedding weights … lm_head weights with the draft model").
   */
  readonly resident: readonly TensorSpec[];
}

function tensor(
  role: TensorRole,
  name: string,
  shape: readonly number[],
  layer: number,
): TensorSpec {
  return { role, layer, name, shape, elements: shape.reduce((a, b) => a * b, 1), experts: 1 };
}

const mtpCache = new WeakMap<ArchitectureSpec, MtpModule>();

/** Full attention: what an MTP layer is in every model that has them (Qwen3-Next's included). */
const FULL_ATTENTION: LayerMixer = { kind: 'attention' };

/**
 * The model with its MTP layers laid out as layers main … main + mtp − 1 of a deeper model:
 * full-attention decoder layers of the model's kind (sparse where its last layers are), no window.
 */
function withMtpLayers(architecture: ArchitectureSpec): ArchitectureSpec {
  const mtpLayers = architecture.mtpLayers ?? 0;
  const mixers = architecture.layerMixers;
  const { slidingWindow: _window, layerMixers: _mixers, ...rest } = architecture;
  return {
    ...rest,
    layers: architecture.layers + mtpLayers,
    ...(mixers
      ? { layerMixers: [...mixers, ...Array.from({ length: mtpLayers }, () => FULL_ATTENTION)] }
      : {}),
  };
}

/**
 * The MTP layers after the main ones (DeepSeek-V3 / GLM-4.5 num_nextn_predict_layers; Qwen3-Next
 * mtp_num_hidden_layers): each is one more decoder layer of the model's kind plus enorm and
 * hnorm (RMSNorms of the embedding and of the previous hidden state), eh_proj (2·hidden → hidden)
 * and shared_head (a final norm and an output head), and stores its own copy of the embedding
 * (vLLM vllm/model_executor/models/deepseek_mtp.py DeepSeekMultiTokenPredictorLayer and
 * SharedHead; glm4_moe_mtp.py the same; qwen3_next_mtp.py names them pre_fc_norm_embedding,
 * pre_fc_norm_hidden, fc and norm, same shapes).
 */
export function mtpModule(architecture: ArchitectureSpec): MtpModule {
  const cached = mtpCache.get(architecture);
  if (cached) return cached;
  const mtpLayers = architecture.mtpLayers ?? 0;
  const main = architecture.layers;
  const layers = enumerateTensors(withMtpLayers(architecture)).filter(
    (spec) => spec.layer !== undefined && spec.layer >= main,
  );
  const h = architecture.hiddenSize;
  const resident: TensorSpec[] = [...layers];
  const stored: TensorSpec[] = [...layers];
  for (let layer = main; layer < main + mtpLayers; layer++) {
    const blk = `blk.${layer}.nextn`;
    resident.push(
      tensor('norm', `${blk}.enorm.weight`, [h], layer),
      tensor('norm', `${blk}.hnorm.weight`, [h], layer),
      tensor('other', `${blk}.eh_proj.weight`, [h, 2 * h], layer),
      tensor('norm', `${blk}.shared_head_norm.weight`, [h], layer),
    );
    stored.push(
      ...resident.slice(resident.length - 4),
      tensor('token_embd', `${blk}.embed_tokens.weight`, [architecture.vocabSize, h], layer),
      tensor('output', `${blk}.shared_head_head.weight`, [architecture.vocabSize, h], layer),
    );
  }
  const module = { stored, resident };
  mtpCache.set(architecture, module);
  return module;
}

/** Parameters of a list of tensors. */
export function tensorParams(tensors: readonly TensorSpec[]): number {
  return tensors.reduce((total, spec) => total + spec.elements, 0);
}

/** What speculative decoding adds, as the plan reports it and as the placement counts it. */
interface SpeculativeParts {
  readonly report: SpeculativeMemory;
  readonly weightBytes: number;
  readonly kvBytes: number;
  readonly warnings: readonly string[];
}

interface SpeculativeInput {
  readonly model: ModelSpec;
  /** The draft model `scenario.draft` names; absent for `mtp`. */
  readonly draft?: ModelSpec;
  readonly scenario: InferenceScenario;
  readonly engine: EngineProfile;
  readonly format: NumericFormat;
  readonly kvFormat: NumericFormat;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/**
 * MTP layers are loaded only by vLLM with a speculative config of method `mtp` (or
 * `deepseek_mtp`): transformers drops them on load (DeepseekV3ForCausalLM
 * _keys_to_ignore_on_load_unexpected = model.layers.61.*) and llama.cpp's converter skips them
 * (convert_hf_to_gguf.py DeepseekV2Model skips layers ≥ num_hidden_layers) and has no MTP drafting.
 */
function mtpMemory(input: SpeculativeInput): SpeculativeParts {
  const { model, scenario, engine } = input;
  const architecture = model.architecture;
  const mtpLayers = architecture?.mtpLayers ?? 0;
  if (!architecture || mtpLayers === 0) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${model.displayName} has no multi-token-prediction layers (num_nextn_predict_layers / mtp_num_hidden_layers): draft with a smaller model of the same family instead.`,
    );
  }
  if (engine.id !== 'vllm') {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `Only vLLM drafts with MTP layers (speculative config method "mtp"); ${engine.label} does not load them: plan the MTP draft with the engine vllm.`,
    );
  }
  const module = mtpModule(architecture);
  const weightBytes = layoutWeights(
    withMtpLayers(architecture),
    module.resident,
    input.format,
  ).totalBytes;
  // Each MTP layer attends over the whole context like a full-attention layer of the model and
  // keeps its own KV: sized as a one-layer model of that kind.
  const { slidingWindow: _window, layerMixers: _mixers, ...attentionOnly } = architecture;
  const perLayerKv = layerKvBytes(
    { ...attentionOnly, layers: 1 },
    { contextTokens: promptTokens(architecture, scenario), batch: scenario.batch },
    input.kvFormat,
    engine,
    computeBytesOf(input.format),
  )[0]!;
  return {
    report: {
      method: 'mtp',
      model: model.id,
      draftTokens: scenario.draftTokens ?? null,
      weightBytes,
      kvCacheBytes: perLayerKv * mtpLayers,
    },
    weightBytes,
    kvBytes: perLayerKv * mtpLayers,
    warnings: [],
  };
}

/**
 * A draft model beside the target: its weights, and its KV cache for the same context and
 * sequences (llama.cpp's server gives the draft context the slot's n_ctx; vLLM allocates the
 * draft's layers KV blocks from the same pool for every token of the target). llama.cpp loads
 * a draft GGUF (`-md`), counted in the target's weights type; vLLM loads the draft's checkpoint
 * in its published format (SpeculativeConfig.quantization: none unless given).
 */
function draftModelMemory(input: SpeculativeInput, draft: ModelSpec): SpeculativeParts {
  const { model, scenario, engine } = input;
  const architecture = draft.architecture;
  if (!architecture || !model.architecture) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `A draft model needs an architecture beside the target's: give a catalog id, a config.json or a GGUF file for both (${architecture ? model.displayName : draft.displayName} is only a parameter count).`,
    );
  }
  const format = engine.id === 'llama.cpp' ? input.format : requireFormat(draft.publishedFormat);
  const weightBytes = cachedLayout(draft, architecture, format).totalBytes;
  const kvBytes = sum(
    layerKvBytes(
      architecture,
      {
        contextTokens: promptTokens(model.architecture, scenario),
        batch: scenario.batch,
        ...(scenario.swaFull ? { swaFull: true } : {}),
      },
      input.kvFormat,
      engine,
      computeBytesOf(format),
    ),
  );
  const warnings: string[] = [];
  const vocabGap = Math.abs(architecture.vocabSize - model.architecture.vocabSize);
  if (vocabGap > SPEC_VOCAB_MAX_SIZE_DIFFERENCE) {
    warnings.push(
      `The draft ${draft.displayName} has a vocabulary of ${architecture.vocabSize} tokens and ${model.displayName} ${model.architecture.vocabSize}: llama.cpp refuses drafts whose vocabularies differ by more than ${SPEC_VOCAB_MAX_SIZE_DIFFERENCE}, and vLLM needs the same tokenizer.`,
    );
  }
  return {
    report: {
      method: 'draft-model',
      model: draft.id,
      draftTokens: scenario.draftTokens ?? null,
      weightBytes,
      kvCacheBytes: kvBytes,
    },
    weightBytes,
    kvBytes,
    warnings,
  };
}

/** What the scenario's draft adds, or null without one. */
export function speculativeMemory(input: SpeculativeInput): SpeculativeParts | null {
  const draft = input.scenario.draft;
  if (draft === undefined) return null;
  if (draft === MTP_DRAFT) return mtpMemory(input);
  if (!input.draft) {
    throw new BugError(`the draft model "${draft}" reached the planner unresolved`);
  }
  return draftModelMemory(input, input.draft);
}
