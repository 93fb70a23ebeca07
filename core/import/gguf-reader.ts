import type { ByteRequest, HeaderParser, HeaderSource } from './byte-requests';
import { GgufCursor } from './gguf-cursor';
import {
  GGUF_SCALAR_BYTES,
  ggufTensorType,
  GgufValueType,
  type GgufTensorType,
  type GgufValueTypeId,
} from './gguf-types';

/**
 * The GGUF header (ggml docs/gguf.md): magic "GGUF", u32 version, u64 tensor count, u64
 * key-value count, the key-value pairs, the tensor infos, then the tensor data from the next
 * multiple of general.alignment. Checked as llama.cpp's own reader checks it (ggml/src/gguf.cpp
 * gguf_init_from_reader) and bounded so that no count or length a file claims is trusted before
 * it is compared with the bytes the file actually has.
 */

/** gguf.h GGUF_VERSION: the newest version llama.cpp reads. v1 is refused (gguf.cpp). */
const GGUF_NEWEST_VERSION = 3;
/** gguf.h GGUF_DEFAULT_ALIGNMENT. */
export const GGUF_DEFAULT_ALIGNMENT = 32;
/** ggml.h GGML_MAX_DIMS. */
const GGML_MAX_DIMS = 4;
/** ggml.h GGML_MAX_NAME: a tensor name is at most 63 bytes plus its NUL (gguf.cpp check). */
const GGML_MAX_NAME = 64;
/** gguf.cpp GGUF_MAX_STRING_LENGTH and GGUF_MAX_ARRAY_ELEMENTS (1024³). */
const GGUF_MAX_STRING_BYTES = 1024 ** 3;
const GGUF_MAX_ARRAY_ELEMENTS = 1024 ** 3;

/**
 * Headroom's own bounds, so a header costs a fixed amount of memory whatever it claims: far above
 * real files (DeepSeek-V3 GGUFs have ~1 100 tensors and ~50 keys) and each also checked against
 * the bytes left in the file.
 */
const GGUF_LIMITS = {
  tensors: 1 << 18,
  keyValues: 1 << 16,
  /** Keys and string values longer than this are skipped, not decoded (chat templates are ~10 KB). */
  decodedStringBytes: 64 * 1024,
  /** Numeric arrays up to this length are kept (per-layer values); longer ones are skipped. */
  keptArrayValues: 4096,
  /**
   * Bytes read before the tensor data; headers are ~1–20 MB (a 256k-token vocabulary with merges).
   * Bounds the time a hostile header can take, e.g. a billion empty strings in a sparse file.
   */
  headerBytes: 256 * 1024 * 1024,
} as const;

/** Smallest encodings, to bound counts by the bytes left: key len 8 + 1 key byte + type 4 + 1. */
const MIN_KEY_VALUE_BYTES = 14;
/** Tensor info: name length 8 + n_dims 4 + type 4 + offset 8. */
const MIN_TENSOR_INFO_BYTES = 24;

export type GgufValue =
  | {
      readonly kind: 'scalar';
      readonly type: GgufValueTypeId;
      readonly value: number | bigint | boolean;
    }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'long-string'; readonly bytes: number }
  | {
      readonly kind: 'array';
      readonly itemType: GgufValueTypeId;
      readonly length: number;
      /** The items, for numeric/bool arrays of at most GGUF_LIMITS.keptArrayValues. */
      readonly values?: readonly (number | bigint | boolean)[];
    };

export interface GgufTensorInfo {
  readonly name: string;
  /** ne[0 … n_dims) in ggml order: ne[0] is the row length (a matrix's input dimension). */
  readonly dims: readonly number[];
  readonly type: GgufTensorType;
  readonly elements: number;
  /** Offset from the start of the data section. */
  readonly offsetBytes: number;
  /** ggml_nbytes: (ne[0] / block) × block bytes × ne[1] × ne[2] × ne[3], unpadded. */
  readonly bytes: number;
}

