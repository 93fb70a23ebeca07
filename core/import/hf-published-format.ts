import type { ConfigReader } from './hf-config-reader';

/**
 * The format a Hugging Face checkpoint's weights are published in, as a core/formats id,
 * read from config.json's `quantization_config` (transformers' quantizers) or else its
 * `torch_dtype` (renamed `dtype` in newer transformers).
 */

/** GPTQ/AWQ ids carry their group size as core/formats/gptq.ts names it (none for 128). */
type GroupSuffix = '' | '_per_channel' | `_g${number}`;

/** Format ids this module can return; each exists in core/formats (catalog-plain.ts, gptq.ts). */
type PublishedFormatId =
  | 'fp32'
  | 'fp16'
  | 'bf16'
  | 'fp8_e4m3'
  | 'fp8_e5m2'
  | 'mxfp4'
  | 'mxfp4_experts'
  | `gptq_int4${GroupSuffix}`
  | `gptq_int8${GroupSuffix}`
  | `awq_int4${GroupSuffix}`
  | 'nf4'
  | 'nf4_dq'
  | 'fp4'
  | 'llm_int8';

/**
 * transformers loads a config without torch_dtype in float32 (PreTrainedModel default dtype),
 * and the checkpoints that omit it are float32 (GPT-2's model.safetensors: 4 bytes/parameter).
 */
const DEFAULT_DTYPE_FORMAT: PublishedFormatId = 'fp32';

/** torch dtype names (torch.float16 is also torch.half, torch.float32 torch.float). */
const TORCH_DTYPE_FORMATS: Readonly<Record<string, PublishedFormatId>> = {
  bfloat16: 'bf16',
  float16: 'fp16',
  half: 'fp16',
  float32: 'fp32',
  float: 'fp32',
};

/**
 * The group size core/formats ids leave implicit: 128, the default of transformers GPTQConfig
 * and AutoAWQ (`q_group_size`), and core/formats/gptq.ts DEFAULT_GROUP_SIZE. -1 means one group
 * per output channel.
 */
const DEFAULT_QUANT_GROUP_SIZE = 128;
const PER_CHANNEL_GROUP_SIZE = -1;

/** The id suffix for a GPTQ/AWQ group size, or undefined (with a warning) for a bad one. */
function groupSuffix(groupSize: unknown, warnings: string[]): GroupSuffix | undefined {
  if (groupSize === undefined || groupSize === null || groupSize === DEFAULT_QUANT_GROUP_SIZE) {
    return '';
  }
  if (groupSize === PER_CHANNEL_GROUP_SIZE) return '_per_channel';
  if (typeof groupSize === 'number' && Number.isSafeInteger(groupSize) && groupSize > 0) {
    return `_g${groupSize}`;
  }
  warnings.push(`quantization group_size ${String(groupSize)} is not a group size Headroom knows`);
  return undefined;
}

/**
 * Reads the published format, pushing a warning for anything it had to guess.
 *
 * @param reader the (outer) config.json reader
 * @param warnings collects human-readable notes
 * @param textReader a multimodal config's text_config, read when the outer config has no dtype
 * @returns a format id (see PublishedFormatId)
 */
export function readPublishedFormat(
  reader: ConfigReader,
  warnings: string[],
  textReader?: ConfigReader,
): PublishedFormatId {
  const quant = reader.object('quantization_config');
  if (quant) {
    const fromQuant = quantizedFormat(quant, warnings);
    if (fromQuant) return fromQuant;
  }
  if (reader.object('quantization')) {
    // MLX conversions add {"quantization": {"bits", "group_size"}}; not a transformers format.
    warnings.push(
      'the "quantization" block (an MLX conversion) is ignored; planning from torch_dtype',
    );
  }
  const dtypeKeys = ['torch_dtype', 'dtype'];
  const useText = reader.firstKey(dtypeKeys) === undefined && textReader?.firstKey(dtypeKeys);
  return dtypeFormat(useText && textReader ? textReader : reader, warnings);
}

function dtypeFormat(reader: ConfigReader, warnings: string[]): PublishedFormatId {
  const key = reader.firstKey(['torch_dtype', 'dtype']);
  if (key === undefined) {
    warnings.push('no torch_dtype: assuming float32 weights (transformers default)');
    return DEFAULT_DTYPE_FORMAT;
  }
  const raw = reader.string(key) ?? '';
  const name = raw.replace(/^torch\./, '');
  const format = TORCH_DTYPE_FORMATS[name];
  if (format) return format;
  warnings.push(`${key} "${raw}" is not a weight dtype Headroom knows; assuming float32`);
  return DEFAULT_DTYPE_FORMAT;
}

function quantizedFormat(
  quant: Readonly<Record<string, unknown>>,
  warnings: string[],
): PublishedFormatId | undefined {
  const method = typeof quant['quant_method'] === 'string' ? quant['quant_method'] : undefined;
  switch (method) {
    case 'fp8':
      // transformers FineGrainedFP8Config / DeepSeek-V3: fmt "e4m3" (the default) or "e5m2".
      return quant['fmt'] === 'e5m2' ? 'fp8_e5m2' : 'fp8_e4m3';
    case 'mxfp4': {
      // gpt-oss keeps attention in bf16 (modules_to_not_convert "model.layers.*.self_attn"):
      // only the routed experts are MXFP4.
      const kept = quant['modules_to_not_convert'];
      const attentionKept =
        Array.isArray(kept) &&
        kept.some((name) => typeof name === 'string' && name.includes('self_attn'));
      return attentionKept ? 'mxfp4_experts' : 'mxfp4';
    }
    case 'gptq': {
      // AutoGPTQ / gptqmodel: bits and group_size.
      const bits = quant['bits'];
      const suffix = groupSuffix(quant['group_size'], warnings);
      if (suffix === undefined) return undefined;
      if (bits === 4) return `gptq_int4${suffix}`;
      if (bits === 8) return `gptq_int8${suffix}`;
      warnings.push(`GPTQ with bits ${String(bits)} is not a format Headroom plans for`);
      return undefined;
    }
    case 'awq': {
      // AutoAWQ writes bits/group_size (older files w_bit/q_group_size); AWQ is 4-bit.
      const bits = quant['bits'] ?? quant['w_bit'] ?? 4;
      const suffix = groupSuffix(quant['group_size'] ?? quant['q_group_size'], warnings);
      if (suffix === undefined) return undefined;
      if (bits === 4) return `awq_int4${suffix}`;
      warnings.push(`AWQ with bits ${String(bits)} is not a format Headroom plans for`);
      return undefined;
    }
    case 'bitsandbytes':
      // transformers BitsAndBytesConfig: load_in_4bit (nf4 or fp4, optional double quant) or 8-bit.
      if (quant['load_in_4bit'] === true || quant['_load_in_4bit'] === true) {
        if (quant['bnb_4bit_quant_type'] === 'fp4') return 'fp4';
        return quant['bnb_4bit_use_double_quant'] === true ? 'nf4_dq' : 'nf4';
      }
      if (quant['load_in_8bit'] === true || quant['_load_in_8bit'] === true) return 'llm_int8';
      warnings.push('bitsandbytes quantization_config loads neither 4-bit nor 8-bit');
      return undefined;
    default:
      warnings.push(
        `quantization method "${String(method)}" is not one Headroom plans for; using torch_dtype`,
      );
      return undefined;
  }
}
