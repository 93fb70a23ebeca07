import { HeadroomError } from '../errors';
import { ENGINE_PROFILES } from '../memory/engine-profiles';
import { requirePositiveInteger } from '../number-input';
import type { InferenceScenario } from './types';

/**
 * The checks an inference scenario passes before it is planned: whole positive counts, a margin
 * in [0, 1), a known engine, and each engine-specific setting only on the engine that has it.
 * @throws HeadroomError BAD_ARGUMENT naming the setting and what it takes
 */
export function validateInferenceScenario(scenario: InferenceScenario): void {
  requirePositiveInteger(scenario.contextTokens, 'Context length');
  requirePositiveInteger(scenario.batch, 'Batch size');
  if (!(scenario.marginFraction >= 0 && scenario.marginFraction < 1)) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `The safety margin is a fraction from 0 to 1 (got ${scenario.marginFraction}).`,
    );
  }
  if (!ENGINE_PROFILES[scenario.engine]) {
    throw new HeadroomError('BAD_ARGUMENT', `Unknown engine "${scenario.engine}".`);
  }
  if (
    scenario.images !== undefined &&
    !(Number.isInteger(scenario.images) && scenario.images >= 0)
  ) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `The number of images must be a whole number of at least 0 (got ${scenario.images}).`,
    );
  }
  if (scenario.draftTokens !== undefined) {
    requirePositiveInteger(scenario.draftTokens, 'The number of draft tokens');
  }
  if (scenario.mmprojFile !== undefined && scenario.engine !== 'llama.cpp') {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'An mmproj file is how llama.cpp loads a vision tower; vLLM, SGLang and transformers load it from the checkpoint: the engine must be llama.cpp.',
    );
  }
  const experts = scenario.moeOffloadLayers;
  if (experts !== undefined && experts !== 0) {
    requirePositiveInteger(experts, 'The number of layers whose experts stay in system RAM');
    if (scenario.engine !== 'llama.cpp') {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        'Keeping routed experts in system RAM is a llama.cpp setting (--n-cpu-moe, -ot exps=CPU): the engine must be llama.cpp.',
      );
    }
  }
  if (scenario.draft !== undefined && scenario.engine === 'sglang') {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      "SGLang's speculative decoding (its draft worker's KV pool and reserve) is not modelled yet: plan the draft with the engine vllm or llama.cpp.",
    );
  }
  if (scenario.swaFull && scenario.engine !== 'llama.cpp') {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'A full-size sliding-window cache is a llama.cpp setting (--swa-full): the engine must be llama.cpp.',
    );
  }
}
