import { HeadroomError } from '../errors';
import type { NumericFormat } from '../formats/types';
import { RESIDUAL_COPIES_PER_TOKEN } from '../memory/activations';
import type { EngineProfile } from '../memory/engine-profiles';
import { enumerateTensors, isVisionTensor } from '../models/tensors';
import type { ArchitectureSpec, ModelSpec } from '../models/types';
import { SETTING_NAMES } from '../setting-names';
import { imageTokenRule, type ImageTokenRule } from './image-tokens';
import type { MmprojFile } from './inference-input';
import { computeBytesOf, HALF_PRECISION_BYTES, layerKvBytes } from './model-memory';
import type { InferenceScenario, MultimodalMemory, VisionWeightsSource } from './types';
import type { WeightsLayout } from './weights-layout';

/**
 * What images cost each engine: the vision tower's weights where the engine keeps them, the
 * image tokens' KV cache, vLLM's encoder cache and the vision encoder's forward pass.
 */

/**
 * convert_hf_to_gguf.py writes the mmproj file in f16 unless told otherwise (--outtype defaults
 * to f16 for it; the ggml-org mmproj-*.gguf files on the Hub are F16): 2 bytes per weight.
 */
const MMPROJ_F16_BYTES_PER_WEIGHT = 2;

/**
 * A ViT block's plain MLP (fc1 → GELU → fc2, transformers SiglipMLP) holds the fc1 output and
 * its activation at its peak: 2 × the FFN width per patch, beside the residual stream.
 */
const VIT_MLP_COPIES_PER_PATCH = 2;

/** What images add, as the plan reports it and as the placement counts it. */
interface MultimodalParts {
  readonly report: MultimodalMemory | null;
  readonly weightBytes: number;
  readonly headBytesNotLoaded: number;
  readonly heldActivationBytes: number;
  readonly peakActivationBytes: number;
  readonly warnings: readonly string[];
}

const NONE: MultimodalParts = {
  report: null,
  weightBytes: 0,
  headBytesNotLoaded: 0,
  heldActivationBytes: 0,
  peakActivationBytes: 0,
  warnings: [],
};

/**
 * The token rule for a plan with images, or an error saying why the model takes none.
 * @param hasProjector an mmproj file was given (a GGUF model's vision tower lives there)
 * @throws HeadroomError BAD_ARGUMENT for images on a model without a known vision tower
 */
export function requireImageRule(model: ModelSpec, hasProjector = false): ImageTokenRule {
  const architecture = model.architecture;
  const rule = architecture ? imageTokenRule(architecture) : null;
  if (!rule) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${model.displayName} takes no images Headroom knows how to count: images apply to Gemma 3 (4B–27B), Llama 4, Qwen2.5-VL and Mistral Small 3.1 / Pixtral.`,
    );
  }
  if (rule.textOnlyWithoutTower && !architecture?.vision && !hasProjector) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${model.displayName} takes no images: it has no vision tower (text only), and no mmproj file was given.`,
    );
  }
  return rule;
}

/** Parameters of the vision tower and projector. */
function visionParams(architecture: ArchitectureSpec): number {
  return enumerateTensors(architecture)
    .filter(isVisionTensor)
    .reduce((total, tensor) => total + tensor.elements, 0);
}

/**
 * Images one forward pass of the vision encoder takes in each engine:
 * - llama.cpp encodes one image chunk at a time (tools/mtmd/mtmd-helper.cpp
 *   mtmd_helper_eval_chunks calls mtmd_encode per chunk);
 * - vLLM's start-up profile encodes as many items as the encoder budget holds
 *   (vllm/v1/worker/gpu_model_runner.py profile_run: encoder budget // tokens per item), at most
 *   the images the plan allows (limit_mm_per_prompt × max_num_seqs);
 * - transformers runs the vision tower on every image of the generate() call at once
 *   (Gemma3Model.get_image_features over all pixel_values).
 */
function imagesPerEncoderPass(
  engine: EngineProfile,
  images: number,
  batch: number,
  tokensPerImage: number,
): number {
  if (engine.id === 'llama.cpp') return 1;
  if (engine.id === 'vllm') {
    const budget = Math.max(engine.stepTokens, tokensPerImage);
    return Math.min(Math.floor(budget / tokensPerImage), images * batch);
  }
  return images * batch;
}

interface MultimodalInput {
  readonly model: ModelSpec;
  readonly layout: WeightsLayout;
  readonly scenario: InferenceScenario;
  readonly engine: EngineProfile;
  /** The weights format (the model's compute dtype sizes states kept in it). */
  readonly format: NumericFormat;
  readonly kvFormat: NumericFormat;
  readonly mmproj?: MmprojFile;
}

