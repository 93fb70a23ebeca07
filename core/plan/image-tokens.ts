import type { ArchitectureSpec } from '../models/types';

/**
 * How many context tokens one image becomes, per model family, as each model's processor in
 * transformers expands the image placeholder. Families whose processor resizes the image
 * (Qwen2.5-VL, Pixtral, Llama 4) are counted at DEFAULT_IMAGE_PIXELS.
 */

/**
 * The image size assumed where the token count depends on it: a 1024 × 1024 picture (a common
 * phone-screenshot / photo size after the usual client-side downscale). Stated in the plan.
 */
const DEFAULT_IMAGE_PIXELS = { width: 1024, height: 1024 } as const;

/**
 * Gemma 3: every image becomes mm_tokens_per_image = 256 soft tokens (transformers
 * Gemma3Config.mm_tokens_per_image; Gemma3Processor builds the image sequence from
 * image_seq_length = 256 <image_soft_token>s), whatever its size: the processor resizes it to
 * the tower's 896 × 896 (pan-and-scan off by default).
 */
const GEMMA3_TOKENS_PER_IMAGE = 256;

/**
 * Qwen2-VL / Qwen2.5-VL: 14-pixel patches merged 2 × 2, so one token per 28 × 28 pixels after
 * smart_resize rounds each side to a multiple of 28 (transformers
 * models/qwen2_vl/image_processing_qwen2_vl.py smart_resize, factor = patch_size × merge_size;
 * Qwen2_5_VLProcessor repeats the image token image_grid_thw.prod() // merge_size² times).
 */
const QWEN_VL_PIXELS_PER_TOKEN_SIDE = 14 * 2;

/**
 * Mistral Small 3.1 (mistral3): 14-pixel patches merged 2 × 2 (spatial_merge_size 2); Pixtral:
 * 16-pixel patches, no merge. Each row of tokens ends with [IMG_BREAK] (the last with [IMG_END]):
 * transformers models/pixtral/processing_pixtral.py and models/mistral3/processing_mistral3.py
 * build rows × (columns + 1) tokens. Images above longest_edge (1540 / 1024) are scaled down
 * first (image_processing_pixtral.py get_resize_output_image_size).
 */
const MISTRAL3_TOKEN_SIDE_PIXELS = 14 * 2;
const MISTRAL3_LONGEST_EDGE = 1540;
const PIXTRAL_TOKEN_SIDE_PIXELS = 16;
const PIXTRAL_LONGEST_EDGE = 1024;

/**
 * Llama 4: the image is tiled into 336 × 336 tiles (up to max_patches 16), each tile 24 × 24
 * patches of 14 pixels shuffled down by pixel_shuffle_ratio 0.5 to 144 tokens; more than one
 * tile adds a global thumbnail tile (transformers models/llama4/processing_llama4.py
 * _prompt_split_image; image_processing_llama4_fast.py get_best_fit picks the smallest tiling
 * that holds the image without downscaling).
 */
const LLAMA4_TILE_PIXELS = 336;
const LLAMA4_TOKENS_PER_TILE = (LLAMA4_TILE_PIXELS / 14) ** 2 * 0.5 ** 2;
const LLAMA4_MAX_TILES = 16;

/** Tokens of one image for a family's processor, or null when Headroom has no rule for it. */
export interface ImageTokenRule {
  readonly tokensPerImage: number;
  /** Where the count comes from, for the plan's assumptions. */
  readonly source: string;
  /**
   * The family has text-only members told apart by a missing vision tower (Gemma 3 1B and
   * 270M): without a tower (or an mmproj file) the model takes no images.
   */
  readonly textOnlyWithoutTower: boolean;
}

function llama4Tiles(width: number, height: number): number {
  const across = Math.ceil(width / LLAMA4_TILE_PIXELS);
  const down = Math.ceil(height / LLAMA4_TILE_PIXELS);
  const tiles = Math.min(across * down, LLAMA4_MAX_TILES);
  return tiles > 1 ? tiles + 1 : 1;
}

function pixtralTokens(tokenSide: number, longestEdge: number): number {
  const { width, height } = DEFAULT_IMAGE_PIXELS;
  const scale = Math.min(1, longestEdge / Math.max(width, height));
  const columns = Math.ceil((width * scale) / tokenSide);
  const rows = Math.ceil((height * scale) / tokenSide);
  return rows * (columns + 1);
}

/**
 * The token count of one image for this architecture, or null when the model takes no images
 * Headroom knows of.
 * @example imageTokenRule(gemma3_27b)?.tokensPerImage // 256
 */
export function imageTokenRule(architecture: ArchitectureSpec): ImageTokenRule | null {
  const { width, height } = DEFAULT_IMAGE_PIXELS;
  const size = `${width}×${height} image`;
  switch (architecture.family) {
    case 'gemma3':
      return {
        tokensPerImage: GEMMA3_TOKENS_PER_IMAGE,
        source: 'transformers Gemma3Config.mm_tokens_per_image',
        textOnlyWithoutTower: true,
      };
    case 'qwen2_vl':
    case 'qwen2_5_vl': {
      const side = QWEN_VL_PIXELS_PER_TOKEN_SIDE;
      const tokens = Math.round(width / side) * Math.round(height / side);
      return {
        tokensPerImage: tokens,
        source: `Qwen2-VL smart_resize, 28-pixel tokens, ${size}`,
        textOnlyWithoutTower: false,
      };
    }
    case 'mistral3':
      return {
        tokensPerImage: pixtralTokens(MISTRAL3_TOKEN_SIDE_PIXELS, MISTRAL3_LONGEST_EDGE),
        source: `Mistral3 processor: 28-pixel tokens per row + [IMG_BREAK], ${size}`,
        textOnlyWithoutTower: false,
      };
    case 'pixtral':
      return {
        tokensPerImage: pixtralTokens(PIXTRAL_TOKEN_SIDE_PIXELS, PIXTRAL_LONGEST_EDGE),
        source: `Pixtral processor: 16-pixel tokens per row + [IMG_BREAK], ${size}`,
        textOnlyWithoutTower: false,
      };
    case 'llama4':
      return {
        tokensPerImage: llama4Tiles(width, height) * LLAMA4_TOKENS_PER_TILE,
        source: `Llama 4 processor: 336-pixel tiles of 144 tokens + a global tile, ${size}`,
        textOnlyWithoutTower: false,
      };
    default:
      return null;
  }
}
