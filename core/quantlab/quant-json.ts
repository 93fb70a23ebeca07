/**
 * The lab's exports: the `headroom.quant/v1` JSON document (issue 9's contract: schema, method,
 * quantized?, dequantized?, scales?, metrics{mse, rmse, maxAbsError, snrDb, meanRelError,
 * zeroedFraction}, storedBytes; per-value arrays only for inputs of at most 4096 values) and
 * the scan table as CSV. Fields beyond the contract are additive.
 */
import type { QuantMetrics } from './metrics';
import { cliMethodName, type CliMethodName, type QuantMethodSpec } from './methods';
import type { QuantResult } from './quantize';
import type { ScanRow } from './scan';

/** The document's schema id; a breaking change bumps the version (DESIGN.md). */
export const QUANT_SCHEMA = 'headroom.quant/v1';
/** Inputs up to this many values carry quantized, dequantized and scales in the JSON (issue 9). */
export const MAX_JSON_VALUES = 4096;

/** Metrics as JSON writes them: an infinite SNR (no error at all) is null. */
export interface JsonMetrics {
  readonly mse: number;
  readonly rmse: number;
  readonly maxAbsError: number;
  readonly snrDb: number | null;
  readonly meanRelError: number;
  readonly zeroedFraction: number;
}

/** Where the values came from, as the document records it. */
export type QuantInputDescription =
  | { readonly source: 'values' }
  | { readonly source: 'synthetic'; readonly spec: string; readonly outliers?: string }
  | {
      readonly source: 'file';
      readonly file: string;
      readonly tensor?: string;
      readonly sampled?: boolean;
    };

interface TensorJson {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly elements: number;
  readonly absmax: number;
  readonly outlierFraction: number;
  readonly metrics: JsonMetrics;
  readonly storedBytes: number;
}

export interface QuantJson {
  readonly schema: typeof QUANT_SCHEMA;
  readonly method: CliMethodName;
  readonly label: string;
  readonly input: QuantInputDescription;
  readonly elements: number;
  readonly shape?: readonly [number, number];
  readonly quantized?: number[];
  readonly dequantized?: number[];
  readonly scales?: number[];
  readonly zeroPoints?: number[];
  readonly metrics: JsonMetrics;
  readonly storedBytes: number;
  /** LLM.int8 only: what the decomposition keeps in fp16. */
  readonly outliers?: {
    readonly threshold: number;
    readonly columns: readonly number[];
    readonly columnFraction: number;
    readonly valueFraction: number;
    readonly fp16Bytes: number;
  };
  /** File scans: one entry per tensor. */
  readonly tensors?: readonly TensorJson[];
}

/** Metrics with a finite-or-null SNR. */
export function jsonMetrics(metrics: QuantMetrics): JsonMetrics {
  return { ...metrics, snrDb: Number.isFinite(metrics.snrDb) ? metrics.snrDb : null };
}

/** The JSON document of a tensor quantized in memory. */
export function quantJson(
  result: QuantResult,
  input: QuantInputDescription,
  shape?: readonly [number, number],
): QuantJson {
  const small = result.elements <= MAX_JSON_VALUES;
  const llm = result.llmInt8;
  return {
    schema: QUANT_SCHEMA,
    method: result.method,
    label: result.label,
    input,
    elements: result.elements,
    ...(shape ? { shape } : {}),
    ...(small
      ? {
          quantized: Array.from(result.codes),
          dequantized: Array.from(result.dequantized),
          scales: Array.from(result.scales),
          ...(result.zeroPoints ? { zeroPoints: Array.from(result.zeroPoints) } : {}),
        }
      : {}),
    metrics: jsonMetrics(result.metrics),
    storedBytes: result.storedBytes,
    ...(llm
      ? {
          outliers: {
            threshold: llm.threshold,
            columns: llm.outlierColumns,
            columnFraction: llm.outlierColumnFraction,
            valueFraction: llm.outlierValueFraction,
            fp16Bytes: llm.outlierBytes,
          },
        }
      : {}),
  };
}

/** One scanned tensor as JSON, for the method at `methodIndex`. */
function tensorJson(row: ScanRow, methodIndex = 0): TensorJson {
  const result = row.results[methodIndex]!;
  return {
    name: row.name,
    dtype: row.dtype,
    shape: row.shape,
    elements: row.elements,
    absmax: row.absmax,
    outlierFraction: row.outlierFraction,
    metrics: jsonMetrics(result.metrics),
    storedBytes: result.storedBytes,
  };
}

/**
 * The JSON document of a file scan with one method: the metrics and stored bytes over every
 * scanned value (`total`, as the scan merged them), and each tensor's.
 */
export function scanQuantJson(
  spec: QuantMethodSpec,
  rows: readonly ScanRow[],
  total: { readonly label: string; readonly metrics: QuantMetrics; readonly storedBytes: number },
  input: QuantInputDescription,
): QuantJson {
  return {
    schema: QUANT_SCHEMA,
    method: cliMethodName(spec),
    label: total.label,
    input,
    elements: rows.reduce((sum, row) => sum + row.elements, 0),
    metrics: jsonMetrics(total.metrics),
    storedBytes: total.storedBytes,
    tensors: rows.map((row) => tensorJson(row)),
  };
}

const METRIC_KEYS: readonly (keyof QuantMetrics)[] = [
  'mse',
  'rmse',
  'maxAbsError',
  'snrDb',
  'meanRelError',
  'zeroedFraction',
];

function csvCell(value: string | number): string {
  const text =
    typeof value === 'number'
      ? Number.isFinite(value)
        ? String(value)
        : value > 0
          ? 'inf'
          : 'nan'
      : value;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The scan table as CSV (RFC 4180 quoting): one row per tensor, a column group per method. */
export function scanTableCsv(rows: readonly ScanRow[]): string {
  const labels = rows[0]?.results.map((result) => result.label) ?? [];
  const header = [
    'name',
    'dtype',
    'shape',
    'elements',
    'absmax',
    'outlierFraction',
    ...labels.flatMap((label) => [
      ...METRIC_KEYS.map((key) => `${label} ${key}`),
      `${label} storedBytes`,
    ]),
  ];
  const lines = rows.map((row) => [
    row.name,
    row.dtype,
    row.shape.join('x'),
    row.elements,
    row.absmax,
    row.outlierFraction,
    ...row.results.flatMap((result) => [
      ...METRIC_KEYS.map((key) => result.metrics[key]),
      result.storedBytes,
    ]),
  ]);
  return [header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
