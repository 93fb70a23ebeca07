import { extname, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  renderServingReport,
  SERVING_REPORT_FORMATS,
  type ServingReportFormat,
} from '../../core/report/serving-section';
import { HeadroomError } from '../../core/errors';
import { BATCH_BOUND, CONTEXT_TOKENS_BOUND, DEVICE_COUNT_BOUND } from '../../core/input-bounds';
import { findModel, MODEL_IDS } from '../../core/models/catalog';
import type { ModelSpec } from '../../core/models/types';
import { requireCatalogDevice } from '../../core/plan/lookups';
import { servingRequestOf } from '../../core/serving/serving-request';
import {
  capacityLine,
  planServing,
  SERVING_ENGINES,
  SERVING_SCHEMA,
  type ServingEngine,
  type ServingPlan,
} from '../../core/serving';
import {
  DEFAULT_LATENCY_TARGETS,
  DEFAULT_MAX_GPUS,
  GPU_PRICE_BOUND,
  LATENCY_TARGET_BOUND,
  REQUEST_RATE_BOUND,
} from '../../core/serving/bounds';
import { didYouMean } from '../../core/suggest';
import { formatBytes } from '../../core/units/bytes';
import {
  formatInteger,
  formatLatency,
  formatTokensPerSecond,
  formatUsd,
} from '../../core/units/numbers';
import { APP_VERSION } from '../services/app-version';
import { boundedNumber, collect, formatName, tokenCount } from './option-parsers';
import { renderTable } from './table';

interface ServePlanOptions {
  model: string;
  engine: ServingEngine;
  weights?: string;
  kv?: string;
  prompt: number;
  promptP90?: number;
  output: number;
  outputP90?: number;
  rate?: number;
  ttft: number;
  tpot: number;
  context?: number;
  device?: string[];
  gpus?: number;
  maxGpus: number;
  price?: string[];
  json?: boolean;
  out?: string;
  force?: boolean;
}

const seconds = boundedNumber(LATENCY_TARGET_BOUND);

/** A duration in seconds: `1`, `1s`, `0.05` or `50ms`. */
export function duration(text: string): number {
  const trimmed = text.trim().toLowerCase();
  if (trimmed.endsWith('ms')) return seconds(trimmed.slice(0, -2)) / 1000;
  return seconds(trimmed.endsWith('s') ? trimmed.slice(0, -1) : trimmed);
}

const rate = boundedNumber(REQUEST_RATE_BOUND);
const price = boundedNumber(GPU_PRICE_BOUND);

/** `--price id=USD_per_hour`, each device id from the catalog. */
function parsePrices(entries: readonly string[]): Record<string, number> {
  const prices: Record<string, number> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at < 1) {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        `--price ${entry}: expected <device id>=<USD per hour>, e.g. nvidia-h100-sxm-80gb=2.49.`,
      );
    }
    const device = requireCatalogDevice(entry.slice(0, at));
    try {
      prices[device.id] = price(entry.slice(at + 1));
    } catch (thrown) {
      if (thrown instanceof InvalidArgumentError)
        throw new HeadroomError('BAD_ARGUMENT', `--price ${entry}: ${thrown.message}`);
      throw thrown;
    }
  }
  return prices;
}

async function modelOf(id: string): Promise<ModelSpec> {
  const catalog = findModel(id);
  if (catalog) return catalog;
  try {
    const { resolveModelArgument } = await import('../services/model-files');
    return await resolveModelArgument(id);
  } catch (thrown) {
    if (thrown instanceof HeadroomError && thrown.code === 'UNKNOWN_MODEL') {
      throw new HeadroomError(
        thrown.code,
        `${thrown.message.replace(/\.$/, '')}. ${didYouMean(id, MODEL_IDS)}`.trim(),
      );
    }
    throw thrown;
  }
}

const ms = formatLatency;
const usd = (value: number | null): string => formatUsd(value);
const usdPerMillion = (value: number | null): string => formatUsd(value, true);

/** The format of `--out` from its extension; a clear error for one it cannot write. */
function servingReportFormatOf(path: string): ServingReportFormat {
  const extension = extname(path).slice(1).toLowerCase();
  const format = extension === 'markdown' ? 'md' : extension === 'htm' ? 'html' : extension;
  const known = SERVING_REPORT_FORMATS.find((entry) => entry === format);
  if (!known) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `--out ${path}: cannot tell the format from its extension; end it in .${SERVING_REPORT_FORMATS.join(', .')}.`,
    );
  }
  return known;
}

