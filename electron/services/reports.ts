/**
 * Reports on the Node side (issue 7): gathering what core's pure report model needs (the model
 * files' size, this machine's detection, the plans' device specs, the time), rendering a format
 * (the PDF through headless Chromium) and writing it atomically.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { DeviceSpec } from '../../core/devices/types';
import { HeadroomError } from '../../core/errors';
import type { ModelSpec } from '../../core/models/types';
import { requireCatalogDevice } from '../../core/plan/lookups';
import type { Plan } from '../../core/plan/types';
import {
  buildFitReport,
  renderReport,
  reportHardware,
  reportModel,
  type FitReport,
  type ReportComparison,
  type ReportFormat,
  type ReportPlan,
} from '../../core/report';
import type { ByteUnit } from '../../core/units/bytes';
import { APP_VERSION } from './app-version';
import { checkWriteTarget, writeFileAtomic, type WrittenFile } from './atomic-write';
import type { DetectResult } from './detect';
import { localDeviceResolver } from './local-devices';
import { printHtmlToPdf } from './report-pdf';

/** File extensions that name a report format (`--out report.md` → md). */
const FORMAT_BY_EXTENSION: Readonly<Record<string, ReportFormat>> = {
  '.json': 'json',
  '.csv': 'csv',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
};

/** The format a file name implies, or null when its extension names none. */
export function reportFormatFromPath(path: string): ReportFormat | null {
  return FORMAT_BY_EXTENSION[extname(path).toLowerCase()] ?? null;
}

/** Extensions of the files a model folder's weights are in. */
const WEIGHT_EXTENSIONS = new Set(['.safetensors', '.gguf', '.bin']);

/**
 * The size on disk of the model a spec was read from: the file, or every weights file of the
 * folder; null for catalog, Hub and bare-count models, or when the path is gone.
 */
async function modelFileBytes(spec: ModelSpec): Promise<number | null> {
  if (spec.source.kind !== 'file') return null;
  const path = spec.source.path;
  try {
    const info = await stat(path);
    if (info.isFile()) return info.size;
    if (!info.isDirectory()) return null;
    const entries = await readdir(path, { withFileTypes: true });
    const sizes = await Promise.all(
      entries
        .filter((entry) => entry.isFile() && WEIGHT_EXTENSIONS.has(extname(entry.name)))
        .map(async (entry) => (await stat(join(path, entry.name))).size),
    );
    return sizes.reduce((sum, size) => sum + size, 0);
  } catch {
    return null;
  }
}

/** Whether any plan runs on this machine's detected devices (`local:N`), which need detection. */
export function plansUseLocalDevices(plans: readonly Plan[]): boolean {
  return plans.some(
    (plan) =>
      plan.scenario.devices.some((id) => id.startsWith('local:')) ||
      plan.memory.perDevice.some((device) => device.device.startsWith('local:')),
  );
}

/**
 * The specs of every device the plans name (scenario and per-device lists), each id once:
 * `local:N` from the detection, anything else from the catalog.
 */
export function planDeviceSpecs(
  plans: readonly Plan[],
  detection: DetectResult | null,
): DeviceSpec[] {
  const resolve = detection ? localDeviceResolver(detection) : requireCatalogDevice;
  const ids = new Set<string>();
  for (const plan of plans) {
    for (const id of plan.scenario.devices) ids.add(id);
    for (const device of plan.memory.perDevice) ids.add(device.device);
  }
  return [...ids].map((id) => resolve(id));
}

/**
 * The report's time: SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds.org
 * convention) when set, so the same inputs give the same file; else now.
 */
export function reportTimestamp(env: NodeJS.ProcessEnv = process.env, now = new Date()): string {
  const epoch = env['SOURCE_DATE_EPOCH'];
  if (epoch !== undefined && epoch !== '') {
    const seconds = Number(epoch);
    if (!Number.isSafeInteger(seconds) || seconds < 0) {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        `SOURCE_DATE_EPOCH must be whole seconds since 1970 (got "${epoch}").`,
      );
    }
    return new Date(seconds * 1000).toISOString();
  }
  return now.toISOString();
}

interface FitReportSources {
  readonly model: ModelSpec;
  readonly plans: readonly ReportPlan[];
  readonly comparison: ReportComparison | null;
  /** This machine's detection; null when it did not run. */
  readonly detection: DetectResult | null;
  readonly unit: ByteUnit;
  readonly env?: NodeJS.ProcessEnv;
}

/** The report document for plans made on this machine (version and time filled in here). */
export async function assembleFitReport(sources: FitReportSources): Promise<FitReport> {
  const plans = sources.plans.map((entry) => entry.plan);
  return buildFitReport({
    plans: sources.plans,
    model: reportModel(sources.model, await modelFileBytes(sources.model)),
    hardware: reportHardware(sources.detection, planDeviceSpecs(plans, sources.detection)),
    comparison: sources.comparison,
    headroomVersion: APP_VERSION,
    generatedAt: reportTimestamp(sources.env),
    unit: sources.unit,
  });
}

/**
 * The report in a format: text from core's renderers, or PDF bytes printed from the HTML.
 * @throws HeadroomError NOT_AVAILABLE for PDF without Chromium
 */
async function renderReportFile(
  report: FitReport,
  format: ReportFormat,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | Uint8Array> {
  if (format !== 'pdf') return renderReport(report, format);
  return printHtmlToPdf(renderReport(report, 'html'), { footer: report.title, env });
}

/**
 * Renders and writes a report atomically; never replaces an existing file without `force`.
 * @throws HeadroomError FILE_EXISTS, FILE_NOT_FOUND, BAD_FILE, NOT_AVAILABLE
 */
export async function saveReport(
  path: string,
  report: FitReport,
  format: ReportFormat,
  options: { readonly force?: boolean; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<WrittenFile> {
  // Refuse before printing a PDF for nothing; the write itself refuses again, atomically.
  await checkWriteTarget(path, { force: options.force === true });
  const data = await renderReportFile(report, format, options.env);
  return writeFileAtomic(path, data, { force: options.force === true });
}
