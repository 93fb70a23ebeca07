/**
 * Launch settings (issue 7): a chosen plan turned into the configuration of the engine that
 * runs it. Only what the plan determines is set; everything else is left to the engine.
 */
import type { DeviceSpec } from '../devices/types';
import type { EngineId, Plan } from '../plan/types';

/** The engines Headroom writes settings for (`headroom launch --engine …`). */
export const LAUNCH_ENGINES = [
  'vllm',
  'sglang',
  'llama.cpp',
  'ollama',
  'deepspeed',
  'fsdp',
  'bnb',
  'torchrun',
] as const;
export type LaunchEngine = (typeof LAUNCH_ENGINES)[number];

/** How the text is written, and so which parser reads it back. */
type LaunchSyntax = 'shell' | 'modelfile' | 'json' | 'yaml' | 'python';

export interface LaunchSettings {
  readonly engine: LaunchEngine;
  readonly syntax: LaunchSyntax;
  /** A conventional file name for `--out`, e.g. `ds_config.json`. */
  readonly fileName: string;
  /** The settings, ending with a newline; a comment (or `comment` key) names the plan. */
  readonly text: string;
  /**
   * What the plan assumes that this engine's settings cannot say (set in code or elsewhere),
   * for a person to read beside the file; never part of it.
   */
  readonly notes: readonly string[];
}

export interface LaunchInput {
  readonly plan: Plan;
  /** Specs of the plan's devices (at least those its scenario and perDevice name), by id. */
  readonly devices: readonly DeviceSpec[];
  readonly headroomVersion: string;
  /**
   * The command the settings come from where it is not the plan's own `headroom plan` (a
   * serving plan's `headroom serve-plan …`, whose memory plan holds one request of
   * --max-model-len while the launch starts the engine for many).
   */
  readonly sourceCommand?: string;
}

/** Which plan each engine's settings come from: its mode, and the inference engine it plans with. */
export interface LaunchTarget {
  /** `either` for bitsandbytes: QLoRA training, or loading quantized weights for inference. */
  readonly mode: 'inference' | 'training' | 'either';
  /** The `--engine` the inference plan must be made for (its memory profile). */
  readonly planEngine?: EngineId;
}

export const LAUNCH_TARGETS: Readonly<Record<LaunchEngine, LaunchTarget>> = {
  vllm: { mode: 'inference', planEngine: 'vllm' },
  sglang: { mode: 'inference', planEngine: 'sglang' },
  'llama.cpp': { mode: 'inference', planEngine: 'llama.cpp' },
  // Ollama runs llama.cpp's server underneath (ollama llm/llama_server.go starts llama-server).
  ollama: { mode: 'inference', planEngine: 'llama.cpp' },
  deepspeed: { mode: 'training' },
  fsdp: { mode: 'training' },
  // transformers loads bitsandbytes weights (BitsAndBytesConfig is its quantization_config).
  bnb: { mode: 'either', planEngine: 'transformers' },
  torchrun: { mode: 'training' },
};
