import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ExportedReport, SavedReport } from '../../core/bridge';
import type { ReportFormat } from '../../core/report/types';
import { useBridge } from '../bridge/current';
import { base64Bytes, downloadFile } from '../downloads';
import { useAppStore } from './app-store';
import { useCatalogStore } from './catalog-store';
import { useCompareStore } from './compare-store';
import { useDevicesStore } from './devices-store';
import { errorMessage } from './error-message';
import { compareKeyId, exportRequest, type ReportCandidate } from './report-plans';
import { useSettingsStore } from './settings-store';

/** The formats offered, in menu order, with their names in words. */
export const EXPORT_FORMATS: readonly { readonly format: ReportFormat; readonly label: string }[] =
  [
    { format: 'md', label: 'Markdown' },
    { format: 'html', label: 'HTML' },
    { format: 'pdf', label: 'PDF' },
    { format: 'csv', label: 'CSV' },
    { format: 'json', label: 'JSON' },
  ];

/** What the last export did. */
type ExportOutcome =
  | { readonly kind: 'downloaded'; readonly report: ExportedReport }
  | { readonly kind: 'saved'; readonly saved: SavedReport }
  | { readonly kind: 'cancelled' };

/**
 * The Export panel (issue 8): the plans Compare shows, in a report format, saved through the
 * desktop's save dialog or downloaded in a browser. The Node side plans them again and builds
 * the report exactly as `headroom report` does.
 */
export const useExportStore = defineStore('export', () => {
  const compare = useCompareStore();
  const devices = useDevicesStore();
  const catalog = useCatalogStore();
  const settings = useSettingsStore();
  const app = useAppStore();
  const open = ref(false);
  const format = ref<ReportFormat>('md');
  /** Add the stored measured runs against their plans (not offered for CSV). */
  const includeMeasured = ref(false);
  /** Cards left out by the user (by compareKeyId); every planned card is in by default. */
  const excluded = ref<ReadonlySet<string>>(new Set());
  const pending = ref(false);
  const error = ref<string | null>(null);
  const outcome = shallowRef<ExportOutcome | null>(null);

  /** Every card that planned (a card with an error has no plan to report). */
  const candidates = computed<ReportCandidate[]>(() =>
    compare.cells
      .filter((cell) => cell.outcome.ok)
      .map((cell) => {
        const group = cell.key.groupKey === null ? undefined : devices.group(cell.key.groupKey);
        const where = group ? devices.groupLabel(group) : 'no device';
        const what =
          cell.key.kind === 'training'
            ? 'training'
            : (catalog.format(cell.key.formatId)?.label ?? cell.key.formatId);
        return {
          id: compareKeyId(cell.key),
          key: cell.key,
          request: cell.request,
          title: `${where} · ${what}`,
        };
      }),
  );

  const chosen = computed(() =>
    candidates.value.filter((candidate) => !excluded.value.has(candidate.id)),
  );

  /** The desktop saves through a native dialog; a browser downloads. */
  const savesWithDialog = computed(() => app.info?.face === 'desktop');

  function toggle(id: string, included: boolean): void {
    const next = new Set(excluded.value);
    if (included) next.delete(id);
    else next.add(id);
    excluded.value = next;
  }

  function show(): void {
    open.value = true;
    outcome.value = null;
    error.value = null;
  }

  /** Exports the chosen plans; the outcome says what happened (or `error` why not). */
  async function run(): Promise<ExportOutcome | null> {
    if (chosen.value.length === 0) {
      error.value = 'Choose at least one plan to export.';
      return null;
    }
    const request = {
      ...exportRequest(chosen.value, format.value, settings.unit),
      ...(includeMeasured.value && format.value !== 'csv' ? { includeMeasured: true } : {}),
    };
    pending.value = true;
    error.value = null;
    try {
      let result: ExportOutcome;
      if (savesWithDialog.value) {
        const saved = await useBridge().saveReport(request);
        result = saved ? { kind: 'saved', saved } : { kind: 'cancelled' };
      } else {
        const report = await useBridge().exportReport(request);
        downloadFile(
          report.fileName,
          report.mimeType,
          report.encoding === 'text' ? report.text : base64Bytes(report.base64),
        );
        result = { kind: 'downloaded', report };
      }
      outcome.value = result;
      return result;
    } catch (thrown) {
      error.value = errorMessage(thrown);
      return null;
    } finally {
      pending.value = false;
    }
  }

  return {
    open,
    format,
    includeMeasured,
    excluded,
    pending,
    error,
    outcome,
    candidates,
    chosen,
    savesWithDialog,
    toggle,
    show,
    close: () => void (open.value = false),
    run,
  };
});