export interface GgufHeader {
  readonly label: string;
  readonly fileSizeBytes: number;
  readonly version: number;
  readonly metadata: ReadonlyMap<string, GgufValue>;
  readonly tensors: readonly GgufTensorInfo[];
  readonly alignment: number;
  /** Where the tensor infos end: the header's size in bytes. */
  readonly headerBytes: number;
  /** Where the data section starts (headerBytes padded to the alignment). */
  readonly dataOffsetBytes: number;
}

/**
 * Reads and validates a GGUF header.
 *
 * @param source the file's size and label
 * @returns a parser; drive it with parseBytes (memory) or the services' file/HTTP drivers
 * @throws HeadroomError BAD_FILE naming the file and the problem
 * @example parseBytes(readGgufHeader({ fileSizeBytes: b.length, label: 'm.gguf' }), b).tensors.length
 */
export function* readGgufHeader(source: HeaderSource): HeaderParser<GgufHeader> {
  const c = new GgufCursor(source.fileSizeBytes, source.label, GGUF_LIMITS.headerBytes);
  if (c.fileSizeBytes < 24) c.fail(`${c.fileSizeBytes} bytes is too short for a GGUF header`);
  yield* c.fill(24, 'the GGUF preamble');
  const magic = [c.u8(), c.u8(), c.u8(), c.u8()];
  if (String.fromCharCode(...magic) !== 'GGUF') {
    c.fail('not a GGUF file (it does not start with "GGUF")');
  }
  const version = readVersion(c);
  const tensorCount = c.i64Bounded();
  const keyValueCount = c.i64Bounded();
  checkCount(c, tensorCount, 'tensors', GGUF_LIMITS.tensors, MIN_TENSOR_INFO_BYTES);
  checkCount(c, keyValueCount, 'metadata keys', GGUF_LIMITS.keyValues, MIN_KEY_VALUE_BYTES);

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < keyValueCount; i++) {
    c.reserveBytes =
      (keyValueCount - i - 1) * MIN_KEY_VALUE_BYTES + tensorCount * MIN_TENSOR_INFO_BYTES;
    const key = yield* readName(c, `metadata key ${i}`, GGUF_LIMITS.decodedStringBytes);
    if (key === '') c.fail(`metadata key ${i} is empty`);
    if (metadata.has(key)) c.fail(`metadata key "${key}" appears twice`);
    if (!c.has(4)) yield* c.fill(4, `the type of "${key}"`);
    const type = c.u32();
    metadata.set(key, yield* readValue(c, key, type));
  }
  const alignment = readAlignment(c, metadata);

  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    c.reserveBytes = (tensorCount - i - 1) * MIN_TENSOR_INFO_BYTES;
    const tensor = yield* readTensorInfo(c, i);
    if (names.has(tensor.name)) c.fail(`tensor "${tensor.name}" appears twice`);
    names.add(tensor.name);
    tensors.push(tensor);
  }
  const headerBytes = c.position;
  const dataOffsetBytes = tensorCount > 0 ? padTo(headerBytes, alignment) : headerBytes;
  checkTensorData(c, tensors, dataOffsetBytes, alignment);
  return {
    label: source.label,
    fileSizeBytes: source.fileSizeBytes,
    version,
    metadata,
    tensors,
    alignment,
    headerBytes,
    dataOffsetBytes,
  };
}

function readVersion(c: GgufCursor): number {
  const version = c.u32();
  if (version !== 0 && (version & 0xffff) === 0) {
    c.fail(
      `version field ${version} looks byte-swapped: the file is big-endian, which llama.cpp does not load on this machine`,
    );
  }
  if (version === 1)
    c.fail('GGUF version 1 is no longer supported by llama.cpp; convert the model again');
  if (version < 2 || version > GGUF_NEWEST_VERSION) {
    c.fail(`GGUF version ${version} is not one llama.cpp reads (2 or 3)`);
  }
  return version;
}

/** A count must be ≥ 0, within Headroom's bound and small enough to fit in the bytes left. */
function checkCount(
  c: GgufCursor,
  count: number,
  what: string,
  limit: number,
  minBytes: number,
): void {
  if (count < 0) c.fail(`the header claims a negative number of ${what}`);
  const fit = Math.floor(c.remainingInFile() / minBytes);
  if (count > limit || count > fit) {
    const shown = Number.isFinite(count) ? String(count) : 'over 2^53';
    const why =
      fit < limit
        ? `the ${c.remainingInFile()} bytes left in the file hold at most ${fit}: it is truncated or corrupt`
        : `Headroom reads at most ${limit}`;
    c.fail(`the header claims ${shown} ${what}, but ${why}`);
  }
}

