import type { DeviceSpec } from '../devices/types';
import type { EngineId } from '../formats/types';
import { BYTES_PER_GIB, BYTES_PER_MIB } from '../units/bytes';
import { LLAMA_CPP_UBATCH_TOKENS, type SlidingWindowRule } from './engine-kv';
import type { MlaCacheLayout } from './kv-cache';
import type { RecurrentStateRule } from './recurrent-state';
import { sglangChunkedPrefillTokens, sglangMemFractionStatic } from './sglang-memory';
import { VLLM_LARGE_GPU_DEFAULTS, vllmBatchDefaults } from './vllm-defaults';

/**
 * How each inference engine spends memory beyond weights and KV cache. Every number is a named
 * constant with its source; each one a plan uses appears in its assumptions.
 */
export interface EngineProfile {
  readonly id: EngineId;
  readonly label: string;
  /** Per-device runtime: CUDA/HIP/Metal context, kernels, library workspaces. */
  readonly runtimeOverheadBytes: number;
  /** Share of each device's memory the engine lets itself use (vLLM's gpu_memory_utilization). */
  readonly memoryUtilization: number;
  /** Memory the engine keeps free on every device on purpose (llama.cpp's fit target). */
  readonly reservedMarginBytes: number;
  /** Extra per-device memory for captured CUDA graphs (vLLM). */
  readonly cudaGraphBytes: number;
  /**
   * Extra per-GPU memory once the engine spans more than one GPU: the communicators and
   * all-reduce buffers of tensor/data parallelism (vLLM). 0 where none is counted.
   */
  readonly multiGpuCommunicationBytes: number;
  /**
   * SGLang's static pool: the share of the memory free before the weights load that weights
   * and the KV pool may take (`mem_fraction_static`) on `gpus` GPUs (its --tp-size) with
   * `dataParallel` DP-attention ranks; the rest is held for activations and CUDA graphs.
   * Absent for engines without one.
   */
  readonly staticPoolFraction?: (gpus: number, dataParallel: number) => number;
  /**
   * Most tokens one forward step takes, all sequences together (vLLM max_num_batched_tokens,
   * SGLang chunked_prefill_size, llama.cpp n_ubatch; Infinity where each prompt runs whole).
   * Sizes the activation workspace (`prefillStepTokens`) and sliding-window pages.
   */
  readonly stepTokens: number;
  /** How several devices share a model by default. */
  readonly multiDevice: 'tensor-parallel' | 'layer-split';
  /** Whether layers can spill to system RAM (llama.cpp -ngl, accelerate device_map). */
  readonly supportsCpuOffload: boolean;
  /** KV cache pages: vLLM allocates KV in blocks of this many tokens (1 = exact). */
  readonly kvBlockTokens: number;
  /** Whether the input embedding table stays in system RAM (llama.cpp keeps token_embd on the CPU). */
  readonly embeddingsOnHost: boolean;
  /**
   * How prefill activations are counted: `pytorch-eager` (transformers: one op at a time, every
   * intermediate a tensor — core/memory/pytorch-eager-inference.ts) or `fused` (vLLM, llama.cpp:
   * fused kernels over a chunk — core/memory/activations.ts).
   */
  readonly activations: 'pytorch-eager' | 'fused';
  /** How sliding-window layers are cached (core/memory/engine-kv.ts SlidingWindowRule). */
  readonly slidingWindowCache: SlidingWindowRule;
  /** How recurrent layers' state is sized and typed (core/memory/recurrent-state.ts). */
  readonly recurrentState: RecurrentStateRule;
  /** How the engine caches multi-head latent attention (core/memory/kv-cache.ts). */
  readonly mlaCache: MlaCacheLayout;
  /**
   * Whether decoding launches every kernel from Python each token (transformers `generate()` in
   * eager mode), so the host's CPU paces it (core/perf/eager-overheads.ts). The generic profile
   * counts memory the PyTorch way but assumes a runtime that keeps the GPU fed.
   */
  readonly hostPacedDecode: boolean;
  /** Where each of the numbers above comes from. */
  readonly sources: {
    readonly runtimeOverhead: string;
    readonly memoryUtilization?: string;
    readonly reservedMargin?: string;
    readonly cudaGraphs?: string;
    readonly multiGpuCommunication?: string;
    readonly staticPool?: string;
    readonly prefillChunk: string;
  };
}

