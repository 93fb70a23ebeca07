import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AnyPlanRequest } from '../../core/bridge';
import {
  LAUNCH_ENGINES,
  LAUNCH_TARGETS,
  type LaunchEngine,
  type LaunchSettings,
} from '../../core/launch/types';
import { getFormat } from '../../core/formats/catalog';
import { useBridge } from '../bridge/current';
import { errorMessage } from './error-message';

/** The card whose launch settings are shown. */
export interface LaunchTarget {
  readonly title: string;
  readonly kind: 'inference' | 'training';
  readonly request: AnyPlanRequest;
}

/** Engine names as their projects write them. */
export const LAUNCH_ENGINE_LABELS: Readonly<Record<LaunchEngine, string>> = {
  vllm: 'vLLM',
  sglang: 'SGLang',
  'llama.cpp': 'llama.cpp',
  ollama: 'Ollama',
  deepspeed: 'DeepSpeed',
  fsdp: 'FSDP (accelerate)',
  bnb: 'bitsandbytes',
  torchrun: 'torchrun',
};

/** The engines that run a kind of plan (LAUNCH_TARGETS: bitsandbytes runs either). */
export function enginesFor(kind: 'inference' | 'training'): LaunchEngine[] {
  return LAUNCH_ENGINES.filter((engine) => {
    const mode = LAUNCH_TARGETS[engine].mode;
    return mode === kind || mode === 'either';
  });
}

/**
 * Whether a launch engine writes settings for these weights: bitsandbytes only for its own
 * formats (core/launch/bnb.ts refuses any other); the others for whatever their plan engine
 * loads, which the card's plan already checked.
 */
function writesFor(launch: LaunchEngine, weightsFormat: string | undefined): boolean {
  if (launch !== 'bnb') return true;
  return weightsFormat !== undefined && getFormat(weightsFormat)?.family === 'bitsandbytes';
}

/**
 * The launch engine whose settings come from the very plan of an inference card: the first
 * whose plan engine is the card's (vLLM → vllm, llama.cpp → llama.cpp, transformers with
 * bitsandbytes weights → bnb); null when Headroom writes no settings for the card's engine
 * (transformers with fp16/bf16 weights, generic), where any engine's settings would come from
 * another plan with another verdict.
 */
export function launchEngineFor(request: AnyPlanRequest): LaunchEngine | null {
  if (request.mode === 'training') return null;
  return (
    LAUNCH_ENGINES.find(
      (launch) =>
        LAUNCH_TARGETS[launch].planEngine === request.engine &&
        writesFor(launch, request.weightsFormat),
    ) ?? null
  );
}

/** Launch settings of one plan card (`headroom launch` for the same plan), per engine. */
export const useLaunchStore = defineStore('launch', () => {
  const target = shallowRef<LaunchTarget | null>(null);
  /** null until the user chooses, for a card whose own engine has no launch settings. */
  const engine = ref<LaunchEngine | null>(null);
  const settings = shallowRef<LaunchSettings | null>(null);
  const pending = ref(false);
  const error = ref<string | null>(null);
  const engines = computed(() => (target.value ? enginesFor(target.value.kind) : []));
  /** The inference engine the card was planned with (null for a training card). */
  const cardEngine = computed(() => {
    const request = target.value?.request;
    return request && request.mode !== 'training' ? request.engine : null;
  });
  /** Whether the chosen engine's settings come from the card's own plan (one verdict). */
  const samePlan = computed(
    () =>
      cardEngine.value === null ||
      (engine.value !== null && engine.value === launchEngineFor(target.value!.request)),
  );
  let latestCall = 0;

  async function load(): Promise<void> {
    const current = target.value;
    const chosen = engine.value;
    if (!current || !chosen) return;
    const call = ++latestCall;
    pending.value = true;
    try {
      const answer = await useBridge().launchSettings(current.request, chosen);
      if (call !== latestCall) return;
      settings.value = answer;
      error.value = null;
    } catch (thrown) {
      if (call !== latestCall) return;
      settings.value = null;
      error.value = errorMessage(thrown);
    } finally {
      if (call === latestCall) pending.value = false;
    }
  }

  /**
   * Shows the settings of a card. An inference card opens on the engine it was planned with
   * (so card, launch settings and report share one plan and one verdict), or on no engine
   * when Headroom writes none for it: the user then picks one knowing it plans again. A
   * training card opens on the engine last chosen, else the first that runs training.
   */
  function show(next: LaunchTarget): Promise<void> {
    target.value = next;
    settings.value = null;
    error.value = null;
    const usable = enginesFor(next.kind);
    if (next.kind === 'inference') engine.value = launchEngineFor(next.request);
    else if (!engine.value || !usable.includes(engine.value)) engine.value = usable[0]!;
    return load();
  }

  function choose(next: LaunchEngine): Promise<void> {
    engine.value = next;
    return load();
  }

  function close(): void {
    latestCall++;
    target.value = null;
    settings.value = null;
    error.value = null;
    pending.value = false;
  }

  return {
    target,
    engine,
    engines,
    cardEngine,
    samePlan,
    settings,
    pending,
    error,
    show,
    choose,
    close,
  };
});
