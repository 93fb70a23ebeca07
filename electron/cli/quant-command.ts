import { Command, Option } from 'commander';
import { HeadroomError } from '../../core/errors';
import type { QuantMetrics } from '../../core/quantlab/metrics';
import { scanSpeedText } from '../../core/quantlab/scan-progress';
import { formatBytes } from '../../core/units/bytes';
import { formatMetric, formatPercent, formatSnr } from '../../core/units/numbers';
import {
  CHANNEL_AXES,
  methodFromOptions,
  type ChannelAxis,
} from '../../core/quantlab/method-options';
import {
  BNB_4BIT_DEFAULT_BLOCK,
  CLI_METHOD_NAMES,
  DEFAULT_BLOCKWISE_SIZE,
  MAX_BLOCK_SIZE,
  MIN_BLOCK_SIZE,
  MIN_IN_MEMORY_BLOCK_SIZE,
  type CliMethodName,
} from '../../core/quantlab/methods';
import {
  MAX_JSON_VALUES,
  quantJson,
  scanQuantJson,
  type QuantInputDescription,
} from '../../core/quantlab/quant-json';
import {
  quantizeTensor,
  vectorInput,
  type QuantResult,
  type TensorInput,
} from '../../core/quantlab/quantize';
import {
  parseOutlierSpec,
  parsePastedValues,
  parseShapeText,
  parseSyntheticSpec,
  syntheticTensor,
} from '../../core/quantlab/synthetic';
import { openCheckpoint, selectTensors } from '../services/quantlab/safetensors-tensors';
import { readSafetensorsTensor } from '../services/quantlab/tensor-reader';
import { scanSafetensors, type ScanReport } from '../services/quantlab/stream-scan';
import { WORKER_THREADS_BOUND } from '../../core/input-bounds';
import { boundedNumber, oneOf, positiveInteger } from './option-parsers';
import { renderTable } from './table';

interface QuantOptions {
  readonly values?: string;
  readonly synthetic?: string;
  readonly outliers?: string;
  readonly file?: string;
  readonly tensor?: string;
  readonly sample?: number;
  readonly shape?: string;
  readonly method: CliMethodName;
  readonly bits?: number;
  readonly block?: number;
  readonly per?: ChannelAxis;
  readonly threshold?: number;
  readonly doubleQuant?: boolean;
  readonly workers?: number;
  readonly json?: boolean;
}

/** Where the command writes; tests pass their own sinks. */
interface QuantCommandOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether progress lines may be drawn (stderr is a terminal). */
  readonly interactive: boolean;
}

const PROCESS_OUTPUT: QuantCommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
};

function bitsOption(text: string): number {
  if (text !== '8' && text !== '4') throw new HeadroomError('BAD_ARGUMENT', '--bits is 8 or 4.');
  return Number(text);
}

function positiveNumber(text: string): number {
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value))
    throw new HeadroomError('BAD_ARGUMENT', `expected a positive number, got "${text}".`);
  return value;
}

/** The values the options name (pasted or synthetic), with their description. */
function memoryInput(options: QuantOptions): { tensor: TensorInput; input: QuantInputDescription } {
  if (options.values !== undefined) {
    const values = parsePastedValues(options.values);
    return {
      tensor: { values, shape: parseShapeText(options.shape, values.length) },
      input: { source: 'values' },
    };
  }
  const outliers = options.outliers === undefined ? undefined : parseOutlierSpec(options.outliers);
  const values = syntheticTensor(parseSyntheticSpec(options.synthetic!, outliers));
  return {
    tensor: options.shape
      ? { values, shape: parseShapeText(options.shape, values.length) }
      : vectorInput(values),
    input: {
      source: 'synthetic',
      spec: options.synthetic!,
      ...(options.outliers ? { outliers: options.outliers } : {}),
    },
  };
}

/** Values printed in full by the human output (longer inputs print the metrics only). */
const MAX_PRINTED_VALUES = 32;

