import { Command, Option } from 'commander';
import { DEVICE_CATALOG } from '../../core/devices/catalog';
import { FORMATS } from '../../core/formats/catalog';
import { modelCatalog } from '../../core/models/catalog';
import { searchModels } from '../../core/models/search';
import { BYTE_UNITS, formatBytes, type ByteUnit } from '../../core/units/bytes';
import { formatParams, formatTeraOps } from '../../core/units/numbers';
import { renderTable } from './table';

const matches = (search: string | undefined, ...fields: string[]): boolean =>
  !search || fields.some((field) => field.toLowerCase().includes(search.toLowerCase()));

/** `headroom models`: the built-in model catalog. */
export function modelsCommand(): Command {
  return new Command('models')
    .description('List the catalog models (Hugging Face ids).')
    .option(
      '--search <text>',
      'only models matching the text, best first (partial, any case or punctuation: "llama3.1 70", "gpt oss", or a full -Instruct id)',
    )
    .option('--json', 'print one JSON document (schema headroom.models/v1)')
    .action((options: { search?: string; json?: boolean }) => {
      const models =
        options.search === undefined
          ? modelCatalog()
          : searchModels(options.search, modelCatalog());
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ schema: 'headroom.models/v1', models }, null, 2)}\n`,
        );
        return;
      }
      const rows = models.map((model) => [
        model.id,
        formatParams(model.params),
        model.activeParams !== model.params ? formatParams(model.activeParams) : '',
        String(model.architecture?.layers ?? ''),
        model.architecture?.attention ?? '',
        String(model.architecture?.maxContextTokens ?? ''),
        model.publishedFormat,
      ]);
      process.stdout.write(
        `${renderTable(['id', 'params', 'active', 'layers', 'attention', 'context', 'format'], rows, [1, 2, 3, 5])}\n`,
      );
    });
}

/** `headroom devices`: the built-in device catalog. */
export function devicesCommand(): Command {
  return new Command('devices')
    .description('List the catalog devices (GPUs, Apple Silicon, CPU).')
    .option('--search <text>', 'only devices whose id or name contains the text')
    .addOption(
      new Option('--unit <unit>', 'unit for memory sizes').choices(BYTE_UNITS).default('GB'),
    )
    .option('--json', 'print one JSON document (schema headroom.devices/v1)')
    .action((options: { search?: string; json?: boolean; unit: ByteUnit }) => {
      const devices = DEVICE_CATALOG.filter((device) =>
        matches(options.search, device.id, device.name),
      );
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ schema: 'headroom.devices/v1', devices }, null, 2)}\n`,
        );
        return;
      }
      const rows = devices.map((device) => [
        device.id,
        device.name,
        formatBytes(device.memoryBytes, options.unit, 0),
        `${(device.bandwidthBytesPerSecond / 1e9).toFixed(0)}`,
        formatTeraOps(device.peakOpsPerSecond.bf16 ?? device.peakOpsPerSecond.fp16),
        formatTeraOps(device.peakOpsPerSecond.fp8),
      ]);
      process.stdout.write(
        `${renderTable(['id', 'name', `memory`, 'GB/s', 'bf16/fp16 TFLOPS', 'fp8 TFLOPS'], rows, [2, 3, 4, 5])}\n`,
      );
    });
}

/** `headroom formats`: every weights and KV-cache format with its true cost. */
export function formatsCommand(): Command {
  return new Command('formats')
    .description('List the number formats with their bits per weight (block overhead included).')
    .option('--json', 'print one JSON document (schema headroom.formats/v1)')
    .action((options: { json?: boolean }) => {
      const formats = FORMATS.map(({ tensorFormat: _rule, ...format }) => format);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ schema: 'headroom.formats/v1', formats }, null, 2)}\n`,
        );
        return;
      }
      const rows = formats.map((format) => [
        format.id,
        format.label,
        format.family,
        format.bitsPerWeight.toFixed(4),
        format.storageOnly ? `stored, computes in ${format.computeDtype}` : format.computeDtype,
        format.kvCapable ? 'yes' : '',
      ]);
      process.stdout.write(
        `${renderTable(['id', 'name', 'family', 'bits/weight', 'compute', 'KV cache'], rows, [3])}\n`,
      );
    });
}
