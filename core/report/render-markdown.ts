/**
 * The report as GitHub-flavoured Markdown: tables a person pastes into an issue, every size
 * with its unit in the column header.
 */
import type { Plan } from '../plan/types';
import { formatBytesNumber, type ByteUnit } from '../units/bytes';
import { scenarioLine, unitDefinition, VERDICT_LABELS } from './format';
import { markdownCell, markdownTable } from './markdown-table';
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
import { measuredSection } from './measured-section';
import { sectionMarkdown } from './section';
import type { FitReport, ReportDevice, ReportModel } from './types';

function modelSection(model: ReportModel, unit: ByteUnit): string {
  return ['## Model', '', markdownTable(['field', 'value'], modelRows(model, unit))].join('\n');
}

function hardwareSection(report: FitReport): string {
  const unit = report.unit;
  const devices = (list: readonly ReportDevice[]): string =>
    markdownTable(deviceHeader(unit), deviceRows(list, unit), DEVICE_NUMERIC_COLUMNS);
  const parts = [
    '## Hardware',
    '',
    '### Devices planned',
    '',
    report.hardware.devices.length > 0
      ? devices(report.hardware.devices)
      : 'No device: the plans size memory only.',
  ];
  const detection = report.hardware.detection;
  parts.push('', '### This machine (detected)', '');
  if (!detection) {
    parts.push('Detection did not run for this report.');
    return parts.join('\n');
  }
  const replay = detection.replayedFrom ? ` Replayed from \`${detection.replayedFrom}\`.` : '';
  parts.push(
    `${detection.gpuVerdict.message} (detection started ${detection.startedAt}, took ${detection.durationMs.toFixed(0)} ms).${replay}`,
    '',
  );
  if (detection.devices.length > 0) parts.push(devices(detection.devices), '');
  parts.push(markdownTable(PROBE_HEADER, probeRows(detection.probes), [2]));
  return parts.join('\n');
}

function summarySection(report: FitReport): string {
  const unit = report.unit;
  const rows = report.plans.map(({ label, plan }) => [
    label,
    VERDICT_LABELS[plan.verdict.status],
    ...summaryCells(plan, unit),
    scenarioLine(plan),
  ]);
  const title = report.comparison
    ? `## Plans compared (${report.comparison.option}: ${report.comparison.values.join(', ')})`
    : '## Plan';
  return [title, '', markdownTable(summaryHeader(unit, 'scenario'), rows, [2, 3, 4])].join('\n');
}

function planSection(label: string, plan: Plan, unit: ByteUnit): string {
  const facts = planFacts(plan, unit);
  const parts = [
    `## ${markdownCell(label)}`,
    '',
    `**${VERDICT_LABELS[plan.verdict.status]}**: ${plan.verdict.reason}`,
    '',
    ...facts.main.map((fact) => `- ${fact}`),
    `- reproduce: \`${planCommandLine(plan)}\``,
    ...facts.more.map((fact) => `- ${fact}`),
  ];
  parts.push(
    '',
    '### Memory',
    '',
    markdownTable(
      ['category', sizedHeader('total', unit)],
      [
        ...memoryCategoryRows(plan, unit),
        ['**total**', `**${formatBytesNumber(plan.memory.total, unit)}**`],
      ],
      [1],
    ),
  );
  if (plan.memory.perDevice.length > 0) {
    const rows = perDeviceRows(plan, unit, (device) => `${device.name} (${device.device})`);
    parts.push('', markdownTable(perDeviceHeader(plan, unit), rows, perDeviceNumericColumns(plan)));
  }
  if (plan.warnings.length > 0) {
    parts.push('', '### Warnings', '', ...plan.warnings.map((warning) => `- ${warning}`));
  }
  parts.push(
    '',
    '### Assumptions',
    '',
    markdownTable(ASSUMPTION_HEADER, assumptionRows(plan, unit)),
  );
  return parts.join('\n');
}

/**
 * The Markdown text: title, model, hardware, the plans side by side, then each plan in full
 * (memory per category and per device, warnings, assumptions with their sources).
 */
export function renderReportMarkdown(report: FitReport): string {
  const header = [
    `# ${markdownCell(report.title)}`,
    '',
    `Generated ${report.generatedAt} by Headroom ${report.headroomVersion} (schema ${report.schema}). Sizes in ${report.unit} (${unitDefinition(report.unit)}); speeds in tokens per second.`,
  ].join('\n');
  const sections = [
    header,
    summarySection(report),
    modelSection(report.model, report.unit),
    hardwareSection(report),
    ...report.plans.map(({ label, plan }) => planSection(label, plan, report.unit)),
    ...(report.measured ? [sectionMarkdown(measuredSection(report.measured, report.unit))] : []),
  ];
  return `${sections.join('\n\n')}\n`;
}
