import { defineStore } from 'pinia';
import { MAX_BLOCK_SIZE, MIN_BLOCK_SIZE } from '../../core/quantlab/methods';
import { computed, ref, shallowRef } from 'vue';
import type { ScanResult, ScanStatus, WireScanRow } from '../../core/bridge';
import {
  methodFromOptions,
  scanQuantJson,
  scanTableCsv,
  sortScanRows,
  type ScanRow,
  type ScanSortKey,
} from '../../core/quantlab';
import type { JsonMetrics } from '../../core/quantlab/quant-json';
import type { QuantMetrics } from '../../core/quantlab/metrics';
import type { MethodOptions } from '../../core/quantlab/method-options';
import { useBridge } from '../bridge/current';
import { downloadFile } from '../downloads';
import { errorMessage } from './error-message';
import { useQuantLabStore } from './quantlab-store';

/** How often the page asks how a scan is doing (a fifth of a second: smooth progress, few calls). */
const SCAN_POLL_MS = 200;

/** Metrics as core computes them: a null SNR (JSON's form of "no error at all") is +∞ again. */
function reviveMetrics(metrics: JsonMetrics): QuantMetrics {
  return { ...metrics, snrDb: metrics.snrDb ?? Infinity };
}

/** A scan row as core's table functions take it. */
export function reviveRow(row: WireScanRow): ScanRow {
  return {
    ...row,
    results: row.results.map((result) => ({ ...result, metrics: reviveMetrics(result.metrics) })),
  };
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A whole-file scan (issue 9) run on the Node side in worker threads: started with the lab's
 * chosen methods, polled for progress, cancellable; its table sorted and exported by core.
 */
export const useScanStore = defineStore('scan', () => {
  const lab = useQuantLabStore();
  const path = ref('');
  /** Tensor names, comma-separated; empty scans every F32/F16/BF16 tensor. */
  const tensorsText = ref('');
  const scanId = ref<string | null>(null);
  const status = shallowRef<ScanStatus | null>(null);
  const error = ref<string | null>(null);
  const sortKey = shallowRef<ScanSortKey>({ column: 'name' });
  const sortDirection = ref<'asc' | 'desc'>('asc');
  /** The methods the finished scan used (the lab's choice may have changed since). */
  const scannedMethods = shallowRef<readonly MethodOptions[]>([]);

  const running = computed(() => status.value?.state === 'running');
  const result = computed<ScanResult | null>(() =>
    status.value?.state === 'done' ? status.value.result : null,
  );
  const rows = computed<ScanRow[]>(() => (result.value ? result.value.rows.map(reviveRow) : []));
  const sortedRows = computed(() => sortScanRows(rows.value, sortKey.value, sortDirection.value));
  const fraction = computed(() => {
    const current = status.value;
    if (current?.state !== 'running' || current.bytesTotal === 0) return 0;
    return current.bytesDone / current.bytesTotal;
  });

  async function chooseFile(): Promise<void> {
    try {
      const chosen = await useBridge().chooseScanPath();
      if (chosen !== null) path.value = chosen;
    } catch (thrown) {
      error.value = errorMessage(thrown);
    }
  }

  /** Starts a scan and polls it until it ends; resolves with its last status. */
  async function start(): Promise<ScanStatus | null> {
    const bridge = useBridge();
    if (scanId.value && running.value) await cancel();
    error.value = null;
    const methods = lab.methodOptions;
    // Scans stream through kernels sized for blocks of MIN_BLOCK_SIZE or more (core/quantlab/methods.ts).
    if (methods.some((method) => method.block !== undefined && method.block < MIN_BLOCK_SIZE)) {
      error.value = `File scans take blocks of ${MIN_BLOCK_SIZE} to ${MAX_BLOCK_SIZE}: choose a block size of ${MIN_BLOCK_SIZE} or more.`;
      return null;
    }
    const tensors = tensorsText.value
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    try {
      const started = await bridge.startScan({
        path: path.value.trim(),
        methods,
        ...(tensors.length > 0 ? { tensors } : {}),
      });
      scanId.value = started.scanId;
      scannedMethods.value = methods;
      status.value = {
        state: 'running',
        pass: 'opening',
        bytesDone: 0,
        bytesTotal: 0,
        elapsedMs: 0,
      };
      const id = started.scanId;
      for (;;) {
        const next = await bridge.scanStatus(id);
        if (scanId.value !== id) return next;
        status.value = next;
        if (next.state !== 'running') break;
        await wait(SCAN_POLL_MS);
      }
      if (status.value.state === 'failed') error.value = status.value.error.message;
      return status.value;
    } catch (thrown) {
      error.value = errorMessage(thrown);
      return null;
    }
  }

  async function cancel(): Promise<void> {
    const id = scanId.value;
    if (!id) return;
    try {
      status.value = await useBridge().cancelScan(id);
    } catch (thrown) {
      error.value = errorMessage(thrown);
    }
  }

  function sortBy(key: ScanSortKey): void {
    const same = JSON.stringify(key) === JSON.stringify(sortKey.value);
    sortDirection.value = same
      ? sortDirection.value === 'asc'
        ? 'desc'
        : 'asc'
      : key.column === 'name'
        ? 'asc'
        : 'desc';
    sortKey.value = key;
  }

  function tableCsv(): string | null {
    return result.value ? scanTableCsv(sortedRows.value) : null;
  }

  /** One `headroom.quant/v1` document per method (one document when one method was scanned). */
  function tableJson(): string | null {
    const done = result.value;
    if (!done) return null;
    const documents = scannedMethods.value.map((options, m) =>
      scanQuantJson(
        methodFromOptions(options),
        rows.value,
        { ...done.totals[m]!, metrics: reviveMetrics(done.totals[m]!.metrics) },
        { source: 'file', file: done.path },
      ),
    );
    return `${JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2)}\n`;
  }

  function download(kind: 'csv' | 'json'): void {
    const text = kind === 'csv' ? tableCsv() : tableJson();
    if (text === null) return;
    downloadFile(
      `headroom-scan.${kind}`,
      kind === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
      text,
    );
  }

  return {
    path,
    tensorsText,
    scanId,
    status,
    error,
    running,
    result,
    rows,
    sortedRows,
    sortKey,
    sortDirection,
    fraction,
    scannedMethods,
    chooseFile,
    start,
    cancel,
    sortBy,
    tableCsv,
    tableJson,
    download,
  };
});
