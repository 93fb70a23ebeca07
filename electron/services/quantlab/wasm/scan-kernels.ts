/**
 * The WebAssembly scan kernels (scan-kernels.wat), instantiated with their own memory, and the
 * fixed layout of that memory for one worker: the file read buffer, the decoded chunk, the
 * x̂ scratch and the per-block tables. The memory is sized once per layout and never grows
 * afterwards, so the typed-array views handed out stay valid.
 */
import { BugError } from '../../../../core/errors';
import {
  FP4_CODE,
  FP4_CODE_BY_RANK,
  FP4_THRESHOLDS,
  NF4_CODE,
  NF4_THRESHOLDS,
} from '../../../../core/quantlab/bnb-codebooks';
import { fp32Bits, type ReadableDtype } from '../../../../core/quantlab/float-formats';
import { MIN_BLOCK_SIZE } from '../../../../core/quantlab/methods';
import { SCAN_KERNELS_WASM_BASE64 } from './scan-kernels.wasm';

/**
 * The part of the WebAssembly JS API used here (WebAssembly JS API spec, sections 5.1–5.3).
 * tsconfig.node.json has the ES2022 lib without the DOM, where these types live.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: unknown };
}

/** Whether the runtime has the WebAssembly JS API (checked, not cast: a cast would hide a missing one). */
function isWasmApi(value: unknown): value is WasmApi {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'Module') === 'function' &&
    typeof Reflect.get(value, 'Instance') === 'function'
  );
}

function wasmApi(): WasmApi {
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  if (!isWasmApi(api)) throw new Error('this runtime has no WebAssembly');
  return api;
}

/** The exports of scan-kernels.wat; pointers are byte offsets into `memory`. */
interface ScanKernelExports {
  readonly memory: WasmMemory;
  decode_bf16(src: number, dst: number, n: number): void;
  decode_f16(src: number, dst: number, n: number): void;
  absmax_outliers(x: number, n: number, threshold: number): [number, number];
  block_absmax(x: number, n: number, blockSize: number, out: number): void;
  block_minmax(x: number, n: number, blockSize: number, mins: number, maxs: number): void;
  linear_dequant(
    x: number,
    dq: number,
    n: number,
    blockSize: number,
    params: number,
    low: number,
    high: number,
  ): void;
  nf4_dequant(
    x: number,
    dq: number,
    n: number,
    blockSize: number,
    inverse: number,
    absmax: number,
    table: number,
  ): void;
  fp4_dequant(
    x: number,
    dq: number,
    n: number,
    blockSize: number,
    inverse: number,
    absmax: number,
    table: number,
  ): void;
  accumulate(x: number, dq: number, n: number): [number, number, number, number, number, number];
  absmax_block_errors(
    x: number,
    n: number,
    blockSize: number,
    levels: number,
  ): [number, number, number, number, number, number];
}

/** The functions scan-kernels.wat exports, checked on every instance against ScanKernelExports. */
const KERNEL_NAMES = [
  'decode_bf16',
  'decode_f16',
  'absmax_outliers',
  'block_absmax',
  'block_minmax',
  'linear_dequant',
  'nf4_dequant',
  'fp4_dequant',
  'accumulate',
  'absmax_block_errors',
] as const satisfies readonly Exclude<keyof ScanKernelExports, 'memory'>[];

/** Whether an instance's exports are the kernels this module drives (a memory and every function). */
function isScanKernelExports(value: unknown): value is ScanKernelExports {
  if (typeof value !== 'object' || value === null) return false;
  const memory: unknown = Reflect.get(value, 'memory');
  return (
    typeof memory === 'object' &&
    memory !== null &&
    Reflect.get(memory, 'buffer') instanceof ArrayBuffer &&
    KERNEL_NAMES.every((name) => typeof Reflect.get(value, name) === 'function')
  );
}

const WASM_PAGE_BYTES = 65536;
/** Element-wise kernels may touch up to 7 elements (28 bytes) past a region's end (the .wat header). */
const SLACK_BYTES = 64;
const ALIGN_BYTES = 16;

