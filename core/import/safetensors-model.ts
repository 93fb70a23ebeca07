import { HeadroomError } from '../errors';
import type { ArchitectureSpec, ModelSource } from '../models/types';
import type { HfConfigResult } from './hf-config';
import {
  countOrWarn,
  crossCheckWarning,
  type ImportedFile,
  type ImportedModel,
} from './imported-model';
import type { SafetensorsHeader } from './safetensors';
import { SAFETENSORS_DTYPE_FORMATS } from './safetensors-dtypes';
import type { SafetensorsIndex } from './safetensors-index';
import { dominantFormat, packedByteShare, summarizeWeights, type WeightTensor } from './weights';

/**
 * A Hugging Face checkpoint from its config.json and/or safetensors headers. The headers win for
 * sizes (exact elements and bytes per dtype), the config for the architecture and for formats
 * the headers cannot name (GPTQ/AWQ/bitsandbytes/MXFP4 pack several weights per stored integer).
 */

/**
 * Above this share of bytes in packed integer dtypes (U8/I32/U32), element counts are taken to
 * undercount the weights. Unquantized checkpoints hold none (at most a few I64 buffers such as
 * position_ids, which are not U8/I32/U32); quantized ones hold most of their bytes there.
 */
const PACKED_SHARE_THRESHOLD = 0.01;

/** Formats whose stored elements are not one weight each (core/formats ids from quantization_config). */
const PACKED_FORMAT = /^(gptq_|awq_|nf4|fp4|mxfp4)/;

/** A routed-expert tensor in transformers naming (mlp.experts.N.…, block_sparse_moe.experts.N.…). */
const EXPERT_INDEX = /(?:^|\.)experts\.(\d+)\./;
/** Fused expert tensors (gpt-oss mlp.experts.gate_up_proj_blocks) and indexed ones; not shared experts. */
const EXPERT_TENSOR = /(?:^|\.)experts\./;

export interface ConfigInput {
  readonly path: string;
  readonly sizeBytes: number;
  readonly result: HfConfigResult;
}

interface SafetensorsModelInput {
  /** A path or repo id: the ModelSpec id. */
  readonly id: string;
  readonly displayName: string;
  readonly source: ModelSource;
  readonly shards: readonly { readonly path: string; readonly header: SafetensorsHeader }[];
  readonly index?: {
    readonly path: string;
    readonly sizeBytes: number;
    readonly index: SafetensorsIndex;
  };
  readonly config?: ConfigInput;
}

/**
 * Builds the model from safetensors headers (one file or every shard of an index) and, when
 * present, its config.json.
 *
 * @throws HeadroomError BAD_FILE when two shards hold the same tensor
 * @example modelFromSafetensors({ id, displayName, source, shards: [{ path, header }] }).spec.params
 */
export function modelFromSafetensors(input: SafetensorsModelInput): ImportedModel {
  const warnings: string[] = input.config ? [...input.config.result.warnings] : [];
  const tensors = collectTensors(input.shards);
  if (input.index) warnings.push(...indexWarnings(input.index.index, tensors));
  const weights = summarizeWeights(tensors.map(({ tensor }) => tensor));
  const architecture = input.config?.result.architecture;
  const counted = architecture ? countOrWarn(architecture, warnings) : undefined;
  const configFormat = input.config?.result.publishedFormat;
  const packedShare = packedByteShare(weights);
  const packed =
    (configFormat !== undefined && PACKED_FORMAT.test(configFormat)) ||
    packedShare > PACKED_SHARE_THRESHOLD;

  let params = weights.params;
  let activeParams = weights.params;
  if (packed && counted) {
    ({ params, activeParams } = counted);
    warnings.push(
      'the weights are packed quantized integers (several weights per stored element): ' +
        "params come from config.json's architecture, bytes from the headers",
    );
  } else {
    if (packed) {
      warnings.push(
        `${Math.round(packedShare * 100)}% of the bytes are packed integer tensors (U8/I32/U32) and ` +
          'there is no config.json: params count stored elements, not weights',
      );
    }
    activeParams = activeFromHeaders(tensors, architecture, params, warnings);
    const mismatch = counted && crossCheckWarning(params, counted.params, 'config.json');
    if (mismatch) warnings.push(mismatch);
  }
  if (!architecture) {
    warnings.push(
      'no config.json: architecture unknown (layers, heads, context); plans use the parameter count only',
    );
  }

  const files: ImportedFile[] = [
    ...(input.config
      ? [
          {
            path: input.config.path,
            kind: 'config.json' as const,
            sizeBytes: input.config.sizeBytes,
          },
        ]
      : []),
    ...(input.index
      ? [
          {
            path: input.index.path,
            kind: 'safetensors-index' as const,
            sizeBytes: input.index.sizeBytes,
          },
        ]
      : []),
    ...input.shards.map(({ path, header }) => ({
      path,
      kind: 'safetensors' as const,
      sizeBytes: header.fileSizeBytes,
      headerBytes: 8 + header.headerBytes,
      tensors: header.tensors.length,
    })),
  ];
  return {
    spec: {
      id: input.id,
      displayName: input.displayName,
      source: input.source,
      params,
      activeParams,
      ...(architecture && counted ? { architecture } : {}),
      publishedFormat: publishedFormat(configFormat, dominantFormat(weights), warnings),
      storedWeightBytes: weights.bytes,
    },
    weights,
    files,
    warnings,
  };
}