const PYTORCH_OVERHEAD_SOURCE =
  'measured on an H200 (PyTorch 2.11, CUDA 13.0, lazy module loading): 692.8 MiB of device memory outside the caching allocator after the first tensor, cuBLAS matmul and SDPA call (shared/calibration runtime-overhead record); Hugging Face "Model training anatomy" saw 1343 MB with eager module loading';

/**
 * Device memory a PyTorch process holds outside its caching allocator once it has run a matmul
 * and an attention kernel: the CUDA context, cuBLAS/cuBLASLt handles and the kernels loaded
 * lazily (CUDA >= 11.7). Measured by measure_gpu.py's `runtime_overhead()` on an H200 with
 * PyTorch 2.11 + CUDA 13.0: after_sdpa − reserved_after_sdpa = 829,227,008 − 102,760,448 bytes.
 * With eager module loading (CUDA_MODULE_LOADING=EAGER) Hugging Face's "Model training anatomy"
 * saw 1343 MB instead.
 */
export const PYTORCH_RUNTIME_OVERHEAD_BYTES = 829_227_008 - 102_760_448;

/** vLLM: `--gpu-memory-utilization` defaults to 0.9 (vllm/config/cache.py, CacheConfig). */
export const VLLM_GPU_MEMORY_UTILIZATION = 0.9;

/**
 * vLLM captures CUDA graphs for decode batch sizes up to 512; its start-up log reports
 * "Graph capturing finished … took 0.5–1.5 GiB" for 7–70 B models on one GPU. 1 GiB assumed.
 */
const VLLM_CUDA_GRAPH_BYTES = 1 * BYTES_PER_GIB;

/**
 * What a vLLM process holds outside PyTorch's allocator once it spans GPUs: the NCCL
 * communicators and all-reduce buffers it sets up between them. vLLM 0.19 logged its
 * "non-torch forward increase memory" at 2.06–2.21 GiB per GPU at TP 2 and 4 on H100 80GB
 * against 0.24–0.27 GiB on one GPU (11 multi-GPU runs, llm-d-incubation/llm-d-planner
 * accuracy/results/v0.19.0/logs); the largest difference, 1.96 GiB, is counted per GPU. Not
 * measured on PCIe-only GPUs, where NCCL sets up less.
 */
const VLLM_MULTI_GPU_COMMUNICATION_BYTES = 1.96 * BYTES_PER_GIB;

/** vLLM's PagedAttention block size: 16 tokens (vllm/config/cache.py, block_size default). */
const VLLM_KV_BLOCK_TOKENS = 16;

/**
 * SGLang when the GPU is unknown: 4096-token chunks (server_args.py _handle_gpu_memory_settings,
 * gpu_mem None) and mem_fraction_static 0.88.
 */
const SGLANG_UNKNOWN_GPU_CHUNK_TOKENS = 4096;
const SGLANG_UNKNOWN_GPU_MEM_FRACTION = 0.88;

/** llama.cpp: `--fit-target` leaves 1024 MiB free per device (tools/fit-params, llama_params_fit). */
export const LLAMA_CPP_FIT_MARGIN_BYTES = 1024 * BYTES_PER_MIB;

/**
 * llama.cpp's own CUDA/Metal context is lighter than PyTorch's (no framework kernels): the
 * CUDA driver context alone is ~300 MiB on recent drivers. 300 MiB assumed.
 */
const LLAMA_CPP_RUNTIME_OVERHEAD_BYTES = 300 * BYTES_PER_MIB;

