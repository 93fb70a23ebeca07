/**
 * The tensors of a local checkpoint as the quantization lab sees them: one safetensors file, a
 * sharded checkpoint's model.safetensors.index.json, or a folder holding either. Headers are
 * read by core/import/safetensors.ts (validated against each file's size); each tensor gets its
 * file, absolute byte offset, [rows, cols] view and whether the lab can decode its dtype.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HeadroomError } from '../../../core/errors';
import { parseJsonBytes } from '../../../core/import/bounded-json';
import { readSafetensorsHeader } from '../../../core/import/safetensors';
import {
  INDEX_JSON_DEPTH,
  MAX_INDEX_BYTES,
  MAX_SAFETENSORS_SHARDS,
  parseSafetensorsIndex,
  SAFETENSORS_INDEX_NAME,
} from '../../../core/import/safetensors-index';
import {
  DTYPE_BYTES,
  hostIsLittleEndian,
  isReadableDtype,
} from '../../../core/quantlab/float-formats';
import { tensorView } from '../../../core/quantlab/methods';
import type { ScanTensor } from '../../../core/quantlab/scan-jobs';
import { fileError, parseLocalHeader, readSmallFile } from '../model-file-source';

/** safetensors prefix: the u64 header length (core/import/safetensors.ts LENGTH_PREFIX_BYTES). */
const LENGTH_PREFIX_BYTES = 8;

/** A tensor the lab cannot decode, and why. */
export interface SkippedTensor {
  readonly name: string;
  readonly dtype: string;
  readonly reason: string;
}

/** A tensor and the file that holds it. */
export interface LabTensor extends ScanTensor {
  readonly path: string;
}

interface LabCheckpoint {
  /** What was opened: a file, an index or a folder. */
  readonly path: string;
  readonly files: readonly string[];
  /** F32 / F16 / BF16 tensors with at least one element, in file order. */
  readonly tensors: readonly LabTensor[];
  readonly skipped: readonly SkippedTensor[];
}

/** The safetensors files behind a path: the file, an index's shards, or a folder's. */
async function checkpointFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch((error: unknown) => {
    throw fileError(path, error);
  });
  if (info.isDirectory()) {
    const names = await readdir(path);
    if (names.includes(SAFETENSORS_INDEX_NAME))
      return indexShards(join(path, SAFETENSORS_INDEX_NAME));
    const shards = names.filter((name) => name.endsWith('.safetensors')).sort();
    if (shards.length === 0)
      throw new HeadroomError('FILE_NOT_FOUND', `${path}: no .safetensors files in this folder.`);
    if (shards.length > MAX_SAFETENSORS_SHARDS) {
      throw new HeadroomError(
        'BAD_FILE',
        `${path}: more than ${MAX_SAFETENSORS_SHARDS} .safetensors files.`,
      );
    }
    return shards.map((name) => join(path, name));
  }
  if (basename(path).endsWith('.index.json')) return indexShards(path);
  return [path];
}

async function indexShards(indexPath: string): Promise<string[]> {
  const bytes = await readSmallFile(indexPath, MAX_INDEX_BYTES);
  const index = parseSafetensorsIndex(
    parseJsonBytes(bytes, indexPath, { maxBytes: MAX_INDEX_BYTES, maxDepth: INDEX_JSON_DEPTH }),
    indexPath,
  );
  return index.shards.map((name) => join(dirname(indexPath), name));
}

/** Reads the headers of a checkpoint and lists its tensors for the lab. */
export async function openCheckpoint(path: string): Promise<LabCheckpoint> {
  if (!hostIsLittleEndian) {
    throw new HeadroomError(
      'NOT_AVAILABLE',
      'The quantization lab reads safetensors (little-endian) on little-endian machines only.',
    );
  }
  const files = await checkpointFiles(path);
  const tensors: LabTensor[] = [];
  const skipped: SkippedTensor[] = [];
  for (const file of files) {
    const header = await parseLocalHeader(file, readSafetensorsHeader);
    const dataOffset = LENGTH_PREFIX_BYTES + header.headerBytes;
    for (const tensor of header.tensors) {
      if (!isReadableDtype(tensor.dtype)) {
        skipped.push({
          name: tensor.name,
          dtype: tensor.dtype,
          reason: 'the lab reads F32, F16 and BF16 only',
        });
      } else if (tensor.elements === 0) {
        skipped.push({ name: tensor.name, dtype: tensor.dtype, reason: 'empty tensor' });
      } else {
        tensors.push({
          path: file,
          name: tensor.name,
          dtype: tensor.dtype,
          shape: tensor.shape,
          view: tensorView(tensor.shape),
          elements: tensor.elements,
          dataStart: dataOffset + tensor.beginByte,
          bytesPerElement: DTYPE_BYTES[tensor.dtype],
        });
      }
    }
  }
  return { path, files, tensors, skipped };
}

/** The named tensors (all when `names` is empty), or BAD_ARGUMENT naming what is missing. */
export function selectTensors(
  checkpoint: LabCheckpoint,
  names: readonly string[] = [],
): LabTensor[] {
  if (names.length === 0) return [...checkpoint.tensors];
  return names.map((name) => {
    const tensor = checkpoint.tensors.find((candidate) => candidate.name === name);
    if (tensor) return tensor;
    const skipped = checkpoint.skipped.find((candidate) => candidate.name === name);
    if (skipped) {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        `Tensor "${name}" is ${skipped.dtype}: ${skipped.reason}.`,
      );
    }
    const known = checkpoint.tensors.slice(0, 5).map((candidate) => candidate.name);
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `No tensor "${name}" in ${checkpoint.path}${known.length ? ` (it has e.g. ${known.join(', ')})` : ''}.`,
    );
  });
}
