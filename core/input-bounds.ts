/**
 * The bounds every face puts on the numbers a person (or a page) hands the planner; the one
 * parser and checker for them is core/number-input.ts. The CLI's flags and the bridge's schemas both use these, so `--context 1e30`
 * and `{ contextTokens: 1e30 }` are refused alike, with the same words (issue 16, D3/D4).
 *
 * Each bound is far above anything real and far below what would make a plan slow or huge: a
 * plan's cost grows with the device count (one memory row per device) and the numbers only
 * multiply, so a bound is what keeps `--gpus 1e21` from allocating an array of 1e21 devices.
 * Core says which setting is wrong; the CLI adds its flag, the UI its control.
 */

/** A number a setting takes, its range and why the range ends where it does. */
export interface NumberBound {
  /** The setting, as a sentence starts: "The context length". */
  readonly setting: string;
  /** The unit after a number in messages ("tokens"), or "" for a plain count. */
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  /** The minimum itself is not allowed (a fraction above 0). */
  readonly minExclusive?: boolean;
  /** The maximum itself is not allowed (a margin below 1). */
  readonly maxExclusive?: boolean;
  /** Whole numbers only. */
  readonly integer: boolean;
  /** Why the upper bound is where it is, for the error message. */
  readonly reason: string;
  /** What people type, for the error message: "4096, 8k or 128K". */
  readonly example: string;
}

/**
 * Longest context: 10× Llama 4 Scout's 10M tokens, the longest any released model takes
 * (meta-llama/Llama-4-Scout-17B-16E model card, 2025).
 */
export const MAX_CONTEXT_TOKENS = 100_000_000;
/**
 * Most sequences decoded together: 1000× vLLM's largest default max_num_seqs (1024 on H100-class
 * GPUs, vllm/engine/arg_utils.py), so a real batch is never refused.
 */
const MAX_BATCH_SEQUENCES = 1_000_000;
/**
 * Most devices in one plan (each --device, --gpus copies, the tensor- and pipeline-parallel
 * degrees): 128 nodes of 8 GPUs. Each device is a row of the plan, so this bounds its size.
 */
export const MAX_DEVICES = 1024;
/**
 * Most nodes: xAI's Colossus, the largest published training cluster, has about 100k GPUs
 * (12.5k nodes of 8); 100k nodes leaves room and keeps the per-node loops short.
 */
const MAX_NODES = 100_000;
/** Most micro-batches per step and sequences per micro-batch: as MAX_BATCH_SEQUENCES. */
const MAX_TRAINING_COUNT = 1_000_000;
/**
 * Largest LoRA rank: above the hidden size the update is full rank and LoRA saves nothing; the
 * widest hidden size in use is 16,384 (Llama 3.1 405B config.json), so 65,536 is far past it.
 */
const MAX_LORA_RANK = 65_536;
/**
 * Most parameters in a bare count: 1000× the largest dense model published (~1e12); the
 * bridge has held the same bound since issue 10.
 */
const MAX_PARAMS = 1e15;
/**
 * Most training tokens: 10,000× the 36T tokens Qwen3 was trained on (Qwen3 technical report,
 * 2025), still an exact double.
 */
const MAX_TRAIN_TOKENS = 1e18;
/**
 * Longest deadline for a detection tool or the whole detection: 10 minutes; nvidia-smi answers
 * in well under a second, and a wait past this is a hang, not a slow tool.
 */
const MAX_DETECT_TIMEOUT_MS = 600_000;
/**
 * Most worker threads for a scan: 256, the most hardware threads a two-socket server has
 * today (2 × 128-core AMD EPYC 9754 without SMT); more threads only contend.
 */
const MAX_WORKER_THREADS = 256;
/** Largest whole number a double holds exactly (2^53 − 1); counts above it are not exact. */
const MAX_EXACT_COUNT = Number.MAX_SAFE_INTEGER;

export const CONTEXT_TOKENS_BOUND: NumberBound = {
  setting: 'The context length',
  unit: 'tokens',
  min: 1,
  max: MAX_CONTEXT_TOKENS,
  integer: true,
  reason: "ten times the longest context a released model takes, Llama 4 Scout's 10M",
  example: '4096, 8k or 128K',
};

export const BATCH_BOUND: NumberBound = {
  setting: 'The batch',
  unit: 'sequences',
  min: 1,
  max: MAX_BATCH_SEQUENCES,
  integer: true,
  reason: "a thousand times vLLM's largest default max_num_seqs",
  example: '1 or 32',
};

export const DEVICE_COUNT_BOUND: NumberBound = {
  setting: 'The number of devices',
  unit: 'devices',
  min: 1,
  max: MAX_DEVICES,
  integer: true,
  reason: '128 nodes of 8 GPUs; plan larger clusters per node',
  example: '8',
};

export const PARALLEL_DEGREE_BOUND: NumberBound = {
  ...DEVICE_COUNT_BOUND,
  setting: 'A parallel degree',
  unit: '',
  example: '2, 4 or 8',
};

export const NODES_BOUND: NumberBound = {
  setting: 'The number of nodes',
  unit: 'nodes',
  min: 1,
  max: MAX_NODES,
  integer: true,
  reason: 'about eight times the largest published training cluster',
  example: '1 or 16',
};

