import type { InferenceRecord, TrainingRecord } from '../calibration/measured-run';

/**
 * A measured run: what a real engine reported about one load of one model, read from its log or
 * from a measuring tool's output by one of the pure parsers in this folder. Bytes are bytes;
 * every figure is one the source printed (nothing is estimated here).
 */

/** The file formats `headroom measure import` reads, one parser each. */
export const MEASURE_FORMATS = [
  'vllm-log',
  'sglang-log',
  'llama-log',
  'llama-bench-markdown',
  'llama-bench-json',
  'ollama-log',
  'nvidia-smi-csv',
  'measure-gpu-jsonl',
  'pytorch-memory',
] as const;
export type MeasureFormat = (typeof MEASURE_FORMATS)[number];

/**
 * Who allocated the memory. `transformers` and `pytorch-training` are measure_gpu.py's inference
 * and training runs (a training script's torch.cuda.memory_summary() is `pytorch-training` too); `unknown` is a bare nvidia-smi sample series.
 */
export const MEASURE_ENGINES = [
  'vllm',
  'sglang',
  'llama.cpp',
  'ollama',
  'transformers',
  'pytorch-training',
  'unknown',
] as const;
export type MeasureEngine = (typeof MEASURE_ENGINES)[number];

/**
 * The memory categories a log can state, summed over the GPUs the run used. They line up with a
 * plan's breakdown: weights ↔ weights, kvCache ↔ kvCache, activations (llama.cpp's compute
 * buffers, vLLM's activation peak) ↔ activations, runtime + cudaGraphs ↔ overhead, total ↔ used.
 */
export const MEASURED_CATEGORIES = [
  'weights',
  'kvCache',
  'activations',
  'cudaGraphs',
  'runtime',
  'total',
] as const;
export type MeasuredCategory = (typeof MEASURED_CATEGORIES)[number];

/** The settings the run was started with, as far as the source says them. */
export interface MeasuredSettings {
  readonly mode: 'inference' | 'training';
  /** Context per sequence (vLLM max_model_len, SGLang context_len, llama.cpp n_ctx / n_ctx_per_seq). */
  readonly contextTokens?: number;
  /** Sequences served together (llama.cpp n_seq_max / Ollama --parallel). */
  readonly batch?: number;
  /** Headroom format id of the weights (bf16, q4_0, …) when the source names it. */
  readonly weightsFormat?: string;
  /** Headroom format id of the KV cache when the source names it. */
  readonly kvFormat?: string;
  /** Layers on the GPUs (llama.cpp -ngl / "offloaded N/M layers") and of the model. */
  readonly gpuLayers?: number;
  readonly totalLayers?: number;
  readonly tensorParallel?: number;
  /** vLLM --gpu-memory-utilization. */
  readonly gpuMemoryUtilization?: number;
  /**
   * SGLang --mem-fraction-static: the share of the memory free before the weights loaded that
   * the weights and the KV pool may take (server_args `mem_fraction_static`).
   */
  readonly memFractionStatic?: number;
}

/** What the run reached: tokens per second for prompt processing, decoding or training. */
export interface MeasuredSpeed {
  readonly promptTokens?: number;
  readonly promptTokensPerSecond?: number;
  readonly decodeTokens?: number;
  readonly decodeTokensPerSecond?: number;
  readonly trainingTokensPerSecond?: number;
}

export interface MeasuredRun {
  /** `file#line` of the line the run starts at: stable for the same file. */
  readonly id: string;
  readonly format: MeasureFormat;
  readonly engine: MeasureEngine;
  /** The model as the source names it (a Hub id, a path, a GGUF name), or null. */
  readonly model: string | null;
  /** The GPU as the source names it ("NVIDIA H200", "NVIDIA GeForce RTX 4080"), or null. */
  readonly device: string | null;
  /** GPUs the figures are summed over. */
  readonly deviceCount: number;
  readonly settings: MeasuredSettings;
  readonly memoryBytes: Partial<Record<MeasuredCategory, number>>;
  /** Bytes the engine put in system RAM (llama.cpp CPU buffers, layers not offloaded). */
  readonly hostMemoryBytes?: number;
  readonly speed: MeasuredSpeed;
  readonly source: { readonly file: string; readonly line: number };
  /** measure_gpu.py's own record, which plans exactly as the calibration suite does. */
  readonly calibration?: InferenceRecord | TrainingRecord;
  /** What the parser noticed and the reader should know (in words). */
  readonly notes: readonly string[];
}

/** 2^20 and 2^30: llama.cpp prints MiB, vLLM, SGLang and Ollama GiB (all 1024-based). */
export const MIB = 2 ** 20;
export const GIB = 2 ** 30;