/** The plan as terminal text. */
function renderServingPlan(plan: ServingPlan): string {
  const lines: string[] = [];
  const w = plan.workload;
  lines.push(
    `${plan.model.id} on ${plan.engine} (${plan.weightsFormat} weights, ${plan.kvFormat} KV, --max-model-len ${formatInteger(plan.maxModelLen)})`,
  );
  lines.push(
    `Workload: ${w.requestsPerSecond === null ? 'no rate given' : `${w.requestsPerSecond} requests/s`}, prompt ${formatInteger(w.promptTokens)}${w.promptTokensP90 ? ` (p90 ${formatInteger(w.promptTokensP90)})` : ''} tokens, output ${formatInteger(w.outputTokens)}${w.outputTokensP90 ? ` (p90 ${formatInteger(w.outputTokensP90)})` : ''}; targets TTFT ≤ ${ms(w.targets.ttftSeconds)} (p90 prompt), TPOT ≤ ${ms(w.targets.tpotSeconds)}`,
  );
  const d = plan.deployment;
  if (d) {
    lines.push('');
    lines.push(
      `One replica: ${d.tensorParallel} × ${d.deviceName}${d.fits ? '' : ' — does not fit'}`,
    );
    lines.push(
      `  per GPU: weights ${formatBytes(d.weightsBytes, 'GiB')}, activations ${formatBytes(d.activationsBytes, 'GiB')}, runtime ${formatBytes(d.overheadBytes, 'GiB')}, KV cache ${formatBytes(d.availableKvBytes, 'GiB')}`,
    );
    const c = d.capacity;
    lines.push(`  ${capacityLine(c, plan.maxModelLen)}`);
    lines.push(
      `  holds ${formatInteger(d.kvConcurrencyLimit)} requests in flight at the mean lengths; ${plan.maxRequestsPerSecondPerReplica === null ? 'no rate meets the targets' : `${plan.maxRequestsPerSecondPerReplica.toFixed(2)} requests/s within the targets`}`,
    );
    const b = plan.breaks;
    lines.push(
      `  targets break at: TTFT ${b.ttftConcurrency === null ? 'not within the KV limit' : `${b.ttftConcurrency} in flight`}, TPOT ${b.tpotConcurrency === null ? 'not within the KV limit' : `${b.tpotConcurrency} in flight`}`,
    );
  }
  if (plan.setups.length > 0) {
    lines.push('');
    lines.push(
      renderTable(
        ['device', 'GPUs', 'TP', 'replicas', 'max req/s', 'TTFT p90', 'TPOT', '$/h', '$/1M out'],
        plan.setups
          .slice(0, 15)
          .map((s) => [
            s.device,
            String(s.gpus),
            String(s.tensorParallel),
            String(s.replicas),
            (s.maxRequestsPerSecondPerReplica * s.replicas).toFixed(1),
            ms(s.perReplica.ttftP90Seconds),
            ms(s.perReplica.tpotSeconds),
            usd(s.costPerHourUsd),
            usdPerMillion(s.costPerMillionOutputTokensUsd),
          ]),
        [1, 2, 3, 4, 5, 6, 7, 8],
      ),
    );
    if (plan.setups.length > 15) lines.push(`… ${plan.setups.length - 15} more (--json lists all)`);
  }
  const s = plan.setup;
  if (s) {
    lines.push('');
    lines.push(
      `Chosen: ${s.gpus} × ${s.deviceName} (${s.replicas} replica${s.replicas === 1 ? '' : 's'} of -tp ${s.tensorParallel}), ${formatTokensPerSecond(s.perReplica.outputTokensPerSecond * s.replicas)} output tokens/s, ${s.perReplica.concurrency.toFixed(1)} requests in flight per replica`,
    );
  }
  if (plan.launch) {
    lines.push('');
    lines.push(plan.launch.text.trimEnd());
    for (const note of plan.launch.notes) lines.push(`# note: ${note}`);
  }
  lines.push('');
  lines.push(`Accuracy: ${plan.accuracy.summary} (latency and throughput).`);
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

/**
 * `headroom serve-plan`: how many requests a deployment holds at latency targets, and the
 * cheapest device type × count × tensor-parallel degree that holds a workload.
 */
export function servePlanCommand(): Command {
  return new Command('serve-plan')
    .description(
      'Plan serving: KV capacity and concurrency of a deployment, TTFT/TPOT under load, and the cheapest GPUs that hold a workload.',
    )
    .requiredOption('--model <id>', 'catalog model (Hugging Face id) or a model file/folder')
    .addOption(
      new Option('--engine <engine>', 'serving engine').choices(SERVING_ENGINES).default('vllm'),
    )
    .option('--weights <format>', 'weights format (default: the published one)', formatName)
    .option('--kv <format>', "KV-cache format (default: the engine's)", formatName)
    .requiredOption('--prompt <tokens>', 'mean prompt length (1000, 1k)', tokenCount)
    .option(
      '--prompt-p90 <tokens>',
      '90th percentile prompt length (for the TTFT target)',
      tokenCount,
    )
    .requiredOption('--output <tokens>', 'mean output length', tokenCount)
    .option('--output-p90 <tokens>', '90th percentile output length', tokenCount)
    .option('--rate <req/s>', 'requests per second to hold', rate)
    .option(
      '--ttft <seconds>',
      'time-to-first-token target (1, 1s, 500ms)',
      duration,
      DEFAULT_LATENCY_TARGETS.ttftSeconds,
    )
    .option(
      '--tpot <seconds>',
      'time-per-output-token target (0.05, 50ms)',
      duration,
      DEFAULT_LATENCY_TARGETS.tpotSeconds,
    )
    .option(
      '--context <tokens>',
      '--max-model-len (default: p90 prompt + p90 output, rounded up to 1024)',
      boundedNumber(CONTEXT_TOKENS_BOUND, { k: 1024 }),
    )
    .option(
      '--device <id>',
      'a device type to consider (repeatable; default: every catalog GPU)',
      collect,
    )
    .option(
      '--gpus <n>',
      'one setup: replicas of this tensor-parallel size on the one --device',
      boundedNumber(DEVICE_COUNT_BOUND),
    )
    .option(
      '--max-gpus <n>',
      'most GPUs a setup may use',
      boundedNumber(BATCH_BOUND),
      DEFAULT_MAX_GPUS,
    )
    .option(
      '--price <id=USD/h>',
      'your price per GPU-hour for a device (repeatable); there are no built-in prices',
      collect,
    )
    .option('--json', `print one JSON document (schema ${SERVING_SCHEMA})`)
    .option(
      '--out <file>',
      `also write the plan as a report section, in the format of the file's extension (${SERVING_REPORT_FORMATS.join(', ')})`,
    )
    .option('--force', 'replace --out if it exists')
    .action(async (options: ServePlanOptions) => {
      const outFormat = options.out ? servingReportFormatOf(options.out) : 'md';
      const model = await modelOf(options.model);
      if (options.gpus !== undefined && (options.device ?? []).length !== 1) {
        throw new HeadroomError(
          'BAD_ARGUMENT',
          '--gpus <n> sizes one setup: give exactly one --device with it.',
        );
      }
      // The settings' price table (the app's), then --price over it.
      const { browserSettingsDir, readSavedPrices } = await import('../services/settings');
      const { homedir } = await import('node:os');
      const prices = {
        ...(await readSavedPrices(browserSettingsDir(process.env, homedir()))),
        ...parsePrices(options.price ?? []),
      };
      const plan = planServing(
        servingRequestOf(
          {
            modelId: model.id,
            engine: options.engine,
            promptTokens: options.prompt,
            outputTokens: options.output,
            ...(options.promptP90 !== undefined ? { promptTokensP90: options.promptP90 } : {}),
            ...(options.outputP90 !== undefined ? { outputTokensP90: options.outputP90 } : {}),
            ttftSeconds: options.ttft,
            tpotSeconds: options.tpot,
            ...(options.rate !== undefined ? { requestsPerSecond: options.rate } : {}),
            ...(options.context !== undefined ? { maxModelLen: options.context } : {}),
            ...(options.weights ? { weightsFormat: options.weights } : {}),
            ...(options.kv ? { kvFormat: options.kv } : {}),
            deviceIds: options.device ?? [],
            ...(options.gpus !== undefined ? { gpus: options.gpus } : {}),
            maxGpus: options.maxGpus,
          },
          model,
          prices,
          APP_VERSION,
        ),
      );
      if (options.out) {
        const { writeFileAtomic } = await import('../services/atomic-write');
        await writeFileAtomic(resolve(options.out), renderServingReport(plan, outFormat), {
          force: options.force === true,
        });
        process.stderr.write(`headroom: wrote ${options.out} (${outFormat})\n`);
      }
      process.stdout.write(
        options.json ? `${JSON.stringify(plan, null, 2)}\n` : `${renderServingPlan(plan)}\n`,
      );
    });
}
