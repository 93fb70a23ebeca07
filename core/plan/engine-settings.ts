import type { EngineId } from '../formats/types';
import { MTP_DRAFT } from './draft-choice';
import type { InferenceScenario } from './types';

/**
 * A scenario's engine-specific settings kept only where the engine has them, for searches that
 * plan each format on its own engine (core/plan/fit-answer.ts): routed experts in RAM, the
 * mmproj file and the full SWA cache are llama.cpp's (--n-cpu-moe, --mmproj, --swa-full),
 * drafting with MTP layers is vLLM's, data-parallel attention and expert parallelism vLLM's and
 * SGLang's.
 */
export function settingsForEngine(
  scenario: InferenceScenario,
  engine: EngineId,
): InferenceScenario {
  const {
    moeOffloadLayers,
    mmprojFile,
    swaFull,
    draft,
    draftTokens,
    dataParallel,
    expertParallel,
    ...common
  } = scenario;
  const llamaCpp = engine === 'llama.cpp';
  const vllm = engine === 'vllm';
  const moeLayouts = vllm || engine === 'sglang';
  // SGLang's speculative decoding is not modelled (core refuses it): its plans draft nothing.
  const keepsDraft = draft !== undefined && engine !== 'sglang' && (draft !== MTP_DRAFT || vllm);
  return {
    ...common,
    engine,
    ...(llamaCpp && moeOffloadLayers !== undefined ? { moeOffloadLayers } : {}),
    ...(llamaCpp && mmprojFile !== undefined ? { mmprojFile } : {}),
    ...(llamaCpp && swaFull !== undefined ? { swaFull } : {}),
    ...(moeLayouts && dataParallel !== undefined ? { dataParallel } : {}),
    ...(moeLayouts && expertParallel !== undefined ? { expertParallel } : {}),
    ...(keepsDraft ? { draft } : {}),
    ...(keepsDraft && draftTokens !== undefined ? { draftTokens } : {}),
  };
}
