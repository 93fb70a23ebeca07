import { HeadroomError } from '../errors';

/**
 * Typed, bounded reads of a Hugging Face config.json object. Every number a config gives is
 * checked before Headroom multiplies with it: a whole number, within sane bounds, so a broken or
 * hostile file fails with a message naming the file and the key instead of producing nonsense.
 */

/**
 * Upper bounds for config dimensions. These are sanity limits, not facts about any model: each is
 * far above the largest published value (Llama-3.1-405B: 126 layers, hidden 16384, FFN 53248;
 * Gemma 3: vocab 262208; DeepSeek-V3: 256 experts; Llama 4 Scout: 10M-token context).
 */
export const CONFIG_LIMITS = {
  layers: 4096,
  hidden: 1 << 20,
  heads: 1 << 16,
  headDim: 1 << 16,
  intermediate: 1 << 22,
  vocab: 1 << 24,
  experts: 1 << 16,
  contextTokens: 1 << 30,
  rank: 1 << 20,
} as const;

type JsonObject = Readonly<Record<string, unknown>>;

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A reader over one config object; `label` names the file in every error. */
export class ConfigReader {
  constructor(
    readonly config: JsonObject,
    readonly label: string,
  ) {}

  /** Throws BAD_FILE with the file label and the problem. */
  fail(problem: string): never {
    throw new HeadroomError('BAD_FILE', `${this.label}: ${problem}`);
  }

  /** True when the config has a non-null value for `key`. */
  has(key: string): boolean {
    const value = this.config[key];
    return value !== undefined && value !== null;
  }

  /** The first key of `keys` present with a non-null value, or undefined. */
  firstKey(keys: readonly string[]): string | undefined {
    return keys.find((key) => this.has(key));
  }

  /**
   * A whole number from the first of `keys` present; `fallback` when none is (undefined throws,
   * naming the keys). Rejects non-numbers, NaN, fractions and values outside [min, max].
   */
  int(keys: readonly string[], bounds: { min: number; max: number }, fallback?: number): number {
    const key = this.firstKey(keys);
    if (key === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail(`missing ${keys.join(' / ')}`);
    }
    return this.checkInt(key, this.config[key], bounds);
  }

  /** Like int, but undefined when no key is present. */
  optionalInt(keys: readonly string[], bounds: { min: number; max: number }): number | undefined {
    const key = this.firstKey(keys);
    return key === undefined ? undefined : this.checkInt(key, this.config[key], bounds);
  }

  /** Validates one value as a whole number within bounds. */
  checkInt(key: string, value: unknown, bounds: { min: number; max: number }): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(`${key} is ${describe(value)}; expected a whole number`);
    }
    if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
      this.fail(`${key} is ${value}; expected a whole number from ${bounds.min} to ${bounds.max}`);
    }
    return value;
  }

  /** A boolean key, `fallback` when absent or null; a non-boolean value is a bad file. */
  bool(key: string, fallback: boolean): boolean {
    const value = this.config[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean')
      this.fail(`${key} is ${describe(value)}; expected true or false`);
    return value;
  }

  /** A string key, or undefined when absent; a non-string value is a bad file. */
  string(key: string): string | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(`${key} is ${describe(value)}; expected a string`);
    return value;
  }

  /** An array key, or undefined when absent or null. */
  array(key: string): readonly unknown[] | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.fail(`${key} is ${describe(value)}; expected a list`);
    return value;
  }

  /** A nested object key, or undefined when absent or null. */
  object(key: string): JsonObject | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return undefined;
    if (!isJsonObject(value)) this.fail(`${key} is ${describe(value)}; expected an object`);
    return value;
  }
}

/** A short description of a JSON value for error messages (never the whole value). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}
