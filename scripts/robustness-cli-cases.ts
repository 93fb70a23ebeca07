/**
 * The command-line rows of `npm run robustness`: hostile numbers, ids, paths, device files,
 * FIFOs, lying headers and report targets, each with the exit code README documents for it
 * (0 success, 1 no fit with --fail-if-no-fit, 2 bad input, 3 a Headroom bug; no row should be 3).
 */
import type { Fixtures } from './robustness-fixtures';

export interface CliCase {
  /** What kind of hostility: numbers, ids, paths, headers, report targets, … */
  readonly group: string;
  /** The input as the table shows it (long arguments abbreviated). */
  readonly input: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly expectedExit: 0 | 1 | 2 | 3;
  /** Runs only as root (mknod). */
  readonly needsRoot?: boolean;
}

const LLAMA = ['--model', 'meta-llama/Llama-3.1-8B', '--device', 'nvidia-rtx-4090'];
const REPORT = ['report', ...LLAMA, '--format', 'md', '--no-detect'];
/** The Hub never answers from here: each row that might ask it says so. */
const OFFLINE = { HF_HUB_OFFLINE: '1' };
/** A closed port on this machine: "connection refused" at once. */
const DEAD_HUB = { HF_ENDPOINT: 'http://127.0.0.1:9' };

const long = (char: string, count: number) => char.repeat(count);

