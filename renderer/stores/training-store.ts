import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LoraTarget, OffloadTarget, TrainingScenario } from '../../core/plan/types';
import { trainingScenario } from '../../core/training';

/**
 * Tokens to train on when the card first shows a time: a round billion, a starting value for
 * the user to change (fine-tuning runs are in the millions to billions of tokens), not a fact
 * about any run. The CLI gives no time unless --train-tokens is set.
 */
export const DEFAULT_TRAIN_TOKENS = 1e9;

/**
 * How optimizer states, gradients and parameters are sharded across data-parallel GPUs: one
 * choice in the UI for the CLI's --zero and --fsdp (an FSDP mode is its ZeRO stage's twin,
 * core/training/scenario.ts FSDP_ZERO_STAGE).
 */
export type Sharding = 'zero-0' | 'zero-1' | 'zero-2' | 'zero-3' | 'fsdp-grad-op' | 'fsdp-full';

export const SHARDING_LABELS: Readonly<Record<Sharding, string>> = {
  'zero-0': 'None (DDP)',
  'zero-1': 'ZeRO-1 (optimizer states)',
  'zero-2': 'ZeRO-2 (+ gradients)',
  'zero-3': 'ZeRO-3 (+ parameters)',
  'fsdp-grad-op': 'FSDP SHARD_GRAD_OP',
  'fsdp-full': 'FSDP FULL_SHARD',
};

/** The scenario fields each sharding choice sets. */
const SHARDING_FIELDS: Readonly<Record<Sharding, Pick<TrainingScenario, 'zeroStage' | 'fsdp'>>> = {
  'zero-0': { zeroStage: 0, fsdp: undefined },
  'zero-1': { zeroStage: 1, fsdp: undefined },
  'zero-2': { zeroStage: 2, fsdp: undefined },
  'zero-3': { zeroStage: 3, fsdp: undefined },
  'fsdp-grad-op': { zeroStage: 2, fsdp: 'grad-op' },
  'fsdp-full': { zeroStage: 3, fsdp: 'full' },
};

/**
 * Which CPU offloads a ZeRO stage allows (core/training/scenario.ts validateTrainingScenario:
 * offload partitions the optimizer with ZeRO ≥ 1; offloading parameters is ZeRO-3's).
 */
export function offloadsAllowed(zeroStage: TrainingScenario['zeroStage']): OffloadTarget[] {
  if (zeroStage === 0) return ['none'];
  return zeroStage === 3 ? ['none', 'optimizer', 'optimizer+params'] : ['none', 'optimizer'];
}

/** The training controls of Compare: core's defaults, with a token count for the time estimate. */
export const useTrainingStore = defineStore('training', () => {
  const scenario = ref<TrainingScenario>(trainingScenario({ trainTokens: DEFAULT_TRAIN_TOKENS }));

  /** Changes some fields; an offload the new sharding does not allow goes back to none. */
  function update(patch: Partial<Omit<TrainingScenario, 'mode'>>): void {
    const { fsdp, ...rest } = { ...scenario.value, ...patch };
    // No fsdp key at all for DeepSpeed-style sharding: the request then equals the CLI's.
    const next: TrainingScenario = fsdp === undefined ? rest : { ...rest, fsdp };
    scenario.value = offloadsAllowed(next.zeroStage).includes(next.offload)
      ? next
      : { ...next, offload: 'none' };
  }

  const sharding = computed<Sharding>(() => {
    const { zeroStage, fsdp } = scenario.value;
    if (fsdp === 'full') return 'fsdp-full';
    if (fsdp === 'grad-op') return 'fsdp-grad-op';
    return `zero-${zeroStage}`;
  });

  function setSharding(next: Sharding): void {
    update(SHARDING_FIELDS[next]);
  }

  function toggleLoraTarget(target: LoraTarget, on: boolean): void {
    const targets = scenario.value.loraTargets.filter((entry) => entry !== target);
    update({ loraTargets: on ? [...targets, target] : targets });
  }

  /** Compare's Training section is open (it starts collapsed under its own header). */
  const expanded = ref(false);
  function setExpanded(open: boolean): void {
    expanded.value = open;
  }

  return { scenario, sharding, expanded, update, setSharding, toggleLoraTarget, setExpanded };
});
