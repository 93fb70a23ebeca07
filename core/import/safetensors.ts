import { HeadroomError } from '../errors';
import { parseJsonBytes } from './bounded-json';
import { requireBytes, type HeaderParser, type HeaderSource } from './byte-requests';
import { isJsonObject } from './hf-config-reader';
import {
  isSafetensorsDtype,
  SAFETENSORS_DTYPE_BITS,
  type SafetensorsDtype,
} from './safetensors-dtypes';

/**
 * The safetensors header: an 8-byte little-endian length N, then N bytes of UTF-8 JSON mapping
 * tensor names to {dtype, shape, data_offsets: [begin, end]} (offsets relative to the byte after
 * the header) and an optional "__metadata__" map of strings. Validated as the safetensors crate
 * does (safetensors/src/tensor.rs read_metadata + Metadata::validate): header length within
 * MAX_HEADER_SIZE and the file, tensors sorted by offset must be contiguous from 0, each span
 * must equal elements × dtype bits / 8, and the last tensor must end at the end of the file.
 */

/** safetensors tensor.rs `const MAX_HEADER_SIZE: usize = 100_000_000`. */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** The header length prefix: a u64 (tensor.rs N_LEN = size_of::<u64>()). */
const LENGTH_PREFIX_BYTES = 8;

/**
 * The first read takes this much (or the whole file if smaller), so most headers need one read
 * and a file is never read past its header by more than this.
 */
export const SAFETENSORS_FIRST_READ_BYTES = 64 * 1024;

/**
 * Object nesting of a valid header: the top map (1) → a tensor entry or __metadata__ (2) →
 * shape / data_offsets (3). Metadata values are strings (tensor.rs HashMap<String, String>).
 */
const HEADER_JSON_DEPTH = 3;

const METADATA_KEY = '__metadata__';

interface SafetensorsTensor {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Product of the shape (1 for a scalar, shape []). */
  readonly elements: number;
  /** data_offsets[0]: first byte, relative to the start of the data section. */
  readonly beginByte: number;
  /** data_offsets[1]: one past the last byte. */
  readonly endByte: number;
}

export interface SafetensorsHeader {
  readonly label: string;
  readonly fileSizeBytes: number;
  /** N, the JSON header's length in bytes (the data section starts at 8 + N). */
  readonly headerBytes: number;
  /** Bytes of tensor data: fileSizeBytes − 8 − N. */
  readonly dataBytes: number;
  /** In file order (sorted by offset). */
  readonly tensors: readonly SafetensorsTensor[];
  /** The "__metadata__" strings (e.g. {"format": "pt"}), empty when absent. */
  readonly metadata: Readonly<Record<string, string>>;
}

function fail(label: string, problem: string): never {
  throw new HeadroomError('BAD_FILE', `${label}: ${problem}`);
}

/**
 * Reads and validates the header of one safetensors file.
 *
 * @param source the file's size and label
 * @returns a parser; drive it with parseBytes (memory) or the services' file/HTTP drivers
 * @throws HeadroomError BAD_FILE naming the file and the problem
 * @example parseBytes(readSafetensorsHeader({ fileSizeBytes: bytes.length, label: 'model.safetensors' }), bytes)
 */
export function* readSafetensorsHeader(source: HeaderSource): HeaderParser<SafetensorsHeader> {
  const { fileSizeBytes, label } = source;
  if (fileSizeBytes < LENGTH_PREFIX_BYTES) {
    fail(label, `${fileSizeBytes} bytes is too short for a safetensors file (8-byte length first)`);
  }
  const first = { offset: 0, length: Math.min(fileSizeBytes, SAFETENSORS_FIRST_READ_BYTES) };
  const firstBytes = requireBytes(yield first, first, label, 'the header length');
  const headerBytes = readHeaderLength(firstBytes, fileSizeBytes, label);

  const headerEnd = LENGTH_PREFIX_BYTES + headerBytes;
  let header: Uint8Array;
  if (headerEnd <= firstBytes.length) {
    header = firstBytes;
  } else {
    const rest = { offset: firstBytes.length, length: headerEnd - firstBytes.length };
    const restBytes = requireBytes(yield rest, rest, label, 'the JSON header');
    header = new Uint8Array(headerEnd);
    header.set(firstBytes.subarray(0, firstBytes.length), 0);
    header.set(restBytes.subarray(0, rest.length), firstBytes.length);
  }

  const json = parseJsonBytes(
    header,
    `${label} (header)`,
    { maxBytes: SAFETENSORS_MAX_HEADER_BYTES, maxDepth: HEADER_JSON_DEPTH },
    LENGTH_PREFIX_BYTES,
    headerEnd,
  );
  return validateHeader(json, label, fileSizeBytes, headerBytes);
}

