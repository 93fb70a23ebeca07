/**
 * GPTQ and AWQ: int4/int8 weights in groups along the input dimension, each group with an
 * FP16 scale and a packed zero point per output column.
 *
 * GPTQ layout (vLLM gptq.py GPTQLinearMethod.create_weights, the AutoGPTQ checkpoint format):
 * qweight [in/pack, out] int32 (bits per weight), qzeros [in/g, out/pack] int32 (bits per
 * group), scales [in/g, out] FP16, g_idx [in] int32 → bits + (16 + bits)/g + 32/out.
 * AWQ layout (vLLM awq.py AWQLinearMethod.create_weights, AutoAWQ GEMM): qweight [in, out/8],
 * qzeros [in/g, out/8], scales [in/g, out] FP16, no g_idx → 4 + (16 + 4)/g.
 */
import { HeadroomError } from '../errors';
import type { NumericFormat } from './types';
import { defineFormat } from './define';
import { REFERENCE_ROW_ELEMENTS } from './catalog-plain';
import { DEFAULT_GROUP_SIZE, groupedRank, QUALITY_RANK } from './quality';
import { weightOnlyRule } from './weight-only';

/** FP16 scale per group (scales tensor dtype = params_dtype = float16). */
const SCALE_BITS = 16;
/** g_idx: one int32 per input channel, charged per output row at the reference width. */
const G_IDX_BITS = 32;
/** `group_size: -1` in a GPTQ config: one group spanning the whole row (per-channel). */
const PER_CHANNEL = -1;
/** AWQ is 4-bit only (AutoAWQ w_bit=4; vLLM AWQConfig: "only 4-bit is supported"). */
const AWQ_BITS = 4;

type GptqBits = 4 | 8;

function checkGroupSize(groupSize: number): void {
  if (groupSize !== PER_CHANNEL && !(Number.isInteger(groupSize) && groupSize > 0)) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `Group size ${groupSize} is not valid: use a positive integer (32, 64, 128 …) or -1 for per-channel.`,
    );
  }
}

/** Weights per group: the whole row (at the reference width) for per-channel. */
function groupWeights(groupSize: number): number {
  return groupSize === PER_CHANNEL ? REFERENCE_ROW_ELEMENTS : groupSize;
}

function idSuffix(groupSize: number): string {
  if (groupSize === DEFAULT_GROUP_SIZE) return '';
  return groupSize === PER_CHANNEL ? '_per_channel' : `_g${groupSize}`;
}

function rankFor(baseId: string, groupSize: number, min: number, max: number): number {
  const base = QUALITY_RANK[baseId] ?? min;
  return groupSize === PER_CHANNEL ? min : groupedRank(base, groupSize, min, max);
}

/** GPTQ cost in bits per weight: codes + zero point and scale per group + g_idx. */
function gptqBitsPerWeight(bits: GptqBits, groupSize: number): number {
  checkGroupSize(groupSize);
  return bits + (SCALE_BITS + bits) / groupWeights(groupSize) + G_IDX_BITS / REFERENCE_ROW_ELEMENTS;
}

/**
 * A GPTQ format with the given bits and group size (AutoGPTQ `bits`, `group_size`).
 * Group 128 gives the catalog's `gptq_int4` / `gptq_int8`; others get `_g<size>` ids
 * (`gptq_int4_g32`, `gptq_int4_per_channel` for -1), which getFormat also understands.
 * @example gptqFormat(4).bitsPerWeight // 4 + 20/128 + 32/4096 = 4.1640625
 * @throws HeadroomError BAD_ARGUMENT for a group size that is not a positive integer or -1.
 */
export function gptqFormat(bits: GptqBits, groupSize: number = DEFAULT_GROUP_SIZE): NumericFormat {
  if (bits !== 4 && bits !== 8) {
    throw new HeadroomError('BAD_ARGUMENT', `GPTQ bits must be 4 or 8, not ${String(bits)}.`);
  }
  const baseId = `gptq_int${bits}`;
  const id = baseId + idSuffix(groupSize);
  const groupLabel = groupSize === PER_CHANNEL ? 'per-channel' : `group ${groupSize}`;
  // Ranks stay between their neighbours: int4 below AWQ (575), int8 below q8_0 (850).
  const [min, max] = bits === 4 ? [555, 574] : [840, 849];
  return defineFormat({
    id,
    label: `GPTQ INT${bits} (${groupLabel})`,
    family: 'gptq-awq',
    bitsPerWeight: gptqBitsPerWeight(bits, groupSize),
    qualityRank: rankFor(baseId, groupSize, min, max),
    computeDtype: 'fp16',
    storageOnly: true,
    kvCapable: false,
    engines: ['generic', 'transformers', 'vllm', 'sglang'],
    source: 'Frantar et al. 2022 (GPTQ); layout from vLLM gptq.py (qweight, qzeros, scales, g_idx)',
    tensorFormat: weightOnlyRule(id, 'fp16'),
  });
}

/** AWQ cost in bits per weight: 4-bit codes + zero point and FP16 scale per group. */
function awqBitsPerWeight(groupSize: number): number {
  checkGroupSize(groupSize);
  return AWQ_BITS + (SCALE_BITS + AWQ_BITS) / groupWeights(groupSize);
}

/**
 * An AWQ INT4 format with the given group size (AutoAWQ `q_group_size`, default 128 →
 * the catalog's `awq_int4`).
 * @example awqFormat().bitsPerWeight // 4 + 20/128 = 4.15625
 * @throws HeadroomError BAD_ARGUMENT for a group size that is not a positive integer or -1.
 */
export function awqFormat(groupSize: number = DEFAULT_GROUP_SIZE): NumericFormat {
  const id = 'awq_int4' + idSuffix(groupSize);
  const groupLabel = groupSize === PER_CHANNEL ? 'per-channel' : `group ${groupSize}`;
  return defineFormat({
    id,
    label: `AWQ INT4 (${groupLabel})`,
    family: 'gptq-awq',
    bitsPerWeight: awqBitsPerWeight(groupSize),
    qualityRank: rankFor('awq_int4', groupSize, 560, 579), // below Q4_K_S (580)
    computeDtype: 'fp16',
    storageOnly: true,
    kvCapable: false,
    engines: ['generic', 'transformers', 'vllm', 'sglang'],
    source: 'Lin et al. 2023 (AWQ); layout from vLLM awq.py (qweight, qzeros, scales)',
    tensorFormat: weightOnlyRule(id, 'fp16'),
  });
}

const GROUPED_ID = /^(gptq_int4|gptq_int8|awq_int4)(?:_g(\d+)|_per_channel)?$/;

/**
 * The GPTQ/AWQ format an id names (`gptq_int4`, `awq_int4_g64`, `gptq_int8_per_channel`),
 * or undefined when the id is not one of them.
 */
export function groupedFormatFromId(id: string): NumericFormat | undefined {
  const match = GROUPED_ID.exec(id);
  if (match === null) return undefined;
  const [, base, digits] = match;
  const groupSize = id.endsWith('_per_channel')
    ? PER_CHANNEL
    : digits === undefined
      ? DEFAULT_GROUP_SIZE
      : Number(digits);
  if (groupSize === 0) return undefined;
  if (base === 'awq_int4') return awqFormat(groupSize);
  return gptqFormat(base === 'gptq_int8' ? 8 : 4, groupSize);
}
