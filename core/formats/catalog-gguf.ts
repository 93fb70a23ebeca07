/**
 * GGUF formats: every GGML block type by its name, and the llama.cpp file types that mix them.
 *
 * Where a file type's name equals a GGML type (q8_0, q6_k, q4_0, iq4_xs …) one format is both:
 * its bitsPerWeight is that type's block cost and its tensorFormat behaves as `llama-quantize
 * … Q6_K` does (output and token_embd get their special types). q3_k, q4_k and q5_k behave as
 * Q3_K_M, Q4_K_M and Q5_K_M, which llama-quantize accepts them as (quantize.cpp QUANT_OPTIONS:
 * "alias for Q4_K_M"). iq2_s is the one exception: the IQ2_S file type is mostly iq2_xs
 * (llama_ftype_get_default_type), so it is `iq2_s_mix` here and `iq2_s` stores every tensor
 * it may quantize in iq2_s, as `llama-quantize --pure` does. q8_1 and q8_k hold activations
 * only and are listed for completeness.
 *
 * All are dequantized on the fly for fp16 matmuls (storageOnly) and load in llama.cpp.
 */
import type { EngineId, NumericFormat } from './types';
import { GGML_TYPES, type GgmlTypeId } from './ggml-types';
import { llamaTensorType, pureTensorType, type GgufFileType } from './llama-quant';
import { defineFormat } from './define';
import { LLAMA_QUANTIZE_ALIASES } from './aliases';

/** llama.cpp -ctk/-ctv cache types (common/arg.cpp kv_cache_types) among the quantized ones. */
const KV_CACHE_TYPES: ReadonlySet<string> = new Set([
  'q8_0',
  'q4_0',
  'q4_1',
  'q5_0',
  'q5_1',
  'iq4_nl',
]);

const GGUF_ENGINES: readonly EngineId[] = ['generic', 'llama.cpp'];

/** GGML's own names for the 16/32-bit types map onto the plain catalog formats. */
const PLAIN_FOR_GGML: Readonly<Partial<Record<GgmlTypeId, string>>> = {
  f32: 'fp32',
  f16: 'fp16',
  bf16: 'bf16',
};

/** The catalog id for a GGML type a rule returned (f16 → fp16; others keep their name). */
export function formatIdForGgml(type: GgmlTypeId): string {
  return PLAIN_FOR_GGML[type] ?? type;
}

/** llama-quantize spells file types in upper case (Q4_K_M). */
function upper(id: string): string {
  return id.toUpperCase();
}

/** A format named after a GGML type that behaves as the llama.cpp file type `fileType`. */
function fileTypeFormat(
  id: string,
  mainType: GgmlTypeId,
  fileType: GgufFileType,
  family: 'ggml' | 'gguf-mix',
  label: string,
): NumericFormat {
  const main = GGML_TYPES[mainType];
  return defineFormat({
    id,
    label,
    family,
    bitsPerWeight: main.bitsPerWeight,
    computeDtype: 'fp16',
    storageOnly: true,
    kvCapable: family === 'ggml' && KV_CACHE_TYPES.has(id),
    engines: GGUF_ENGINES,
    source:
      `ggml-common.h ${main.layout} = ${main.bitsPerWeight} bpw; ` +
      `per-tensor types from llama-quant.cpp (LLAMA_FTYPE_MOSTLY_${fileType.toUpperCase()})`,
    tensorFormat: (tensor, context) => formatIdForGgml(llamaTensorType(fileType, tensor, context)),
  });
}

/** A GGML type stored on its own (no file type of that name): --pure quantization. */
function pureFormat(type: GgmlTypeId): NumericFormat {
  const layout = GGML_TYPES[type];
  return defineFormat({
    id: type,
    label: `${upper(type)} (every tensor)`,
    family: 'ggml',
    bitsPerWeight: layout.bitsPerWeight,
    computeDtype: 'fp16',
    storageOnly: true,
    kvCapable: false,
    engines: layout.storesWeights ? GGUF_ENGINES : [],
    source: `ggml-common.h ${layout.layout} = ${layout.bitsPerWeight} bpw; llama-quantize --pure`,
    tensorFormat: (tensor) => formatIdForGgml(pureTensorType(type, tensor)),
  });
}

/** GGML types whose name is also a llama.cpp file type with that main type. */
const SAME_NAME_FILE_TYPES = [
  'q4_0',
  'q4_1',
  'q5_0',
  'q5_1',
  'q8_0',
  'q2_k',
  'q6_k',
  'iq1_s',
  'iq1_m',
  'iq2_xxs',
  'iq2_xs',
  'iq3_xxs',
  'iq3_s',
  'iq4_nl',
  'iq4_xs',
  'tq1_0',
  'tq2_0',
] as const satisfies readonly (GgmlTypeId & GgufFileType)[];

/** llama-quantize aliases: Q3_K = Q3_K_M, Q4_K = Q4_K_M, Q5_K = Q5_K_M. */
const ALIASES: readonly (readonly [GgmlTypeId, GgufFileType])[] = LLAMA_QUANTIZE_ALIASES;

/** File types whose name is not a GGML type: [id, main type, llama.cpp file type]. */
const MIXES: readonly (readonly [string, GgmlTypeId, GgufFileType])[] = [
  ['q2_k_s', 'q2_k', 'q2_k_s'],
  ['q3_k_s', 'q3_k', 'q3_k_s'],
  ['q3_k_m', 'q3_k', 'q3_k_m'],
  ['q3_k_l', 'q3_k', 'q3_k_l'],
  ['q4_k_s', 'q4_k', 'q4_k_s'],
  ['q4_k_m', 'q4_k', 'q4_k_m'],
  ['q5_k_s', 'q5_k', 'q5_k_s'],
  ['q5_k_m', 'q5_k', 'q5_k_m'],
  ['iq2_s_mix', 'iq2_xs', 'iq2_s'],
  ['iq2_m', 'iq2_s', 'iq2_m'],
  ['iq3_xs', 'iq3_s', 'iq3_xs'],
  ['iq3_m', 'iq3_s', 'iq3_m'],
  ['mxfp4_moe', 'mxfp4', 'mxfp4_moe'],
];

export const GGUF_FORMATS: readonly NumericFormat[] = [
  ...SAME_NAME_FILE_TYPES.map((type) =>
    fileTypeFormat(type, type, type, 'ggml', `${upper(type)} (llama.cpp)`),
  ),
  ...ALIASES.map(([type, fileType]) =>
    fileTypeFormat(type, type, fileType, 'ggml', `${upper(type)} (= ${upper(fileType)})`),
  ),
  pureFormat('iq2_s'),
  pureFormat('q8_1'),
  pureFormat('q8_k'),
  ...MIXES.map(([id, mainType, fileType]) =>
    fileTypeFormat(id, mainType, fileType, 'gguf-mix', `${upper(fileType)} (llama.cpp)`),
  ),
];
