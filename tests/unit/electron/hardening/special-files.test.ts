import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadroomError } from '../../../../core/errors';
import { importModelPath } from '../../../../electron/services/model-files';
import { openLocalFile, withDeadline } from '../../../../electron/services/model-file-source';
import { openCheckpoint } from '../../../../electron/services/quantlab/safetensors-tensors';
import { ggufFile } from '../../../helpers/model-file-writers';
import { runHeadroom } from '../../../helpers/run-command';
import { tinyLlamaGguf } from '../../../helpers/tiny-models';

/**
 * Issue 16, D1: a FIFO, a socket or a device given as a model file used to be opened before its
 * type was looked at, and open(2) on a FIFO waits for a writer forever. Each of these must now
 * be refused, fast, as BAD_FILE (exit 2) on every path that reads a model.
 */

const posix = process.platform !== 'win32';

async function codeAndMessage(work: Promise<unknown>): Promise<[string, string]> {
  try {
    await work;
  } catch (thrown) {
    if (thrown instanceof HeadroomError) return [thrown.code, thrown.message];
    throw thrown;
  }
  throw new Error('expected a HeadroomError');
}

describe.runIf(posix)('model paths that are not regular files', () => {
  let dir: string;
  let fifo: string;
  let socketPath: string;
  let socketServer: Server;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'headroom-special-'));
    fifo = join(dir, 'model.gguf');
    execFileSync('mkfifo', [fifo]);
    // A folder whose config.json is a pipe: the folder is fine, the file in it is not.
    await mkdir(join(dir, 'piped'));
    execFileSync('mkfifo', [join(dir, 'piped', 'config.json')]);
    socketPath = join(dir, 'model.safetensors');
    socketServer = createServer();
    await new Promise<void>((resolve) => socketServer.listen(socketPath, resolve));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => socketServer.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a FIFO before opening it (open would wait for a writer)', async () => {
    const [code, message] = await codeAndMessage(importModelPath(fifo));
    expect(code).toBe('BAD_FILE');
    expect(message).toBe(
      `${fifo}: is a named pipe (FIFO), not a regular file; Headroom reads model files only`,
    );
  });

  it('refuses a FIFO inside a model folder', async () => {
    const [code, message] = await codeAndMessage(importModelPath(join(dir, 'piped')));
    expect(code).toBe('BAD_FILE');
    expect(message).toContain('config.json: is a named pipe (FIFO)');
  });

  it('refuses a socket and a character device', async () => {
    expect(await codeAndMessage(openLocalFile(socketPath))).toEqual([
      'BAD_FILE',
      `${socketPath}: is a socket, not a regular file; Headroom reads model files only`,
    ]);
    const link = join(dir, 'zero.gguf');
    await symlink('/dev/zero', link);
    expect((await codeAndMessage(importModelPath(link)))[1]).toContain('is a character device');
  });

  it('still reads a model through a symbolic link, as the Hugging Face cache stores them', async () => {
    const { kvs, tensors } = tinyLlamaGguf();
    const blob = join(dir, 'blob');
    await writeFile(blob, ggufFile(kvs, tensors));
    await symlink(blob, join(dir, 'linked.gguf'));
    const model = await importModelPath(join(dir, 'linked.gguf'));
    expect(model.spec.architecture?.layers).toBe(2);
  });

  it('refuses a FIFO in the quantization lab', async () => {
    expect((await codeAndMessage(openCheckpoint(fifo)))[0]).toBe('BAD_FILE');
  });

  it.each([
    ['inspect', (path: string) => ['inspect', path]],
    ['plan --model', (path: string) => ['plan', '--model', path, '--device', 'nvidia-rtx-4090']],
    ['quant --file', (path: string) => ['quant', '--method', 'absmax', '--file', path]],
  ])('%s on a FIFO exits 2 within 5 s', async (_name, args) => {
    const started = Date.now();
    const result = await runHeadroom(args(fifo));
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `headroom: ${fifo}: is a named pipe (FIFO), not a regular file; Headroom reads model files only`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('reads bounded in time', () => {
  it('rejects a read the OS never answers at its deadline', async () => {
    const never = new Promise<number>(() => undefined);
    const started = Date.now();
    await expect(
      withDeadline(never, 50, () => new HeadroomError('BAD_FILE', 'no data within 0.05 s')),
    ).rejects.toThrow('no data within 0.05 s');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('passes a value through and clears its timer', async () => {
    expect(await withDeadline(Promise.resolve(7), 10_000, () => new Error('late'))).toBe(7);
  });
});
