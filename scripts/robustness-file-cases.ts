/**
 * The file rows of `npm run robustness`: paths that are FIFOs, sockets, devices or loops; model
 * headers that lie about their lengths; config.json files and shard indexes that are broken; and
 * report targets that are not regular files. Fixtures come from robustness-fixtures.ts.
 */
import { LLAMA, long, type CliCase } from './robustness-case';
import type { Fixtures } from './robustness-fixtures';

const REPORT = ['report', ...LLAMA, '--format', 'md', '--no-detect'];

/** Every file row, with fixture paths filled in. */
export function fileCases(f: Fixtures): CliCase[] {
  const p = (name: string) => f.path(name);
  const paths = 'paths and device files';
  const headers = 'lying headers';
  const configs = 'config.json and indexes';
  const targets = 'report targets';
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
