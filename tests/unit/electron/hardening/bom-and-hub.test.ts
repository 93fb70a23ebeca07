import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HeadroomError } from '../../../../core/errors';
import { importHubModel } from '../../../../electron/services/hub';
import { forgetHubFailures } from '../../../../electron/services/hub-http';
import { importModelPath } from '../../../../electron/services/model-files';
import { runHeadroom } from '../../../helpers/run-command';
import { tinyLlamaConfig } from '../../../helpers/tiny-models';

/**
 * Issue 16, D8: a config.json that starts with a UTF-8 byte order mark (Windows Notepad writes
 * one) was refused as "not valid JSON"; an unknown model id waited on an unreachable Hub every
 * time it was asked.
 */

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('config.json with a byte order mark', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'headroom-bom-'));
    await mkdir(join(dir, 'notepad-model'));
    const json = Buffer.from(JSON.stringify(tinyLlamaConfig(), null, 2));
    await writeFile(join(dir, 'notepad-model', 'config.json'), Buffer.concat([BOM, json]));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is read as if the mark were not there', async () => {
    const model = await importModelPath(join(dir, 'notepad-model'));
    expect(model.spec.architecture?.layers).toBe(2);
  });

  it('works through the CLI: inspect exits 0', async () => {
    const result = await runHeadroom(['inspect', join(dir, 'notepad-model', 'config.json')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('an unreachable Hub', () => {
  let silent: Server;
  let endpoint: string;
  /** Connections this test's Hub accepted. */
  let sockets: Socket[] = [];

  beforeEach(async () => {
    forgetHubFailures();
    const accepted: Socket[] = [];
    sockets = accepted;
    // Accepts connections and never answers: a Hub behind a black-holing network.
    silent = createServer((socket) => {
      accepted.push(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  async function timedFailure(repo: string): Promise<{ ms: number; error: HeadroomError }> {
    const started = Date.now();
    try {
      await importHubModel(repo, { endpoint, timeoutMs: 400 });
    } catch (thrown) {
      if (thrown instanceof HeadroomError) return { ms: Date.now() - started, error: thrown };
      throw thrown;
    }
    throw new Error('expected the Hub lookup to fail');
  }

  it('is asked once; later lookups in the process fail at once, with the same words', async () => {
    const first = await timedFailure('some-org/unknown-model');
    expect(first.error.code).toBe('NOT_AVAILABLE');
    expect(first.ms).toBeGreaterThanOrEqual(350);
    const second = await timedFailure('other-org/another-model');
    expect(second.error.message).toBe(first.error.message);
    expect(second.ms).toBeLessThan(100);
    expect(sockets).toHaveLength(1);
  });

  it('is not contacted at all with HF_HUB_OFFLINE=1, so the CLI answers at once', async () => {
    const started = Date.now();
    const result = await runHeadroom(
      ['plan', '--model', 'some-org/unknown-model', '--device', 'nvidia-rtx-4090'],
      { ...process.env, HF_HUB_OFFLINE: '1', HF_ENDPOINT: endpoint },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Headroom is offline (HF_HUB_OFFLINE)');
    expect(sockets).toHaveLength(0);
    // tsx start-up takes most of this on a loaded machine; the lookup itself takes no time.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
