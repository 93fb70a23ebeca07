import { HeadroomError } from '../errors';
import { decodeUtf8Strict } from './utf8';

/**
 * JSON from a file, parsed only after cheap checks that keep a hostile file from costing more
 * than a fixed amount: its size is bounded, it must be valid UTF-8, and its nesting depth is
 * measured on the raw bytes before JSON.parse builds anything (a 100 MB run of `[` would
 * otherwise allocate tens of millions of arrays).
 */

interface JsonLimits {
  /** Largest accepted input, in bytes. */
  readonly maxBytes: number;
  /** Deepest accepted nesting of objects and arrays (a flat object is depth 1). */
  readonly maxDepth: number;
  /**
   * Skip a leading UTF-8 byte order mark: a config.json saved by Windows Notepad starts with one,
   * and RFC 8259 §8.1 lets a parser ignore it (JSON.parse does not). Off for formats whose
   * reference reader refuses it (a safetensors header: serde_json fails on a BOM).
   */
  readonly allowByteOrderMark?: boolean;
}

/** The UTF-8 encoding of U+FEFF (RFC 3629 §6). */
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** 3 when bytes[start…] begins with a UTF-8 byte order mark, else 0. */
function utf8BomLength(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return end - start >= 3 && UTF8_BOM.every((byte, i) => bytes[start + i] === byte) ? 3 : 0;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest nesting of objects/arrays in JSON text, ignoring brackets inside strings.
 * Stops early (returning a value above `limit`) once the limit is passed.
 *
 * @example jsonNestingDepth(bytes('{"a":[1,[2]]}'), 0, 13, 64) // 3
 */
export function jsonNestingDepth(
  bytes: Uint8Array,
  start: number,
  end: number,
  limit: number,
): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Parses bytes[start, end) as JSON within limits.
 *
 * @param bytes the buffer holding the JSON text
 * @param label how to name the file in errors (a path or a URL)
 * @param limits size and depth bounds
 * @param start first byte of the JSON text (default 0)
 * @param end one past its last byte (default bytes.length)
 * @returns the parsed value (any JSON value: callers check its shape)
 * @throws HeadroomError BAD_FILE naming the label: too large, not UTF-8, too deep or not JSON
 */
export function parseJsonBytes(
  bytes: Uint8Array,
  label: string,
  limits: JsonLimits,
  start = 0,
  end = bytes.length,
): unknown {
  if (limits.allowByteOrderMark) start += utf8BomLength(bytes, start, end);
  const length = end - start;
  if (length > limits.maxBytes) {
    throw new HeadroomError(
      'BAD_FILE',
      `${label}: ${length} bytes of JSON is more than the ${limits.maxBytes} bytes Headroom reads`,
    );
  }
  const text = decodeUtf8Strict(bytes, start, end);
  if (text === undefined) throw new HeadroomError('BAD_FILE', `${label}: not valid UTF-8 text`);
  const depth = jsonNestingDepth(bytes, start, end, limits.maxDepth);
  if (depth > limits.maxDepth) {
    throw new HeadroomError(
      'BAD_FILE',
      `${label}: JSON nested deeper than ${limits.maxDepth} levels; this is not a model file`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HeadroomError('BAD_FILE', `${label}: not valid JSON (${reason})`);
  }
}
