/**
 * The rows the HTML and Markdown reports both print, as plain text: each renderer escapes and
 * lays them out its own way (and may swap in a richer cell where it has one).
 */
import type { Plan } from '../plan/types';
import { formatBandwidth, formatBytesNumber, type ByteUnit } from '../units/bytes';
import { formatInteger, formatParams, formatTokensPerSecond } from '../units/numbers';
import {
  assumptionValue,
  BREAKDOWN_LABELS,
  devicesLine,
  scenarioLine,
  solutionLine,
  speedLine,
  usedCategories,
} from './format';
import type { ReportDevice, ReportModel, ReportProbe } from './types';

/** A size column's header: its name with the unit, e.g. `used (GiB)`. */
export function sizedHeader(name: string, unit: ByteUnit): string {
  return `${name} (${unit})`;
}

/** The model as (field, value) rows, architecture included when it is known. */
export function modelRows(model: ReportModel, unit: ByteUnit): string[][] {
  const source = model.source;
  const sourceText =
    source.kind === 'catalog'
      ? `catalog (${source.config})`
      : source.kind === 'file'
        ? `${source.format} file ${source.path}${source.sizeBytes !== null ? `, ${formatBytesNumber(source.sizeBytes, unit)} ${unit}` : ''}`
        : source.kind === 'hub'
          ? `Hugging Face Hub ${source.repo}`
          : source.note;
  const rows: string[][] = [
    ['id', model.id],
    ['name', model.name],
    ['parameters', `${formatInteger(model.params)} (${formatParams(model.params)})`],
    [
      'active parameters per token',
      `${formatInteger(model.activeParams)} (${formatParams(model.activeParams)})`,
    ],
    ['published format', model.publishedFormat],
    ['source', sourceText],
  ];
  const arch = model.architecture;
  if (arch) {
    rows.push(
      ['architecture', `${arch.family}, ${arch.layers} layers, hidden ${arch.hiddenSize}`],
      [
        'attention',
        `${arch.attention.toUpperCase()}: ${arch.attentionHeads} heads, ${arch.kvHeads} KV heads, head dim ${arch.headDim}`,
      ],
      ['FFN width, vocabulary', `${arch.intermediateSize}, ${arch.vocabSize} tokens`],
      ['max context', `${arch.maxContextTokens} tokens`],
    );
    if (arch.experts)
      rows.push(['experts', `${arch.experts.routed} routed, ${arch.experts.active} per token`]);
  } else {
    rows.push(['architecture', 'unknown: plans use rules of thumb for a bare parameter count']);
  }
  return rows;
}

/** The header of a device table. */
export function deviceHeader(unit: ByteUnit): string[] {
  return [
    'id',
    'name',
    sizedHeader('memory', unit),
    sizedHeader('free', unit),
    'bandwidth',
    'source',
  ];
}

/** The numeric columns of a device table (memory, free, bandwidth). */
export const DEVICE_NUMERIC_COLUMNS: readonly number[] = [2, 3, 4];

/** One row per device, under `deviceHeader`. */
export function deviceRows(devices: readonly ReportDevice[], unit: ByteUnit): string[][] {
  return devices.map((device) => [
    device.id,
    device.name,
    formatBytesNumber(device.memoryBytes, unit),
    device.memoryFreeBytes === null ? '—' : formatBytesNumber(device.memoryFreeBytes, unit),
    formatBandwidth(device.bandwidthBytesPerSecond),
    device.source,
  ]);
}

/** The header of the detection probes table; its time column (2) is numeric. */
export const PROBE_HEADER: readonly string[] = ['probe', 'status', 'time (ms)', 'note'];

/** One row per detection probe, under `PROBE_HEADER`. */
export function probeRows(probes: readonly ReportProbe[]): string[][] {
  return probes.map((probe) => [probe.name, probe.status, probe.ms.toFixed(0), probe.reason ?? '']);
}

/**
 * The summary table's header: plan, verdict, sizes, devices, speed, then `last` (the column
 * each renderer picks).
 */
export function summaryHeader(unit: ByteUnit, last: string): string[] {
  return [
    'plan',
    'verdict',
    sizedHeader('total', unit),
    sizedHeader('per GPU', unit),
    'min devices',
    'speed (tokens/s)',
    last,
  ];
}