export const ENGINE_PROFILES: Readonly<Record<EngineId, EngineProfile>> = {
  generic: {
    id: 'generic',
    label: 'Generic (PyTorch-style)',
    runtimeOverheadBytes: PYTORCH_RUNTIME_OVERHEAD_BYTES,
    memoryUtilization: 1,
    reservedMarginBytes: 0,
    cudaGraphBytes: 0,
    multiGpuCommunicationBytes: 0,
    stepTokens: Infinity,
    multiDevice: 'tensor-parallel',
    supportsCpuOffload: true,
    kvBlockTokens: 1,
    embeddingsOnHost: false,
    activations: 'pytorch-eager',
    slidingWindowCache: 'whole-prompt',
    recurrentState: 'transformers',
    mlaCache: 'per-head',
    hostPacedDecode: false,
    sources: {
      runtimeOverhead: PYTORCH_OVERHEAD_SOURCE,
      prefillChunk: 'the whole prompt in one forward pass',
    },
  },
  transformers: {
    id: 'transformers',
    label: 'Hugging Face transformers',
    runtimeOverheadBytes: PYTORCH_RUNTIME_OVERHEAD_BYTES,
    memoryUtilization: 1,
    reservedMarginBytes: 0,
    cudaGraphBytes: 0,
    multiGpuCommunicationBytes: 0,
    // generate() runs the whole prompt in one forward pass.
    stepTokens: Infinity,
    multiDevice: 'layer-split',
    supportsCpuOffload: true,
    kvBlockTokens: 1,
    embeddingsOnHost: false,
    activations: 'pytorch-eager',
    slidingWindowCache: 'whole-prompt',
    recurrentState: 'transformers',
    mlaCache: 'per-head',
    hostPacedDecode: true,
    sources: {
      runtimeOverhead: PYTORCH_OVERHEAD_SOURCE,
      prefillChunk:
        'transformers generate(): the whole prompt in one forward pass; accelerate device_map="auto" splits layers and spills to CPU',
    },
  },
  vllm: {
    id: 'vllm',
    label: 'vLLM',
    runtimeOverheadBytes: PYTORCH_RUNTIME_OVERHEAD_BYTES,
    memoryUtilization: VLLM_GPU_MEMORY_UTILIZATION,
    reservedMarginBytes: 0,
    cudaGraphBytes: VLLM_CUDA_GRAPH_BYTES,
    multiGpuCommunicationBytes: VLLM_MULTI_GPU_COMMUNICATION_BYTES,
    // On the GPUs of its larger default (H100, H200); engineProfileFor sets each GPU's.
    stepTokens: VLLM_LARGE_GPU_DEFAULTS.maxNumBatchedTokens,
    multiDevice: 'tensor-parallel',
    supportsCpuOffload: false,
    kvBlockTokens: VLLM_KV_BLOCK_TOKENS,
    embeddingsOnHost: false,
    activations: 'fused',
    slidingWindowCache: 'vllm-window-pages',
    recurrentState: 'vllm',
    mlaCache: 'latent',
    hostPacedDecode: false,
    sources: {
      runtimeOverhead: PYTORCH_OVERHEAD_SOURCE,
      memoryUtilization: 'vllm/config/cache.py: gpu_memory_utilization = 0.9',
      cudaGraphs: 'vLLM start-up log "Graph capturing finished": 0.5-1.5 GiB for 7-70 B models',
      multiGpuCommunication:
        'vLLM 0.19 "non-torch forward increase memory": 2.06-2.21 GiB per GPU at TP 2-4 vs 0.24-0.27 GiB on one GPU, H100 80GB (llm-d-incubation/llm-d-planner accuracy/results/v0.19.0/logs)',
      prefillChunk:
        'vllm/engine/arg_utils.py get_batch_defaults: max_num_batched_tokens 8192 on GPUs of 70 GiB or more other than A100, 2048 on the rest; capped at max_num_seqs x max_model_len (vllm/config/scheduler.py)',
    },
  },
  sglang: {
    id: 'sglang',
    label: 'SGLang',
    runtimeOverheadBytes: PYTORCH_RUNTIME_OVERHEAD_BYTES,
    memoryUtilization: 1,
    reservedMarginBytes: 0,
    // Captured out of the memory the static pool leaves (staticPoolFraction).
    cudaGraphBytes: 0,
    multiGpuCommunicationBytes: 0,
    staticPoolFraction: () => SGLANG_UNKNOWN_GPU_MEM_FRACTION,
    stepTokens: SGLANG_UNKNOWN_GPU_CHUNK_TOKENS,
    multiDevice: 'tensor-parallel',
    supportsCpuOffload: false,
    // page_size 1: the pool is counted in tokens (server_args.py page_size default).
    kvBlockTokens: 1,
    embeddingsOnHost: false,
    activations: 'fused',
    slidingWindowCache: 'sglang-swa-pool',
    recurrentState: 'sglang',
    mlaCache: 'latent',
    hostPacedDecode: false,
    sources: {
      runtimeOverhead: PYTORCH_OVERHEAD_SOURCE,
      staticPool:
        'python/sglang/srt/server_args.py _handle_gpu_memory_settings: mem_fraction_static = (gpu_mem - reserved) / gpu_mem; model_runner_kv_cache_mixin.py profile_max_num_token: KV pool = free after weights - free before weights x (1 - mem_fraction_static)',
      prefillChunk:
        'python/sglang/srt/server_args.py _handle_gpu_memory_settings: chunked_prefill_size 2048 below 35 GiB, 4096 below 60 GiB, 8192 below 160 GiB, 16384 above',
    },
  },
  'llama.cpp': {
    id: 'llama.cpp',
    label: 'llama.cpp',
    runtimeOverheadBytes: LLAMA_CPP_RUNTIME_OVERHEAD_BYTES,
    memoryUtilization: 1,
    reservedMarginBytes: LLAMA_CPP_FIT_MARGIN_BYTES,
    cudaGraphBytes: 0,
    multiGpuCommunicationBytes: 0,
    stepTokens: LLAMA_CPP_UBATCH_TOKENS,
    multiDevice: 'layer-split',
    supportsCpuOffload: true,
    kvBlockTokens: 1,
    embeddingsOnHost: true,
    activations: 'fused',
    slidingWindowCache: 'llama-swa-cache',
    recurrentState: 'llama.cpp',
    mlaCache: 'latent',
    hostPacedDecode: false,
    sources: {
      runtimeOverhead: 'CUDA driver context without framework kernels (~300 MiB)',
      reservedMargin:
        'llama.cpp tools/fit-params README: llama_params_fit keeps 1024 MiB free per device',
      prefillChunk:
        'llama.cpp common/common.h: n_ubatch = 512; token_embd stays on the CPU buffer (src/llama-model.cpp)',
    },
  },
};

