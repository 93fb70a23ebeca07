import type { EngineProfile } from '../memory/engine-profiles';
import type { ModelSpec } from '../models/types';
import { imageTokenRule } from './image-tokens';
import type { Assumption, MultimodalMemory, SpeculativeMemory } from './types';

/**
 * The assumptions behind what images and speculative decoding add: each memory item with the
 * engine rule that sizes it (core/plan/multimodal-memory.ts, speculative-memory.ts).
 */

const VISION_WEIGHT_RULES: Readonly<Record<MultimodalMemory['visionWeightsSource'], string>> = {
  checkpoint:
    'loaded with the checkpoint (transformers / vLLM *ForConditionalGeneration), whether or not a prompt has images',
  'mmproj-file':
    'the tensor bytes of the --mmproj GGUF header (llama.cpp tools/mtmd loads it whole)',
  'mmproj-f16':
    'llama.cpp keeps the vision tower in a separate mmproj GGUF, f16 as convert_hf_to_gguf.py --mmproj writes it; loaded only with --mmproj',
  'not-loaded': 'llama.cpp loads the vision tower (the mmproj file) only with --mmproj, for images',
  'not-modelled': 'not in the catalog entry: not counted',
};

/** Assumption lines for the plan's images and draft, empty without them. */
export function sideAssumptions(
  model: ModelSpec,
  engine: EngineProfile,
  multimodal: MultimodalMemory | null,
  speculative: SpeculativeMemory | null,
): Assumption[] {
  const list: Assumption[] = [];
  if (multimodal && model.architecture && multimodal.images > 0) {
    list.push({
      name: 'tokens per image',
      value: multimodal.tokensPerImage,
      source: imageTokenRule(model.architecture)?.source ?? 'the processor of the model',
    });
    list.push({
      name: 'image KV cache',
      value: multimodal.imageKvBytes,
      unit: 'bytes',
      source: `${multimodal.imageTokens} image tokens per sequence cached like text tokens (${engine.label})`,
    });
  }
  if (multimodal) {
    list.push({
      name: 'vision tower weights',
      value: multimodal.visionWeightBytes,
      unit: 'bytes',
      source: VISION_WEIGHT_RULES[multimodal.visionWeightsSource],
    });
  }
  if (multimodal && multimodal.images > 0) {
    if (multimodal.encoderCacheBytes > 0) {
      list.push({
        name: 'vLLM encoder cache',
        value: multimodal.encoderCacheBytes,
        unit: 'bytes',
        source:
          'vllm/v1/core/encoder_cache_manager.py compute_mm_encoder_budget: max(max_num_batched_tokens, tokens per image) embeddings of the hidden size in 16 bits',
      });
    }
    if (multimodal.visionActivationBytes > 0) {
      list.push({
        name: 'vision encoder activations',
        value: multimodal.visionActivationBytes,
        unit: 'bytes',
        source:
          engine.id === 'llama.cpp'
            ? 'one image per clip forward (tools/mtmd), its compute buffer kept beside the decoder'
            : 'the images of one encoder pass; the prefill peak is the larger of the encoder and the decoder pass',
      });
    }
  }
  if (speculative) {
    list.push({
      name: speculative.method === 'mtp' ? 'MTP layer weights' : 'draft model weights',
      value: speculative.weightBytes,
      unit: 'bytes',
      source:
        speculative.method === 'mtp'
          ? 'vLLM speculative config method mtp loads the MTP layers (vllm/model_executor/models/deepseek_mtp.py) and shares the embedding and head with the target; transformers and llama.cpp drop them'
          : engine.id === 'llama.cpp'
            ? `${speculative.model} as a GGUF of the target's type (llama-server -md)`
            : `${speculative.model} in its published format (vLLM --speculative-config model)`,
    });
    list.push({
      name: speculative.method === 'mtp' ? 'MTP layer KV cache' : 'draft model KV cache',
      value: speculative.kvCacheBytes,
      unit: 'bytes',
      source: 'the same context and sequences as the target, in the same KV format',
    });
    list.push({
      name: 'speculative decoding speed',
      value: 'not modelled',
      source:
        'the decode speed is the target alone: the gain depends on how many drafted tokens are accepted, which the plan cannot know',
    });
  }
  return list;
}
