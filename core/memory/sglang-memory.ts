import { BYTES_PER_MIB } from '../units/bytes';

/**
 * How SGLang divides a GPU when `--mem-fraction-static` is left unset. Its static pool (weights
 * plus the token-level KV pool) may take `mem_fraction_static` of the memory free before the
 * weights load; the rest is kept for activations, CUDA graphs and workspaces. SGLang derives
 * the fraction from a reserve it sizes by the GPU's memory, the prefill chunk, the CUDA-graph
 * batch sizes and the TP degree.
 *
 * Sources (sgl-project/sglang, v0.5 series; the fraction moved to arg_groups/memory_hook.py
 * in 2026 with the same terms):
 * - python/sglang/srt/server_args.py `ServerArgs._handle_gpu_memory_settings`: the defaults of
 *   chunked_prefill_size and cuda_graph_max_bs by GPU memory and TP, the reserve, the fraction
 *   `round((gpu_mem - reserved) / gpu_mem, 3)` with gpu_mem the smallest GPU's total in MiB;
 * - the same file, `_handle_piecewise_cuda_graph`: the prefill (piecewise) CUDA graphs, 8 MiB
 *   per captured token count, 1536 MiB for MLA models; off for speculative decoding, DP
 *   attention and multimodal models;
 * - sgl-project/sglang#29092 (2026-06): "the value to be 0.828 for H100 with Qwen3 32 B".
 */

/** A GPU memory bucket's defaults: below `belowMiB` of total memory. */
interface SglangMemoryBucket {
  readonly belowMiB: number;
  /** `chunked_prefill_size`. */
  readonly chunkedPrefillTokens: number;
  /** `cuda_graph_max_bs` below TP 4 and from TP 4 on. */
  readonly cudaGraphMaxBatch: readonly [number, number];
}

/** `_handle_gpu_memory_settings`' buckets (T4/4080, A10/4090, A100-40G/L40, H100/H200, B200). */
const SGLANG_MEMORY_BUCKETS: readonly SglangMemoryBucket[] = [
  { belowMiB: 20 * 1024, chunkedPrefillTokens: 2048, cudaGraphMaxBatch: [8, 8] },
  { belowMiB: 35 * 1024, chunkedPrefillTokens: 2048, cudaGraphMaxBatch: [24, 80] },
  { belowMiB: 60 * 1024, chunkedPrefillTokens: 4096, cudaGraphMaxBatch: [32, 160] },
  { belowMiB: 160 * 1024, chunkedPrefillTokens: 8192, cudaGraphMaxBatch: [256, 512] },
  { belowMiB: Infinity, chunkedPrefillTokens: 16384, cudaGraphMaxBatch: [512, 512] },
];

/** The TP degree from which SGLang captures the larger CUDA-graph batch list. */
const SGLANG_LARGE_GRAPH_TP = 4;

/** Fixed metadata reserve: 512 MiB. */
const SGLANG_METADATA_RESERVE_MIB = 512;
/** Activation reserve: 1.5 MiB per token of the prefill chunk (at least 2048 tokens). */
const SGLANG_ACTIVATION_MIB_PER_CHUNK_TOKEN = 1.5;
const SGLANG_MIN_ACTIVATION_TOKENS = 2048;
/** Decode CUDA graphs: 2 MiB per captured batch size up to cuda_graph_max_bs. */
const SGLANG_GRAPH_MIB_PER_BATCH = 2;
/**
 * DP attention: 3 MiB per CUDA-graph batch per rank, 1.5 more above a 300 batch (each rank
 * captures its own graphs and gathers the others' tokens).
 */
const SGLANG_DP_ATTENTION_MIB_PER_BATCH = 3;
const SGLANG_DP_ATTENTION_LARGE_BATCH = 300;
const SGLANG_DP_ATTENTION_LARGE_MIB_PER_BATCH = 1.5;
/** Communication buffers: 1024 MiB per 8 GPUs of TP × PP. */
const SGLANG_PARALLEL_MIB_PER_GPU = 1024 / 8;
/** Prefill CUDA graphs: 8 MiB per captured token count (non-MLA), 1536 MiB for MLA. */
const SGLANG_PREFILL_GRAPH_MIB_PER_SIZE = 8;
const SGLANG_MLA_PREFILL_GRAPH_MIB = 1536;

/**
 * The token counts SGLang captures prefill graphs for, up to `maxTokens`: steps of 4 to 32,
 * 16 to 256, 32 to 512, 64 to 1024, 256 to 4096, then 512 (server_args.py
 * `_generate_piecewise_cuda_graph_tokens`).
 */
const PREFILL_GRAPH_STEPS: readonly (readonly [from: number, to: number, step: number])[] = [
  [4, 32, 4],
  [48, 256, 16],
  [288, 512, 32],
  [576, 1024, 64],
  [1280, 4096, 256],
  [4608, Infinity, 512],
];

/** How many prefill graph sizes SGLang captures up to `maxTokens`. */
export function prefillGraphSizes(maxTokens: number): number {
  let count = 0;
  for (const [from, to, step] of PREFILL_GRAPH_STEPS) {
    const last = Math.min(to, maxTokens);
    if (last >= from) count += Math.floor((last - from) / step) + 1;
  }
  return count;
}

function bucketOf(gpuMemoryBytes: number): SglangMemoryBucket {
  const mib = gpuMemoryBytes / BYTES_PER_MIB;
  return SGLANG_MEMORY_BUCKETS.find((bucket) => mib < bucket.belowMiB)!;
}

/**
 * SGLang's default `chunked_prefill_size` on a GPU of this total memory.
 * @example sglangChunkedPrefillTokens(81559 * 2 ** 20) // 8192 (H100)
 */
