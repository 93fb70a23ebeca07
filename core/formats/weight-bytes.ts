/**
 * Bytes a model's weights take in a format: tensor by tensor through the format's per-tensor
 * rule, GGML types in whole blocks per row, everything else at its bits per weight.
 */
import { BugError, HeadroomError } from '../errors';
import type { TensorSpec } from '../models/types';
import type { NumericFormat, TensorContext } from './types';
import { getFormat } from './catalog';
import { ggmlBytes, isGgmlTypeId, type GgmlTypeId } from './ggml-types';

const BITS_PER_BYTE = 8;

/** The catalog ids whose storage is a GGML type under another name (TF32 is stored as FP32). */
const GGML_STORAGE: Readonly<Record<string, GgmlTypeId>> = {
  fp32: 'f32',
  tf32: 'f32',
  fp16: 'f16',
  bf16: 'bf16',
};

interface FormatShare {
  readonly elements: number;
  readonly bytes: number;
}

interface WeightBytes {
  readonly totalBytes: number;
  /** Elements and bytes per single format id the tensors ended up in (q4_k, q6_k, fp32 …). */
  readonly byFormat: Readonly<Record<string, FormatShare>>;
}

function ggmlStorage(id: string): GgmlTypeId | undefined {
  return GGML_STORAGE[id] ?? (isGgmlTypeId(id) ? id : undefined);
}

/** Bytes of one tensor stored in the single format `id`. */
function tensorBytes(tensor: TensorSpec, id: string, format: NumericFormat): number {
  const ggml = ggmlStorage(id);
  if (ggml !== undefined) {
    // Rows of ne[0] = last-dimension weights, each padded to whole blocks (ggml_row_size).
    const cols = tensor.shape[tensor.shape.length - 1] ?? tensor.elements;
    const rows = cols > 0 ? tensor.elements / cols : 0;
    return ggmlBytes(ggml, rows, cols);
  }
  const single = id === format.id ? format : getFormat(id);
  if (single === undefined) {
    throw new BugError(`format ${format.id} put a tensor in unknown format "${id}"`);
  }
  return Math.ceil((tensor.elements * single.bitsPerWeight) / BITS_PER_BYTE);
}

/**
 * The bytes of `tensors` stored in `format`, in total and per single format they end up in
 * (a Q4_K_M model is mostly q4_k with some q6_k and fp32 norms).
 * @example weightBytes(llama2_7bTensors, getFormat('q4_k_m')!, { layers: 32, experts: 0, gqaFactor: 1 })
 *   // { totalBytes: 4_080_263_168, byFormat: { q4_k: …, q6_k: …, fp32: … } }
 */
export function weightBytes(
  tensors: readonly TensorSpec[],
  format: NumericFormat,
  context: TensorContext,
): WeightBytes {
  const byFormat: Record<string, { elements: number; bytes: number }> = {};
  let totalBytes = 0;
  for (const tensor of tensors) {
    const id = format.tensorFormat(tensor, context);
    const bytes = tensorBytes(tensor, id, format);
    const share = (byFormat[id] ??= { elements: 0, bytes: 0 });
    share.elements += tensor.elements;
    share.bytes += bytes;
    totalBytes += bytes;
  }
  return { totalBytes, byFormat };
}

/**
 * Bytes of a bare parameter count in a format: params × bitsPerWeight / 8, every block and
 * scale overhead included (for a GGUF mix: its main type only; use weightBytes with the
 * tensor list for the real mix).
 * @example bytesForParams(70e9, getFormat('int4')!) // 35e9 ("70 B at 4 bits = 35 GB")
 * @throws HeadroomError BAD_ARGUMENT when params is negative or not a finite number.
 */
export function bytesForParams(params: number, format: NumericFormat): number {
  if (!Number.isFinite(params) || params < 0) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `A parameter count must be a number ≥ 0, not ${params}.`,
    );
  }
  return (params * format.bitsPerWeight) / BITS_PER_BYTE;
}