/** A length-prefixed string that must be decoded (a key or a tensor name). */
function* readName(
  c: GgufCursor,
  what: string,
  maxBytes: number,
): Generator<ByteRequest, string, Uint8Array> {
  if (!c.has(8)) yield* c.fill(8, what);
  const length = c.u64Bounded();
  if (length > maxBytes || length > c.remainingInFile()) {
    const shown = Number.isFinite(length) ? `${length} bytes` : 'over 2^53 bytes';
    c.fail(
      `${what} claims ${shown}, more than ${Math.min(maxBytes, c.remainingInFile())} it may have`,
    );
  }
  if (!c.has(length)) yield* c.fill(length, what);
  const text = c.utf8(length);
  if (text === undefined) c.fail(`${what} is not valid UTF-8`);
  return text;
}

function* readValue(
  c: GgufCursor,
  key: string,
  type: number,
): Generator<ByteRequest, GgufValue, Uint8Array> {
  const where = `the value of "${key}"`;
  if (type === GgufValueType.STRING) {
    if (!c.has(8)) yield* c.fill(8, where);
    const length = stringLength(c, where);
    if (length > GGUF_LIMITS.decodedStringBytes) {
      c.skip(length, where);
      return { kind: 'long-string', bytes: length };
    }
    if (!c.has(length)) yield* c.fill(length, where);
    const text = c.utf8(length);
    if (text === undefined) c.fail(`${where} is not valid UTF-8`);
    return { kind: 'string', value: text };
  }
  if (type === GgufValueType.ARRAY) return yield* readArray(c, key);
  const size = GGUF_SCALAR_BYTES[type];
  if (size === undefined) c.fail(`"${key}" has unknown value type ${type}`);
  if (!c.has(size)) yield* c.fill(size, where);
  return { kind: 'scalar', type: type as GgufValueTypeId, value: c.scalar(type) };
}

/** A string's u64 length, bounded by gguf.cpp's maximum and by the bytes left in the file. */
function stringLength(c: GgufCursor, where: string): number {
  const length = c.u64Bounded();
  if (length > GGUF_MAX_STRING_BYTES || length > c.remainingInFile()) {
    const shown = Number.isFinite(length) ? `${length} bytes` : 'over 2^53 bytes';
    c.fail(
      `${where} claims a string of ${shown}, more than the ${c.remainingInFile()} bytes left in the file`,
    );
  }
  return length;
}

function* readArray(c: GgufCursor, key: string): Generator<ByteRequest, GgufValue, Uint8Array> {
  const where = `the array "${key}"`;
  if (!c.has(12)) yield* c.fill(12, where);
  const itemType = c.u32();
  const length = c.u64Bounded();
  if (itemType === GgufValueType.ARRAY) c.fail(`${where} holds arrays, which GGUF does not allow`);
  const itemBytes = itemType === GgufValueType.STRING ? 8 : GGUF_SCALAR_BYTES[itemType];
  if (itemBytes === undefined) c.fail(`${where} has unknown item type ${itemType}`);
  if (length > GGUF_MAX_ARRAY_ELEMENTS || length * itemBytes > c.remainingInFile()) {
    const shown = Number.isFinite(length) ? String(length) : 'over 2^53';
    c.fail(
      `${where} claims ${shown} items, more than the ${c.remainingInFile()} bytes left in the file hold`,
    );
  }
  const typed = itemType as GgufValueTypeId;
  if (itemType === GgufValueType.STRING) {
    let left = length;
    while (left > 0) {
      if (!c.has(8)) yield* c.fill(8, where, left * 8);
      left -= c.skipStrings(left, GGUF_MAX_STRING_BYTES, where);
    }
    return { kind: 'array', itemType: typed, length };
  }
  const total = length * itemBytes;
  if (length > GGUF_LIMITS.keptArrayValues) {
    c.skip(total, where);
    return { kind: 'array', itemType: typed, length };
  }
  if (!c.has(total)) yield* c.fill(total, where);
  const values: (number | bigint | boolean)[] = [];
  for (let i = 0; i < length; i++) values.push(c.scalar(itemType));
  return { kind: 'array', itemType: typed, length, values };
}

