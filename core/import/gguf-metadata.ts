import type { GgufHeader, GgufTensorInfo, GgufValue } from './gguf-reader';

/**
 * Typed lookups into a parsed GGUF header: metadata numbers and strings by key, tensors by
 * name. Wrong types and out-of-range numbers read as absent; the caller says what is missing.
 */
export class GgufLookup {
  private readonly tensorsByName: ReadonlyMap<string, GgufTensorInfo>;
  /** Keys whose per-layer arrays were reduced to their largest value, for a warning. */
  readonly perLayerKeys: string[] = [];

  constructor(readonly header: GgufHeader) {
    this.tensorsByName = new Map(header.tensors.map((tensor) => [tensor.name, tensor]));
  }

  /** The raw value of a key. */
  value(key: string): GgufValue | undefined {
    return this.header.metadata.get(key);
  }

  /** A string value, or undefined. */
  string(key: string): string | undefined {
    const value = this.value(key);
    return value?.kind === 'string' ? value.value : undefined;
  }

  /**
   * A whole number ≥ 0 within `max`; a per-layer array yields its largest entry (recorded in
   * perLayerKeys). Undefined when absent, not a whole number or out of range.
   */
  count(key: string, max: number): number | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (value.kind === 'scalar') return wholeWithin(value.value, max);
    if (value.kind === 'array' && value.values && value.values.length > 0) {
      const numbers = value.values.map((item) => wholeWithin(item, max));
      if (numbers.some((n) => n === undefined)) return undefined;
      const largest = Math.max(...(numbers as number[]));
      if ((numbers as number[]).some((n) => n !== largest)) this.perLayerKeys.push(key);
      return largest;
    }
    return undefined;
  }

  /**
   * One whole number per layer for the first `layers` layers: a scalar repeats, an array (llama.cpp
   * writes n_layer_all entries, MTP layers last) gives its first `layers` items, booleans read as
   * 1 / 0. Not recorded in perLayerKeys: the caller reads the per-layer values on purpose.
   * Undefined when absent, too short, or an item is not a whole number within `max`.
   */
  perLayer(key: string, layers: number, max: number): number[] | undefined {
    const value = this.value(key);
    const item = (raw: number | bigint | boolean) =>
      typeof raw === 'boolean' ? Number(raw) : wholeWithin(raw, max);
    if (value?.kind === 'scalar') {
      const one = item(value.value);
      return one === undefined ? undefined : Array.from({ length: layers }, () => one);
    }
    if (value?.kind !== 'array' || !value.values || value.values.length < layers) return undefined;
    const numbers = value.values.slice(0, layers).map(item);
    return numbers.every((n): n is number => n !== undefined) ? numbers : undefined;
  }

  /** Length of an array value (e.g. tokenizer.ggml.tokens), or undefined. */
  arrayLength(key: string): number | undefined {
    const value = this.value(key);
    return value?.kind === 'array' ? value.length : undefined;
  }

  tensor(name: string): GgufTensorInfo | undefined {
    return this.tensorsByName.get(name);
  }

  has(name: string): boolean {
    return this.tensorsByName.has(name);
  }
}

function wholeWithin(value: number | bigint | boolean, max: number): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    return undefined;
  }
  return value;
}
