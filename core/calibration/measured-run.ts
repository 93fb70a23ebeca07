import { HeadroomError } from '../errors';

/**
 * A run measured on a real GPU by `../shared/calibration/measure_gpu.py` (one JSON object a
 * line in `cases.jsonl`). Only the fields a plan is compared with are kept; bytes are bytes.
 */

/** Device memory taken outside PyTorch's caching allocator, measured at three points. */
export interface RuntimeRecord {
  readonly kind: 'runtime';
  readonly id: string;
  readonly device: string;
  readonly totalBytes: number;
  /** Device memory in use after the first CUDA tensor (the context). */
  readonly afterContextBytes: number;
  /** … after the first cuBLAS matmul, and the allocator's share at that point. */
  readonly afterCublasBytes: number;
  readonly reservedAfterCublasBytes: number;
  /** … after the first SDPA call, and the allocator's share at that point. */
  readonly afterSdpaBytes: number;
  readonly reservedAfterSdpaBytes: number;
  readonly torch: string;
  readonly cuda: string;
}

interface PeakRecord {
  readonly id: string;
  /** Model id as the Hub spells it (`meta-llama/Llama-3.1-8B`). */
  readonly modelId: string;
  readonly params: number;
  readonly weightsAllocBytes: number;
  readonly peakAllocBytes: number;
  /** torch.cuda.max_memory_reserved: what the caching allocator took from the driver. */
  readonly peakReservedBytes: number;
}

export interface InferenceRecord extends PeakRecord {
  readonly kind: 'inference';
  readonly dtype: 'bfloat16' | 'float16' | 'float32';
  readonly promptTokens: number;
  readonly newTokens: number;
  readonly batch: number;
}

export interface TrainingRecord extends PeakRecord {
  readonly kind: 'training';
  readonly precision: 'amp' | 'bf16' | 'fp32';
  readonly optimizer: string;
  readonly microBatch: number;
  readonly sequenceTokens: number;
  readonly checkpointing: boolean;
  readonly lora: { readonly rank: number; readonly targets: readonly string[] } | null;
  readonly trainable: number;
  readonly tokensPerSecond: number;
}

interface SpeedRecord {
  readonly kind: 'speed';
  readonly id: string;
  readonly modelId: string;
  readonly prefillTokens?: number;
  readonly prefillTokensPerSecond?: number;
  readonly decodeTokensPerSecondEager?: number;
  /** A CUDA-graph pass of batch-1 GEMVs over the model's weights (the bandwidth bound). */
  readonly gemvWeightBytes?: number;
  readonly gemvBytesPerSecond?: number;
}

export type MeasuredRecord = RuntimeRecord | InferenceRecord | TrainingRecord | SpeedRecord;

/** A file of measured runs: its records, and the lines that were skipped or failed, with why. */
interface MeasuredRuns {
  readonly records: readonly MeasuredRecord[];
  readonly skipped: readonly { readonly line: number; readonly why: string }[];
}

type Json = Record<string, unknown>;

function field<T>(record: Json, name: string, check: (value: unknown) => value is T): T {
  const value = record[name];
  if (!check(value)) {
    throw new HeadroomError(
      'BAD_FILE',
      `measured run "${String(record['id'])}": field "${name}" is missing or has the wrong type`,
    );
  }
  return value;
}

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const optionalNumber = (record: Json, name: string): number | undefined =>
  isNumber(record[name]) ? record[name] : undefined;

/** measure_gpu.py names models by their config folder: `org__name` → `org/name`. */
const hubIdOfFolder = (folder: string): string => folder.replace('__', '/');

const INFERENCE_DTYPES = ['bfloat16', 'float16', 'float32'] as const;
const PRECISIONS = ['amp', 'bf16', 'fp32'] as const;

function peakFields(record: Json): PeakRecord {
  return {
    id: field(record, 'id', isString),
    modelId: hubIdOfFolder(field(record, 'model', isString)),
    params: field(record, 'params', isNumber),
    weightsAllocBytes: field(record, 'weights_alloc', isNumber),
    peakAllocBytes: field(record, 'peak_alloc', isNumber),
    peakReservedBytes: field(record, 'peak_reserved', isNumber),
  };
}

