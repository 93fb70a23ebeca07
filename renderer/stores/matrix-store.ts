import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { FormatSummary, PlanRequest } from '../../core/bridge';
import type { Envelope } from '../../core/errors';
import { groupFormats, type FormatGroup } from '../../core/formats/format-list';
import { AUTO_ENGINE } from '../../core/plan/default-engine';
import type { Plan } from '../../core/plan/types';
import { useCatalogStore } from './catalog-store';
import { useDevicesStore } from './devices-store';
import { useModelStore } from './model-store';
import { createPlanBatch } from './plan-batch';
import { planRequestFor } from './plan-requests';
import { useScenarioStore } from './scenario-store';
import { useSettingsStore } from './settings-store';

/** A cell of the matrix: a weights format on a device group (the Compare card it opens). */
interface MatrixKey {
  readonly groupKey: string;
  readonly formatId: string;
}

/**
 * The options matrix: every weights format the engine can load × every device group, at the
 * scenario's context, batch, KV format and margin. A cell's key is the Compare card it opens.
 */
export const useMatrixStore = defineStore('matrix', () => {
  const catalog = useCatalogStore();
  const model = useModelStore();
  const devices = useDevicesStore();
  const scenario = useScenarioStore();
  const settings = useSettingsStore();
  const batch = createPlanBatch<MatrixKey>();

  /** The whole catalog instead of the common formats (core/formats/format-list.ts). */
  const allFormats = ref(false);

  /**
   * Rows: the formats the chosen engine loads (all of them for the generic profile, and when
   * the engine follows the format), grouped by bit width, biggest first, aliases folded.
   */
  const groups = computed<FormatGroup<FormatSummary>[]>(() => {
    const engine = scenario.engine;
    return groupFormats(
      catalog.formats.filter(
        (format) =>
          engine === 'generic' || engine === AUTO_ENGINE || format.engines.includes(engine),
      ),
      allFormats.value,
    );
  });

  /** The rows' formats in table order. */
  const formats = computed<readonly FormatSummary[]>(() =>
    groups.value.flatMap((group) => group.formats),
  );

  const entries = computed<{ key: MatrixKey; request: PlanRequest }[]>(() =>
    formats.value.flatMap((format) =>
      devices.groups.map((group) => ({
        key: { groupKey: group.key, formatId: format.id },
        request: planRequestFor({
          model: model.choice,
          group,
          scenario,
          weightsFormat: format.id,
          unit: settings.unit,
        }),
      })),
    ),
  );

  /** Outcomes by `formatId groupKey`, for the table's cells. */
  const outcomes = computed<ReadonlyMap<string, Envelope<Plan>>>(
    () =>
      new Map(
        batch.cells.value.map((cell) => [
          `${cell.key.formatId} ${cell.key.groupKey}`,
          cell.outcome,
        ]),
      ),
  );

  function outcome(formatId: string, groupKey: string): Envelope<Plan> | undefined {
    return outcomes.value.get(`${formatId} ${groupKey}`);
  }

  function refresh(): Promise<void> {
    return batch.run(entries.value);
  }

  return {
    allFormats,
    groups,
    formats,
    entries,
    cells: batch.cells,
    pending: batch.pending,
    error: batch.error,
    revision: batch.revision,
    outcome,
    refresh,
  };
});
