import type { ArchitectureSpec } from '../types';
import { decoder, hybridMixers, type CatalogEntry } from './builders';

/**
 * Dense models people run now: Gemma 3 (1B–27B), Mistral Small 3 (24B) and LFM2 1.2B. Numbers transcribed
 * by hand from each config.json (cited per entry; "shared copy" = the file in
 * ../shared/data/hf-configs/, whose provenance SOURCES.md records).
 */

const hf = (id: string) => `https://huggingface.co/${id}/blob/main/config.json`;

/** Gemma 3: every 6th layer attends globally, the other five slide (sliding_window_pattern 6). */
const GEMMA3_GLOBAL_EVERY = 6;

/**
 * Gemma 3's language model (transformers Gemma3TextConfig): tied embeddings, four RMSNorms per
 * layer, per-head q/k RMSNorm, layer i sliding iff (i + 1) % 6 ≠ 0.
 *
 * The 4B, 12B and 27B checkpoints are Gemma3ForConditionalGeneration: their SigLIP vision
 * tower (vision_config: hidden 1152, FFN 4304, 27 layers, patch 14, image 896; about 0.42B
 * parameters) and projector load with the model and are counted, as parseHfConfig counts them;
 * 4,300,079,472 / 12,187,325,040 / 27,432,406,640 parameters as the Hub model pages list them.
 */
function gemma3(n: {
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  vocab: number;
  context: number;
  windowTokens: number;
}): ArchitectureSpec {
  return {
    ...decoder('gemma3', { ...n, tied: true }),
    normsPerLayer: 4,
    qkNorm: true,
    slidingWindow: {
      windowTokens: n.windowTokens,
      slidingLayers: Array.from(
        { length: n.layers },
        (_, layer) => (layer + 1) % GEMMA3_GLOBAL_EVERY !== 0,
      ),
    },
  };
}

/**
 * Gemma3TextConfig defaults the 4B/12B/27B files omit (transformers configuration_gemma3.py):
 * vocab 262208, context 131072, head_dim 256; their text_config sets sliding_window 1024.
 */
const GEMMA3_MULTIMODAL = { vocab: 262_208, context: 131_072, windowTokens: 1024 } as const;

/** Gemma 3's SigLIP vision tower (the shared configs' vision_config, identical in 4B/12B/27B). */
const GEMMA3_VISION = {
  hiddenSize: 1152,
  intermediateSize: 4304,
  layers: 27,
  patchSize: 14,
  imageSize: 896,
  channels: 3,
} as const;

/** A multimodal Gemma 3: the text decoder and the vision tower projected to its width. */
function gemma3Multimodal(n: Parameters<typeof gemma3>[0]): ArchitectureSpec {
  return { ...gemma3(n), vision: { ...GEMMA3_VISION, projectorOutputSize: n.hidden } };
}