function parseRecord(record: Json): MeasuredRecord | null {
  const kind = record['kind'];
  if (kind === 'runtime') {
    return {
      kind,
      id: field(record, 'id', isString),
      device: field(record, 'device', isString),
      totalBytes: field(record, 'total_bytes', isNumber),
      afterContextBytes: field(record, 'after_context', isNumber),
      afterCublasBytes: field(record, 'after_cublas', isNumber),
      reservedAfterCublasBytes: field(record, 'reserved_after_cublas', isNumber),
      afterSdpaBytes: field(record, 'after_sdpa', isNumber),
      reservedAfterSdpaBytes: field(record, 'reserved_after_sdpa', isNumber),
      torch: field(record, 'torch', isString),
      cuda: field(record, 'cuda', isString),
    };
  }
  if (kind === 'inference') {
    const dtype = field(record, 'dtype', isString);
    if (!(INFERENCE_DTYPES as readonly string[]).includes(dtype)) {
      throw new HeadroomError(
        'BAD_FILE',
        `measured run "${String(record['id'])}": dtype "${dtype}" is not one of ${INFERENCE_DTYPES.join(', ')}`,
      );
    }
    return {
      kind,
      ...peakFields(record),
      dtype: dtype as InferenceRecord['dtype'],
      promptTokens: field(record, 'ctx', isNumber),
      newTokens: field(record, 'new_tokens', isNumber),
      batch: field(record, 'batch', isNumber),
    };
  }
  if (kind === 'training') {
    const precision = field(record, 'precision', isString);
    if (!(PRECISIONS as readonly string[]).includes(precision)) {
      throw new HeadroomError(
        'BAD_FILE',
        `measured run "${String(record['id'])}": precision "${precision}" is not one of ${PRECISIONS.join(', ')}`,
      );
    }
    const lora = record['lora'];
    let parsedLora: TrainingRecord['lora'] = null;
    if (lora !== null && lora !== undefined) {
      const loraRecord = lora as Json;
      const targets = loraRecord['targets'];
      if (!Array.isArray(targets) || !targets.every(isString)) {
        throw new HeadroomError(
          'BAD_FILE',
          `measured run "${String(record['id'])}": lora.targets is not a list of module names`,
        );
      }
      parsedLora = { rank: field(loraRecord, 'r', isNumber), targets };
    }
    return {
      kind,
      ...peakFields(record),
      precision: precision as TrainingRecord['precision'],
      optimizer: field(record, 'optimizer', isString),
      microBatch: field(record, 'micro_batch', isNumber),
      sequenceTokens: field(record, 'seq', isNumber),
      checkpointing: field(record, 'checkpointing', isBoolean),
      lora: parsedLora,
      trainable: field(record, 'trainable', isNumber),
      tokensPerSecond: field(record, 'tokens_per_s', isNumber),
    };
  }
  if (kind === 'speed') {
    const prefillTokens = optionalNumber(record, 'prefill_tokens');
    const prefill = optionalNumber(record, 'prefill_tok_s');
    const decode = optionalNumber(record, 'decode_tok_s_eager');
    const gemvBytes = optionalNumber(record, 'weight_bytes');
    const gemvRate = optionalNumber(record, 'bytes_per_s');
    return {
      kind,
      id: field(record, 'id', isString),
      modelId: hubIdOfFolder(field(record, 'model', isString)),
      ...(prefillTokens !== undefined ? { prefillTokens } : {}),
      ...(prefill !== undefined ? { prefillTokensPerSecond: prefill } : {}),
      ...(decode !== undefined ? { decodeTokensPerSecondEager: decode } : {}),
      ...(gemvBytes !== undefined ? { gemvWeightBytes: gemvBytes } : {}),
      ...(gemvRate !== undefined ? { gemvBytesPerSecond: gemvRate } : {}),
    };
  }
  return null;
}

/**
 * Reads `cases.jsonl` text. Lines that record a failure or a skipped case (`error`, `skipped`)
 * and kinds this reader does not compare (e.g. `detect`) are listed in `skipped`, not dropped
 * silently; a malformed line is an error naming its number.
 */
export function parseMeasuredRuns(text: string): MeasuredRuns {
  const records: MeasuredRecord[] = [];
  const skipped: { line: number; why: string }[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new HeadroomError('BAD_FILE', `line ${index + 1} of the measured runs is not JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new HeadroomError(
        'BAD_FILE',
        `line ${index + 1} of the measured runs is not a JSON object`,
      );
    }
    const record = parsed as Json;
    if ('error' in record || 'skipped' in record) {
      skipped.push({ line: index + 1, why: `run "${String(record['id'])}" did not complete` });
      continue;
    }
    const measured = parseRecord(record);
    if (measured) records.push(measured);
    else
      skipped.push({
        line: index + 1,
        why: `kind "${String(record['kind'])}" is not compared with plans`,
      });
  }
  return { records, skipped };
}

/**
 * The memory a plan must match: the process's device memory at its peak, as the calibration
 * README defines it — the allocator's peak reservation plus what the process holds outside the
 * allocator (CUDA context, cuBLAS and attention kernels), read off the runtime record.
 */
export function processPeakBytes(
  run: InferenceRecord | TrainingRecord,
  runtime: RuntimeRecord,
): number {
  return run.peakReservedBytes + (runtime.afterSdpaBytes - runtime.reservedAfterSdpaBytes);
}