export function sglangChunkedPrefillTokens(gpuMemoryBytes: number): number {
  return bucketOf(gpuMemoryBytes).chunkedPrefillTokens;
}

/** What the default fraction depends on besides the GPU. */
interface SglangFractionInput {
  /** Total memory of the smallest GPU (nvidia-smi memory.total). */
  readonly gpuMemoryBytes: number;
  /** `--tp-size`: every GPU of the run (with DP attention too). */
  readonly tensorParallel: number;
  /** `--dp-size` with `--enable-dp-attention` (1: off). */
  readonly dataParallelAttention?: number;
  /** Multi-head latent attention (DeepSeek, Kimi K2): a fixed prefill-graph reserve. */
  readonly latentAttention: boolean;
  /** Prefill CUDA graphs captured (off for multimodal models and speculative decoding). */
  readonly prefillGraphs: boolean;
  /** The model's vision tower, whose size lowers the fraction (sglangVisionFactor). */
  readonly visionTower?: { readonly layers: number; readonly hiddenSize: number };
}

/** The ViT SGLang's vision factor is relative to: 24 layers of width 1024 (CLIP ViT-L). */
const SGLANG_REFERENCE_VIT_LAYERS = 24;
const SGLANG_REFERENCE_VIT_WIDTH = 1024;
const SGLANG_VISION_BASE_FACTOR = 0.95;
const SGLANG_VISION_SLOPE = 0.1;
const SGLANG_VISION_FACTOR_RANGE: readonly [number, number] = [0.8, 1.05];

/**
 * How much SGLang lowers mem_fraction_static for a multimodal model (server_args.py
 * adjust_mem_fraction_for_vlm, sgl-project/sglang#6881): 0.95 × clamp(1 − 0.1 × (L·H² /
 * (24·1024²) − 1), 0.8, 1.05) for a vision tower of L layers of width H.
 * @example sglangVisionFactor({ layers: 27, hiddenSize: 1152 }) // SigLIP-so400m: 0.95 × 0.9576
 */
export function sglangVisionFactor(tower: { layers: number; hiddenSize: number }): number {
  const relativeSize =
    (tower.layers * tower.hiddenSize ** 2) /
    (SGLANG_REFERENCE_VIT_LAYERS * SGLANG_REFERENCE_VIT_WIDTH ** 2);
  const [low, high] = SGLANG_VISION_FACTOR_RANGE;
  const scale = Math.min(high, Math.max(low, 1 - SGLANG_VISION_SLOPE * (relativeSize - 1)));
  return SGLANG_VISION_BASE_FACTOR * scale;
}

/**
 * The memory SGLang keeps outside its static pool, in bytes.
 * @example sglangReservedBytes({ gpuMemoryBytes: 81559 * 2 ** 20, tensorParallel: 1, latentAttention: false, prefillGraphs: true }) / 2 ** 20 // 13904
 */
function sglangReservedBytes(input: SglangFractionInput): number {
  const bucket = bucketOf(input.gpuMemoryBytes);
  const chunk = bucket.chunkedPrefillTokens;
  const graphBatch = bucket.cudaGraphMaxBatch[input.tensorParallel < SGLANG_LARGE_GRAPH_TP ? 0 : 1];
  let reservedMiB =
    SGLANG_METADATA_RESERVE_MIB +
    SGLANG_ACTIVATION_MIB_PER_CHUNK_TOKEN * Math.max(chunk, SGLANG_MIN_ACTIVATION_TOKENS) +
    SGLANG_GRAPH_MIB_PER_BATCH * graphBatch +
    SGLANG_PARALLEL_MIB_PER_GPU * input.tensorParallel;
  const ranks = input.dataParallelAttention ?? 1;
  if (ranks > 1) {
    reservedMiB += SGLANG_DP_ATTENTION_MIB_PER_BATCH * graphBatch * ranks;
    if (graphBatch > SGLANG_DP_ATTENTION_LARGE_BATCH) {
      reservedMiB += SGLANG_DP_ATTENTION_LARGE_MIB_PER_BATCH * graphBatch * ranks;
    }
  }
  // _handle_piecewise_cuda_graph turns prefill graphs off under DP attention.
  if (input.prefillGraphs && ranks === 1) {
    reservedMiB += input.latentAttention
      ? SGLANG_MLA_PREFILL_GRAPH_MIB
      : SGLANG_PREFILL_GRAPH_MIB_PER_SIZE * prefillGraphSizes(chunk);
  }
  // The source also keeps at least 10 GiB back on GPUs above 60 GiB; with these buckets the
  // terms above already pass 12 GiB there (1.5 × 8192 alone is 12,288), so it never binds.
  return reservedMiB * BYTES_PER_MIB;
}

/**
 * SGLang's default `mem_fraction_static`: (gpu_mem − reserved) / gpu_mem, to three decimals,
 * times the vision factor for a multimodal model.
 * @example sglangMemFractionStatic({ gpuMemoryBytes: 81559 * 2 ** 20, tensorParallel: 1, latentAttention: false, prefillGraphs: true }) // 0.83
 */
export function sglangMemFractionStatic(input: SglangFractionInput): number {
  const fraction = (input.gpuMemoryBytes - sglangReservedBytes(input)) / input.gpuMemoryBytes;
  const rounded = Math.round(Math.max(0, fraction) * 1000) / 1000;
  if (!input.visionTower) return rounded;
  // Kept to three decimals (down) so the flag written is the share the plan budgeted.
  return Math.floor(rounded * sglangVisionFactor(input.visionTower) * 1000) / 1000;
}
