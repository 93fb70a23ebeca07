import { Command, Option } from 'commander';
import { COMPUTE_DTYPES } from '../../core/devices/dtypes';
import { HeadroomError } from '../../core/errors';
import { BYTE_UNITS, formatBytes, type ByteUnit } from '../../core/units/bytes';
import { detectWithCaptures, replayDump, writeDump } from '../services/detect';
import { architectureLabel, detectJson } from '../services/detect/detect-json';
import type { DetectedDevice, DetectResult } from '../services/detect/types';
import { DETECT_TIMEOUT_BOUND } from '../../core/input-bounds';
import { boundedNumber } from './option-parsers';
import { renderTable } from './table';

interface DetectCliOptions {
  readonly json?: boolean;
  readonly dump?: string;
  readonly replay?: string;
  readonly timeout?: number;
  readonly deadline?: number;
  readonly unit: ByteUnit;
}

/** Where the command writes; tests pass their own sinks. */
interface DetectCommandOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const PROCESS_OUTPUT: DetectCommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

function nativeDtypes(device: DetectedDevice): string {
  return COMPUTE_DTYPES.filter((dtype) => device.dtypes[dtype] === 'native').join(' ');
}

function archColumn(device: DetectedDevice): string {
  const architecture = device.architecture;
  if (architecture.kind === 'cuda' && architecture.computeCapability !== 'unknown') {
    return `${architecture.computeCapability} ${architecture.name}`;
  }
  return architectureLabel(device) ?? (architecture.kind === 'cpu' ? 'cpu' : '?');
}

/** The human form: one table row per device, then the GPU verdict and any probe trouble. */
export function renderDetectTable(result: DetectResult, unit: ByteUnit): string {
  const rows = result.devices.map((device) => [
    String(device.detection.index),
    device.name,
    `${formatBytes(device.memoryBytes, unit, 1)}${device.detection.memoryConfidence === 'estimated' ? ' (est.)' : ''}`,
    device.memoryFreeBytes === undefined ? '?' : formatBytes(device.memoryFreeBytes, unit, 1),
    archColumn(device),
    nativeDtypes(device),
    device.detection.sources.join('+'),
  ]);
  const lines = [
    renderTable(
      ['index', 'name', 'total', 'free', 'cc / arch', 'native dtypes', 'source'],
      rows,
      [0, 2, 3],
    ),
    '',
    result.gpuVerdict.message,
  ];
  for (const device of result.devices) {
    for (const mig of device.detection.mig ?? []) {
      const memory =
        mig.memoryTotalBytes === undefined ? '?' : formatBytes(mig.memoryTotalBytes, unit, 1);
      lines.push(`  local:${device.detection.index} MIG ${mig.name}: ${memory}`);
    }
  }
  for (const probe of result.probes.filter(
    (p) => p.status === 'timeout' || p.status === 'failed',
  )) {
    lines.push(`  ${probe.name}: ${probe.status}${probe.reason ? ` (${probe.reason})` : ''}`);
  }
  if (result.replayedFrom) lines.push(`(replayed from ${result.replayedFrom})`);
  return `${lines.join('\n')}\n`;
}

/**
 * `headroom detect`: the GPUs (total and free memory, compute capability or architecture,
 * native dtypes) and the CPU with its RAM; `--json` for schema headroom.detect/v1, `--dump DIR`
 * to save every raw tool output, `--replay DIR` to parse a saved one instead of probing.
 */
export function detectCommand(output: DetectCommandOutput = PROCESS_OUTPUT): Command {
  return new Command('detect')
    .description('Detect the GPUs (with free memory) and the CPU/RAM of this machine.')
    .option('--json', 'print one JSON document (schema headroom.detect/v1)')
    .option('--dump <dir>', 'also write every raw tool output, and a manifest, to DIR')
    .option(
      '--replay <dir>',
      'parse the tool outputs a --dump wrote to DIR instead of running the tools',
    )
    .option(
      '--timeout <ms>',
      'deadline for each tool, milliseconds',
      boundedNumber(DETECT_TIMEOUT_BOUND),
    )
    .option(
      '--deadline <ms>',
      'deadline for the whole detection, milliseconds',
      boundedNumber(DETECT_TIMEOUT_BOUND),
    )
    .addOption(
      new Option('--unit <unit>', 'unit for memory sizes').choices(BYTE_UNITS).default('GiB'),
    )
    .action(async (options: DetectCliOptions) => {
      if (options.dump !== undefined && options.replay !== undefined) {
        throw new HeadroomError(
          'BAD_ARGUMENT',
          '--dump and --replay cannot be used together: a replay runs no tools.',
        );
      }
      if (
        options.replay !== undefined &&
        (options.timeout !== undefined || options.deadline !== undefined)
      ) {
        throw new HeadroomError(
          'BAD_ARGUMENT',
          '--timeout and --deadline apply to live detection, not to --replay.',
        );
      }
      let result: DetectResult;
      if (options.replay !== undefined) {
        result = await replayDump(options.replay);
      } else {
        const detection = await detectWithCaptures({
          ...(options.timeout !== undefined ? { toolTimeoutMs: options.timeout } : {}),
          ...(options.deadline !== undefined ? { deadlineMs: options.deadline } : {}),
        });
        result = detection.result;
        if (options.dump !== undefined) {
          const files = await writeDump(options.dump, detection).catch((thrown: unknown) => {
            const message = thrown instanceof Error ? thrown.message : String(thrown);
            throw new HeadroomError(
              'BAD_ARGUMENT',
              `--dump: cannot write to ${options.dump}: ${message}`,
            );
          });
          output.stderr(`headroom: wrote ${files.length} files to ${options.dump}\n`);
        }
      }
      if (options.json) output.stdout(`${JSON.stringify(detectJson(result), null, 2)}\n`);
      else output.stdout(renderDetectTable(result, options.unit));
    });
}
