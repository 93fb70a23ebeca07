/**
 * Reports and launch settings for the workbench UI (issues 7 and 8): the bridge's requests
 * planned again on the Node side, assembled into a fit report exactly as `headroom report`
 * does (electron/services/reports.ts), rendered for a download or saved atomically.
 */
import type {
  AnyPlanRequest,
  ExportedReport,
  ExportReportRequest,
  SavedReport,
} from '../../core/bridge';
import type { DeviceSpec } from '../../core/devices/types';
import { HeadroomError } from '../../core/errors';
import { LAUNCH_TARGETS, launchSettings, type LaunchEngine } from '../../core/launch';
import type { ModelSpec } from '../../core/models/types';
import type { DeviceResolver } from '../../core/plan/lookups';
import type { Plan } from '../../core/plan/types';
import {
  renderReport,
  type FitReport,
  type ReportFormat,
  type ReportMeasured,
} from '../../core/report';
import { APP_VERSION } from './app-version';
import { writeFileAtomic } from './atomic-write';
import type { DetectResult } from './detect';
import { printHtmlToPdf } from './report-pdf';
import { assembleFitReport, saveReport } from './reports';

/** Media types of the report formats (IANA: application/json, text/csv RFC 7111, text/markdown RFC 7763, text/html, application/pdf). */
const REPORT_MIME_TYPES: Readonly<Record<ReportFormat, string>> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/** What the bridge service lends this module: planning, model and device lookups, detection. */
export interface ReportContext {
  /** Plans a request as the bridge's plan calls do (opened models by id, `local:N` devices). */
  plan(request: AnyPlanRequest, resolve: DeviceResolver | undefined): Plan;
  /** The model spec a request names (catalog, opened file, or a bare count). */
  modelOf(request: AnyPlanRequest): ModelSpec;
  /** The device specs a request names, custom ones included. */
  devicesOf(request: AnyPlanRequest, resolve: DeviceResolver | undefined): readonly DeviceSpec[];
  /** This machine's detection (cached), and the resolver for `local:N` ids. */
  detection(): Promise<{ readonly result: DetectResult; readonly resolve: DeviceResolver }>;
  /** The stored measured runs against their plans, as the Measurements view compares them. */
  measured?(): Promise<ReportMeasured>;
  /** Prints the report's HTML to PDF (Electron's printToPDF on the desktop, headless Chromium otherwise). */
  printPdf?(html: string, footer: string): Promise<Uint8Array>;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * A file name for the report: `headroom-report-<model>.<ext>`, the model's id made safe for
 * every file system (letters, digits, dot, dash and underscore only).
 */
function reportFileName(modelId: string, format: ReportFormat): string {
  const slug =
    modelId
      .split('/')
      .pop()!
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 80) || 'model';
  return `headroom-report-${slug}.${format}`;
}

/** The fit report of the requested plans, with this machine's detection as its hardware snapshot. */
async function buildExportReport(
  request: ExportReportRequest,
  context: ReportContext,
): Promise<FitReport> {
  const first = request.plans[0];
  if (!first) throw new HeadroomError('BAD_ARGUMENT', 'A report needs at least one plan.');
  const measured = request.includeMeasured ? await measuredRuns(request, context) : undefined;
  const { result, resolve } = await context.detection();
  const report = await assembleFitReport({
    model: context.modelOf(first.request),
    plans: request.plans.map(({ label, request: plan }) => ({
      label,
      plan: context.plan(plan, resolve),
    })),
    comparison: request.comparison,
    detection: result,
    unit: request.unit,
    ...(context.env ? { env: context.env } : {}),
  });
  return measured ? { ...report, measured } : report;
}

/** The plan-vs-measured section's runs; refused where it cannot go or has nothing to say. */
async function measuredRuns(
  request: ExportReportRequest,
  context: ReportContext,
): Promise<ReportMeasured> {
  if (request.format === 'csv') {
    // A CSV file is one table (RFC 4180): the plans.
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'A CSV report holds one table, the plans: choose Markdown, HTML, PDF or JSON to add plan vs measured.',
    );
  }
  const measured = context.measured ? await context.measured() : { corrected: false, runs: [] };
  if (measured.runs.length === 0) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'No measured runs are stored yet: import an engine log first (File → Import Measured Run, or the Measurements view).',
    );
  }
  return measured;
}

/** Renders the report for a download: text for every format but the PDF (base64). */
export async function exportReport(
  request: ExportReportRequest,
  context: ReportContext,
): Promise<ExportedReport> {
  const report = await buildExportReport(request, context);
  const common = {
    fileName: reportFileName(report.model.id, request.format),
    format: request.format,
    mimeType: REPORT_MIME_TYPES[request.format],
  };
  if (request.format !== 'pdf') {
    return { ...common, encoding: 'text', text: renderReport(report, request.format) };
  }
  const pdf = await printPdf(report, context);
  return { ...common, encoding: 'base64', base64: Buffer.from(pdf).toString('base64') };
}

function printPdf(report: FitReport, context: ReportContext): Promise<Uint8Array> {
  const html = renderReport(report, 'html');
  if (context.printPdf) return context.printPdf(html, report.title);
  // The headless-Chromium path of `headroom report --format pdf`.
  return printHtmlToPdf(html, {
    footer: report.title,
    ...(context.env ? { env: context.env } : {}),
  });
}

/**
 * Saves the report where the user chose (a save dialog, which already asked before replacing
 * a file), atomically: saveReport for the text formats, the printed bytes for the PDF.
 * Null when the user cancelled the dialog.
 */
export async function saveReportAs(
  request: ExportReportRequest,
  context: ReportContext,
  choosePath: (suggestedName: string, format: ReportFormat) => Promise<string | null>,
): Promise<SavedReport | null> {
  const report = await buildExportReport(request, context);
  const path = await choosePath(reportFileName(report.model.id, request.format), request.format);
  if (path === null) return null;
  const written =
    request.format === 'pdf' && context.printPdf
      ? await writeFileAtomic(path, await printPdf(report, context), { force: true })
      : await saveReport(path, report, request.format, {
          force: true,
          ...(context.env ? { env: context.env } : {}),
        });
  return { path: written.path, bytes: written.bytes, format: request.format };
}

/**
 * The request as the engine's settings need it planned (`headroom launch`): an inference plan
 * made with the engine's memory profile; a training engine refuses an inference plan and the
 * other way round (bitsandbytes takes either).
 *
 * @throws HeadroomError BAD_ARGUMENT when the engine does not run this kind of plan
 */
function launchRequest(request: AnyPlanRequest, engine: LaunchEngine): AnyPlanRequest {
  const target = LAUNCH_TARGETS[engine];
  const mode = request.mode === 'training' ? 'training' : 'inference';
  if (target.mode !== 'either' && target.mode !== mode) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${engine} runs ${target.mode}; this is a${mode === 'inference' ? 'n' : ''} ${mode} plan.`,
    );
  }
  if (request.mode === 'training') return request;
  return { ...request, engine: target.planEngine ?? request.engine };
}

/** The launch settings of a request on an engine, from the same plan the CLI would make. */
export async function launchSettingsFor(
  request: AnyPlanRequest,
  engine: LaunchEngine,
  context: ReportContext,
): Promise<ReturnType<typeof launchSettings>> {
  const planned = launchRequest(request, engine);
  const local = planned.deviceIds.some((id) => id.startsWith('local:'))
    ? (await context.detection()).resolve
    : undefined;
  return launchSettings(engine, {
    plan: context.plan(planned, local),
    devices: context.devicesOf(planned, local),
    headroomVersion: APP_VERSION,
  });
}