/** general.alignment: a u32 power of two (gguf.cpp), 32 when absent. */
function readAlignment(c: GgufCursor, metadata: ReadonlyMap<string, GgufValue>): number {
  const value = metadata.get('general.alignment');
  if (value === undefined) return GGUF_DEFAULT_ALIGNMENT;
  if (value.kind !== 'scalar' || value.type !== GgufValueType.UINT32) {
    c.fail('general.alignment must be a u32');
  }
  const alignment = value.value as number;
  if (alignment === 0 || (alignment & (alignment - 1)) !== 0) {
    c.fail(`general.alignment ${alignment} is not a power of 2`);
  }
  return alignment;
}

function* readTensorInfo(
  c: GgufCursor,
  index: number,
): Generator<ByteRequest, GgufTensorInfo, Uint8Array> {
  const name = yield* readName(c, `tensor ${index}'s name`, GGML_MAX_NAME - 1);
  const where = `tensor "${name}"`;
  if (!c.has(4)) yield* c.fill(4, where);
  const dimCount = c.u32();
  if (dimCount > GGML_MAX_DIMS)
    c.fail(`${where} has ${dimCount} dimensions; ggml allows at most ${GGML_MAX_DIMS}`);
  if (!c.has(dimCount * 8 + 12)) yield* c.fill(dimCount * 8 + 12, where);
  const dims: number[] = [];
  let elements = 1;
  for (let d = 0; d < dimCount; d++) {
    const size = c.i64Bounded();
    if (size < 0) c.fail(`${where} has a negative dimension`);
    if (size !== 0 && elements > Number.MAX_SAFE_INTEGER / size) {
      c.fail(`${where} has more elements than can be counted exactly`);
    }
    dims.push(size);
    elements *= size;
  }
  const typeId = c.i32();
  const type = ggufTensorType(typeId);
  if (!type) c.fail(`${where} has unknown ggml type ${typeId}`);
  const rowLength = dims[0] ?? 1;
  if (rowLength % type.weightsPerBlock !== 0) {
    c.fail(
      `${where} rows of ${rowLength} ${type.name} values are not whole blocks of ${type.weightsPerBlock}`,
    );
  }
  const rows = rowLength === 0 ? 0 : elements / rowLength;
  const bytes = (rowLength / type.weightsPerBlock) * type.bytesPerBlock * rows;
  if (!Number.isSafeInteger(bytes)) c.fail(`${where} is too large to size exactly`);
  const offsetBytes = c.u64Bounded();
  return { name, dims, type, elements, offsetBytes, bytes };
}

/** gguf.cpp: each tensor starts where the previous one ends, padded; all must lie in the file. */
function checkTensorData(
  c: GgufCursor,
  tensors: readonly GgufTensorInfo[],
  dataOffset: number,
  alignment: number,
): void {
  if (tensors.length > 0 && dataOffset > c.fileSizeBytes) {
    c.fail(
      `the tensor data should start at byte ${dataOffset}, past the end of the ${c.fileSizeBytes}-byte file; it is truncated`,
    );
  }
  let expected = 0;
  for (const tensor of tensors) {
    if (tensor.offsetBytes !== expected) {
      const shown = Number.isFinite(tensor.offsetBytes) ? String(tensor.offsetBytes) : 'over 2^53';
      c.fail(
        `tensor "${tensor.name}" has data offset ${shown}, expected ${expected} (tensors must follow each other in order, padded to ${alignment} bytes)`,
      );
    }
    const end = dataOffset + tensor.offsetBytes + tensor.bytes;
    if (end > c.fileSizeBytes) {
      c.fail(
        `tensor "${tensor.name}" ends at byte ${end}, past the end of the ${c.fileSizeBytes}-byte file; it is truncated`,
      );
    }
    expected += padTo(tensor.bytes, alignment);
  }
}

function padTo(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
