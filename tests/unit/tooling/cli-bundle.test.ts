import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import packageJson from '../../../package.json';

/**
 * The `headroom` bin as npm installs it: the bundled CLI that `npm install`'s prepare step and
 * `npm run build` write (vite.cli.config.ts), built here into a temp folder and run with Node.
 */
describe('the bundled headroom command (issue 15)', () => {
  let folder: string;
  let bin: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'headroom-cli-bundle-'));
    await build({
      configFile: 'vite.cli.config.ts',
      logLevel: 'silent',
      build: { outDir: folder },
    });
    bin = join(folder, 'headroom.js');
  }, 120_000);
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

  it('is what package.json names as the bin, built at prepare time', () => {
    expect(packageJson.bin).toEqual({ headroom: 'out/cli/headroom.js' });
    expect(packageJson.files).toContain('out/cli/');
    expect(packageJson.scripts.prepare).toMatch(/build:cli/);
    expect(packageJson.scripts['build:cli']).toMatch(/vite build --config vite\.cli\.config\.ts/);
  });

  it('starts with a shebang, is executable, and answers --version and plan', async () => {
    expect((await readFile(bin, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect((await stat(bin)).mode & 0o111).not.toBe(0);
    expect(run('--version').stdout.trim()).toBe(packageJson.version);
    const plan = run('plan', '--model', 'meta-llama/Llama-3.1-8B', '--device', 'nvidia-rtx-4090');
    expect(plan.status).toBe(0);
    expect(plan.stdout).toContain('Llama 3.1 8B');
  });

  it('keeps each command in its own chunk, and the scan worker beside the entry', async () => {
    const files = await readdir(folder);
    expect(files).toContain('scan-worker.js');
    const entry = await readFile(bin, 'utf8');
    // The entry itself imports no command: each is a dynamic import of its own chunk.
    expect(entry).not.toMatch(/from "\.\/(plan|quant|detect|report)-command/);
    // vite names chunks <module>-<hash>.js: each command module is a chunk of its own.
    for (const command of ['plan', 'quant', 'detect', 'report']) {
      // Rollup's chunk hashes are 8 characters (plan-command-line-<hash> is another module).
      const chunk = new RegExp(`^${command}-command-[\\w-]{8}\\.js$`);
      expect(files.filter((file) => chunk.test(file))).toHaveLength(1);
    }
  });
});
