import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { PlanRequest } from '../../core/bridge';
import type { Plan } from '../../core/plan/types';
import { contextsUpTo } from './context-presets';
import { useDevicesStore, type DeviceGroup } from './devices-store';
import { useModelStore } from './model-store';
import { createPlanBatch } from './plan-batch';
import { planRequestFor } from './plan-requests';
import { useScenarioStore } from './scenario-store';
import { useSettingsStore } from './settings-store';

/** A sweep point (a format at one context) or a format's max-context search. */
type SweepKey =
  | { readonly kind: 'point'; readonly formatId: string; readonly contextTokens: number }
  | { readonly kind: 'max-context'; readonly formatId: string };

/** One format's curve: its plans in context order, and the longest context that runs. */
interface FormatCurve {
  readonly formatId: string;
  readonly points: readonly { readonly contextTokens: number; readonly plan: Plan }[];
  /** From the plan's solve ['max-context']: null when even the shortest context does not run. */
  readonly maxContext: number | null | undefined;
  /** The first error among this format's plans, if any. */
  readonly error: string | null;
}

/**
 * The explorer: memory against context length for each compared format, on one device group,
 * with the longest context that fits from the planner's own search.
 */
export const useExplorerStore = defineStore('explorer', () => {
  const model = useModelStore();
  const devices = useDevicesStore();
  const scenario = useScenarioStore();
  const settings = useSettingsStore();
  const batch = createPlanBatch<SweepKey>();
  const chosenGroupKey = ref<string | null>(null);

  const group = computed<DeviceGroup | null>(
    () =>
      (chosenGroupKey.value ? devices.group(chosenGroupKey.value) : undefined) ??
      devices.groups[0] ??
      null,
  );

  const contexts = computed<number[]>(() =>
    contextsUpTo(model.spec?.architecture?.maxContextTokens ?? null),
  );

  const entries = computed<{ key: SweepKey; request: PlanRequest }[]>(() => {
    const chosen = group.value;
    const base = { model: model.choice, group: chosen, weightsFormat: '', unit: settings.unit };
    return scenario.weightsFormats.flatMap((formatId) => [
      ...contexts.value.map((contextTokens) => ({
        key: { kind: 'point', formatId, contextTokens } as const,
        request: planRequestFor({
          ...base,
          weightsFormat: formatId,
          scenario: { ...scenarioSettings(), contextTokens },
        }),
      })),
      ...(chosen
        ? [
            {
              key: { kind: 'max-context', formatId } as const,
              request: planRequestFor({
                ...base,
                weightsFormat: formatId,
                scenario: scenarioSettings(),
                solve: ['max-context'],
              }),
            },
          ]
        : []),
    ]);
  });

  function scenarioSettings() {
    return {
      kvFormat: scenario.kvFormat,
      contextTokens: scenario.contextTokens,
      batch: scenario.batch,
      engine: scenario.engine,
      marginFraction: scenario.marginFraction,
      moeOffload: scenario.moeOffload,
      images: scenario.images,
      draft: scenario.draft,
      swaFull: scenario.swaFull,
    };
  }

  const curves = computed<FormatCurve[]>(() =>
    scenario.weightsFormats.map((formatId) => {
      const mine = batch.cells.value.filter((cell) => cell.key.formatId === formatId);
      const failed = mine.find((cell) => !cell.outcome.ok);
      const points = mine.flatMap((cell) =>
        cell.key.kind === 'point' && cell.outcome.ok
          ? [{ contextTokens: cell.key.contextTokens, plan: cell.outcome.value }]
          : [],
      );
      const search = mine.find((cell) => cell.key.kind === 'max-context');
      return {
        formatId,
        points,
        maxContext: search?.outcome.ok ? search.outcome.value.solution?.maxContext : undefined,
        error: failed && !failed.outcome.ok ? failed.outcome.error.message : null,
      };
    }),
  );

  function chooseGroup(key: string): void {
    chosenGroupKey.value = key;
  }

  function refresh(): Promise<void> {
    return batch.run(entries.value);
  }

  return {
    group,
    contexts,
    entries,
    curves,
    cells: batch.cells,
    pending: batch.pending,
    error: batch.error,
    revision: batch.revision,
    chooseGroup,
    refresh,
  };
});
