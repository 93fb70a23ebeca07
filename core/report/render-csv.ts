/**
 * The report as CSV (RFC 4180): one row per plan × device, units in the header, for
 * spreadsheets and scripts. A plan without devices still has one row, its device cells empty.
 */
import type { DevicePlan, MemoryBreakdown, Plan } from '../plan/types';
import { formatBytesNumber, type ByteUnit } from '../units/bytes';
import { BREAKDOWN_KEYS } from './format';
import { isInferencePlan } from './plan-kind';
import type { FitReport } from './types';

/** Digits after the point for sizes: 0.001 GB is 1 MB, finer than any estimate here. */
const CSV_SIZE_DIGITS = 3;

/** Digits after the point for rates: estimates carry no more precision than that. */
const CSV_RATE_DIGITS = 2;

/** RFC 4180 section 2: lines end with CRLF. */
const CRLF = '\r\n';

const BREAKDOWN_COLUMNS: Readonly<Record<keyof MemoryBreakdown, string>> = {
  weights: 'weights',
  kvCache: 'kv_cache',
  activations: 'activations',
  gradients: 'gradients',
  optimizerStates: 'optimizer_states',
  masterWeights: 'master_weights',
  overhead: 'overhead',
};

/** The header: plan and scenario, device, sizes in the unit, verdict, speed. */
export function csvHeader(unit: ByteUnit): string[] {
  const sized = (name: string): string => `${name}_${unit}`;
  return [
    'plan',
    'mode',
    'model_id',
    'weights_format',
    'kv_format',
    'engine',
    'precision',
    'finetune',
    'optimizer',
    'sharding',
    'context_tokens',
    'batch',
    'micro_batch',
    'grad_accum',
    'device_index',
    'device_id',
    'device_name',
    'layers',
    sized('capacity'),
    sized('used'),
    sized('headroom'),
    ...BREAKDOWN_KEYS.map((key) => sized(BREAKDOWN_COLUMNS[key])),
    'verdict',
    'fits',
    'min_devices',
    'decode_tokens_per_s',
    'prefill_tokens_per_s',
    'training_tokens_per_s',
    'seconds_to_train',
    'accuracy',
  ];
}

/**
 * One cell, quoted when it holds a comma, a quote, a line break or leading/trailing space
 * (RFC 4180 section 2, rules 6 and 7: quotes inside are doubled).
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' && !Number.isFinite(value) ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function scenarioCells(plan: Plan): (string | number | null)[] {
  if (isInferencePlan(plan)) {
    const s = plan.scenario;
    return [
      s.weightsFormat,
      s.kvFormat,
      s.engine,
      null,
      null,
      null,
      null,
      s.contextTokens,
      s.batch,
      null,
      null,
    ];
  }
  const s = plan.scenario;
  return [
    null,
    null,
    null,
    s.precision,
    s.finetune,
    s.optimizer,
    s.fsdp ? `fsdp-${s.fsdp}` : `zero-${s.zeroStage}`,
    s.contextTokens,
    null,
    s.microBatch,
    s.gradAccum,
  ];
}

function speedCells(plan: Plan): (number | null)[] {
  const round = (value: number | null): number | null =>
    value === null || !Number.isFinite(value) ? null : Number(value.toFixed(CSV_RATE_DIGITS));
  const t = plan.throughput;
  if (!t) return [null, null, null, null];
  if ('decodeTokensPerSecond' in t)
    return [round(t.decodeTokensPerSecond), round(t.prefillTokensPerSecond), null, null];
  return [null, null, round(t.trainingTokensPerSecond), round(t.secondsToTrain)];
}

function deviceCells(
  device: DevicePlan | null,
  index: number,
  unit: ByteUnit,
): (string | number | null)[] {
  const size = (bytes: number): string => formatBytesNumber(bytes, unit, CSV_SIZE_DIGITS);
  if (!device) return [null, null, null, null, null, null, null, ...BREAKDOWN_KEYS.map(() => null)];
  return [
    index,
    device.device,
    device.name,
    device.layers,
    size(device.capacity),
    size(device.used),
    size(device.headroom),
    ...BREAKDOWN_KEYS.map((key) => size(device.breakdown[key])),
  ];
}

/**
 * The CSV text: a header line, then one line per plan × device, CRLF line ends.
 * @example renderReportCsv(report).split('\r\n')[0].split(',')[18] // "capacity_GB"
 */
export function renderReportCsv(report: FitReport): string {
  const lines: (string | number | boolean | null)[][] = [csvHeader(report.unit)];
  for (const { label, plan } of report.plans) {
    const devices: (DevicePlan | null)[] =
      plan.memory.perDevice.length > 0 ? [...plan.memory.perDevice] : [null];
    devices.forEach((device, index) => {
      lines.push([
        label,
        plan.scenario.mode,
        plan.model.id,
        ...scenarioCells(plan),
        ...deviceCells(device, index, report.unit),
        plan.verdict.status,
        plan.verdict.fits,
        plan.verdict.minDevices,
        ...speedCells(plan),
        plan.accuracy.summary,
      ]);
    });
  }
  return lines.map((cells) => cells.map(csvCell).join(',')).join(CRLF) + CRLF;
}
