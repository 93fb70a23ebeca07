import { BugError } from '../errors';
import { countParameters } from '../models/count';
import type { ArchitectureSpec, ModelSource, ModelSpec } from '../models/types';
import type { DtypeCount, WeightsSummary } from './weights';

/**
 * A model read from files (or the Hub): the ModelSpec the planner uses, plus what the headers
 * said exactly, the files read and everything that had to be assumed.
 */

/** JSON schema name of `headroom inspect --json` (versioned: a breaking change bumps it). */
export const MODEL_SCHEMA = 'headroom.model/v1';

type ImportedFileKind = 'config.json' | 'safetensors' | 'safetensors-index' | 'gguf';

/** One file (or Hub URL) that was read. */
export interface ImportedFile {
  readonly path: string;
  readonly kind: ImportedFileKind;
  /** The file's size on disk (for the Hub: the Content-Range total). */
  readonly sizeBytes: number;
  /** Bytes of header before the tensor data (weight files only). */
  readonly headerBytes?: number;
  /** Tensors the header lists (weight files only). */
  readonly tensors?: number;
}

export interface ImportedModel {
  readonly spec: ModelSpec;
  /** Absent when only a config.json was read (no weight headers). */
  readonly weights?: WeightsSummary;
  readonly files: readonly ImportedFile[];
  readonly warnings: readonly string[];
}

/** The `headroom inspect --json` document (schema headroom.model/v1). */
export interface ModelDocument {
  readonly schema: typeof MODEL_SCHEMA;
  readonly id: string;
  readonly displayName: string;
  readonly source: ModelSource;
  /** Exact total parameters (the planner's ModelSpec.params). */
  readonly params: number;
  readonly activeParams: number;
  readonly publishedFormat: string;
  /** Exact bytes of tensor data from the weight headers; null when only a config was read. */
  readonly bytes: number | null;
  /** Tensors in the weight headers; null when only a config was read. */
  readonly tensors: number | null;
  /** Per stored dtype: tensors, elements (params) and bytes, most bytes first. */
  readonly dtypes: readonly DtypeCount[];
  readonly architecture: ArchitectureSpec | null;
  readonly files: readonly ImportedFile[];
  readonly warnings: readonly string[];
}

/**
 * The JSON document `headroom inspect --json` prints.
 * @example modelDocument(imported).schema // 'headroom.model/v1'
 */
export function modelDocument(model: ImportedModel): ModelDocument {
  const { spec, weights } = model;
  return {
    schema: MODEL_SCHEMA,
    id: spec.id,
    displayName: spec.displayName,
    source: spec.source,
    params: spec.params,
    activeParams: spec.activeParams,
    publishedFormat: spec.publishedFormat,
    bytes: weights ? weights.bytes : null,
    tensors: weights ? weights.tensors : null,
    dtypes: weights ? weights.dtypes : [],
    architecture: spec.architecture ?? null,
    files: model.files,
    warnings: model.warnings,
  };
}

/**
 * Counts an architecture's parameters, or undefined (with a warning) when the counter refuses it.
 * Importers use it to cross-check the headers against the architecture they describe.
 */
export function countOrWarn(
  architecture: ArchitectureSpec,
  warnings: string[],
): { params: number; activeParams: number } | undefined {
  try {
    return countParameters(architecture);
  } catch (error) {
    if (!(error instanceof BugError)) throw error;
    warnings.push(`the architecture cannot be counted (${error.message}); it is left out`);
    return undefined;
  }
}

/** A warning when the headers and the architecture disagree on the parameter count. */
export function crossCheckWarning(
  headerParams: number,
  architectureParams: number,
  what: string,
): string | undefined {
  if (headerParams === architectureParams) return undefined;
  const difference = headerParams - architectureParams;
  return (
    `the weight headers hold ${headerParams} parameters, ${Math.abs(difference)} ` +
    `${difference > 0 ? 'more' : 'fewer'} than ${what} counts (${architectureParams}): extra ` +
    'modules (vision tower, multi-token prediction), or a layout Headroom does not model'
  );
}

/** The last path component, for display names ("…/Llama-2-7b-hf" → "Llama-2-7b-hf"). */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return trimmed.slice(slash + 1) || trimmed;
}