let compiled: object | undefined;

/** The compiled module, built once per thread (about 3 KiB: a synchronous compile is fine). */
function scanKernelModule(): object {
  compiled ??= new (wasmApi().Module)(Buffer.from(SCAN_KERNELS_WASM_BASE64, 'base64'));
  return compiled;
}

/** A fresh instance with its own memory. Throws where WebAssembly SIMD is missing. */
function instantiateScanKernels(): ScanKernelExports {
  const exports = new (wasmApi().Instance)(scanKernelModule()).exports;
  if (!isScanKernelExports(exports)) {
    throw new Error('scan-kernels.wasm does not export the kernels scan-kernels.ts expects');
  }
  return exports;
}

/**
 * NF4's two-level lookup (nf4_dequant in scan-kernels.wat), as f32 bits: t3 t7 t11 (then a
 * pad), the group thresholds [t0 t4 t8 t12], [t1 t5 t9 t13], [t2 t6 t10 t14], the group's
 * first values [v0 v4 v8 v12], and the differences of the bits of consecutive values
 * [v1−v0 v5−v4 v9−v8 v13−v12], [v2−v1 …], [v3−v2 …] (32-bit wrap-around).
 */
function nf4LookupTable(): Int32Array {
  const bits = (value: number) => fp32Bits(value) | 0;
  const t = (k: number) => bits(NF4_THRESHOLDS[k]!);
  const v = (k: number) => bits(NF4_CODE[k]!);
  const groups = (entry: (g: number) => number) => [0, 1, 2, 3].map(entry);
  return Int32Array.from([
    t(3),
    t(7),
    t(11),
    0,
    ...groups((g) => t(4 * g)),
    ...groups((g) => t(4 * g + 1)),
    ...groups((g) => t(4 * g + 2)),
    ...groups((g) => v(4 * g)),
    ...[1, 2, 3].flatMap((r) => groups((g) => (v(4 * g + r) - v(4 * g + r - 1)) | 0)),
  ]);
}

/** FP4: 7 thresholds, 8 positive and 8 negative values by rank. */
const FP4_TABLE = [
  ...FP4_THRESHOLDS,
  ...FP4_CODE_BY_RANK.map((code) => FP4_CODE[code]!),
  ...FP4_CODE_BY_RANK.map((code) => FP4_CODE[code | 0b1000]!),
];
const TABLE_FLOATS = 32;
/**
 * Room for inputs from outside kernel memory (tests, in-memory tensors): one default scan
 * sub-chunk (core/quantlab/scan.ts SCAN_SUBCHUNK_ELEMENTS). Larger foreign inputs run on the
 * TypeScript kernels; a worker's chunks live in kernel memory and never need a copy.
 */
const COPY_ELEMENTS = 65536;

/** Regions of one worker's kernel memory, sized for a read chunk and a scan sub-chunk. */
export class ScanArena {
  readonly kernels: ScanKernelExports;
  /** The file read buffer of 2-byte dtypes (chunkElements · 2 bytes). */
  readonly raw: Uint8Array;
  /** The decoded chunk. */
  readonly x: Float32Array;
  /** Inputs that live outside this memory are copied here (up to COPY_ELEMENTS values). */
  readonly xCopy: Float32Array;
  /** x̂ of one sub-chunk. */
  readonly dq: Float32Array;
  readonly dqCopy: Float32Array;
  /** Per-block statistics (absmax, or min and max). */
  readonly blockA: Float32Array;
  readonly blockB: Float32Array;
  readonly inverse: Float32Array;
  /** float64 (inverse, step, zero) per block of a linear quantizer. */
  readonly params: Float64Array;
  /** NF4's lookup table (nf4LookupTable: f32 bits), then FP4's thresholds and values. */
  readonly nf4Table: Float32Array;
  readonly fp4Table: Float32Array;

