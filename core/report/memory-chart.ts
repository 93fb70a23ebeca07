/**
 * The report's chart as inline SVG: for every plan × device, a bar stacked by memory category
 * against the device's capacity, all on one scale so plans compare at a glance. Text in the
 * SVG stays text (selectable, and searchable in the PDF).
 */
import type { MemoryBreakdown } from '../plan/types';
import { bytesPerUnit, formatBytesNumber, type ByteUnit } from '../units/bytes';
import { BREAKDOWN_KEYS, BREAKDOWN_LABELS } from './format';
import { escapeHtml } from './html-escape';
import type { FitReport } from './types';

/** Category colours: the Tableau 10 palette, told apart by most colour-vision deficiencies. */
const CATEGORY_COLOURS: Readonly<Record<keyof MemoryBreakdown, string>> = {
  weights: '#4e79a7',
  kvCache: '#f28e2b',
  activations: '#59a14f',
  gradients: '#e15759',
  optimizerStates: '#b07aa1',
  masterWeights: '#9c755f',
  overhead: '#bab0ac',
};

/** Layout in SVG user units (CSS pixels at 100 %); the SVG scales to the page width. */
const WIDTH = 760;
const LABEL_WIDTH = 210;
const BAR_LEFT = LABEL_WIDTH + 10;
const BAR_RIGHT = 640;
const VALUE_LEFT = BAR_RIGHT + 10;
const ROW_HEIGHT = 46;
const BAR_HEIGHT = 20;
const LEGEND_HEIGHT = 28;
const AXIS_HEIGHT = 22;
/** Longest plan label or device name shown whole beside a bar; longer ones are cut, full in the tooltip. */
const MAX_NAME_CHARACTERS = 34;

interface ChartRow {
  readonly plan: string;
  readonly device: string;
  readonly capacity: number;
  /** What the engine may use: used + headroom (capacity less utilisation and margins). */
  readonly usable: number;
  readonly used: number;
  readonly breakdown: MemoryBreakdown;
}

function chartRows(report: FitReport): ChartRow[] {
  return report.plans.flatMap(({ label, plan }) =>
    plan.memory.perDevice.map((device, index) => ({
      plan: label,
      device: `#${index} ${device.name}`,
      capacity: device.capacity,
      usable: device.used + device.headroom,
      used: device.used,
      breakdown: device.breakdown,
    })),
  );
}

/**
 * The step between axis ticks: 1, 2 or 5 × a power of ten, so that about `ticks` fit.
 * @example niceStep(83, 5) // 20
 */
