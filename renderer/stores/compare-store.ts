import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AnyPlanRequest } from '../../core/bridge';
import type { Plan } from '../../core/plan/types';
import { useDevicesStore, type DeviceGroup } from './devices-store';
import { useModelStore } from './model-store';
import { createPlanBatch, type PlannedCell } from './plan-batch';
import { planRequestFor, trainingRequestFor } from './plan-requests';
import { useScenarioStore } from './scenario-store';
import { useSettingsStore } from './settings-store';
import { useTrainingStore } from './training-store';

/**
 * One card of Compare: a device group (null: no device chosen) planned for inference in one
 * weights format, or for training with the training controls.
 */
export type CompareKey =
  | { readonly kind: 'inference'; readonly groupKey: string | null; readonly formatId: string }
  | { readonly kind: 'training'; readonly groupKey: string | null };

export const sameCompareKey = (a: CompareKey, b: CompareKey): boolean =>
  a.kind === b.kind &&
  a.groupKey === b.groupKey &&
  (a.kind === 'training' || (b.kind === 'inference' && a.formatId === b.formatId));

/**
 * The main view's plans: every device group × every compared weights format, and a training
 * plan per group when training is shown, at the controls' settings, in one bridge round trip.
 * Also the plan the Assumptions view explains (the focused card).
 */
export const useCompareStore = defineStore('compare', () => {
  const model = useModelStore();
  const devices = useDevicesStore();
  const scenario = useScenarioStore();
  const settings = useSettingsStore();
  const training = useTrainingStore();
  const batch = createPlanBatch<CompareKey>();
  const focus = ref<CompareKey | null>(null);

  function groupEntries(group: DeviceGroup | null): { key: CompareKey; request: AnyPlanRequest }[] {
    const groupKey = group?.key ?? null;
    const inference = scenario.weightsFormats.map((formatId) => ({
      key: { kind: 'inference', groupKey, formatId } as const,
      request: planRequestFor({
        model: model.choice,
        group,
        scenario,
        weightsFormat: formatId,
        unit: settings.unit,
      }),
    }));
    if (!settings.showTraining) return inference;
    const trainingEntry = {
      key: { kind: 'training', groupKey } as const,
      request: trainingRequestFor({
        model: model.choice,
        group,
        training: training.scenario,
        contextTokens: scenario.contextTokens,
        marginFraction: scenario.marginFraction,
        unit: settings.unit,
      }),
    };
    return [...inference, trainingEntry];
  }

  /** The requests the current controls ask for, one per card, group by group. */
  const entries = computed<{ key: CompareKey; request: AnyPlanRequest }[]>(() => {
    const groups = devices.groups.length > 0 ? devices.groups : [null];
    return groups.flatMap(groupEntries);
  });

  /** Plans again for the current controls (views call it whenever `entries` changes). */
  function refresh(): Promise<void> {
    return batch.run(entries.value);
  }

  /** The focused card, or the first one: the plan Assumptions explains. */
  const focusedCell = computed<PlannedCell<CompareKey> | null>(() => {
    const cells = batch.cells.value;
    const wanted = focus.value;
    return (
      (wanted ? cells.find((cell) => sameCompareKey(cell.key, wanted)) : undefined) ??
      cells[0] ??
      null
    );
  });

  const focusedPlan = computed<Plan | null>(() => {
    const outcome = focusedCell.value?.outcome;
    return outcome?.ok ? outcome.value : null;
  });

  /**
   * Whether the focused card should take keyboard focus when it appears: set when a matrix cell
   * opens it (Enter there must not drop focus on the page), taken once by the card.
   */
  const focusPending = ref(false);

  function setFocus(key: CompareKey | null, moveKeyboardFocus = false): void {
    focus.value = key;
    focusPending.value = moveKeyboardFocus && key !== null;
  }

  /** The card calls this as it takes keyboard focus; true when it should. */
  function takeKeyboardFocus(): boolean {
    const pending = focusPending.value;
    focusPending.value = false;
    return pending;
  }

  return {
    entries,
    cells: batch.cells,
    pending: batch.pending,
    error: batch.error,
    revision: batch.revision,
    focus,
    focusedCell,
    focusedPlan,
    refresh,
    setFocus,
    takeKeyboardFocus,
  };
});
