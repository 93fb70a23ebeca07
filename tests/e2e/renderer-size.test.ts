import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** Issue 8: production JS ≤ 400 KB gzip. A size, not a timing: timings are in `npm run bench`. */
const RENDERER_JS_GZIP_BYTES = 400 * 1024;
/** Issue 17: the JavaScript the first screen loads ≤ 200 KB gzip; the other views load on use. */
const INITIAL_JS_GZIP_BYTES = 200 * 1024;

describe('the built renderer', () => {
  it(`ships at most ${RENDERER_JS_GZIP_BYTES / 1024} KB of gzipped JavaScript`, async () => {
    const assets = resolve('out/renderer/assets');
    const scripts = (await readdir(assets)).filter((name) => name.endsWith('.js'));
    let gzipBytes = 0;
    for (const name of scripts)
      gzipBytes += gzipSync(await readFile(resolve(assets, name)), { level: 9 }).length;
    expect(scripts.length).toBeGreaterThan(0);
    expect(gzipBytes).toBeLessThanOrEqual(RENDERER_JS_GZIP_BYTES);
  });

  it(`loads at most ${INITIAL_JS_GZIP_BYTES / 1024} KB of gzipped JavaScript first, without the Quant lab, Explorer or Export code`, async () => {
    const html = await readFile(resolve('out/renderer/index.html'), 'utf8');
    // The entry script and the chunks Vite preloads with it (<link rel="modulepreload">).
    const initial = [...html.matchAll(/(?:src|href)="(?:\.\/|\/)?assets\/([^"]+\.js)"/g)].map(
      (match) => match[1]!,
    );
    expect(initial.length).toBeGreaterThan(0);
    for (const lazy of ['QuantLabView', 'ExplorerView', 'ExportPanel', 'LaunchPanel', 'MatrixView'])
      expect(initial.some((name) => name.startsWith(`${lazy}-`))).toBe(false);
    const assets = resolve('out/renderer/assets');
    const lazyChunks = (await readdir(assets)).filter((name) => name.startsWith('QuantLabView-'));
    expect(lazyChunks.some((name) => name.endsWith('.js'))).toBe(true);
    let gzipBytes = 0;
    for (const name of initial)
      gzipBytes += gzipSync(await readFile(resolve(assets, name)), { level: 9 }).length;
    expect(gzipBytes).toBeLessThanOrEqual(INITIAL_JS_GZIP_BYTES);
  });
});
