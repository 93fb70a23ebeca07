/**
 * Launch settings (issue 7): pure functions from a plan to the text of an engine's
 * configuration. Writing the file is the Node side's job.
 */
import { bnbSettings } from './bnb';
import { deepspeedSettings } from './deepspeed';
import { fsdpSettings } from './fsdp';
import { llamaCppSettings } from './llama-cpp';
import { ollamaSettings } from './ollama';
import { sglangSettings } from './sglang';
import { torchrunSettings } from './torchrun';
import type { LaunchEngine, LaunchInput, LaunchSettings } from './types';
import { vllmSettings } from './vllm';

export * from './types';

const WRITERS: Readonly<Record<LaunchEngine, (input: LaunchInput) => LaunchSettings>> = {
  vllm: vllmSettings,
  sglang: sglangSettings,
  'llama.cpp': llamaCppSettings,
  ollama: ollamaSettings,
  deepspeed: deepspeedSettings,
  fsdp: fsdpSettings,
  bnb: bnbSettings,
  torchrun: torchrunSettings,
};

/**
 * The engine's settings for a plan: only what the plan determines, the rest left to the
 * engine's defaults, with a comment naming the plan.
 *
 * @throws HeadroomError BAD_ARGUMENT when the plan is not one the engine can run as planned
 * @example launchSettings('vllm', { plan, devices, headroomVersion: '0.1.0' }).text
 */
export function launchSettings(engine: LaunchEngine, input: LaunchInput): LaunchSettings {
  return WRITERS[engine](input);
}
