import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { MeasuredComparison, MeasuredFileUpload } from '../../core/bridge';
import { useBridge } from '../bridge/current';
import { errorMessage } from './error-message';
import { useSettingsStore } from './settings-store';

/** What the import form says about the runs (`measure import --device/--model`). */
interface ImportTarget {
  readonly deviceId: string;
  readonly modelRef: string;
}

/**
 * The Measurements view (issue 18): the user's own runs, each re-planned with its settings and
 * compared category by category, and this machine's corrections, on or off.
 */
export const useMeasurementsStore = defineStore('measurements', () => {
  const comparison = shallowRef<MeasuredComparison | null>(null);
  const pending = ref(false);
  const error = ref<string | null>(null);
  /** What the last import did, in words. */
  const notice = ref<string | null>(null);
  /** Bumped after each answer, so tests and the view can tell a fresh table. */
  const revision = ref(0);
  const settings = useSettingsStore();

  async function run(work: () => Promise<void>): Promise<void> {
    pending.value = true;
    try {
      await work();
      error.value = null;
    } catch (thrown) {
      error.value = errorMessage(thrown);
    } finally {
      pending.value = false;
    }
  }

  /** The stored runs against their plans (corrected when the setting is on). */
  function refresh(): Promise<void> {
    return run(async () => {
      comparison.value = await useBridge().compareMeasuredRuns();
      revision.value++;
    });
  }

  /** Imports files read in the page (all or nothing), then compares again. */
  async function importFiles(
    files: readonly MeasuredFileUpload[],
    target: ImportTarget,
  ): Promise<void> {
    await run(async () => {
      const result = await useBridge().importMeasuredRuns({
        files,
        ...(target.deviceId ? { deviceId: target.deviceId } : {}),
        ...(target.modelRef ? { modelRef: target.modelRef } : {}),
      });
      notice.value = `${result.imported} run(s) imported from ${files.map((file) => file.name).join(', ')}; ${result.stored} stored.`;
      comparison.value = await useBridge().compareMeasuredRuns();
      revision.value++;
    });
  }

  /** Derives the corrections from the stored runs, then compares again. */
  function derive(): Promise<void> {
    return run(async () => {
      const corrections = await useBridge().deriveCorrections();
      notice.value = `${corrections.length} correction(s) derived from the stored runs.`;
      comparison.value = await useBridge().compareMeasuredRuns();
      revision.value++;
    });
  }

  /** Turns corrections on or off for every plan, then compares again. */
  async function setCorrected(on: boolean): Promise<void> {
    await settings.setApplyCorrections(on);
    await refresh();
  }

  return {
    comparison,
    pending,
    error,
    notice,
    revision,
    refresh,
    importFiles,
    derive,
    setCorrected,
  };
});