/**
 * Where the vision tower's weights live per engine: transformers and vLLM load it with the
 * checkpoint (the *ForConditionalGeneration class); llama.cpp keeps it out of the model GGUF
 * (convert_hf_to_gguf.py writes it to a separate file with --mmproj) and loads it only when
 * llama-server is given `--mmproj` (tools/server: mtmd_init_from_file), i.e. for images.
 */
export function multimodalMemory(input: MultimodalInput): MultimodalParts {
  const { model, layout, scenario, engine } = input;
  const architecture = model.architecture;
  const images = scenario.images ?? 0;
  const llamaCpp = engine.id === 'llama.cpp';
  const notLoaded = llamaCpp ? layout.visionBytes : 0;
  if (!architecture) return NONE;
  if (images === 0) {
    if (!architecture.vision) return { ...NONE, headBytesNotLoaded: notLoaded };
    // Text only on a model with a vision tower: said, so the launch can switch images off.
    return {
      ...NONE,
      headBytesNotLoaded: notLoaded,
      report: {
        images: 0,
        tokensPerImage: imageTokenRule(architecture)?.tokensPerImage ?? 0,
        imageTokens: 0,
        imageKvBytes: 0,
        visionWeightBytes: llamaCpp ? 0 : layout.visionBytes,
        visionWeightsSource: llamaCpp ? 'not-loaded' : 'checkpoint',
        encoderCacheBytes: 0,
        visionActivationBytes: 0,
      },
    };
  }

  const rule = requireImageRule(model, input.mmproj !== undefined);
  const warnings: string[] = [];
  const vision = architecture.vision;
  let visionWeightBytes: number;
  let visionWeightsSource: VisionWeightsSource;
  if (llamaCpp && input.mmproj) {
    visionWeightBytes = input.mmproj.weightBytes;
    visionWeightsSource = 'mmproj-file';
  } else if (!vision) {
    visionWeightBytes = 0;
    visionWeightsSource = 'not-modelled';
    warnings.push(
      `The vision tower of ${model.displayName} is not in its catalog entry: its weights are not counted${llamaCpp ? `: choose ${SETTING_NAMES.mmproj} to count it` : ''}.`,
    );
  } else if (llamaCpp) {
    visionWeightBytes = visionParams(architecture) * MMPROJ_F16_BYTES_PER_WEIGHT;
    visionWeightsSource = 'mmproj-f16';
  } else {
    visionWeightBytes = layout.visionBytes;
    visionWeightsSource = 'checkpoint';
  }

  const imageTokens = images * rule.tokensPerImage;
  const kvOf = (contextTokens: number): number =>
    layerKvBytes(
      architecture,
      { contextTokens, batch: scenario.batch, ...(scenario.swaFull ? { swaFull: true } : {}) },
      input.kvFormat,
      engine,
      computeBytesOf(input.format),
    ).reduce((a, b) => a + b, 0);
  // Whole bytes: vLLM's group padding makes the per-layer figures fractional.
  const imageKvBytes = Math.round(
    kvOf(scenario.contextTokens + imageTokens) - kvOf(scenario.contextTokens),
  );

  // vLLM keeps encoder outputs (image embeddings, the language model's width in its 16-bit
  // dtype) in a cache of encoder_cache_size tokens: max(max_num_batched_tokens, the largest
  // item) (vllm/v1/core/encoder_cache_manager.py compute_mm_encoder_budget; SchedulerConfig
  // sets encoder_cache_size = max_num_batched_tokens).
  const encoderCacheBytes =
    engine.id === 'vllm'
      ? Math.max(engine.stepTokens, rule.tokensPerImage) *
        architecture.hiddenSize *
        HALF_PRECISION_BYTES
      : 0;

  let visionActivationBytes = 0;
  if (vision) {
    const patches = (vision.imageSize / vision.patchSize) ** 2;
    const perPatch =
      RESIDUAL_COPIES_PER_TOKEN * vision.hiddenSize +
      VIT_MLP_COPIES_PER_PATCH * vision.intermediateSize;
    const perImage = patches * perPatch * HALF_PRECISION_BYTES;
    visionActivationBytes =
      perImage * imagesPerEncoderPass(engine, images, scenario.batch, rule.tokensPerImage);
  }
  // llama.cpp's clip context reserves its compute buffer when the mmproj loads
  // (tools/mtmd/clip.cpp alloc_compute_meta) and keeps it beside the decoder's: held, not a peak.
  const held = encoderCacheBytes + (llamaCpp ? visionActivationBytes : 0);
  return {
    report: {
      images,
      tokensPerImage: rule.tokensPerImage,
      imageTokens,
      imageKvBytes,
      visionWeightBytes,
      visionWeightsSource,
      encoderCacheBytes,
      visionActivationBytes,
    },
    weightBytes: llamaCpp ? visionWeightBytes : 0,
    headBytesNotLoaded: notLoaded,
    heldActivationBytes: held,
    peakActivationBytes: llamaCpp ? 0 : visionActivationBytes,
    warnings,
  };
}
