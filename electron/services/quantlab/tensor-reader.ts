/**
 * Reads one tensor of a local safetensors file into memory, whole or as a sample, in chunks
 * through one reused buffer: for the lab's per-value views (quantized and dequantized values,
 * histograms) of tensors small enough to hold. Whole-tensor metrics of big tensors come from
 * the streaming scan instead.
 */
import { open } from 'node:fs/promises';
import { HeadroomError } from '../../../core/errors';
import { decodeInto } from '../../../core/quantlab/float-formats';
import { MAX_BLOCK_SIZE, type TensorShape } from '../../../core/quantlab/methods';
import type { TensorInput } from '../../../core/quantlab/quantize';
import { MAX_IN_MEMORY_ELEMENTS } from '../../../core/quantlab/synthetic';
import { DEFAULT_CHUNK_BYTES } from './memory-budget';
import { openCheckpoint, selectTensors, type LabTensor } from './safetensors-tensors';

/** A contiguous run of elements to read. */
interface ElementRange {
  readonly start: number;
  readonly count: number;
}

interface ReadOptions {
  /** Read about this many values, spread evenly over the tensor, instead of all of it. */
  readonly sampleElements?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

interface ReadTensor extends TensorInput {
  readonly tensor: LabTensor;
  /** True when the values are a sample, not the whole tensor. */
  readonly sampled: boolean;
}

/**
 * Which elements a sample takes: whole rows spread evenly when rows fit (keeps the 2-D
 * structure that per-row, per-column and LLM.int8 need), else evenly spread runs of 4096
 * (a multiple of every block size), as a 1-D tensor.
 */
function sampleRanges(
  view: TensorShape,
  sampleElements: number,
): { ranges: ElementRange[]; shape: TensorShape } {
  const elements = view.rows * view.cols;
  if (sampleElements >= elements) return { ranges: [{ start: 0, count: elements }], shape: view };
  if (view.rows > 1 && view.cols <= sampleElements) {
    const rows = Math.max(1, Math.floor(sampleElements / view.cols));
    const ranges = Array.from({ length: rows }, (_, k) => ({
      start: Math.floor((k * view.rows) / rows) * view.cols,
      count: view.cols,
    }));
    return { ranges, shape: { rows, cols: view.cols } };
  }
  const runs = Math.max(1, Math.ceil(sampleElements / MAX_BLOCK_SIZE));
  const slots = Math.floor(elements / MAX_BLOCK_SIZE);
  const ranges = Array.from({ length: runs }, (_, k) => ({
    start: Math.floor((k * slots) / runs) * MAX_BLOCK_SIZE,
    count: Math.min(MAX_BLOCK_SIZE, elements - Math.floor((k * slots) / runs) * MAX_BLOCK_SIZE),
  }));
  const total = ranges.reduce((sum, range) => sum + range.count, 0);
  return { ranges, shape: { rows: 1, cols: total } };
}

/** Reads tensor `name` (or a sample of it) from a safetensors file, sharded checkpoint or folder. */
export async function readSafetensorsTensor(
  path: string,
  name: string,
  options: ReadOptions = {},
): Promise<ReadTensor> {
  const [tensor] = selectTensors(await openCheckpoint(path), [name]);
  const sample = options.sampleElements;
  if (
    sample !== undefined &&
    (!Number.isInteger(sample) || sample < 1 || sample > MAX_IN_MEMORY_ELEMENTS)
  ) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `--sample takes 1 to ${MAX_IN_MEMORY_ELEMENTS} values; got ${sample}.`,
    );
  }
  if (sample === undefined && tensor!.elements > MAX_IN_MEMORY_ELEMENTS) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `Tensor "${name}" has ${tensor!.elements} values, more than the ${MAX_IN_MEMORY_ELEMENTS} the lab holds in memory; use --sample, or omit per-value output to stream it.`,
    );
  }
  const { ranges, shape } = sampleRanges(tensor!.view, sample ?? tensor!.elements);
  const width = tensor!.bytesPerElement;
  const values = new Float32Array(shape.rows * shape.cols);
  const chunkElements = Math.floor(DEFAULT_CHUNK_BYTES / width);
  const buffer = new Uint8Array(new ArrayBuffer(chunkElements * width));
  const scratch = new Float32Array(chunkElements);
  const bytesTotal = values.length * width;
  let done = 0;
  const handle = await open(tensor!.path, 'r');
  try {
    for (const range of ranges) {
      for (let offset = 0; offset < range.count; offset += chunkElements) {
        options.signal?.throwIfAborted();
        const count = Math.min(chunkElements, range.count - offset);
        const position = tensor!.dataStart + (range.start + offset) * width;
        const { bytesRead } = await handle.read(buffer, 0, count * width, position);
        if (bytesRead !== count * width) {
          throw new HeadroomError(
            'BAD_FILE',
            `${tensor!.path}: the file ends inside tensor "${name}".`,
          );
        }
        decodeInto(tensor!.dtype, buffer, count, scratch);
        values.set(scratch.subarray(0, count), done);
        done += count;
        options.onProgress?.(done * width, bytesTotal);
      }
    }
  } finally {
    await handle.close();
  }
  return {
    tensor: tensor!,
    values,
    shape,
    sampled: sample !== undefined && sample < tensor!.elements,
  };
}
