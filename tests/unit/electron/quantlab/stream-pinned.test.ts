import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { streamPinned } from './stream-pin-cases';

// Issue 20: the streamed report (decoding and worker threads included) stays byte-identical to
// what the original kernels gave; stream-pinned.json was written by them.
const PINNED = JSON.parse(
  readFileSync(new URL('./stream-pinned.json', import.meta.url), 'utf8'),
) as unknown;

const dir = mkdtempSync(join(tmpdir(), 'headroom-stream-pin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('streamed scans are pinned bit for bit to the original kernels (issue 20)', () => {
  it('give the pinned rows and totals for BF16, F16 and F32 tensors', async () => {
    expect(await streamPinned(dir)).toEqual(PINNED);
  });
});
