import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AnyPlanRequest } from '../../core/bridge';
import {
  LAUNCH_ENGINES,
  LAUNCH_TARGETS,
  type LaunchEngine,
  type LaunchSettings,
} from '../../core/launch/types';
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

/** The launch engine whose settings come from the same plan as an inference card (vLLM, llama.cpp). */
export function launchEngineFor(request: AnyPlanRequest): LaunchEngine | null {
  if (request.mode === 'training') return null;
  return (
    LAUNCH_ENGINES.find(
      (launch) => launch === request.engine && LAUNCH_TARGETS[launch].planEngine === request.engine,
    ) ?? null
  );
}

/** Launch settings of one plan card (`headroom launch` for the same plan), per engine. */
export const useLaunchStore = defineStore('launch', () => {
  const target = shallowRef<LaunchTarget | null>(null);
  const engine = ref<LaunchEngine>('vllm');
  const settings = shallowRef<LaunchSettings | null>(null);
  const pending = ref(false);
  const error = ref<string | null>(null);
  const engines = computed(() => (target.value ? enginesFor(target.value.kind) : []));
  let latestCall = 0;

  async function load(): Promise<void> {
    const current = target.value;
    if (!current) return;
    const call = ++latestCall;
    pending.value = true;
    try {
      const answer = await useBridge().launchSettings(current.request, engine.value);
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
   * Shows the settings of a card: for the engine the card was planned with where Headroom
   * writes its settings (so card and launch settings agree on one plan), else the engine last
   * chosen, else the first engine that runs its kind of plan.
   */
  function show(next: LaunchTarget): Promise<void> {
    target.value = next;
    const usable = enginesFor(next.kind);
    const planned = launchEngineFor(next.request);
    if (planned && usable.includes(planned)) engine.value = planned;
    else if (!usable.includes(engine.value)) engine.value = usable[0]!;
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

  return { target, engine, engines, settings, pending, error, show, choose, close };
});