/** Every command-line row, with fixture paths filled in. */
export function cliCases(f: Fixtures): CliCase[] {
  const p = (name: string) => f.path(name);
  const plan = (group: string, extra: string[], expectedExit: CliCase['expectedExit']) => ({
    group,
    input: `plan ${LLAMA.join(' ')} ${extra.join(' ')}`.replace(
      `${LLAMA.join(' ')} `,
      'LLAMA-8B@4090 ',
    ),
    args: ['plan', ...LLAMA, ...extra],
    expectedExit,
  });
  const numbers = 'numbers';
  const training = 'training numbers';
  const ids = 'ids and names';
  const paths = 'paths and device files';
  const headers = 'lying headers';
  const configs = 'config.json and indexes';
  const targets = 'report targets';
  const commands = 'commands and flags';
  const inspect = (group: string, name: string, expectedExit: CliCase['expectedExit']) => ({
    group,
    input: `inspect $DIR/${name}`,
    args: ['inspect', p(name)],
    expectedExit,
  });
  const report = (
    name: string,
    extra: string[],
    expectedExit: CliCase['expectedExit'],
    needsRoot = false,
  ) => ({
    group: targets,
    input: `report LLAMA-8B@4090 --out $DIR/${name} ${extra.join(' ')}`.trim(),
    args: [...REPORT, '--out', p(name), ...extra],
    expectedExit,
    ...(needsRoot ? { needsRoot } : {}),
  });

  return [
    // Numbers: every flag's bound, the forms Number() takes but a person does not mean.
    plan(numbers, ['--context', '1e30'], 2),
    {
      ...plan(numbers, ['--context', long('9', 32)], 2),
      input: 'plan LLAMA-8B@4090 --context 9×32',
    },
    plan(numbers, ['--context', '0'], 2),
    plan(numbers, ['--context=-1'], 2),
    plan(numbers, ['--context', 'NaN'], 2),
    plan(numbers, ['--context', 'Infinity'], 2),
    plan(numbers, ['--context', '0x1000'], 2),
    plan(numbers, ['--context', ''], 2),
    plan(numbers, ['--context', '4096.5'], 2),
    plan(numbers, ['--context', '8k'], 0),
    plan(numbers, ['--context', '1e8'], 0),
    plan(numbers, ['--context', '100000001'], 2),
    plan(numbers, ['--context', '1e8', '--batch', '1e6'], 0),
    plan(numbers, ['--batch', '1000001'], 2),
    plan(numbers, ['--batch', '0'], 2),
    plan(numbers, ['--batch', '1e21'], 2),
    plan(numbers, ['--gpus', '1e21'], 2),
    plan(numbers, ['--gpus', '1000000'], 2),
    plan(numbers, ['--gpus', '1024'], 0),
    plan(numbers, ['--gpus', '1025'], 2),
    plan(numbers, ['--gpus', '2.5'], 2),
    plan(numbers, ['--gpus', '1024', '--solve', 'min-gpus'], 0),
    plan(numbers, ['--margin', '1'], 2),
    plan(numbers, ['--margin', '-0.1'], 2),
    plan(numbers, ['--margin', '0.99'], 0),
    plan(numbers, ['--margin', 'NaN'], 2),
    {
      group: numbers,
      input: 'plan --params 1e15 --device nvidia-rtx-4090 --solve min-gpus',
      args: ['plan', '--params', '1e15', '--device', 'nvidia-rtx-4090', '--solve', 'min-gpus'],
      expectedExit: 0,
    },
    {
      group: numbers,
      input: 'plan --params 1e16 --device nvidia-rtx-4090',
      args: ['plan', '--params', '1e16', '--device', 'nvidia-rtx-4090'],
      expectedExit: 2,
    },
    {
      group: numbers,
      input: 'plan --params 0 --device nvidia-rtx-4090',
      args: ['plan', '--params', '0', '--device', 'nvidia-rtx-4090'],
      expectedExit: 2,
    },
    {
      group: numbers,
      input: 'plan --params 1e400 --device nvidia-rtx-4090',
      args: ['plan', '--params', '1e400', '--device', 'nvidia-rtx-4090'],
      expectedExit: 2,
    },
    {
      group: numbers,
      input:
        'plan --params 7B --device nvidia-rtx-4090 --context 1e8 --batch 1e6 --solve max-batch',
      args: [
        'plan',
        '--params',
        '7B',
        '--device',
        'nvidia-rtx-4090',
        '--context',
        '1e8',
        '--batch',
        '1e6',
        '--solve',
        'max-batch',
      ],
      expectedExit: 0,
    },
    {
      group: numbers,
      input: 'plan --model meta-llama/Llama-3.1-405B --device nvidia-rtx-4090 --fail-if-no-fit',
      args: [
        'plan',
        '--model',
        'meta-llama/Llama-3.1-405B',
        '--device',
        'nvidia-rtx-4090',
        '--fail-if-no-fit',
      ],
      expectedExit: 1,
    },

    // Training flags.
    plan(training, ['--mode', 'training', '--tp', '1e21'], 2),
    plan(training, ['--mode', 'training', '--pp', '0'], 2),
    plan(training, ['--mode', 'training', '--pp', '1024'], 2),
    plan(training, ['--mode', 'training', '--nodes', '100001'], 2),
    plan(training, ['--mode', 'training', '--nodes', '100000', '--gpus', '1024'], 0),
    plan(training, ['--mode', 'training', '--finetune', 'lora', '--lora-rank', '1e9'], 2),
    plan(training, ['--mode', 'training', '--micro-batch', '1e7'], 2),
    plan(training, ['--mode', 'training', '--grad-accum', '1e6'], 0),
    plan(training, ['--mode', 'training', '--mfu', '0'], 2),
    plan(training, ['--mode', 'training', '--mfu', '1.5'], 2),
    plan(training, ['--mode', 'training', '--train-tokens', '1e19'], 2),
    plan(training, ['--mode', 'training', '--train-tokens', '1.5T'], 0),
    plan(training, ['--mode', 'training', '--zero', '7'], 2),
    plan(training, ['--batch', '4', '--mode', 'training'], 2),

    // Ids and names.
    {
      group: ids,
      input: "plan --model '' --device nvidia-rtx-4090",
      args: ['plan', '--model', '', '--device', 'nvidia-rtx-4090'],
      expectedExit: 2,
    },
    {
      group: ids,
      input: "plan --model ' ' --device nvidia-rtx-4090",
      args: ['plan', '--model', ' ', '--device', 'nvidia-rtx-4090'],
      expectedExit: 2,
    },
    {
      group: ids,
      input: 'plan --model x×10000 --device nvidia-rtx-4090',
      args: ['plan', '--model', long('x', 10_000), '--device', 'nvidia-rtx-4090'],
      expectedExit: 2,
    },
    {
      group: ids,
      input: 'plan --model ../../../../etc/passwd --device nvidia-rtx-4090',
      args: ['plan', '--model', '../../../../etc/passwd', '--device', 'nvidia-rtx-4090'],
      expectedExit: 2,
    },
    {
      group: ids,
      input: 'plan --model some-org/unknown-model (HF_HUB_OFFLINE=1)',
      args: ['plan', '--model', 'some-org/unknown-model', '--device', 'nvidia-rtx-4090'],
      env: OFFLINE,
      expectedExit: 2,
    },
    {
      group: ids,
      input: 'plan --model some-org/unknown-model (Hub on a closed port)',
      args: ['plan', '--model', 'some-org/unknown-model', '--device', 'nvidia-rtx-4090'],
      env: DEAD_HUB,
      expectedExit: 2,
    },
    {
      group: ids,
      input: 'plan --model 😀/🙃 --device nvidia-rtx-4090',
      args: ['plan', '--model', '😀/🙃', '--device', 'nvidia-rtx-4090'],
      expectedExit: 2,
    },
    {
      group: ids,
      input: 'plan --model %00 --device nvidia-rtx-4090',
      args: ['plan', '--model', '%00', '--device', 'nvidia-rtx-4090'],
      expectedExit: 2,
    },
    {
      group: ids,
      input: 'plan --model META-LLAMA/llama-3.1-8b --device nvidia-rtx-4090',
      args: ['plan', '--model', 'META-LLAMA/llama-3.1-8b', '--device', 'nvidia-rtx-4090'],
      expectedExit: 0,
    },
    {
      group: ids,
      input: 'plan --params 7B --device nvidia-rtx-4090 ×1025',
      args: [
        'plan',
        '--params',
        '7B',
        ...Array.from({ length: 1025 }, () => ['--device', 'nvidia-rtx-4090']).flat(),
      ],
      expectedExit: 2,
    },
    {
      group: ids,
      input: "plan --params 7B --device ''",
      args: ['plan', '--params', '7B', '--device', ''],
      expectedExit: 2,
    },
    {
      group: ids,
      input: 'plan --params 7B --device x×10000',
      args: ['plan', '--params', '7B', '--device', long('x', 10_000)],
      expectedExit: 2,
    },
    {
      group: ids,
      input: 'plan --params 7B --device local:99',
      args: ['plan', '--params', '7B', '--device', 'local:99'],
      expectedExit: 2,
    },
    plan(ids, ['--weights', 'nope'], 2),
    plan(ids, ['--weights', 'q4_k_m'], 0),
    plan(ids, ['--kv', ''], 2),
    plan(ids, ['--engine', 'nope'], 2),
    plan(ids, ['--unit', 'nope'], 2),
    plan(ids, ['--solve', 'everything'], 2),
    {
      group: ids,
      input: 'models --search y×100000',
      args: ['models', '--search', long('y', 100_000)],
      expectedExit: 0,
    },
    {
      group: ids,
      input: "devices --search '.*'",
      args: ['devices', '--search', '.*'],
      expectedExit: 0,
    },

    // Commands and flags.
    { group: commands, input: 'frobnicate', args: ['frobnicate'], expectedExit: 2 },
    { group: commands, input: '--no-such-flag', args: ['--no-such-flag'], expectedExit: 2 },
    { group: commands, input: 'plan (no arguments)', args: ['plan'], expectedExit: 2 },
    { group: commands, input: 'formats --json', args: ['formats', '--json'], expectedExit: 0 },
    {
      group: commands,
      input: 'detect --timeout 1e9',
      args: ['detect', '--timeout', '1e9'],
      expectedExit: 2,
    },
    {
      group: commands,
      input: 'detect --deadline 0',
      args: ['detect', '--deadline', '0'],
      expectedExit: 2,
    },
    {
      group: commands,
      input: 'detect --replay /nonexistent',
      args: ['detect', '--replay', '/nonexistent'],
      expectedExit: 2,
    },
    {
      group: commands,
      input: 'detect --replay $DIR/fifo.gguf',
      args: ['detect', '--replay', p('fifo.gguf')],
      expectedExit: 2,
    },
    {
      group: commands,
      input: 'quant --method absmax --values 1e400',
      args: ['quant', '--method', 'absmax', '--values', '1e400'],
      expectedExit: 2,
    },
    {
      group: commands,
      input: 'quant --method absmax --synthetic normal:1e9',
      args: ['quant', '--method', 'absmax', '--synthetic', 'normal:1000000000'],
      expectedExit: 2,
    },
    {
      group: commands,
      input: 'quant --method absmax --synthetic normal:8 --workers 1e6',
      args: ['quant', '--method', 'absmax', '--synthetic', 'normal:8', '--workers', '1e6'],
      expectedExit: 2,
    },

    // Paths and device files.
    inspect(paths, 'fifo.gguf', 2),
    inspect(paths, 'fifo-folder', 2),
    inspect(paths, 'socket.gguf', 2),
    inspect(paths, 'zero.gguf', 2),
    inspect(paths, 'urandom.safetensors', 2),
    inspect(paths, 'loop-a.gguf', 2),
    inspect(paths, 'linked.gguf', 0),
    inspect(paths, 'empty-folder', 2),
    inspect(paths, 'two-ggufs', 2),
    inspect(paths, 'missing.gguf', 2),
    inspect(paths, 'a-file/below-a-file.gguf', 2),
    { group: paths, input: 'inspect /dev/zero', args: ['inspect', '/dev/zero'], expectedExit: 2 },
    { group: paths, input: 'inspect /dev/null', args: ['inspect', '/dev/null'], expectedExit: 2 },
    {
      group: paths,
      input: 'inspect /proc/self/mem',
      args: ['inspect', '/proc/self/mem'],
      expectedExit: 2,
    },
    {
      group: paths,
      input: 'plan --model $DIR/fifo.gguf --device nvidia-rtx-4090',
      args: ['plan', '--model', p('fifo.gguf'), '--device', 'nvidia-rtx-4090'],
      expectedExit: 2,
    },
    {
      group: paths,
      input: 'plan --model $DIR/fifo-folder --device nvidia-rtx-4090',
      args: ['plan', '--model', p('fifo-folder'), '--device', 'nvidia-rtx-4090'],
      expectedExit: 2,
    },
    {
      group: paths,
      input: 'quant --method absmax --file $DIR/fifo.safetensors',
      args: ['quant', '--method', 'absmax', '--file', p('fifo.safetensors')],
      expectedExit: 2,
    },
    {
      group: paths,
      input: 'quant --method absmax --file /dev/zero',
      args: ['quant', '--method', 'absmax', '--file', '/dev/zero'],
      expectedExit: 2,
    },
    {
      group: paths,
      input: 'quant --method absmax --file $DIR/empty-folder',
      args: ['quant', '--method', 'absmax', '--file', p('empty-folder')],
      expectedExit: 2,
    },

    // Headers that lie about their lengths, or end early.
    inspect(headers, 'tiny.gguf', 0),
    inspect(headers, 'tiny.safetensors', 0),
    inspect(headers, 'tiny-folder', 0),
    inspect(headers, 'truncated.gguf', 2),
    inspect(headers, 'half.gguf', 2),
    inspect(headers, 'magic-only.gguf', 2),
    inspect(headers, 'empty.gguf', 2),
    inspect(headers, 'tensor-count-max.gguf', 2),
    inspect(headers, 'kv-count-max.gguf', 2),
    inspect(headers, 'key-length-max.gguf', 2),
    inspect(headers, 'version-99.gguf', 2),
    inspect(headers, 'length-max.safetensors', 2),
    inspect(headers, 'length-past-end.safetensors', 2),
    inspect(headers, 'not-json.safetensors', 2),
    inspect(headers, 'deep.safetensors', 2),
    inspect(headers, 'offsets-past-end.safetensors', 2),
    inspect(headers, 'shape-overflow.safetensors', 2),
    inspect(headers, 'empty.safetensors', 2),
    inspect(headers, 'sparse-100g.safetensors', 2),
    {
      group: headers,
      input: 'quant --method absmax --file $DIR/length-max.safetensors',
      args: ['quant', '--method', 'absmax', '--file', p('length-max.safetensors')],
      expectedExit: 2,
    },

    // config.json and shard indexes.
    inspect(configs, 'config-bom', 0),
    inspect(configs, 'config-empty', 2),
    inspect(configs, 'config-null', 2),
    inspect(configs, 'config-deep', 2),
    inspect(configs, 'config-huge', 2),
    inspect(configs, 'config-bad-utf8', 2),
    inspect(configs, 'config-layers-1e300', 2),
    inspect(configs, 'config-negative-hidden', 2),
    inspect(configs, 'config-zero-heads', 2),
    inspect(configs, 'config-string-layers', 2),
    inspect(configs, 'index-escape', 2),
    inspect(configs, 'index-missing-shard', 2),
    inspect(configs, 'index-not-object', 2),

    // Report and launch targets.
    report('fifo-report.md', ['--force'], 2),
    report('fifo-report.md', [], 2),
    report('report-link.md', ['--force'], 2),
    report('report-existing.md', [], 2),
    report('report-folder.md', ['--force'], 2),
    report('missing-folder/report.md', [], 2),
    report('null-device.md', ['--force'], 2, true),
    report(`${long('x', 300)}.md`, [], 2),
    report('fresh-report.md', [], 0),
    report('report-existing.md', ['--force'], 0),
    {
      group: targets,
      input: 'launch LLAMA-8B@4090 --engine vllm --out $DIR/fifo-report.md --force',
      args: ['launch', ...LLAMA, '--engine', 'vllm', '--out', p('fifo-report.md'), '--force'],
      expectedExit: 2,
    },
    {
      group: targets,
      input: 'report LLAMA-8B@4090 --format pdf --out $DIR/report-link.md --force',
      args: [
        'report',
        ...LLAMA,
        '--format',
        'pdf',
        '--no-detect',
        '--out',
        p('report-link.md'),
        '--force',
      ],
      expectedExit: 2,
    },
  ];
}
