/** Measured runs imported and compared (issue 18) as they cross the bridge. Re-exported by core/bridge.ts. */
import type { CategoryComparison } from './measure/compare';
import type { MemoryCorrection } from './measure/corrections';
import type { MeasureEngine, MeasureFormat } from './measure/types';

/** A measured-run file as the page read it (dropped or chosen): its name and its text. */
export interface MeasuredFileUpload {
  readonly name: string;
  readonly text: string;
}

/** Files to import as measured runs (`headroom measure import`): all or nothing. */
export interface MeasuredImportRequest {
  readonly files: readonly MeasuredFileUpload[];
  /** The catalog device the runs ran on (default: the GPU the log names). */
  readonly deviceId?: string;
  /** The model to plan with (catalog id) when the log names none. */
  readonly modelRef?: string;
}

export interface MeasuredImportResult {
  /** Runs read from the files. */
  readonly imported: number;
  /** Runs stored in all after the import. */
  readonly stored: number;
}

/** One stored run re-planned with its own settings, as `headroom measure compare --json` says it. */
export interface MeasuredRunComparison {
  readonly id: string;
  /** A short name: the measure_gpu.py run id, else `file:line`. */
  readonly name: string;
  readonly format: MeasureFormat;
  readonly engine: MeasureEngine;
  readonly model: string | null;
  readonly deviceId: string | null;
  readonly importedAt: string;
  /** Why the run could not be planned (no device, no model…); null when it was. */
  readonly skipped: string | null;
  /** The plan's accuracy line ("corrected by N runs on this machine …" when corrected). */
  readonly accuracy: string | null;
  readonly categories: readonly CategoryComparison[];
}

/** The stored runs against their plans, and the corrections this machine has. */
export interface MeasuredComparison {
  /** Whether the plans were corrected (Settings.applyCorrections). */
  readonly corrected: boolean;
  readonly corrections: readonly MemoryCorrection[];
  readonly runs: readonly MeasuredRunComparison[];
}
