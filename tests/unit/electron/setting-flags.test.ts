/**
 * Core says what to change, each face says how (STYLE.md habit 13, issue 15 part 5): core's
 * messages name settings in words (core/setting-names.ts), and the CLI adds their flags.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeadroomError } from '../../../core/errors';
import { methodFromOptions } from '../../../core/quantlab/method-options';
import { validateTrainingScenario } from '../../../core/training/scenario';
import { trainingScenario } from '../../../core/training';
import { withSettingFlags } from '../../../electron/cli/setting-flags';

function thrownMessage(run: () => void): string {
  try {
    run();
  } catch (thrown) {
    if (thrown instanceof HeadroomError) return thrown.message;
  }
  throw new Error('expected a HeadroomError');
}

describe('setting names and the CLI flags that set them', () => {
  it('names the ZeRO stage in core, and --zero and --fsdp on the command line', () => {
    // core/training/scenario.ts: CPU offload needs ZeRO ≥ 1 (DeepSpeed's ZeRO-Offload).
    const message = thrownMessage(() =>
      validateTrainingScenario(trainingScenario({ offload: 'optimizer', zeroStage: 0 })),
    );
    expect(message).toBe(
      'CPU offload partitions the optimizer with ZeRO: set the ZeRO stage to 1, 2 or 3 (or use FSDP sharding).',
    );
    expect(withSettingFlags(message)).toBe(`${message} (--zero, --fsdp)`);
  });

  it('names quant-lab settings in core, and --method, --bits, --block, --per on the command line', () => {
    // core/quantlab/method-options.ts: llm.int8 has no blocks (bitsandbytes' outlier split).
    const noBlock = thrownMessage(() => methodFromOptions({ method: 'llm.int8', block: 64 }));
    expect(noBlock).toBe('For llm.int8, the block size does not apply: leave it unset.');
    expect(withSettingFlags(noBlock)).toBe(`${noBlock} (--block)`);
    const both = thrownMessage(() =>
      methodFromOptions({ method: 'absmax', block: 64, per: 'row' }),
    );
    expect(withSettingFlags(both)).toBe(`${both} (--block, --per)`);
    const fourBit = thrownMessage(() => methodFromOptions({ method: 'nf4', bits: 8 }));
    expect(withSettingFlags(fourBit)).toBe(
      'nf4 is 4-bit only: leave the bit width unset (8 given). (--bits)',
    );
  });

  it('leaves a message that names no setting as it is', () => {
    expect(withSettingFlags('Unknown precision "fp64".')).toBe('Unknown precision "fp64".');
  });

  it('keeps the CLI flags of these settings out of core messages', () => {
    const flag =
      /['`"][^'`"\n]*--(?:zero|fsdp|grad-accum|tp|model|params|method|bits|block|per|threshold|double-quant)\b/;
    // The command line a report prints is the CLI's own syntax, engine logs are parsed, and a
    // launch writer prints the engine's own command (SGLang's --model-path and --tp-size).
    const allowed = new Set([
      'core/report/plan-command-line.ts',
      'core/report/serve-command-line.ts',
      'core/measure/ollama-log.ts',
      'core/measure/sglang-args.ts',
      'core/launch/sglang.ts',
    ]);
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? files(join(dir, entry.name))
          : entry.name.endsWith('.ts')
            ? [join(dir, entry.name)]
            : [],
      );
    const offenders = files('core')
      .filter((file) => !allowed.has(file))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ file, line, index }))
          .filter(({ line }) => !/^\s*(\/\/|\*|\/\*)/.test(line) && flag.test(line))
          .map(({ file, index }) => `${file}:${index + 1}`),
      );
    expect(offenders).toEqual([]);
  });
});
