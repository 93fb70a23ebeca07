/** Fit reports exported or saved from the workbench. Re-exported by core/bridge.ts. */
import type { AnyPlanRequest } from './bridge-requests';
import type { ReportComparison, ReportFormat } from './report/types';
import type { ByteUnit } from './units/bytes';

/** One plan of an exported report: the request (planned again on the Node side) and its name. */
export interface ReportPlanRequest {
  /** `weights=q4_k_m` when the plans differ in one option (as `headroom report --compare`). */
  readonly label: string;
  readonly request: AnyPlanRequest;
}

/** A fit report to export: the plans the UI shows, of one model, in one format. */
export interface ExportReportRequest {
  readonly plans: readonly ReportPlanRequest[];
  /** The option the plans differ in, when it is one; null for a mixed set. */
  readonly comparison: ReportComparison | null;
  readonly format: ReportFormat;
  readonly unit: ByteUnit;
  /**
   * Add the stored measured runs against their plans (plan vs measured), as
   * `headroom report --measured` does; corrected when Settings.applyCorrections is on. Not for
   * CSV, which holds one table.
   */
  readonly includeMeasured?: boolean;
}

/** An exported report, ready to download: text, or base64 for the (binary) PDF. */
export type ExportedReport = {
  /** A file name to offer, e.g. `headroom-report-llama-3.1-8b.md`. */
  readonly fileName: string;
  readonly format: ReportFormat;
  readonly mimeType: string;
} & (
  | { readonly encoding: 'text'; readonly text: string }
  | { readonly encoding: 'base64'; readonly base64: string }
);

/** A report the desktop app saved where the user chose (atomically). */
export interface SavedReport {
  readonly path: string;
  readonly bytes: number;
  readonly format: ReportFormat;
}