/** A plan's summary cells after its label and verdict: total, per GPU (busiest device), min devices, speed. */
export function summaryCells(plan: Plan, unit: ByteUnit): string[] {
  const peak = Math.max(0, ...plan.memory.perDevice.map((device) => device.used));
  const t = plan.throughput;
  const speed = !t
    ? '—'
    : 'decodeTokensPerSecond' in t
      ? `${formatTokensPerSecond(t.decodeTokensPerSecond)} decode / ${formatTokensPerSecond(t.prefillTokensPerSecond)} prefill`
      : `${formatTokensPerSecond(t.trainingTokensPerSecond)} training`;
  return [
    formatBytesNumber(plan.memory.total, unit),
    plan.memory.perDevice.length > 0 ? formatBytesNumber(peak, unit) : '—',
    plan.verdict.minDevices === null ? '—' : String(plan.verdict.minDevices),
    speed,
  ];
}

/**
 * A plan's facts as `name: text` lines: `main` (scenario, devices, speed) and `more` (the
 * search's solution and the offload split, where the plan has them).
 */
export function planFacts(plan: Plan, unit: ByteUnit): { main: string[]; more: string[] } {
  const main = [
    `scenario: ${scenarioLine(plan)}`,
    `devices: ${devicesLine(plan)}`,
    `speed: ${speedLine(plan)}`,
    `accuracy: ${plan.accuracy.summary}`,
  ];
  const more: string[] = [];
  const solution = solutionLine(plan);
  if (solution) more.push(`search: ${solution}`);
  if (plan.verdict.offload) {
    const o = plan.verdict.offload;
    more.push(
      `offload: ${o.deviceLayers} of ${o.totalLayers} layers on the devices, ${formatBytesNumber(o.hostBytes, unit)} ${unit} in system RAM`,
    );
  }
  return { main, more };
}

/** The (category, size) rows of a plan's memory, the used categories only, without the total. */
export function memoryCategoryRows(plan: Plan, unit: ByteUnit): string[][] {
  return usedCategories(plan).map((key) => [
    BREAKDOWN_LABELS[key],
    formatBytesNumber(plan.memory.breakdown[key], unit),
  ]);
}

/** The per-device memory table's header: index, device, layers, sizes, used categories. */
export function perDeviceHeader(plan: Plan, unit: ByteUnit): string[] {
  return [
    '#',
    'device',
    'layers',
    sizedHeader('capacity', unit),
    sizedHeader('used', unit),
    sizedHeader('headroom', unit),
    ...usedCategories(plan).map((key) => sizedHeader(BREAKDOWN_LABELS[key], unit)),
  ];
}

/** The numeric columns of the per-device table: all but the device's name. */
export function perDeviceNumericColumns(plan: Plan): number[] {
  return [0, 2, 3, 4, 5, ...usedCategories(plan).map((_, index) => 6 + index)];
}

/**
 * One row per device of a plan, under `perDeviceHeader`; `deviceCell` prints the device's
 * name and id (each renderer its own way).
 */
export function perDeviceRows<C>(
  plan: Plan,
  unit: ByteUnit,
  deviceCell: (device: Plan['memory']['perDevice'][number]) => C,
): (string | C)[][] {
  return plan.memory.perDevice.map((device, index) => [
    String(index),
    deviceCell(device),
    String(device.layers),
    formatBytesNumber(device.capacity, unit),
    formatBytesNumber(device.used, unit),
    formatBytesNumber(device.headroom, unit),
    ...usedCategories(plan).map((key) => formatBytesNumber(device.breakdown[key], unit)),
  ]);
}

/** The header of the assumptions table. */
export const ASSUMPTION_HEADER: readonly string[] = ['assumption', 'value', 'source'];

/** One row per assumption of a plan, under `ASSUMPTION_HEADER`. */
export function assumptionRows(plan: Plan, unit: ByteUnit): string[][] {
  return plan.assumptions.map((assumption) => [
    assumption.name,
    assumptionValue(assumption, unit),
    assumption.source,
  ]);
}
