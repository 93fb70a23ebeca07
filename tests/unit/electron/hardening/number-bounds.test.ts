import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  CONTEXT_TOKENS_BOUND,
  DEVICE_COUNT_BOUND,
  MARGIN_BOUND,
  MAX_CONTEXT_TOKENS,
  TRAIN_TOKENS_BOUND,
} from '../../../../core/input-bounds';
import {
  BINARY_THOUSANDS,
  DECIMAL_SUFFIXES,
  parseBoundedNumber,
} from '../../../../core/number-input';
import { runCli } from '../../../../electron/cli/run-cli';
import {
  createBridgeService,
  dispatchBridgeCall,
} from '../../../../electron/services/bridge-service';
import { runHeadroom } from '../../../helpers/run-command';

/** Issue 16, D3 and D4: one parser and one set of bounds for the CLI's flags and the bridge. */

const LLAMA = ['--model', 'meta-llama/Llama-3.1-8B', '--device', 'nvidia-rtx-4090'];

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (thrown) {
    return (thrown as Error).message;
  }
  throw new Error('expected the parser to refuse');
}

describe('core number parser (core/input-bounds.ts)', () => {
  it('reads numbers as people type them', () => {
    expect(parseBoundedNumber('8k', CONTEXT_TOKENS_BOUND, BINARY_THOUSANDS)).toBe(8192);
    expect(parseBoundedNumber('128K', CONTEXT_TOKENS_BOUND, BINARY_THOUSANDS)).toBe(131072);
    expect(parseBoundedNumber('1_000_000', CONTEXT_TOKENS_BOUND)).toBe(1e6);
    expect(parseBoundedNumber('1e8', CONTEXT_TOKENS_BOUND)).toBe(MAX_CONTEXT_TOKENS);
    expect(parseBoundedNumber('1.5T', TRAIN_TOKENS_BOUND, DECIMAL_SUFFIXES)).toBe(1.5e12);
    expect(parseBoundedNumber('0.05', MARGIN_BOUND)).toBe(0.05);
  });

  it('refuses what Number() would take but a person did not mean', () => {
    for (const text of ['0x10', '', ' ', 'Infinity', '-5', '1e', '8q', 'NaN', '+3']) {
      expect(messageOf(() => parseBoundedNumber(text, DEVICE_COUNT_BOUND))).toMatch(
        /^The number of devices is a number such as 8; ".*" is not one\.$/,
      );
    }
  });

  it('names the bound and why it is there', () => {
    expect(messageOf(() => parseBoundedNumber('1e21', DEVICE_COUNT_BOUND))).toBe(
      'The number of devices must be at most 1,024 devices (128 nodes of 8 GPUs; plan larger clusters per node); got 1e21.',
    );
    expect(messageOf(() => parseBoundedNumber('0', DEVICE_COUNT_BOUND))).toBe(
      'The number of devices must be at least 1 devices; got 0.',
    );
    expect(messageOf(() => parseBoundedNumber('2.5', DEVICE_COUNT_BOUND))).toBe(
      'The number of devices must be a whole number; got 2.5.',
    );
    expect(messageOf(() => parseBoundedNumber('1', MARGIN_BOUND))).toMatch(/must be below 1 /);
  });

  it('does not echo a huge argument whole', () => {
    const message = messageOf(() => parseBoundedNumber('9'.repeat(10_000), CONTEXT_TOKENS_BOUND));
    expect(message.length).toBeLessThan(300);
  });
});

describe('the CLI and the bridge refuse the same numbers with the same words', () => {
  it('refuses --gpus 1e21 at once as bad input, not a stack overflow (D3)', async () => {
    const started = Date.now();
    const result = await runHeadroom(['plan', ...LLAMA, '--gpus', '1e21']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--gpus <n>' argument '1e21' is invalid.");
    expect(result.stderr).toContain('The number of devices must be at most 1,024 devices');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses --context 1e32 instead of planning 1e32 tokens (D4)', async () => {
    const result = await runHeadroom(['plan', ...LLAMA, '--context', '9'.repeat(32), '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('The context length must be at most 100,000,000 tokens');
  });

  it('gives the bridge the bound the CLI has, in the same words', async () => {
    const cli = await runHeadroom(['plan', ...LLAMA, '--context', '1e30']);
    const bridge = await dispatchBridgeCall(createBridgeService('browser'), 'plan', [
      {
        modelId: 'meta-llama/Llama-3.1-8B',
        deviceIds: ['nvidia-rtx-4090'],
        kvFormat: 'fp16',
        contextTokens: 1e30,
        batch: 1,
        engine: 'generic',
        marginFraction: 0.05,
        unit: 'GB',
      },
    ]);
    const words = 'The context length must be at most 100,000,000 tokens';
    expect(cli.stderr).toContain(words);
    expect(bridge.ok).toBe(false);
    expect(!bridge.ok && bridge.error.message).toContain(words);
  });

  it('refuses more than 1024 --device flags', async () => {
    const devices = Array.from({ length: 1025 }, () => ['--device', 'nvidia-rtx-4090']).flat();
    const result = await runHeadroom(['plan', '--params', '7B', ...devices]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('1025 --device flags');
  });
});

describe('unexpected errors (exit 3)', () => {
  const failing = () =>
    new Command('headroom').addCommand(
      new Command('boom').action(() => {
        // A defect, as `--gpus 1e21` was: a RangeError from deep inside.
        new Array(-1);
      }),
    );

  it('prints one line with a bug-report hint and exits 3', async () => {
    let stderr = '';
    const code = await runCli(['boom'], failing(), { stderr: (text) => (stderr += text), env: {} });
    expect(code).toBe(3);
    expect(stderr).toMatch(
      /^headroom: unexpected RangeError: Invalid array length — this is a bug in Headroom: please report it/,
    );
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('adds the stack only with HEADROOM_DEBUG=1', async () => {
    let stderr = '';
    const env = { HEADROOM_DEBUG: '1' };
    const code = await runCli(['boom'], failing(), { stderr: (text) => (stderr += text), env });
    expect(code).toBe(3);
    expect(stderr).toMatch(/\n\s+at /);
  });

  it('keeps bad input at exit 2 with its own message', async () => {
    const result = await runHeadroom(['plan', '--params', 'lots', '--device', 'nvidia-rtx-4090']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^headroom: "lots" is not a parameter count/);
  });
});