export const TRAINING_COUNT_BOUND: NumberBound = {
  setting: 'A micro-batch or accumulation count',
  unit: '',
  min: 1,
  max: MAX_TRAINING_COUNT,
  integer: true,
  reason: 'far above any real training step',
  example: '1, 4 or 16',
};

export const LORA_RANK_BOUND: NumberBound = {
  setting: 'The LoRA rank',
  unit: '',
  min: 1,
  max: MAX_LORA_RANK,
  integer: true,
  reason: 'four times the widest hidden size in use; above the hidden size LoRA saves nothing',
  example: '8, 16 or 64',
};

export const PARAMS_BOUND: NumberBound = {
  setting: 'The parameter count',
  unit: 'parameters',
  min: 1,
  max: MAX_PARAMS,
  integer: true,
  reason: 'a thousand times the largest published dense model',
  example: '7e9, 7B or 70B',
};

export const TRAIN_TOKENS_BOUND: NumberBound = {
  setting: 'The training token count',
  unit: 'tokens',
  min: 0,
  minExclusive: true,
  max: MAX_TRAIN_TOKENS,
  integer: false,
  reason: "ten thousand times Qwen3's 36T training tokens",
  example: '2e12, 500B or 1.5T',
};

export const MARGIN_BOUND: NumberBound = {
  setting: 'The safety margin',
  unit: '',
  min: 0,
  max: 1,
  maxExclusive: true,
  integer: false,
  reason: 'a fraction of usable memory',
  example: '0.05',
};

export const MFU_BOUND: NumberBound = {
  setting: 'The model FLOPs utilisation',
  unit: '',
  min: 0,
  minExclusive: true,
  max: 1,
  integer: false,
  reason: 'a fraction of peak throughput',
  example: '0.4',
};

export const DETECT_TIMEOUT_BOUND: NumberBound = {
  setting: 'A detection deadline',
  unit: 'ms',
  min: 1,
  max: MAX_DETECT_TIMEOUT_MS,
  integer: true,
  reason: 'ten minutes; a tool that takes longer has hung',
  example: '3000',
};

export const WORKER_THREADS_BOUND: NumberBound = {
  setting: 'The number of worker threads',
  unit: '',
  min: 1,
  max: MAX_WORKER_THREADS,
  integer: true,
  reason: 'the hardware threads of the largest two-socket servers',
  example: '4',
};

/**
 * Images per sequence: 0 (text only) up to what the longest context can hold at Gemma 3's 256
 * tokens per image (MAX_CONTEXT_TOKENS / 256, rounded down to a power of ten).
 */
export const IMAGES_BOUND: NumberBound = {
  setting: 'The number of images',
  unit: '',
  min: 0,
  max: 100_000,
  integer: true,
  reason: 'more image tokens than the longest context holds',
  example: '1 or 4',
};

/**
 * Draft tokens per step: llama.cpp's --draft-max defaults to 16 (common/common.h
 * common_params_speculative n_max) and vLLM's examples use 2–5; 1024 is far above any.
 */
export const DRAFT_TOKENS_BOUND: NumberBound = {
  setting: 'The number of draft tokens',
  unit: 'tokens',
  min: 1,
  max: 1024,
  integer: true,
  reason: "64 times llama.cpp's default --draft-max of 16",
  example: '4 or 16',
};

/** Any other count (a sample size): whole, positive and exact. */
export const COUNT_BOUND: NumberBound = {
  setting: 'The count',
  unit: '',
  min: 1,
  max: MAX_EXACT_COUNT,
  integer: true,
  reason: 'the largest whole number a double holds exactly',
  example: '1000',
};

/**
 * Most system RAM a host may have: 64 TiB, past the largest single-system memory sold today
 * (HPE Superdome Flex: 48 TB across 32 sockets), in GB as people type it.
 */
const MAX_HOST_RAM_GB = 64 * 1024;
export const HOST_RAM_GB_BOUND: NumberBound = {
  setting: 'The system RAM',
  unit: 'GB',
  min: 1,
  max: MAX_HOST_RAM_GB,
  integer: false,
  reason: 'past the largest single-system memory sold (48 TB)',
  example: '64, 512 or 1536',
};

/**
 * Fastest system RAM: 2,000 GB/s, past a 2-socket server with 24 channels of DDR5-8800
 * (2 × 12 × 70.4 GB/s = 1,690 GB/s).
 */
export const HOST_RAM_BANDWIDTH_BOUND: NumberBound = {
  setting: 'The system RAM bandwidth',
  unit: 'GB/s',
  min: 1,
  max: 2000,
  integer: false,
  reason: 'past a 2-socket server with 24 channels of DDR5-8800',
  example: '90 (dual-channel DDR5) or 460 (12-channel DDR5-4800)',
};

/** Most CPU cores a host may have: 2 sockets × 192 cores (AMD EPYC 9965), with room. */
export const CPU_CORES_BOUND: NumberBound = {
  setting: 'The number of CPU cores',
  unit: 'cores',
  min: 1,
  max: 1024,
  integer: true,
  reason: 'past two 192-core sockets',
  example: '8, 32 or 128',
};