/**
 * A model from config.json alone (no weights beside it): counts from the architecture.
 * @example modelFromConfig({ id: 'x/config.json', displayName: 'x', source, config }).spec.params
 */
export function modelFromConfig(input: {
  readonly id: string;
  readonly displayName: string;
  readonly source: ModelSource;
  readonly config: ConfigInput;
}): ImportedModel {
  const { result } = input.config;
  const warnings = [...result.warnings];
  const counted = countOrWarn(result.architecture, warnings);
  if (!counted)
    throw new HeadroomError(
      'BAD_FILE',
      `${input.config.path}: ${warnings.at(-1) ?? 'cannot be counted'}`,
    );
  warnings.push(
    'no weight files read: parameter count from config.json, sizes from the published format',
  );
  return {
    spec: {
      id: input.id,
      displayName: input.displayName,
      source: input.source,
      ...counted,
      architecture: result.architecture,
      publishedFormat: result.publishedFormat,
    },
    files: [{ path: input.config.path, kind: 'config.json', sizeBytes: input.config.sizeBytes }],
    warnings,
  };
}

interface LocatedTensor {
  readonly tensor: WeightTensor;
  readonly shard: string;
}

function collectTensors(shards: SafetensorsModelInput['shards']): LocatedTensor[] {
  const where = new Map<string, string>();
  const out: LocatedTensor[] = [];
  for (const { path, header } of shards) {
    for (const t of header.tensors) {
      const previous = where.get(t.name);
      if (previous !== undefined) {
        throw new HeadroomError('BAD_FILE', `${path}: tensor "${t.name}" is also in ${previous}`);
      }
      where.set(t.name, path);
      out.push({
        shard: path,
        tensor: {
          name: t.name,
          dtype: t.dtype,
          formatId: SAFETENSORS_DTYPE_FORMATS[t.dtype],
          elements: t.elements,
          bytes: t.endByte - t.beginByte,
        },
      });
    }
  }
  return out;
}

/** Disagreements between the index and the shards' own headers. */
function indexWarnings(index: SafetensorsIndex, tensors: readonly LocatedTensor[]): string[] {
  const warnings: string[] = [];
  const found = new Set(tensors.map(({ tensor }) => tensor.name));
  const missing = [...index.weightMap.keys()].filter((name) => !found.has(name));
  if (missing.length > 0) {
    warnings.push(
      `${missing.length} tensors the index lists are in no shard header (first: "${missing[0]}")`,
    );
  }
  const unlisted = tensors.filter(({ tensor }) => !index.weightMap.has(tensor.name)).length;
  if (unlisted > 0) warnings.push(`${unlisted} tensors in the shards are not listed in the index`);
  const bytes = tensors.reduce((sum, { tensor }) => sum + tensor.bytes, 0);
  if (index.totalSizeBytes !== undefined && index.totalSizeBytes !== bytes) {
    warnings.push(
      `the index says total_size ${index.totalSizeBytes} bytes; the shard headers hold ${bytes}`,
    );
  }
  return warnings;
}

/**
 * Active parameters from the headers: expert tensors count activeExperts / routedExperts of their
 * elements. Without a MoE architecture (or without config.json) every parameter is active.
 */
function activeFromHeaders(
  tensors: readonly LocatedTensor[],
  architecture: ArchitectureSpec | undefined,
  params: number,
  warnings: string[],
): number {
  const expertTensors = tensors.filter(
    ({ tensor }) => EXPERT_TENSOR.test(tensor.name) && !tensor.name.includes('shared_expert'),
  );
  if (expertTensors.length === 0) return params;
  const moe = architecture?.moe;
  if (!moe) {
    const indexes = expertTensors.map(({ tensor }) =>
      Number(EXPERT_INDEX.exec(tensor.name)?.[1] ?? -1),
    );
    const experts = Math.max(...indexes) + 1;
    warnings.push(
      `${experts > 0 ? `${experts} routed experts` : 'routed experts'} but no config.json to say how many a token ` +
        'uses: active parameters = all parameters',
    );
    return params;
  }
  const expertElements = expertTensors.reduce((sum, { tensor }) => sum + tensor.elements, 0);
  const perExpert = expertElements / moe.routedExperts;
  if (!Number.isInteger(perExpert)) {
    warnings.push(
      `expert tensors hold ${expertElements} elements, not a multiple of ${moe.routedExperts} experts`,
    );
  }
  return params - expertElements + Math.round(perExpert * moe.activeExperts);
}

/** torch_dtype formats: a config naming one of these has no quantization_config. */
const PLAIN_DTYPE_FORMATS: ReadonlySet<string> = new Set(['fp32', 'fp16', 'bf16']);

/**
 * A quantization_config (GPTQ, AWQ, bitsandbytes, fp8, MXFP4) names the format exactly; a plain
 * torch_dtype yields to the dtype the tensors are actually stored in.
 */
function publishedFormat(
  configFormat: string | undefined,
  dominant: string | undefined,
  warnings: string[],
): string {
  if (configFormat && (!PLAIN_DTYPE_FORMATS.has(configFormat) || !dominant)) return configFormat;
  if (dominant) {
    if (configFormat && configFormat !== dominant) {
      warnings.push(
        `config.json says ${configFormat} but the weights are stored as ${dominant}; planning from ${dominant}`,
      );
    }
    return dominant;
  }
  warnings.push('no stored dtype maps to a known format; assuming bf16');
  return 'bf16';
}