/** A terminal has room for five significant figures of a metric or a value. */
const number = (value: number): string => formatMetric(value, 5);

/** Error fractions are small: two decimals of a percent keep 0.01 % visible. */
const percent = (fraction: number): string => formatPercent(fraction, { fractionDigits: 2 });

function bytesText(bytes: number): string {
  return bytes < 1e6 ? `${bytes} B` : formatBytes(bytes, 'GB', 3);
}

function metricLines(metrics: QuantMetrics): string[][] {
  return [
    ['MSE', number(metrics.mse)],
    ['RMSE', number(metrics.rmse)],
    ['max |error|', number(metrics.maxAbsError)],
    ['SNR', Number.isFinite(metrics.snrDb) ? `${formatSnr(metrics.snrDb, 2)} dB` : '∞ (no error)'],
    ['mean rel. error', percent(metrics.meanRelError)],
    ['became zero', percent(metrics.zeroedFraction)],
  ];
}

/** The human form of one quantized tensor: what, how big, the metrics, and the values when few. */
function renderQuantResult(result: QuantResult, tensor: TensorInput): string {
  const { rows, cols } = tensor.shape;
  const lines: string[][] = [
    ['method', result.label],
    ['values', `${result.elements}${rows > 1 ? ` (${rows} × ${cols})` : ''}`],
    [
      'stored',
      `${bytesText(result.storedBytes)} (${((result.storedBytes * 8) / result.elements).toFixed(3)} bits/value)`,
    ],
    ...metricLines(result.metrics),
  ];
  if (result.llmInt8) {
    const llm = result.llmInt8;
    lines.push([
      'fp16 columns',
      `${llm.outlierColumns.length} (${percent(llm.outlierColumnFraction)}), ${bytesText(llm.outlierBytes)}`,
    ]);
  }
  if (result.elements <= MAX_PRINTED_VALUES) {
    lines.push(['quantized', Array.from(result.codes).join(' ')]);
    lines.push(['dequantized', Array.from(result.dequantized, number).join(' ')]);
  }
  const width = Math.max(...lines.map(([label]) => label!.length));
  return `${lines.map(([label, value]) => `${label!.padEnd(width)}  ${value}`).join('\n')}\n`;
}

/** The human form of a file scan: one row per tensor, then the totals and what was skipped. */
function renderScanReport(report: ScanReport): string {
  const rows = report.rows.map((row) => {
    const result = row.results[0]!;
    return [
      row.name,
      row.shape.join('×'),
      number(row.absmax),
      percent(row.outlierFraction),
      number(result.metrics.mse),
      formatSnr(result.metrics.snrDb, 2),
      percent(result.metrics.zeroedFraction),
      bytesText(result.storedBytes),
    ];
  });
  const lines = [
    renderTable(
      [
        'tensor',
        'shape',
        'absmax',
        `|x|≥${report.outlierThreshold}`,
        'MSE',
        'SNR dB',
        'zeroed',
        'stored',
      ],
      rows,
      [2, 3, 4, 5, 6, 7],
    ),
    '',
  ];
  for (const total of report.totals) {
    lines.push(
      `${total.label}, all tensors: MSE ${number(total.metrics.mse)}, SNR ${number(total.metrics.snrDb)} dB, stored ${bytesText(total.storedBytes)}`,
    );
  }
  lines.push(
    `read ${bytesText(report.bytesRead)} with ${report.workers} worker thread${report.workers === 1 ? '' : 's'}`,
  );
  for (const skipped of report.skipped)
    lines.push(`skipped ${skipped.name} (${skipped.dtype}): ${skipped.reason}`);
  return `${lines.join('\n')}\n`;
}