export const RECENT_DENSE_MODELS: readonly CatalogEntry[] = [
  {
    id: 'google/gemma-3-1b-pt',
    displayName: 'Gemma 3 1B',
    // Not in ../shared. The gemma-3-1b architecture as its fine-tunes re-save it
    // (huggingface.co/MatanBT/mia-target-model/blob/main/config.json, Gemma3ForCausalLM):
    // gemma3_text, 26 layers, hidden 1152, 4 heads, 1 KV head, head_dim 256, FFN 6912,
    // context 32768, vocab 262144 (text-only: no image tokens), sliding_window 512 with pattern 6
    // (the same keys in the Gemma 3 270M config, huggingface.co/jrcastropy/functiongemma-270m-it-
    // simple-tool-calling config.json); bfloat16. Text only: no vision tower.
    config: hf('google/gemma-3-1b-pt'),
    architecture: gemma3({
      layers: 26,
      hidden: 1152,
      heads: 4,
      kvHeads: 1,
      headDim: 256,
      intermediate: 6912,
      vocab: 262_144,
      context: 32_768,
      windowTokens: 512,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'google/gemma-3-4b-pt',
    displayName: 'Gemma 3 4B',
    // shared copy google__gemma-3-4b-it.json (SOURCES.md: the -it config; -pt has the same
    // text_config): 34 layers, hidden 2560, FFN 10240, sliding_window 1024; heads (8), KV heads
    // (4), head_dim, vocab and context are Gemma3TextConfig defaults; bfloat16.
    config: hf('google/gemma-3-4b-pt'),
    architecture: gemma3Multimodal({
      layers: 34,
      hidden: 2560,
      heads: 8,
      kvHeads: 4,
      headDim: 256,
      intermediate: 10_240,
      ...GEMMA3_MULTIMODAL,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'google/gemma-3-12b-pt',
    displayName: 'Gemma 3 12B',
    // shared copy google__gemma-3-12b-pt__mlx-4bit.json (an MLX conversion of this repo; its
    // text_config is google's): 48 layers, hidden 3840, 16 heads, 8 KV heads, FFN 15360; bfloat16.
    config: hf('google/gemma-3-12b-pt'),
    architecture: gemma3Multimodal({
      layers: 48,
      hidden: 3840,
      heads: 16,
      kvHeads: 8,
      headDim: 256,
      intermediate: 15_360,
      ...GEMMA3_MULTIMODAL,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'google/gemma-3-27b-pt',
    displayName: 'Gemma 3 27B',
    // shared copy google__gemma-3-27b-it.json: 62 layers, hidden 5376, 32 heads, 16 KV heads,
    // head_dim 128, FFN 21504, sliding_window 1024; bfloat16.
    config: hf('google/gemma-3-27b-pt'),
    architecture: gemma3Multimodal({
      layers: 62,
      hidden: 5376,
      heads: 32,
      kvHeads: 16,
      headDim: 128,
      intermediate: 21_504,
      ...GEMMA3_MULTIMODAL,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'mistralai/Mistral-Small-24B-Base-2501',
    displayName: 'Mistral Small 3 24B',
    // Not in ../shared. Mistral Small 3's language model as other projects transcribe it: 40
    // layers, hidden 5120, 32 heads, 8 KV heads, head_dim 128 (≠ 5120 / 32), FFN 32768, vocab
    // 131072, untied, no sliding window (TensorRT-LLM's Mistral-Small-3.1-24B test config, code-
    // search index id 66981536; a text parameter count of 23,572,403,200 for the same shape in
    // index id 68399702759). Context 32768 and rope_theta 1e8 for the 2501 release (index id
    // 19356016213, "mistral-small3-24b"); 3.1/3.2 (2503/2506) add a vision tower and 131072
    // context. bfloat16.
    config: hf('mistralai/Mistral-Small-24B-Base-2501'),
    architecture: decoder('mistral', {
      layers: 40,
      hidden: 5120,
      heads: 32,
      kvHeads: 8,
      headDim: 128,
      intermediate: 32_768,
      vocab: 131_072,
      context: 32_768,
    }),
    publishedFormat: 'bf16',
  },
  {
    id: 'LiquidAI/LFM2-1.2B',
    displayName: 'LFM2 1.2B',
    // Not in ../shared. config.json as quoted by other projects' tests (code-search index id
    // 60797780217, "the REAL published config of LiquidAI/LFM2-1.2B"): 16 layers, hidden 2048,
    // 32 heads, 8 KV heads (head_dim 64), full_attn_idxs [2, 5, 8, 10, 12, 14] (the other 10
    // layers are gated short convolutions, conv_L_cache 3, no bias), context 128000; vocab
    // 65536, tied, block_ff_dim 12288 auto-adjusted (Lfm2MLP: int(2 × 12288 / 3), × 1.0, up to
    // a multiple of 256 = 8192). The count, 1,170,340,608, is the Hub's 1.17B. bfloat16.
    config: hf('LiquidAI/LFM2-1.2B'),
    architecture: {
      ...decoder('lfm2', {
        layers: 16,
        hidden: 2048,
        heads: 32,
        kvHeads: 8,
        intermediate: 8192,
        vocab: 65_536,
        context: 128_000,
        tied: true,
      }),
      qkNorm: true,
      layerMixers: hybridMixers(16, (layer) => [2, 5, 8, 10, 12, 14].includes(layer), {
        kind: 'short-conv',
        channels: 2048,
        convKernel: 3,
        bias: false,
      }),
    },
    publishedFormat: 'bf16',
  },
];