/** The u64 header length, checked against MAX_HEADER_SIZE and the file size. */
function readHeaderLength(bytes: Uint8Array, fileSizeBytes: number, label: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, LENGTH_PREFIX_BYTES);
  const length = view.getBigUint64(0, true);
  if (length > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    fail(
      label,
      `header length ${length} bytes is over the ${SAFETENSORS_MAX_HEADER_BYTES}-byte limit of ` +
        'the safetensors format; this is not a safetensors file or it is corrupt',
    );
  }
  const headerBytes = Number(length);
  if (LENGTH_PREFIX_BYTES + headerBytes > fileSizeBytes) {
    fail(
      label,
      `header length ${headerBytes} bytes runs past the end of the ${fileSizeBytes}-byte file; ` +
        'it is truncated or not a safetensors file',
    );
  }
  if (headerBytes < 2) fail(label, `header length ${headerBytes} cannot hold a JSON object`);
  return headerBytes;
}

function validateHeader(
  json: unknown,
  label: string,
  fileSizeBytes: number,
  headerBytes: number,
): SafetensorsHeader {
  if (!isJsonObject(json)) fail(label, 'the header is not a JSON object');
  const dataBytes = fileSizeBytes - LENGTH_PREFIX_BYTES - headerBytes;
  const tensors: SafetensorsTensor[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(json)) {
    if (name === METADATA_KEY) metadata = readMetadata(entry, label);
    else tensors.push(readTensor(name, entry, label));
  }
  tensors.sort((a, b) => a.beginByte - b.beginByte || a.endByte - b.endByte);

  let expectedBegin = 0;
  for (const tensor of tensors) {
    if (tensor.beginByte !== expectedBegin) {
      const problem =
        tensor.beginByte < expectedBegin
          ? 'overlaps the tensor before it'
          : 'leaves a gap before it';
      fail(
        label,
        `tensor "${tensor.name}" starts at byte ${tensor.beginByte} of the data but the ` +
          `previous tensor ends at ${expectedBegin}: it ${problem}`,
      );
    }
    expectedBegin = tensor.endByte;
  }
  if (expectedBegin !== dataBytes) {
    fail(
      label,
      `the tensors cover ${expectedBegin} bytes of data but the file holds ${dataBytes} after its ` +
        'header; it is truncated or has extra bytes',
    );
  }
  return { label, fileSizeBytes, headerBytes, dataBytes, tensors, metadata };
}

function readMetadata(entry: unknown, label: string): Record<string, string> {
  if (!isJsonObject(entry)) fail(label, '"__metadata__" is not an object of strings');
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value !== 'string') fail(label, `"__metadata__"."${key}" is not a string`);
    metadata[key] = value;
  }
  return metadata;
}

function readTensor(name: string, entry: unknown, label: string): SafetensorsTensor {
  const where = `tensor "${name.length > 120 ? `${name.slice(0, 120)}…` : name}"`;
  if (!isJsonObject(entry)) fail(label, `${where} is not an object`);
  const dtype = entry['dtype'];
  if (typeof dtype !== 'string') fail(label, `${where} has no dtype`);
  if (!isSafetensorsDtype(dtype)) {
    fail(label, `${where} has unknown dtype "${dtype.slice(0, 40)}"`);
  }
  const shape = wholeNumbers(entry['shape'], label, `${where} shape`);
  const offsets = wholeNumbers(entry['data_offsets'], label, `${where} data_offsets`);
  if (offsets.length !== 2) fail(label, `${where} data_offsets must be [begin, end]`);
  const [beginByte, endByte] = offsets as [number, number];
  if (endByte < beginByte)
    fail(label, `${where} ends (${endByte}) before it begins (${beginByte})`);

  let elements = 1;
  for (const size of shape) {
    if (size !== 0 && elements > Number.MAX_SAFE_INTEGER / size) {
      fail(label, `${where} shape [${shape.join(', ')}] has too many elements to count`);
    }
    elements *= size;
  }
  const bits = elements * SAFETENSORS_DTYPE_BITS[dtype];
  if (!Number.isSafeInteger(bits)) {
    fail(label, `${where} shape [${shape.join(', ')}] has too many elements to count`);
  }
  if (bits % 8 !== 0) {
    fail(label, `${where}: ${elements} ${dtype} elements do not fill a whole number of bytes`);
  }
  const span = endByte - beginByte;
  if (span !== bits / 8) {
    fail(
      label,
      `${where}: shape [${shape.join(', ')}] × ${dtype} is ${bits / 8} bytes but its ` +
        `data_offsets span ${span} bytes`,
    );
  }
  return { name, dtype, shape, elements, beginByte, endByte };
}

/** A JSON list of whole numbers 0 … 2^53 − 1 (what Rust's usize accepts, within exact range). */
function wholeNumbers(value: unknown, label: string, what: string): number[] {
  if (!Array.isArray(value)) fail(label, `${what} is not a list`);
  return value.map((item: unknown) => {
    if (typeof item !== 'number' || !Number.isSafeInteger(item) || item < 0) {
      fail(label, `${what} holds ${String(item).slice(0, 40)}, not a whole number ≥ 0`);
    }
    return item;
  });
}