function checkInputs(options: QuantOptions): void {
  const given = [options.values, options.synthetic, options.file].filter(
    (input) => input !== undefined,
  ).length;
  if (given !== 1) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'Give exactly one input: --values "1.2,-0.5,…", --synthetic normal:1e6:seed=1 or --file model.safetensors.',
    );
  }
  if (options.outliers !== undefined && options.synthetic === undefined) {
    throw new HeadroomError('BAD_ARGUMENT', '--outliers k:m goes with --synthetic.');
  }
  if (
    options.file === undefined &&
    (options.tensor !== undefined || options.sample !== undefined || options.workers !== undefined)
  ) {
    throw new HeadroomError('BAD_ARGUMENT', '--tensor, --sample and --workers go with --file.');
  }
  if (options.file !== undefined && options.shape !== undefined) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      '--shape is for --values and --synthetic; a file tensor has its own shape.',
    );
  }
  if (options.sample !== undefined && options.tensor === undefined) {
    throw new HeadroomError('BAD_ARGUMENT', '--sample needs --tensor (which tensor to sample).');
  }
}

function progressWriter(
  output: QuantCommandOutput,
  json: boolean,
): ((done: number, total: number, elapsedMs?: number) => void) | undefined {
  if (json || !output.interactive) return undefined;
  const startedMs = performance.now();
  let last = -1;
  let width = 0;
  return (done, total, elapsedMs = performance.now() - startedMs) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (percent === last) return;
    last = percent;
    const speed = scanSpeedText({ bytesDone: done, bytesTotal: total, elapsedMs });
    const line = `headroom: reading ${percent}% of ${(total / 1e9).toFixed(2)} GB${speed ? ` (${speed})` : ''}`;
    // Spaces over the rest of a longer previous line (the time left shrinks as it counts down).
    output.stderr(`\r${line.padEnd(width)}${percent === 100 ? '\n' : ''}`);
    width = line.length;
  };
}

async function runQuant(options: QuantOptions, output: QuantCommandOutput): Promise<void> {
  checkInputs(options);
  // --threshold is LLM.int8's outlier threshold, or the |x| a file scan counts as an outlier.
  const isLlmInt8 = options.method === 'llm.int8';
  if (options.threshold !== undefined && !isLlmInt8 && options.file === undefined) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      '--threshold applies to --method llm.int8 or to a --file scan.',
    );
  }
  const { threshold, ...methodOptions } = options;
  // Values in memory take blocks from 2, as the workbench does for a pasted list (a short list
  // can then show block-wise helping); a file scan's kernels take blocks from 32.
  const spec = methodFromOptions(
    isLlmInt8 && threshold !== undefined ? { ...methodOptions, threshold } : methodOptions,
    options.file === undefined ? MIN_IN_MEMORY_BLOCK_SIZE : MIN_BLOCK_SIZE,
  );
  const json = options.json === true;
  if (options.file === undefined) {
    const { tensor, input } = memoryInput(options);
    const result = quantizeTensor(tensor, spec);
    const shape: [number, number] = [tensor.shape.rows, tensor.shape.cols];
    output.stdout(
      json
        ? `${JSON.stringify(quantJson(result, input, shape), null, 2)}\n`
        : renderQuantResult(result, tensor),
    );
    return;
  }
  const onProgress = progressWriter(output, json);
  const input: QuantInputDescription = {
    source: 'file',
    file: options.file,
    ...(options.tensor ? { tensor: options.tensor } : {}),
    ...(options.sample !== undefined ? { sampled: true } : {}),
  };
  if (options.tensor !== undefined) {
    // A sample, or a tensor small enough for per-value output: read it into memory.
    const small =
      options.sample !== undefined ? undefined : await smallTensor(options.file, options.tensor);
    if (options.sample !== undefined || small) {
      const read =
        small ??
        (await readSafetensorsTensor(options.file, options.tensor, {
          sampleElements: options.sample!,
          ...(onProgress ? { onProgress } : {}),
        }));
      const result: QuantResult = quantizeTensor(read, spec);
      const shape: [number, number] = [read.shape.rows, read.shape.cols];
      output.stdout(
        json
          ? `${JSON.stringify(quantJson(result, { ...input, sampled: read.sampled }, shape), null, 2)}\n`
          : renderQuantResult(result, read),
      );
      return;
    }
  }
  const report = await scanSafetensors(options.file, {
    methods: [spec],
    ...(options.tensor !== undefined ? { tensors: [options.tensor] } : {}),
    ...(options.threshold !== undefined ? { outlierThreshold: options.threshold } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(onProgress
      ? { onProgress: (p) => onProgress(p.bytesDone, p.bytesTotal, p.elapsedMs) }
      : {}),
  });
  output.stdout(
    json
      ? `${JSON.stringify(scanQuantJson(spec, report.rows, report.totals[0]!, input), null, 2)}\n`
      : renderScanReport(report),
  );
}

