/**
 * File scans of the quantization lab for the workbench UI (issue 9): a scan starts in worker
 * threads and answers an id at once; the page polls its status (progress, then the result) and
 * may cancel it. Finished scans are kept for a while so a late poll still gets its answer.
 */
import { randomUUID } from 'node:crypto';
import type { ScanRequest, ScanResult, ScanStatus, WireScanRow } from '../../core/bridge';
import { HeadroomError, serializeError } from '../../core/errors';
import { methodFromOptions } from '../../core/quantlab/method-options';
import { jsonMetrics } from '../../core/quantlab/quant-json';
import type { ScanRow } from '../../core/quantlab/scan';
import { scanSafetensors, type ScanReport } from './quantlab/stream-scan';

/** Finished scans kept for polling; the oldest go first past this many. */
const MAX_KEPT_SCANS = 8;
/** Scans running at once: each uses every core the memory budget allows, so one at a time. */
const MAX_RUNNING_SCANS = 1;

interface ScanRegistryOptions {
  /** Refuses a path before it is opened (the desktop accepts only paths its dialog gave). */
  readonly checkPath?: (path: string) => void;
  /** Worker threads per scan (default: the scan's own choice). */
  readonly workers?: number;
}

interface ScanRegistry {
  start(request: ScanRequest): { readonly scanId: string };
  status(scanId: string): ScanStatus;
  cancel(scanId: string): ScanStatus;
}

/** A row with its metrics as the bridge carries them (an infinite SNR is null). */
function wireRow(row: ScanRow): WireScanRow {
  return {
    ...row,
    results: row.results.map((result) => ({ ...result, metrics: jsonMetrics(result.metrics) })),
  };
}

/** The scan report as the bridge carries it. */
function wireScanResult(report: ScanReport): ScanResult {
  return {
    path: report.path,
    files: report.files,
    outlierThreshold: report.outlierThreshold,
    rows: report.rows.map(wireRow),
    skipped: report.skipped,
    totals: report.totals.map((total) => ({ ...total, metrics: jsonMetrics(total.metrics) })),
    workers: report.workers,
    bytesRead: report.bytesRead,
  };
}

interface ScanEntry {
  status: ScanStatus;
  readonly abort: AbortController;
}

/** Keeps the scans of one bridge service. */
export function createScanRegistry(options: ScanRegistryOptions = {}): ScanRegistry {
  const scans = new Map<string, ScanEntry>();

  const running = (): number =>
    [...scans.values()].filter((entry) => entry.status.state === 'running').length;

  const forgetOld = (): void => {
    for (const [id, entry] of scans) {
      if (scans.size <= MAX_KEPT_SCANS) return;
      if (entry.status.state !== 'running') scans.delete(id);
    }
  };

  const entryOf = (scanId: string): ScanEntry => {
    const entry = scans.get(scanId);
    if (!entry) {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        `No scan "${scanId}": it finished long ago or was never started.`,
      );
    }
    return entry;
  };

  return {
    start(request) {
      options.checkPath?.(request.path);
      // Validated before any thread starts, with the flag named in the message.
      const methods = request.methods.map(methodFromOptions);
      if (methods.length === 0)
        throw new HeadroomError('BAD_ARGUMENT', 'Choose at least one method.');
      if (running() >= MAX_RUNNING_SCANS) {
        throw new HeadroomError(
          'BAD_ARGUMENT',
          'A scan is already running: cancel it or wait for it to finish.',
        );
      }
      const scanId = randomUUID();
      const entry: ScanEntry = {
        status: { state: 'running', pass: 'opening', bytesDone: 0, bytesTotal: 0, elapsedMs: 0 },
        abort: new AbortController(),
      };
      scans.set(scanId, entry);
      forgetOld();
      void scanSafetensors(request.path, {
        methods,
        ...(request.tensors ? { tensors: request.tensors } : {}),
        ...(request.outlierThreshold !== undefined
          ? { outlierThreshold: request.outlierThreshold }
          : {}),
        ...(options.workers ? { workers: options.workers } : {}),
        signal: entry.abort.signal,
        onProgress: ({ pass, bytesDone, bytesTotal, elapsedMs }) => {
          if (entry.status.state === 'running')
            entry.status = { state: 'running', pass, bytesDone, bytesTotal, elapsedMs };
        },
      }).then(
        (report) => {
          if (entry.status.state === 'running')
            entry.status = { state: 'done', result: wireScanResult(report) };
        },
        (thrown: unknown) => {
          if (entry.status.state === 'running')
            entry.status = entry.abort.signal.aborted
              ? { state: 'cancelled' }
              : { state: 'failed', error: serializeError(thrown) };
        },
      );
      return { scanId };
    },
    status: (scanId) => entryOf(scanId).status,
    cancel(scanId) {
      const entry = entryOf(scanId);
      if (entry.status.state === 'running') {
        entry.abort.abort();
        entry.status = { state: 'cancelled' };
      }
      return entry.status;
    },
  };
}
