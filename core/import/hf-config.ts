import { BugError, HeadroomError } from '../errors';
import { countParameters } from '../models/count';
import type { ArchitectureSpec, VisionTowerSpec } from '../models/types';
import { readBloom, readFalcon, readGpt2, readOpt } from './hf-config-classic';
import { isKnownDecoder, readDecoder } from './hf-config-decoders';
import { ConfigReader, describe, isJsonObject } from './hf-config-reader';
import { readPublishedFormat } from './hf-published-format';

/** What a Hugging Face config.json says about a model. */
export interface HfConfigResult {
  readonly architecture: ArchitectureSpec;
  /** A core/formats id: bf16, fp16, fp32, fp8_e4m3, gptq_int4, awq_int4, nf4, mxfp4 … */
  readonly publishedFormat: string;
  /** Everything that had to be assumed or could not be represented, for the user to see. */
  readonly warnings: string[];
}

/**
 * The 2023 remote-code Falcon configs name their model_type after the RefinedWeb dataset;
 * transformers reads them as `falcon`, and so does Headroom.
 */
const FALCON_LEGACY_TYPES: ReadonlySet<string> = new Set(['RefinedWeb', 'RefinedWebModel']);

/**
 * Parses an already-parsed Hugging Face config.json value into an architecture.
 *
 * Pure and defensive: every dimension is checked (whole, positive, bounded) before use, and an
 * architecture whose parameter count would not be exact in floating point is refused.
 * Multimodal configs (a `text_config` block, e.g. Gemma 3) yield the language model only.
 *
 * @param json the value JSON.parse returned for the file
 * @param sourceLabel how to name the file in errors and warnings (a path or a repo id)
 * @returns the architecture, the published weight format and any warnings
 * @throws HeadroomError BAD_FILE naming sourceLabel and the problem
 * @example parseHfConfig(JSON.parse(text), 'Llama-2-7b-hf/config.json').architecture.layers // 32
 */
export function parseHfConfig(json: unknown, sourceLabel: string): HfConfigResult {
  if (!isJsonObject(json)) {
    throw new HeadroomError(
      'BAD_FILE',
      `${sourceLabel}: expected a JSON object, found ${describe(json)}`,
    );
  }
  const outer = new ConfigReader(json, sourceLabel);
  const warnings: string[] = [];
  const declaredType = outer.string('model_type') ?? '';
  const modelType = FALCON_LEGACY_TYPES.has(declaredType) ? 'falcon' : declaredType;

  const textConfig = outer.object('text_config');
  const reader = textConfig ? new ConfigReader(textConfig, `${sourceLabel} (text_config)`) : outer;
  const visionConfig = outer.object('vision_config');
  const countsVision =
    textConfig !== undefined && visionConfig !== undefined && declaredType === 'gemma3';
  if (textConfig && !countsVision) {
    warnings.push(
      'multimodal config: only the language model (text_config) is counted, not the vision tower',
    );
  }

  // A wrapper type Headroom does not know (llava, mistral3 …) may wrap a text model it does.
  const innerType = textConfig ? reader.string('model_type') : undefined;
  const layoutType =
    innerType && !isKnownDecoder(modelType) && isKnownDecoder(innerType) ? innerType : modelType;

  const text = readArchitecture(reader, layoutType, declaredType, warnings);
  const architecture =
    countsVision && visionConfig
      ? {
          ...text,
          vision: readVisionTower(
            new ConfigReader(visionConfig, `${sourceLabel} (vision_config)`),
            text.hiddenSize,
          ),
        }
      : text;
  checkCountable(outer, architecture);
  const publishedFormat = readPublishedFormat(outer, warnings, textConfig ? reader : undefined);
  return { architecture, publishedFormat, warnings };
}

function readArchitecture(
  reader: ConfigReader,
  modelType: string,
  declaredType: string,
  warnings: string[],
): ArchitectureSpec {
  switch (modelType) {
    case 'gpt2':
      return readGpt2(reader);
    case 'opt':
      return readOpt(reader, warnings);
    case 'bloom':
      return readBloom(reader, warnings);
    case 'falcon':
      return readFalcon(reader, declaredType);
    default:
      return readDecoder(reader, modelType, warnings);
  }
}

/** Refuses dimensions so large that counting them would lose integer precision. */
function checkCountable(reader: ConfigReader, architecture: ArchitectureSpec): void {
  try {
    countParameters(architecture);
  } catch (error) {
    if (error instanceof BugError) {
      reader.fail(`its dimensions describe an implausibly large model (${error.message})`);
    }
    throw error;
  }
}

/** Bounds of a ViT's dimensions in a config (far past any released vision tower). */
const VISION_DIM = { min: 1, max: 1 << 20 };

/**
 * Gemma 3's SigLIP vision tower (vision_config, transformers SiglipVisionConfig defaults:
 * 3 channels) and its projector to the language model's width.
 */
function readVisionTower(reader: ConfigReader, projectorOutputSize: number): VisionTowerSpec {
  return {
    hiddenSize: reader.int(['hidden_size'], VISION_DIM),
    intermediateSize: reader.int(['intermediate_size'], VISION_DIM),
    layers: reader.int(['num_hidden_layers'], VISION_DIM),
    patchSize: reader.int(['patch_size'], VISION_DIM),
    imageSize: reader.int(['image_size'], VISION_DIM),
    channels: reader.int(['num_channels'], VISION_DIM, 3),
    projectorOutputSize,
  };
}
