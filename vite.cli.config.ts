import { chmod } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * Commander requires node:child_process at load time (~10 ms: net, dgram, …) only to spawn
 * executable subcommands, which Headroom never has; load it if that ever runs.
 */
function lazyChildProcessInCommander(): Plugin {
  const eager = "const childProcess = require('node:child_process');";
  return {
    name: 'headroom:lazy-child-process-in-commander',
    transform(code, id) {
      if (!/[\\/]commander[\\/]lib[\\/]command\.js$/.test(id)) return null;
      if (!code.includes(eager)) {
        this.warn(
          'commander no longer requires node:child_process as expected; loading it eagerly',
        );
        return null;
      }
      const lazy =
        "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { code: code.replace(eager, lazy), map: null };
    },
  };
}

/**
 * The `headroom` command as one bundled program for Node (package.json "bin"), built by
 * `npm install`'s prepare step and by `npm run build`: out/cli/headroom.js and a chunk per
 * subcommand, loaded only when that command runs. The quant lab's scan worker sits beside it
 * (electron/services/quantlab/worker-pool.ts loads ./scan-worker.js next to its own chunk).
 * playwright-core (PDF) and systeminformation (detection) stay packages, loaded on use.
 */
/** The bin is run directly (`./out/cli/headroom.js`), as npm's link would make it. */
function executableEntry(): Plugin {
  return {
    name: 'headroom:executable-entry',
    async writeBundle(options) {
      await chmod(resolve(options.dir ?? 'out/cli', 'headroom.js'), 0o755);
    },
  };
}

export default defineConfig({
  plugins: [lazyChildProcessInCommander(), executableEntry()],
  publicDir: false,
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: {
        headroom: resolve('electron/cli.ts'),
        'scan-worker': resolve('electron/services/quantlab/scan-worker.ts'),
      },
      external: ['playwright-core', 'systeminformation', /^node:/],
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        chunkFileNames: '[name]-[hash].js',
        banner: (chunk) => (chunk.name === 'headroom' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
  ssr: { noExternal: true, external: ['playwright-core', 'systeminformation'] },
});