export const ENGINE_IDS = Object.keys(ENGINE_PROFILES) as readonly EngineId[];

/** What an engine's profile can depend on beyond the engine: the devices and the model. */
interface EngineContext {
  readonly devices: readonly DeviceSpec[];
  /** Multi-head latent attention (SGLang reserves more for MLA prefill graphs). */
  readonly latentAttention: boolean;
  /** The model's vision tower (SGLang lowers its fraction and captures no prefill graphs). */
  readonly visionTower?: { readonly layers: number; readonly hiddenSize: number };
  /** Speculative decoding with a draft (SGLang captures no prefill graphs then). */
  readonly drafting: boolean;
}

/**
 * An engine's profile for these devices and this model. SGLang sizes its prefill chunk and its
 * static pool by the smallest GPU's total memory (server_args.py takes the minimum over the
 * visible GPUs); vLLM picks its step budget by the GPU it starts on (rank 0: the first GPU);
 * every other engine's profile is the same everywhere.
 */
export function engineProfileFor(engine: EngineId, context: EngineContext): EngineProfile {
  const profile = ENGINE_PROFILES[engine];
  const gpus = context.devices.filter((device) => device.vendor !== 'cpu');
  if (gpus.length === 0) return profile;
  if (engine === 'vllm')
    return { ...profile, stepTokens: vllmBatchDefaults(gpus[0]!).maxNumBatchedTokens };
  if (engine !== 'sglang') return profile;
  const gpuMemoryBytes = Math.min(...gpus.map((device) => device.memoryBytes));
  return {
    ...profile,
    stepTokens: sglangChunkedPrefillTokens(gpuMemoryBytes),
    staticPoolFraction: (gpus, dataParallel) =>
      sglangMemFractionStatic({
        gpuMemoryBytes,
        tensorParallel: gpus,
        dataParallelAttention: dataParallel,
        latentAttention: context.latentAttention,
        prefillGraphs: !context.visionTower && !context.drafting,
        ...(context.visionTower ? { visionTower: context.visionTower } : {}),
      }),
  };
}

/**
 * Sequences one engine rank is started for: the scenario's engine sequences (a serving plan's
 * --max-num-seqs) or its batch, split over data-parallel ranks as the launch splits
 * --max-num-seqs.
 */
export function sequencesPerRank(scenario: {
  readonly batch: number;
  readonly engineSequences?: number;
  readonly dataParallel?: number;
}): number {
  return Math.ceil((scenario.engineSequences ?? scenario.batch) / (scenario.dataParallel ?? 1));
}

/**
 * Prompt tokens in one forward pass of `batch` sequences of `contextTokens`: a fused engine
 * fills its step budget across all sequences (vLLM profile_run runs max_num_batched_tokens, which
 * SchedulerConfig caps at max_num_seqs × max_model_len; llama.cpp one n_ubatch; SGLang one
 * chunk); a PyTorch-eager one runs each prompt whole.
 */
export function prefillStepTokens(
  engine: Pick<EngineProfile, 'activations' | 'stepTokens'>,
  contextTokens: number,
  batch: number,
): number {
  const tokens = engine.activations === 'fused' ? contextTokens * batch : contextTokens;
  return Math.min(tokens, engine.stepTokens);
}
