import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NF4_CODE, NF4_THRESHOLDS } from '../../../../core/quantlab/bnb-codebooks';
import { fp16DecodeTable, fp32Bits, fp32FromBits } from '../../../../core/quantlab/float-formats';
import type { QuantMethodSpec } from '../../../../core/quantlab/methods';
import { emptyErrorSums } from '../../../../core/quantlab/metrics';
import { createKernel } from '../../../../core/quantlab/quantize';
import { TYPESCRIPT_SCAN_BACKEND } from '../../../../core/quantlab/scan-backend';
import { accumulateStats, emptyStats, statsRequest } from '../../../../core/quantlab/tensor-stats';
import {
  wasmScanBackend,
  float32AtLeast,
} from '../../../../electron/services/quantlab/wasm-scan-backend';
import {
  assembleScanKernels,
  wasmModuleSource,
} from '../../../../electron/services/quantlab/wasm/assemble';
import { ScanArena } from '../../../../electron/services/quantlab/wasm/scan-kernels';
import { PIN_METHODS, pinnable, pinTensor, scanPinned } from '../../core/quantlab/scan-pin-cases';

const PINNED = JSON.parse(
  readFileSync(new URL('../../core/quantlab/scan-pinned.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('the WebAssembly scan kernels (issue 20)', () => {
  it('are the checked-in build of scan-kernels.wat (npm run build:wasm)', async () => {
    const checkedIn = readFileSync(
      new URL('../../../../electron/services/quantlab/wasm/scan-kernels.wasm.ts', import.meta.url),
      'utf8',
    );
    expect(checkedIn).toBe(wasmModuleSource(await assembleScanKernels()));
  });

  it('give every method the pinned sums of the original TypeScript kernels, bit for bit', () => {
    const values = pinTensor();
    // The tensor lives in kernel memory, as a worker's decoded chunk does (no copies).
    const arena = new ScanArena(values.length, 2 ** 20);
    arena.x.set(values);
    const backend = wasmScanBackend(arena);
    for (const spec of PIN_METHODS) {
      const key = JSON.stringify(spec);
      expect(pinnable(scanPinned(arena.x, spec, backend)), key).toEqual(PINNED[key]);
    }
  });

  it('give the same sums for inputs outside kernel memory (copied in)', () => {
    const values = pinTensor();
    const backend = wasmScanBackend(new ScanArena(1024, 2 ** 20));
    for (const spec of PIN_METHODS.filter((s) => s.method === 'nf4' || s.method === 'zeropoint')) {
      const key = JSON.stringify(spec);
      expect(pinnable(scanPinned(values, spec, backend)), key).toEqual(PINNED[key]);
    }
  });

  it('decode all 65 536 fp16 values to the bits of core’s table, and bf16 by a shift', () => {
    const arena = new ScanArena(65536, 65536);
    const halves = new Uint16Array(arena.raw.buffer, arena.raw.byteOffset, 65536);
    for (let bits = 0; bits < 65536; bits++) halves[bits] = bits;
    arena.decode('F16', 65536);
    const decoded = new Uint32Array(arena.x.buffer, arena.x.byteOffset, 65536);
    const table = new Uint32Array(fp16DecodeTable().buffer);
    let mismatches = 0;
    for (let bits = 0; bits < 65536; bits++) if (decoded[bits] !== table[bits]) mismatches++;
    expect(mismatches).toBe(0);
    arena.decode('BF16', 65536);
    for (const bits of [0, 1, 0x3f80, 0x7f80, 0x7fc1, 0x8000, 0xffff])
      expect(decoded[bits]).toBe((bits << 16) >>> 0);
  });

  it('compare |x| with a float64 threshold through the least float32 above it', () => {
    expect(float32AtLeast(6)).toBe(6);
    const t = 6.1; // not a float32
    const above = float32AtLeast(t);
    expect(above).toBeGreaterThan(t);
    expect(fp32Bits(above) - fp32Bits(Math.fround(t))).toBe(Math.fround(t) < t ? 1 : 0);
    expect(Math.fround(above)).toBe(above);
  });

  it('give NF4 x̂ bit for bit at every threshold, its float32 neighbours, NaN, ±∞ and ±0', () => {
    // Blocks of 64 led by 1.0 (absmax 1, so the normalized value is x itself) and one led by
    // +∞ (inverse 0: every normalized value NaN or ∞); the two-level lookup must give the
    // decision tree's code for each value (bnb-4bit.ts dQuantizeNF4).
    const near = (value: number) => {
      const bits = fp32Bits(Math.fround(value));
      return [fp32FromBits(bits - 1), fp32FromBits(bits), fp32FromBits(bits + 1)];
    };
    const specials = [
      ...NF4_THRESHOLDS.flatMap((t) => [...near(t), ...near(-t)]),
      ...NF4_CODE.flatMap(near),
      NaN,
      -Infinity,
      0,
      -0,
      -1,
      1,
      1e-40,
      -1e-40,
    ];
    const blockSize = 64;
    const values: number[] = [];
    for (let k = 0; k < specials.length; k += blockSize - 1)
      values.push(1, ...specials.slice(k, k + blockSize - 1));
    while (values.length % blockSize !== 0) values.push(0.5);
    values.push(Infinity, 2, -3, NaN, 0, ...new Array<number>(blockSize - 5).fill(0.25));
    values.push(...new Array<number>(blockSize * 8).fill(0).map((_, i) => Math.sin(i) * 0.03));
    const count = values.length;
    const shape = { rows: 1, cols: count };
    const arena = new ScanArena(count, count);
    arena.x.set(values);
    const backend = wasmScanBackend(arena);
    for (const doubleQuant of [false, true]) {
      const spec: QuantMethodSpec = { method: 'nf4', blockSize, doubleQuant };
      const stats = emptyStats(shape, statsRequest([spec]));
      accumulateStats(stats, shape.cols, arena.x, 0, count, 0);
      const expected = new Float32Array(count);
      createKernel(spec, shape, stats)(Float32Array.from(values), 0, count, 0, {
        dequantized: expected,
      });
      const actual = backend.scratch(count);
      backend.kernel(spec, shape, stats)(arena.x, 0, count, 0, { dequantized: actual });
      const differing = [...expected.keys()].filter(
        (i) =>
          fp32Bits(expected[i]!) !== fp32Bits(actual[i]!) &&
          !(isNaN(expected[i]!) && isNaN(actual[i]!)),
      );
      expect(differing, `doubleQuant ${doubleQuant}`).toEqual([]);
    }
  });

  it('sum absmax-in-blocks errors in one pass as the TypeScript kernels do, short blocks and specials included', () => {
    // A short last block (6 values: a whole vector and a pair), ±∞ (inverse 0, x̂ NaN), NaN,
    // ±0, a float32 subnormal, exact ties of the rounding and an all-zero block: the sums must
    // be the two-pass kernels' bit for bit (absmax_block_errors in scan-kernels.wat).
    const values = [
      ...Array.from({ length: 64 }, (_, i) => Math.fround(Math.sin(i) * 0.02)),
      127 / 128,
      ...Array.from({ length: 31 }, (_, k) => (k + 0.5) / 128),
      ...new Array<number>(32).fill(0),
      Infinity,
      -0,
      NaN,
      ...Array.from({ length: 29 }, (_, i) => Math.fround(Math.cos(i) * 3)),
      -Infinity,
      1e-45,
      ...Array.from({ length: 30 }, (_, i) => Math.fround(i - 15)),
      0.5,
      -0.25,
      1e-40,
      0,
      -7,
      3,
    ];
    // The same without ∞ and NaN, whose NaN sums would hide a difference in the others.
    const finite = values.map((value) => (Number.isFinite(value) ? value : 5));
    const shape = { rows: 1, cols: values.length };
    const arena = new ScanArena(values.length, values.length);
    const wasm = wasmScanBackend(arena);
    for (const tensor of [finite, values])
      for (const bits of [8, 4] as const)
        for (const blockSize of [32, 64]) {
          const spec: QuantMethodSpec = {
            method: 'absmax',
            bits,
            granularity: { kind: 'block', blockSize },
          };
          for (const count of [values.length, values.length - 1]) {
            const expected = emptyErrorSums();
            const reference = TYPESCRIPT_SCAN_BACKEND.errorKernel(spec, shape, undefined, {
              dequantized: new Float32Array(count),
            });
            reference(expected, Float32Array.from(tensor), 0, count, 0);
            arena.x.set(tensor);
            const actual = emptyErrorSums();
            wasm.errorKernel(spec, shape, undefined, { dequantized: wasm.scratch(count) })(
              actual,
              arena.x,
              0,
              count,
              0,
            );
            expect(actual, `${bits} bits, blocks of ${blockSize}, ${count} values`).toEqual(
              expected,
            );
            if (tensor === finite) expect(Number.isFinite(actual.sumSquaredError)).toBe(true);
          }
        }
  });
});