/** The named tensor read whole when it has at most MAX_JSON_VALUES values, else undefined. */
async function smallTensor(path: string, name: string) {
  const [tensor] = selectTensors(await openCheckpoint(path), [name]);
  return tensor!.elements <= MAX_JSON_VALUES ? readSafetensorsTensor(path, name) : undefined;
}

/**
 * `headroom quant`: what a quantization method does to real numbers — pasted values, a seeded
 * synthetic tensor or a tensor of a safetensors file (or all of them) — with the error metrics
 * and stored bytes; `--json` prints schema headroom.quant/v1.
 */
export function quantCommand(output: QuantCommandOutput = PROCESS_OUTPUT): Command {
  return new Command('quant')
    .description(
      'Quantize numbers and measure the error: absmax, zero-point, block-wise, LLM.int8, NF4/FP4, GGUF.',
    )
    .option('--values <list>', 'numbers to quantize, e.g. "1.2,-0.5,-4.3,1.2,-3.1,0.8,2.4,5.4"')
    .option(
      '--synthetic <spec>',
      'seeded values: normal|laplace|student-t:<count>[:seed=N][:scale=S][:df=ν]',
    )
    .option('--outliers <k:m>', 'with --synthetic: k values replaced by ±m')
    .option(
      '--file <path>',
      'a safetensors file, a sharded model’s index.json, or a folder (F32, F16, BF16 tensors)',
    )
    .option('--tensor <name>', 'with --file: the tensor (default: scan every tensor)')
    .option(
      '--sample <n>',
      'with --tensor: quantize about n values spread over the tensor',
      positiveInteger,
    )
    .option(
      '--shape <rows>x<cols>',
      'view --values/--synthetic as a matrix (per-row/column, LLM.int8)',
    )
    .addOption(
      new Option('--method <method>', 'quantization method')
        .choices(CLI_METHOD_NAMES)
        .makeOptionMandatory(),
    )
    .option('--bits <bits>', 'absmax, zeropoint, blockwise: 8 or 4 (default 8)', bitsOption)
    .option(
      '--block <n>',
      `block size, a power of two: from ${MIN_IN_MEMORY_BLOCK_SIZE} for --values/--synthetic, from ${MIN_BLOCK_SIZE} for --file; up to ${MAX_BLOCK_SIZE} (blockwise default ${DEFAULT_BLOCKWISE_SIZE}; nf4/fp4 ${BNB_4BIT_DEFAULT_BLOCK})`,
      positiveInteger,
    )
    .option(
      '--per <axis>',
      `absmax, zeropoint: one scale per ${CHANNEL_AXES.join(' or ')}`,
      oneOf(CHANNEL_AXES),
    )
    .option(
      '--threshold <t>',
      'LLM.int8 outlier threshold, and the scan table’s outlier threshold (default 6.0)',
      positiveNumber,
    )
    .option('--double-quant', 'nf4, fp4: quantize the block scales too (QLoRA double quantization)')
    .option(
      '--workers <n>',
      'with --file: worker threads (default: all cores within the 256 MiB bound)',
      boundedNumber(WORKER_THREADS_BOUND),
    )
    .option('--json', 'print one JSON document (schema headroom.quant/v1)')
    .action(async (options: QuantOptions) => runQuant(options, output));
}