export function niceStep(maximum: number, ticks: number): number {
  if (!(maximum > 0)) return 1;
  const raw = maximum / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** About this many ticks on a memory axis: the report's chart and the workbench's bars alike. */
const MEMORY_AXIS_TICKS = 5;

/** A memory axis in a byte unit: from 0 to its maximum in whole nice steps, every tick listed. */
interface MemoryAxis {
  readonly maximum: number;
  readonly ticks: readonly number[];
}

/**
 * The axis that holds `largestBytes`: steps of niceStep, up to the first one at or past it.
 * @example memoryAxis(24 * 2 ** 30, 'GiB').ticks // [0, 5, 10, 15, 20, 25]
 */
export function memoryAxis(largestBytes: number, unit: ByteUnit): MemoryAxis {
  const largest = largestBytes / bytesPerUnit(unit);
  const step = niceStep(largest, MEMORY_AXIS_TICKS);
  const steps = Math.max(1, Math.ceil(largest / step));
  return {
    maximum: steps * step,
    ticks: Array.from({ length: steps + 1 }, (_, i) => i * step),
  };
}

function shorten(name: string): string {
  return name.length <= MAX_NAME_CHARACTERS ? name : `${name.slice(0, MAX_NAME_CHARACTERS - 1)}…`;
}

/**
 * The chart for every plan's devices; an empty string when no plan has a device.
 * @returns an `<svg>` element with a `<title>` and `role="img"`
 */
export function renderMemoryChart(report: FitReport): string {
  const rows = chartRows(report);
  if (rows.length === 0) return '';
  const unit: ByteUnit = report.unit;
  const perUnit = bytesPerUnit(unit);
  const axis = memoryAxis(Math.max(...rows.map((row) => Math.max(row.capacity, row.used))), unit);
  const x = (bytes: number): number =>
    BAR_LEFT + ((bytes / perUnit) * (BAR_RIGHT - BAR_LEFT)) / axis.maximum;
  const categories = BREAKDOWN_KEYS.filter((key) => rows.some((row) => row.breakdown[key] > 0));
  const height = LEGEND_HEIGHT + AXIS_HEIGHT + rows.length * ROW_HEIGHT + 8;
  const parts: string[] = [];

  let legendX = 0;
  for (const key of categories) {
    parts.push(
      `<rect x="${legendX}" y="6" width="12" height="12" fill="${CATEGORY_COLOURS[key]}"/>`,
      `<text x="${legendX + 16}" y="16" class="legend">${escapeHtml(BREAKDOWN_LABELS[key])}</text>`,
    );
    legendX += 24 + BREAKDOWN_LABELS[key].length * 7;
  }

  const axisY = LEGEND_HEIGHT + AXIS_HEIGHT - 6;
  for (const tick of axis.ticks) {
    const tickX = x(tick * perUnit);
    parts.push(
      `<line x1="${tickX.toFixed(1)}" y1="${axisY + 2}" x2="${tickX.toFixed(1)}" y2="${height - 4}" class="grid"/>`,
      `<text x="${tickX.toFixed(1)}" y="${axisY}" class="tick">${Number(tick.toPrecision(6))} ${unit}</text>`,
    );
  }

  rows.forEach((row, index) => {
    const top = LEGEND_HEIGHT + AXIS_HEIGHT + index * ROW_HEIGHT;
    const barY = top + (ROW_HEIGHT - BAR_HEIGHT) / 2;
    parts.push(
      `<text x="0" y="${top + 18}" class="plan"><title>${escapeHtml(row.plan)}</title>${escapeHtml(shorten(row.plan))}</text>`,
      `<text x="0" y="${top + 34}" class="device"><title>${escapeHtml(row.device)}</title>${escapeHtml(shorten(row.device))}</text>`,
      `<rect x="${BAR_LEFT}" y="${barY}" width="${(x(row.capacity) - BAR_LEFT).toFixed(1)}" height="${BAR_HEIGHT}" class="capacity"/>`,
    );
    let offset = 0;
    for (const key of BREAKDOWN_KEYS) {
      const bytes = row.breakdown[key];
      if (bytes <= 0) continue;
      const left = x(offset);
      const width = x(offset + bytes) - left;
      parts.push(
        `<rect x="${left.toFixed(1)}" y="${barY}" width="${Math.max(width, 0.5).toFixed(1)}" height="${BAR_HEIGHT}" fill="${CATEGORY_COLOURS[key]}"><title>${escapeHtml(`${BREAKDOWN_LABELS[key]}: ${formatBytesNumber(bytes, unit)} ${unit}`)}</title></rect>`,
      );
      offset += bytes;
    }
    if (row.usable < row.capacity && row.usable > 0) {
      const usableX = x(row.usable).toFixed(1);
      parts.push(
        `<line x1="${usableX}" y1="${barY - 4}" x2="${usableX}" y2="${barY + BAR_HEIGHT + 4}" class="usable"><title>${escapeHtml(`usable by the engine: ${formatBytesNumber(row.usable, unit)} ${unit}`)}</title></line>`,
      );
    }
    const capacityX = x(row.capacity).toFixed(1);
    parts.push(
      `<line x1="${capacityX}" y1="${barY - 6}" x2="${capacityX}" y2="${barY + BAR_HEIGHT + 6}" class="limit"><title>${escapeHtml(`capacity: ${formatBytesNumber(row.capacity, unit)} ${unit}`)}</title></line>`,
      `<text x="${VALUE_LEFT}" y="${barY + 14}" class="${row.used > row.usable ? 'value over' : 'value'}">${formatBytesNumber(row.used, unit)} / ${formatBytesNumber(row.capacity, unit)} ${unit}</text>`,
    );
  });

  const summary = `Memory used per device against capacity, in ${unit}, for ${rows.length} device${rows.length === 1 ? '' : 's'} across ${report.plans.length} plan${report.plans.length === 1 ? '' : 's'}`;
  return [
    `<svg class="memory-chart" role="img" viewBox="0 0 ${WIDTH} ${height}" width="100%">`,
    `<title>${escapeHtml(summary)}</title>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
