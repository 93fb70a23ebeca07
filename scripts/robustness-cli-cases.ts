/**
 * The command-line rows of `npm run robustness`: hostile numbers, ids, names and flags here;
 * paths, device files, lying headers and report targets in robustness-file-cases.ts. Each row
 * has the exit code README documents for it (0 success, 1 no fit with --fail-if-no-fit, 2 bad
 * input, 3 a Headroom bug; no row should be 3).
 */
import { LLAMA, long, type CliCase } from './robustness-case';
import { fileCases } from './robustness-file-cases';
import type { Fixtures } from './robustness-fixtures';

/** The Hub never answers from here: each row that might ask it says so. */
const OFFLINE = { HF_HUB_OFFLINE: '1' };
/** A closed port on this machine: "connection refused" at once. */
const DEAD_HUB = { HF_ENDPOINT: 'http://127.0.0.1:9' };

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
  // DeepSeek-V3 on 8 H200s: the MoE layouts' rows, all refused (exit 2).
  const DEEPSEEK_ON_8 = [
    '--model',
    'deepseek-ai/DeepSeek-V3',
    '--device',
    'nvidia-h200-sxm-141gb',
    '--gpus',
    '8',
  ];
  const deepseekOn8 = (extra: string[]): CliCase => ({
    group: 'commands and flags',
    input: `plan DeepSeek-V3@8×H200 ${extra.join(' ')}`,
    args: ['plan', ...DEEPSEEK_ON_8, ...extra],
    expectedExit: 2,
  });
  const numbers = 'numbers';
  const training = 'training numbers';
  const ids = 'ids and names';
  const commands = 'commands and flags';

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
    // Issue 15: --batch in training is read as --micro-batch, with a note.
    plan(training, ['--batch', '4', '--mode', 'training'], 0),

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
    // vLLM's MoE layouts: a dense model, ranks that do not divide the GPUs, another engine.
    plan(commands, ['--engine', 'vllm', '--data-parallel', '2'], 2),
    deepseekOn8(['--engine', 'vllm', '--data-parallel', '3']),
    deepseekOn8(['--engine', 'transformers', '--expert-parallel']),
    plan(commands, ['--engine', 'sglang', '--draft', 'meta-llama/Llama-3.2-1B-Instruct'], 2),
    plan(commands, ['--engine', 'sglang', '--data-parallel', '0'], 2),
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

    ...fileCases(f),
  ];
}
