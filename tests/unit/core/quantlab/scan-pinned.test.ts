import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PIN_METHODS, pinnable, pinTensor, scanPinned } from './scan-pin-cases';

// Issue 20: faster kernels must give results byte-identical to the originals. The JSON was
// written by the original kernels (scan-pin-cases.ts); JSON numbers round-trip float64 exactly.
const PINNED = JSON.parse(
  readFileSync(new URL('./scan-pinned.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('scan results are pinned bit for bit to the original kernels (issue 20)', () => {
  const values = pinTensor();

  it('pins every method the lab has', () => {
    expect(Object.keys(PINNED)).toEqual(PIN_METHODS.map((spec) => JSON.stringify(spec)));
  });

  it.each(PIN_METHODS.map((spec) => [JSON.stringify(spec), spec] as const))('%s', (key, spec) => {
    expect(pinnable(scanPinned(values, spec))).toEqual(PINNED[key]);
  });
});