  constructor(
    readonly chunkElements: number,
    readonly subChunkElements: number,
  ) {
    this.kernels = instantiateScanKernels();
    const blocks = Math.ceil(subChunkElements / MIN_BLOCK_SIZE) + 1;
    const copyElements = Math.min(subChunkElements, COPY_ELEMENTS);
    const sizes = {
      // F32 chunks are read straight into x; raw holds the 2-byte dtypes' bytes.
      raw: chunkElements * 2,
      x: chunkElements * 4,
      xCopy: copyElements * 4,
      dq: subChunkElements * 4,
      dqCopy: copyElements * 4,
      blockA: blocks * 4,
      blockB: blocks * 4,
      inverse: blocks * 4,
      params: blocks * 24,
      tables: TABLE_FLOATS * 2 * 4,
    };
    const offsets: Record<string, number> = {};
    let end = ALIGN_BYTES;
    for (const [name, bytes] of Object.entries(sizes)) {
      offsets[name] = end;
      end += Math.ceil((bytes + SLACK_BYTES) / ALIGN_BYTES) * ALIGN_BYTES;
    }
    const memory = this.kernels.memory;
    const pages = Math.ceil(end / WASM_PAGE_BYTES) - memory.buffer.byteLength / WASM_PAGE_BYTES;
    if (pages > 0) memory.grow(pages);
    const buffer = memory.buffer;
    const f32 = (name: keyof typeof sizes, count: number) =>
      new Float32Array(buffer, offsets[name]!, count);
    this.raw = new Uint8Array(buffer, offsets['raw']!, sizes.raw);
    this.x = f32('x', chunkElements);
    this.xCopy = f32('xCopy', copyElements);
    this.dq = f32('dq', subChunkElements);
    this.dqCopy = f32('dqCopy', copyElements);
    this.blockA = f32('blockA', blocks);
    this.blockB = f32('blockB', blocks);
    this.inverse = f32('inverse', blocks);
    this.params = new Float64Array(buffer, offsets['params']!, blocks * 3);
    this.nf4Table = f32('tables', TABLE_FLOATS);
    this.fp4Table = new Float32Array(buffer, offsets['tables']! + TABLE_FLOATS * 4, TABLE_FLOATS);
    new Int32Array(buffer, offsets['tables']!, TABLE_FLOATS).set(nf4LookupTable());
    this.fp4Table.set(FP4_TABLE);
  }

  /** Whether a typed array lives in this arena's memory. */
  owns(array: Float32Array): boolean {
    return array.buffer === this.kernels.memory.buffer;
  }

  /** Whether values[·, ·+count) can reach the kernels: in kernel memory, or small enough to copy. */
  reaches(values: Float32Array, count: number): boolean {
    return this.owns(values) || count <= COPY_ELEMENTS;
  }

  /**
   * The byte address of values[start …start + count) in kernel memory: in place when they
   * live there, else copied into `copy` (check `reaches` first).
   */
  pointerOf(values: Float32Array, start: number, count: number, copy: Float32Array): number {
    if (this.owns(values)) return values.byteOffset + start * 4;
    if (count > copy.length) throw new BugError('scan arena: input larger than its copy room');
    copy.set(values.subarray(start, start + count));
    return copy.byteOffset;
  }

  /** Decodes `count` elements of raw file bytes (already read into `raw`, or into `x` for F32) into `x`. */
  decode(dtype: ReadableDtype, count: number): void {
    if (dtype === 'BF16') this.kernels.decode_bf16(this.raw.byteOffset, this.x.byteOffset, count);
    else if (dtype === 'F16')
      this.kernels.decode_f16(this.raw.byteOffset, this.x.byteOffset, count);
  }

  /** Where the file's bytes for a chunk of this dtype are read to (F32 needs no decoding). */
  readTarget(dtype: ReadableDtype): Uint8Array {
    return dtype === 'F32'
      ? new Uint8Array(this.x.buffer, this.x.byteOffset, this.x.byteLength)
      : this.raw;
  }
}
