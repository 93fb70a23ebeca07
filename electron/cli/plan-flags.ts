import { Command, Option } from 'commander';
import { ENGINE_IDS } from '../../core/memory/engine-profiles';
import { AUTO_ENGINE, type EngineChoice } from '../../core/plan/default-engine';
import { MTP_DRAFT } from '../../core/plan/draft-choice';
import { SOLVE_TARGETS, type SolveTarget } from '../../core/plan/search';
import { DEFAULT_MARGIN_FRACTION } from '../../core/plan/verdict';
import { BYTE_UNITS, type ByteUnit } from '../../core/units/bytes';
import {
  BATCH_BOUND,
  DEVICE_COUNT_BOUND,
  DRAFT_TOKENS_BOUND,
  IMAGES_BOUND,
  PARALLEL_DEGREE_BOUND,
} from '../../core/input-bounds';
import {
  boundedNumber,
  collect,
  cpuCores,
  expertLayers,
  formatName,
  fraction,
  hostRamBandwidth,
  hostRamGb,
  oneOf,
  tokenCount,
} from './option-parsers';
import { addTrainingOptions, type TrainingOptions } from './training-options';

/**
 * The flags of `headroom plan` as commander declares them, and the options they parse into;
 * `report` and `launch` take the same ones. What they resolve to: plan-options.ts.
 */

type Mode = 'inference' | 'training';

/** The parsed flags of `headroom plan`. */
export interface PlanOptions extends TrainingOptions {
  model?: string;
  params?: string;
  mode: Mode;
  weights?: string;
  kv?: string;
  context: number;
  batch: number;
  device?: string[];
  gpus?: number;
  /** A pinned engine, or `auto`: the engine the weights format runs on (core/plan/default-engine.ts). */
  engine: EngineChoice;
  margin: number;
  moeOffload?: number | 'all';
  swaFull?: boolean;
  dataParallel?: number;
  expertParallel?: boolean;
  ram?: number;
  ramBandwidth?: number;
  cpuCores?: number;
  images?: number;
  mmproj?: string;
  draft?: string;
  draftTokens?: number;
  solve?: SolveTarget;
  unit: ByteUnit;
}

/**
 * Every flag of `headroom plan` (inference and training), so that `report` and `launch` take
 * exactly the same ones.
 */
export function addPlanOptions(command: Command): Command {
  command
    .option('--model <id>', 'catalog model (Hugging Face id, see `headroom models`)')
    .option('--params <count>', 'a bare parameter count instead of a model, e.g. 7e9 or 70B')
    .addOption(
      new Option('--mode <mode>', 'what to plan')
        .choices(['inference', 'training'])
        .default('inference'),
    )
    .option(
      '--weights <format>',
      'weights format (see `headroom formats`); default: the published format',
      formatName,
    )
    .option(
      '--kv <format>',
      "KV-cache format (default: the engine's: the weights' dtype in PyTorch engines and vLLM, fp16 in llama.cpp)",
      formatName,
    )
    .option('--context <tokens>', 'context length per sequence (4096, 8k, 128K)', tokenCount, 4096)
    .option('--batch <n>', 'sequences decoded together', boundedNumber(BATCH_BOUND), 1)
    .option(
      '--device <id>',
      "a device to run on (repeatable; see `headroom devices`; `local` = this machine's GPUs, `local:N` = one of them)",
      collect,
    )
    .option(
      '--gpus <n>',
      'how many of the one --device (per node in training mode)',
      boundedNumber(DEVICE_COUNT_BOUND),
    )
    .addOption(
      new Option(
        '--engine <engine>',
        `inference engine (${AUTO_ENGINE}: the one the weights format runs on: llama.cpp for GGUF types, vllm for AWQ, GPTQ and FP8, transformers otherwise)`,
      )
        .choices([...ENGINE_IDS, AUTO_ENGINE])
        .default(AUTO_ENGINE),
    )
    .option(
      '--margin <fraction>',
      'safety margin: above 1 − margin of usable memory is "tight"',
      fraction,
      DEFAULT_MARGIN_FRACTION,
    )
    .option(
      '--moe-offload <layers>',
      "keep the routed experts of the first N layers (or 'all') in system RAM (llama.cpp --n-cpu-moe)",
      expertLayers,
    )
    .option(
      '--swa-full',
      'llama.cpp: keep the whole context on sliding-window layers instead of the window (llama.cpp --swa-full)',
    )
    .option(
      '--data-parallel <n>',
      'vLLM or SGLang, MoE models: N data-parallel attention ranks over the GPUs, each with its own attention weights and KV (--data-parallel-size; SGLang --dp-size --enable-dp-attention)',
      boundedNumber(PARALLEL_DEGREE_BOUND),
    )
    .option(
      '--expert-parallel',
      'vLLM or SGLang, MoE models: whole routed experts per GPU instead of a slice of each (--enable-expert-parallel; SGLang --ep-size)',
    )
    .option('--ram <GB>', 'system RAM of the host, for offloaded layers or experts', hostRamGb)
    .option(
      '--ram-bandwidth <GB/s>',
      'system RAM bandwidth (default: dual-channel DDR5-5600)',
      hostRamBandwidth,
    )
    .option('--cpu-cores <n>', 'CPU cores of the host (default 32 with --ram)', cpuCores)
    .option(
      '--images <n>',
      'images in each prompt: their tokens join the context, the vision tower is counted',
      boundedNumber(IMAGES_BOUND),
    )
    .option(
      '--mmproj <file>',
      "llama.cpp's vision projector GGUF, read for its size (with --images)",
    )
    .option(
      '--draft <model>',
      `speculative decoding: a draft model (catalog id or file), or '${MTP_DRAFT}' for the model's own MTP layers (vLLM)`,
    )
    .option(
      '--draft-tokens <n>',
      'tokens the draft proposes per step (llama.cpp --draft-max, vLLM num_speculative_tokens)',
      boundedNumber(DRAFT_TOKENS_BOUND),
    )
    .option('--solve <target>', `search: ${SOLVE_TARGETS.join(' | ')}`, oneOf(SOLVE_TARGETS))
    .addOption(
      new Option('--unit <unit>', 'unit for printed sizes').choices(BYTE_UNITS).default('GB'),
    );
  return addTrainingOptions(command);
}
