import type { ServingPlan } from '../serving';
import { formatBytes } from '../units/bytes';
import { formatInteger, formatLatency, formatUsd } from '../units/numbers';
import { sectionHtml, sectionMarkdown, tableCsv, type ReportSection } from './section';
import { escapeHtml } from './html-escape';
import { REPORT_CONTENT_SECURITY_POLICY } from './render-html';
import { REPORT_CSS } from './report-styles';

/**
 * A serving plan (issue 19) as a report section: the workload and targets, one replica's memory
 * and capacity, where the targets break, the setups ranked by the user's prices, and the launch
 * settings of the chosen one.
 */

const at = (value: number | null): string =>
  value === null ? 'holds up to the KV-cache limit' : `breaks at ${value} requests in flight`;

/** @example servingSection(plan).title // 'Serving plan: meta-llama/Llama-3.1-8B on vllm' */
export function servingSection(plan: ServingPlan): ReportSection {
  const w = plan.workload;
  const lines = [
    `Workload: ${w.requestsPerSecond === null ? 'no rate given' : `${w.requestsPerSecond} requests/s`}, prompt ${formatInteger(w.promptTokens)}${w.promptTokensP90 ? ` (p90 ${formatInteger(w.promptTokensP90)})` : ''} tokens, output ${formatInteger(w.outputTokens)}${w.outputTokensP90 ? ` (p90 ${formatInteger(w.outputTokensP90)})` : ''}; targets TTFT ≤ ${formatLatency(w.targets.ttftSeconds)} (p90 prompt), TPOT ≤ ${formatLatency(w.targets.tpotSeconds)}; ${plan.weightsFormat} weights, ${plan.kvFormat} KV, --max-model-len ${formatInteger(plan.maxModelLen)}.`,
  ];
  const s = plan.setup;
  lines.push(
    s
      ? `Chosen: ${s.gpus} × ${s.deviceName} (${s.replicas} replica(s) of tensor-parallel ${s.tensorParallel}).`
      : 'No setup holds the workload within the targets.',
  );
  const d = plan.deployment;
  if (d) {
    lines.push(
      `One replica (${d.tensorParallel} × ${d.deviceName}), per GPU: weights ${formatBytes(d.weightsBytes, 'GiB')}, activations ${formatBytes(d.activationsBytes, 'GiB')}, runtime ${formatBytes(d.overheadBytes, 'GiB')}, KV cache ${formatBytes(d.availableKvBytes, 'GiB')}; holds ${formatInteger(d.kvConcurrencyLimit)} requests in flight at the mean lengths.`,
    );
    lines.push(
      `Targets: TTFT ${at(plan.breaks.ttftConcurrency)}; TPOT ${at(plan.breaks.tpotConcurrency)}.`,
    );
  }
  if (plan.launch) {
    // The command without its provenance comment and line continuations, on one line.
    const command = plan.launch.text
      .trim()
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .map((line) => line.replace(/\s*\\$/, '').trim())
      .join(' ');
    lines.push(`Launch: ${command}`);
  }
  lines.push(`Accuracy: ${plan.accuracy.summary} (latency and throughput).`);
  for (const warning of plan.warnings) lines.push(`Warning: ${warning}`);
  return {
    title: `Serving plan: ${plan.model.id} on ${plan.engine}`,
    lines,
    tables: [
      {
        caption: 'Setups that hold the workload, cheapest first',
        header: [
          'device',
          'GPUs',
          'TP',
          'replicas',
          'max req/s',
          'TTFT p90',
          'TPOT',
          '$/h',
          '$/1M out',
        ],
        rows: plan.setups.map((setup) => [
          setup.device,
          String(setup.gpus),
          String(setup.tensorParallel),
          String(setup.replicas),
          (setup.maxRequestsPerSecondPerReplica * setup.replicas).toFixed(1),
          formatLatency(setup.perReplica.ttftP90Seconds),
          formatLatency(setup.perReplica.tpotSeconds),
          formatUsd(setup.costPerHourUsd),
          formatUsd(setup.costPerMillionOutputTokensUsd, true),
        ]),
        numeric: [1, 2, 3, 4, 5, 6, 7, 8],
      },
      {
        caption: 'One replica under load',
        header: ['in flight', 'req/s', 'TTFT p90', 'TPOT', 'output tok/s'],
        rows: plan.curve.map((point) => [
          String(point.concurrency),
          point.requestsPerSecond.toFixed(2),
          formatLatency(point.ttftP90Seconds),
          formatLatency(point.tpotSeconds),
          point.outputTokensPerSecond.toFixed(0),
        ]),
        numeric: [0, 1, 2, 3, 4],
      },
    ],
  };
}

/** The report formats a serving plan is written in (a PDF is the fit report's alone). */
export const SERVING_REPORT_FORMATS = ['json', 'csv', 'md', 'html'] as const;
export type ServingReportFormat = (typeof SERVING_REPORT_FORMATS)[number];

/**
 * A serving plan as a file: JSON is headroom.serving/v1 itself, CSV the ranked setups, Markdown
 * and HTML the section as a document.
 */
export function renderServingReport(plan: ServingPlan, format: ServingReportFormat): string {
  const section = servingSection(plan);
  switch (format) {
    case 'json':
      return `${JSON.stringify(plan, null, 2)}\n`;
    case 'csv':
      return tableCsv(section.tables[0]!);
    case 'md':
      return `${sectionMarkdown(section)}\n`;
    case 'html':
      return [
        '<!doctype html>',
        '<html lang="en">',
        '<head>',
        '<meta charset="utf-8">',
        `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_CONTENT_SECURITY_POLICY)}">`,
        `<title>${escapeHtml(section.title)}</title>`,
        `<style>${REPORT_CSS}</style>`,
        '</head>',
        '<body>',
        sectionHtml(section),
        '</body>',
        '</html>',
        '',
      ].join('\n');
  }
}
