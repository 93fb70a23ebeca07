/**
 * The dtypes a safetensors header may name, with their width in bits, from the safetensors
 * crate (huggingface/safetensors safetensors/src/tensor.rs `enum Dtype` and `Dtype::bitsize`):
 * F4 is 4 bits, F6_E2M3/F6_E3M2 6 bits, BOOL/U8/I8 and the F8 variants 8, I16/U16/F16/BF16 16,
 * I32/U32/F32 32, F64/I64/U64/C64 64. Anything else in a header is an unknown dtype: the crate
 * itself refuses to deserialize it.
 */

export const SAFETENSORS_DTYPES = [
  'BOOL',
  'F4',
  'F6_E2M3',
  'F6_E3M2',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'F8_E4M3FNUZ',
  'F8_E5M2FNUZ',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'C64',
  'F64',
  'I64',
  'U64',
] as const;

export type SafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];

/** Bits of one element (safetensors tensor.rs Dtype::bitsize). */
export const SAFETENSORS_DTYPE_BITS: Readonly<Record<SafetensorsDtype, number>> = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  F8_E4M3FNUZ: 8,
  F8_E5M2FNUZ: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
};

/**
 * The core/formats id a dtype's elements are weights in, where one element is one weight.
 * Integer dtypes other than I8 are absent on purpose: GPTQ/AWQ store 8 int4 weights per I32
 * (`qweight`), bitsandbytes 2 per U8 and gpt-oss 2 MXFP4 weights per U8 (`*_blocks`), so their
 * element counts are not weight counts.
 */
export const SAFETENSORS_DTYPE_FORMATS: Readonly<Partial<Record<SafetensorsDtype, string>>> = {
  F32: 'fp32',
  F16: 'fp16',
  BF16: 'bf16',
  F8_E4M3: 'fp8_e4m3',
  F8_E5M2: 'fp8_e5m2',
  F8_E4M3FNUZ: 'fp8_e4m3',
  F8_E5M2FNUZ: 'fp8_e5m2',
  I8: 'int8',
};

/** True when `name` is a dtype the safetensors crate knows. */
export function isSafetensorsDtype(name: string): name is SafetensorsDtype {
  return Object.hasOwn(SAFETENSORS_DTYPE_BITS, name);
}
