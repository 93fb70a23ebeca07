import {
  parseMeasuredRuns,
  processPeakBytes,
  type InferenceRecord,
  type RuntimeRecord,
  type TrainingRecord,
} from '../calibration/measured-run';
import { HeadroomError } from '../errors';
import type { MeasuredRun } from './types';

/**
 * The JSON lines `../shared/calibration/measure_gpu.py` writes (`cases.jsonl`), read by the
 * calibration reader (core/calibration/measured-run.ts) and turned into measured runs. Their
 * total is the process's peak device memory as the calibration README defines it: peak_reserved
 * plus what the process holds outside PyTorch's allocator (the file's runtime-overhead record).
 */

const WEIGHTS_OF_DTYPE: Readonly<Record<InferenceRecord['dtype'], string>> = {
  bfloat16: 'bf16',
  float16: 'fp16',
  float32: 'fp32',
};

/** The line of each record id (records are one a line). */
function lineOfId(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  text.split('\n').forEach((line, index) => {
    const id = /"id"\s*:\s*"([^"]+)"/.exec(line)?.[1];
    if (id !== undefined && !lines.has(id)) lines.set(id, index + 1);
  });
  return lines;
}

/** The calibration reader's error with the file and the line of the record it names. */
function withLine(thrown: unknown, file: string, lines: ReadonlyMap<string, number>): unknown {
  if (!(thrown instanceof HeadroomError)) return thrown;
  const id = /measured run "([^"]+)"/.exec(thrown.message)?.[1];
  const line = id === undefined ? undefined : lines.get(id);
  const where = line === undefined ? file : `${file} line ${line}`;
  return new HeadroomError(thrown.code, `${where}: ${thrown.message}`);
}

/**
 * Reads measure_gpu.py's JSON lines: one measured run per inference and training record.
 *
 * @throws HeadroomError BAD_FILE naming a line that is not JSON or a record missing a field, or
 *   when the file has no runtime-overhead record (without it the total cannot be formed)
 * @example parseMeasureGpuJsonl(casesJsonl, 'cases.jsonl')[0].memoryBytes.total
 */
export function parseMeasureGpuJsonl(text: string, file: string): MeasuredRun[] {
  const lines = lineOfId(text);
  let records: ReturnType<typeof parseMeasuredRuns>['records'];
  try {
    ({ records } = parseMeasuredRuns(text));
  } catch (thrown) {
    throw withLine(thrown, file, lines);
  }
  const runtime = records.find((record): record is RuntimeRecord => record.kind === 'runtime');
  const runs = records.filter(
    (record): record is InferenceRecord | TrainingRecord =>
      record.kind === 'inference' || record.kind === 'training',
  );
  if (runs.length === 0) {
    throw new HeadroomError('BAD_FILE', `${file}: no inference or training record`);
  }
  if (!runtime) {
    throw new HeadroomError(
      'BAD_FILE',
      `${file}: no runtime-overhead record ("kind": "runtime"), so the process's peak cannot be formed; nothing was imported`,
    );
  }
  const outsideAllocator = runtime.afterSdpaBytes - runtime.reservedAfterSdpaBytes;
  return runs.map((run): MeasuredRun => {
    const line = lines.get(run.id) ?? 1;
    return {
      id: `${file}#${line}`,
      format: 'measure-gpu-jsonl',
      engine: run.kind === 'inference' ? 'transformers' : 'pytorch-training',
      model: run.modelId,
      device: runtime.device,
      deviceCount: 1,
      settings:
        run.kind === 'inference'
          ? {
              mode: 'inference',
              contextTokens: run.promptTokens + run.newTokens,
              batch: run.batch,
              weightsFormat: WEIGHTS_OF_DTYPE[run.dtype],
            }
          : { mode: 'training', contextTokens: run.sequenceTokens, batch: run.microBatch },
      // Training's weights_alloc (fp32 masters under amp, adapters) and the plan's overhead
      // (allocator slack, the step's temporaries) are not the same categories: total only.
      memoryBytes:
        run.kind === 'inference'
          ? {
              weights: run.weightsAllocBytes,
              runtime: outsideAllocator,
              total: processPeakBytes(run, runtime),
            }
          : { total: processPeakBytes(run, runtime) },
      speed: run.kind === 'training' ? { trainingTokensPerSecond: run.tokensPerSecond } : {},
      source: { file, line },
      calibration: run,
      notes: [`measure_gpu.py run "${run.id}", PyTorch ${runtime.torch}, CUDA ${runtime.cuda}`],
    };
  });
}
