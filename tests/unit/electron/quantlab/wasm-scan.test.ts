import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fp16DecodeTable, fp32Bits } from '../../../../core/quantlab/float-formats';
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
});
