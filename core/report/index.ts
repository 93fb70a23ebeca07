/**
 * Fit reports (issue 7): the report model and its pure renderers. Writing files (and printing
 * the PDF) is the Node side's job: electron/services/reports.ts.
 */
import { renderReportCsv } from './render-csv';
import { renderReportHtml } from './render-html';
import { renderReportJson } from './render-json';
import { renderReportMarkdown } from './render-markdown';
import type { FitReport, ReportTextFormat } from './types';

export {
  buildFitReport,
  reportDetection,
  reportDevice,
  reportHardware,
  reportModel,
  type DetectionSnapshot,
  type ReportInput,
} from './build-report';
export { isInferencePlan, isTrainingPlan } from './plan-kind';
export { planCommandLine } from './plan-command-line';
export { renderReportCsv, renderReportHtml, renderReportJson, renderReportMarkdown };
export * from './types';
export { measuredSection, type ReportMeasured } from './measured-section';
export {
  renderServingReport,
  servingSection,
  SERVING_REPORT_FORMATS,
  type ServingReportFormat,
} from './serving-section';
export type { ReportSection, SectionTable } from './section';

const RENDERERS: Readonly<Record<ReportTextFormat, (report: FitReport) => string>> = {
  json: renderReportJson,
  csv: renderReportCsv,
  md: renderReportMarkdown,
  html: renderReportHtml,
};

/**
 * The report as the text of one format (the PDF is printed from `html` on the Node side).
 * @example renderReport(report, 'md').startsWith('# Fit report') // true
 */
export function renderReport(report: FitReport, format: ReportTextFormat): string {
  return RENDERERS[format](report);
}
