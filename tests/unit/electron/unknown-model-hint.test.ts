import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadroomError } from '../../../core/errors';
import { resolveModelArgument } from '../../../electron/services/model-files';
import { runHeadroom } from '../../helpers/run-command';

// Issue 13 item 5: an id that is not in the catalog and cannot be fetched offline suggests the
// closest entries and how to pass a local config.json.

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'headroom-unknown-model-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<HeadroomError> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof HeadroomError) return thrown;
    throw thrown;
  }
  throw new Error('expected a rejection');
}

describe('an id the catalog lacks, offline', () => {
  it('names the three closest catalog ids and the --model path/to/config.json way in', async () => {
    const error = await rejection(
      resolveModelArgument('meta-llama/Llama-3.1-70B-Instruct-AWQ', { cwd: root, offline: true }),
    );
    expect(error.code).toBe('NOT_AVAILABLE');
    expect(error.message).toContain('offline');
    expect(error.message).toMatch(/Did you mean meta-llama\/Llama-3\.1-70B, [^,]+, [^,?]+\?/);
    expect(error.message).toContain('--model path/to/config.json');
  });

  it('does the same for a name that is not a repo id at all', async () => {
    const error = await rejection(resolveModelArgument('qwen3-30b', { cwd: root, offline: true }));
    expect(error.code).toBe('UNKNOWN_MODEL');
    expect(error.message).toContain('Did you mean Qwen/Qwen3-30B-A3B');
    expect(error.message).toContain('--model path/to/config.json');
  });

  it('resolves an Instruct id offline without the Hub: it is the catalog base entry', async () => {
    const model = await resolveModelArgument('Qwen/Qwen3-30B-A3B-Instruct-2507', {
      cwd: root,
      offline: true,
    });
    expect(model.id).toBe('Qwen/Qwen3-30B-A3B');
  });

  it('says it once through `headroom plan` (exit 2, one line on stderr)', async () => {
    const result = await runHeadroom(
      ['plan', '--model', 'google/gemma-3-27b-it-qat-q4_0-gguf', '--device', 'nvidia-rtx-4090'],
      { ...process.env, HF_HUB_OFFLINE: '1' },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('google/gemma-3-27b-pt');
    expect(result.stderr).toContain('--model path/to/config.json');
    expect(result.stderr.match(/Did you mean/g)).toHaveLength(1);
  });
});
