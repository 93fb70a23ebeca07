/**
 * The report as one self-contained HTML file: inline CSS and SVG, no script, no external
 * resource of any kind (its Content-Security-Policy forbids them too), every size with its unit.
 * The PDF is printed from this same file.
 */
import type { Plan } from '../plan/types';
import { formatBytesNumber, type ByteUnit } from '../units/bytes';
import { devicesLine, unitDefinition, VERDICT_LABELS } from './format';
import { escapeHtml } from './html-escape';
import { cellHtml, table, type Cell } from './html-table';
import { renderMemoryChart } from './memory-chart';
import { planCommandLine } from './plan-command-line';
import {
  ASSUMPTION_HEADER,
  assumptionRows,
  DEVICE_NUMERIC_COLUMNS,
  deviceHeader,
  deviceRows,
  memoryCategoryRows,
  modelRows,
  perDeviceHeader,
  perDeviceNumericColumns,
  perDeviceRows,
  planFacts,
  PROBE_HEADER,
  probeRows,
  sizedHeader,
  summaryCells,
  summaryHeader,
} from './report-rows';
import { REPORT_CSS } from './report-styles';
import { measuredSection } from './measured-section';
import { sectionHtml } from './section';
import type { FitReport, ReportDevice, ReportModel } from './types';

/**
 * Nothing may load: no fetch, image, font, frame or form target; only the inline stylesheet.
 * (CSP Level 3: `default-src 'none'` is the fallback for every fetch directive.)
 */
export const REPORT_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

function verdictBadge(plan: Plan): Cell {
  const status = plan.verdict.status;
  return { html: `<span class="verdict ${status}">${escapeHtml(VERDICT_LABELS[status])}</span>` };
}

function summarySection(report: FitReport): string {
  const unit = report.unit;
  const rows = report.plans.map(({ label, plan }): Cell[] => [
    { html: `<a href="#${planAnchor(label)}">${escapeHtml(label)}</a>` },
    verdictBadge(plan),
    ...summaryCells(plan, unit),
    devicesLine(plan),
  ]);
  const title = report.comparison
    ? `Plans compared: ${report.comparison.option} = ${report.comparison.values.join(', ')}`
    : 'Plan';
  const chart = renderMemoryChart(report);
  return [
    `<section id="summary"><h2>${escapeHtml(title)}</h2>`,
    table(summaryHeader(unit, 'devices'), rows, [2, 3, 4]),
    chart
      ? `<h3>Memory per device (${escapeHtml(unit)})</h3>\n${chart}\n<p class="note">Each bar is the memory a plan uses on one device, stacked by category; the solid line is the device's memory (capacity), the dashed line what the engine may use of it after its utilisation limit and margins.</p>`
      : '<p class="note">No device was given: the plans size memory only.</p>',
    '</section>',
  ].join('\n');
}

function modelSection(model: ReportModel, unit: ByteUnit): string {
  return `<section id="model"><h2>Model</h2>\n${table(['field', 'value'], modelRows(model, unit))}\n</section>`;
}

function deviceTable(devices: readonly ReportDevice[], unit: ByteUnit): string {
  return table(deviceHeader(unit), deviceRows(devices, unit), DEVICE_NUMERIC_COLUMNS);
}

function hardwareSection(report: FitReport): string {
  const unit = report.unit;
  const parts = [
    '<section id="hardware"><h2>Hardware</h2>',
    '<h3>Devices planned</h3>',
    report.hardware.devices.length > 0
      ? deviceTable(report.hardware.devices, unit)
      : '<p class="note">No device: the plans size memory only.</p>',
    '<h3>This machine (detected)</h3>',
  ];
  const detection = report.hardware.detection;
  if (!detection) {
    parts.push('<p class="note">Detection did not run for this report.</p>', '</section>');
    return parts.join('\n');
  }
  const replay = detection.replayedFrom
    ? ` Replayed from <code>${escapeHtml(detection.replayedFrom)}</code>.`
    : '';
  parts.push(
    `<p>${escapeHtml(detection.gpuVerdict.message)} <span class="meta">(detection started ${escapeHtml(detection.startedAt)}, took ${detection.durationMs.toFixed(0)} ms.)</span>${replay}</p>`,
  );
  if (detection.devices.length > 0) parts.push(deviceTable(detection.devices, unit));
  parts.push(table(PROBE_HEADER, probeRows(detection.probes), [2]), '</section>');
  return parts.join('\n');
}

/** A fragment id for a plan's section, from its label. */
function planAnchor(label: string): string {
  return `plan-${label.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

function planSection(label: string, plan: Plan, unit: ByteUnit): string {
  const { main, more } = planFacts(plan, unit);
  const facts = [...main, ...more];
  const parts = [
    `<section class="plan" id="${planAnchor(label)}"><h2>${escapeHtml(label)}</h2>`,
    `<p>${cellHtml(verdictBadge(plan))} ${escapeHtml(plan.verdict.reason)}</p>`,
    `<ul class="facts">${facts.map((fact) => `<li>${escapeHtml(fact)}</li>`).join('')}<li>reproduce: <code>${escapeHtml(planCommandLine(plan))}</code></li></ul>`,
    '<h3>Memory</h3>',
    table(
      ['category', sizedHeader('total', unit)],
      [
        ...memoryCategoryRows(plan, unit),
        [
          { html: '<strong>total</strong>' },
          { html: `<strong>${formatBytesNumber(plan.memory.total, unit)}</strong>` },
        ],
      ],
      [1],
      'narrow',
    ),
  ];
  if (plan.memory.perDevice.length > 0) {
    parts.push(
      table(
        perDeviceHeader(plan, unit),
        perDeviceRows(plan, unit, (device) => ({
          html: `${escapeHtml(device.name)}<br><span class="id">${escapeHtml(device.device)}</span>`,
        })),
        perDeviceNumericColumns(plan),
        'per-device',
      ),
    );
  }
  if (plan.warnings.length > 0) {
    parts.push(
      '<h3>Warnings</h3>',
      `<ul>${plan.warnings.map((warning) => `<li class="warning">${escapeHtml(warning)}</li>`).join('')}</ul>`,
    );
  }
  parts.push(
    '<h3>Assumptions</h3>',
    table(ASSUMPTION_HEADER, assumptionRows(plan, unit)),
    '</section>',
  );
  return parts.join('\n');
}

/**
 * The HTML document: summary with the memory chart, model, hardware, then each plan in full.
 * @example renderReportHtml(report).startsWith('<!doctype html>') // true
 */
export function renderReportHtml(report: FitReport): string {
  const unit = report.unit;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_CONTENT_SECURITY_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="Headroom ${escapeHtml(report.headroomVersion)}">`,
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(report.title)}</h1>`,
    `<p class="meta">Generated ${escapeHtml(report.generatedAt)} by Headroom ${escapeHtml(report.headroomVersion)}. Sizes in ${escapeHtml(unit)} (${escapeHtml(unitDefinition(unit))}); speeds in tokens per second.</p></header>`,
    summarySection(report),
    modelSection(report.model, unit),
    hardwareSection(report),
    ...report.plans.map(({ label, plan }) => planSection(label, plan, unit)),
    ...(report.measured ? [sectionHtml(measuredSection(report.measured, unit))] : []),
    `<footer>Headroom fit report, schema ${escapeHtml(report.schema)}. Every figure is an estimate from the assumptions listed with each plan.</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
