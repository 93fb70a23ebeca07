import { Command, InvalidArgumentError, Option, type Option as CommanderOption } from 'commander';
import { HeadroomError } from '../../core/errors';
import {
  REPORT_FORMATS,
  renderReport,
  type ReportFormat,
  type ReportMeasured,
} from '../../core/report';
import { createLocalDevices } from '../services/local-devices';
import {
  assembleFitReport,
  plansUseLocalDevices,
  reportFormatFromPath,
  saveReport,
} from '../services/reports';
import { collect } from './option-parsers';
import { addPlanOptions, type PlanOptions } from './plan-flags';
import { planVariants } from './plan-options';

/** Options that cannot vary in a comparison: what the report is about, and how it is written. */
const NOT_COMPARABLE = new Set(['model', 'params', 'unit', 'compare', 'format', 'out', 'force']);
/** Values of these contain commas themselves, so `--compare` cannot list them. */
const COMMA_VALUED = new Set(['loraTargets']);

/** One option planned once per value (`--compare weights=bf16,q8_0,q4_k_m`). */
interface Comparison {
  /** As typed, without dashes: `weights`, `micro-batch`, `mode`. */
  readonly option: string;
  readonly values: readonly string[];
  /** One set of overridden options per value, in order. */
  readonly variants: readonly Partial<PlanOptions>[];
}

function bad(message: string): HeadroomError {
  return new HeadroomError('BAD_ARGUMENT', message);
}

/** A value through the option's own parser, as if it had been typed after the flag. */
function parseValue(option: CommanderOption, value: string): unknown {
  if (!option.parseArg) return value;
  try {
    // Repeatable options (--device) collect into a list: one value is a list of one.
    return option.parseArg(value, undefined);
  } catch (thrown) {
    const reason = thrown instanceof InvalidArgumentError ? thrown.message : String(thrown);
    throw bad(`--compare ${option.long!.slice(2)}=${value}: ${reason}`);
  }
}

/**
 * `<option>=<value>,<value>,…` for one of the command's plan options: each value parsed exactly
 * as the flag parses it, at least two, no repeats; an option also given as its own flag is an
 * error (which would win?).
 *
 * @throws HeadroomError BAD_ARGUMENT naming what is wrong
 */
function parseComparison(text: string, command: Command): Comparison {
  const match = /^-{0,2}([a-z][a-z0-9-]*)=(.+)$/.exec(text.trim());
  if (!match) {
    throw bad(
      `--compare takes <option>=<value>,<value>,… (e.g. weights=bf16,q8_0,q4_k_m or mode=inference,training), not "${text}".`,
    );
  }
  const name = match[1]!;
  const option = command.options.find((candidate) => candidate.long === `--${name}`);
  if (!option) throw bad(`--compare ${name}: there is no --${name} option.`);
  const key = option.attributeName();
  if (NOT_COMPARABLE.has(key))
    throw bad(`--compare ${name}: a report compares plans of one model; --${name} cannot vary.`);
  if (!option.required && !option.optional)
    throw bad(`--compare ${name}: --${name} takes no value to compare.`);
  if (COMMA_VALUED.has(key))
    throw bad(`--compare ${name}: its values hold commas; make one report per value.`);
  if (command.getOptionValueSource(key) === 'cli') {
    throw bad(`--${name} is given and compared at once: leave out --${name} or the --compare.`);
  }
  const values = match[2]!.split(',').map((value) => value.trim());
  if (values.some((value) => value === '')) throw bad(`--compare ${name}: a value is empty.`);
  if (values.length < 2) throw bad(`--compare ${name}: give at least two values to compare.`);
  if (new Set(values).size !== values.length) throw bad(`--compare ${name}: a value is repeated.`);
  return {
    option: name,
    values,
    variants: values.map((value) => ({ [key]: parseValue(option, value) }) as Partial<PlanOptions>),
  };
}

interface ReportOptions extends PlanOptions {
  compare?: string;
  measured?: string[];
  format?: ReportFormat;
  out?: string;
  force?: boolean;
  detect: boolean;
}

/** The runs of measured-run files planned again and compared, as `headroom measure compare` does. */
async function measuredOf(files: readonly string[]): Promise<ReportMeasured> {
  const { readFile } = await import('node:fs/promises');
  const { resolve } = await import('node:path');
  const { parseMeasuredFile } = await import('../../core/measure/import');
  const { compareRuns } = await import('../measure/replan');
  const { runComparisonRow, storedRunOf } = await import('../measure/runs');
  const importedAt = new Date().toISOString();
  const runs = [];
  for (const file of files) {
    const path = resolve(file);
    const text = await readFile(path, 'utf8').catch(() => {
      throw bad(`--measured ${file}: no such file.`);
    });
    for (const run of parseMeasuredFile(text, file))
      runs.push(storedRunOf(run, path, { importedAt }));
  }
  return { corrected: false, runs: (await compareRuns(runs)).map(runComparisonRow) };
}

/** The format asked for: --format, else --out's extension, else Markdown on stdout. */
function formatOf(options: ReportOptions): ReportFormat {
  if (options.format) return options.format;
  if (!options.out) return 'md';
  const implied = reportFormatFromPath(options.out);
  if (!implied) {
    throw bad(
      `Cannot tell the format from "${options.out}": give --format ${REPORT_FORMATS.join('|')}.`,
    );
  }
  return implied;
}

/**
 * `headroom report`: the plans the flags ask for (once per `--compare` value), with the model,
 * this machine's detection and every assumption, as JSON, CSV, Markdown, HTML or PDF.
 */
export function reportCommand(): Command {
  const command = new Command('report').description(
    'Write a fit report: plans compared side by side with the hardware, the model, every number and its assumption (json, csv, md, html, pdf).',
  );
  return addPlanOptions(command)
    .option(
      '--compare <option=values>',
      'plan once per value of one option, e.g. weights=bf16,q8_0,q4_k_m or mode=inference,training',
    )
    .addOption(
      new Option(
        '--format <format>',
        "report format (default: from --out's extension, else md)",
      ).choices(REPORT_FORMATS),
    )
    .option('--out <file>', 'write the report to this file (atomically) instead of stdout')
    .option('--force', 'replace --out if it exists')
    .option('--no-detect', "leave this machine's detection out (it still runs for local devices)")
    .option(
      '--measured <file>',
      'add a plan-vs-measured section for the runs in this log or measurement file (repeatable; as headroom measure import reads them)',
      collect,
    )
    .action(async (options: ReportOptions, self: Command) => {
      const format = formatOf(options);
      if (format === 'pdf' && !options.out) {
        throw bad('A PDF is binary: write it to a file with --out report.pdf.');
      }
      if (format === 'csv' && options.measured) {
        // A CSV file is one table (RFC 4180); the plan-vs-measured rows are a second one.
        throw bad(
          'A CSV report holds one table, the plans: write plan vs measured with headroom measure compare --csv, or choose --format md, html, json or pdf.',
        );
      }
      const comparison = options.compare ? parseComparison(options.compare, self) : null;
      const local = createLocalDevices();
      const { model, plans } = await planVariants(
        options,
        self,
        comparison?.variants ?? [{}],
        local,
      );
      const detection = options.detect || plansUseLocalDevices(plans) ? await local.detect() : null;
      // Read before planning is reported: a file that is not understood writes no report.
      const measured = options.measured ? await measuredOf(options.measured) : undefined;
      const assembled = await assembleFitReport({
        model,
        plans: plans.map((plan, index) => ({
          label: comparison ? `${comparison.option}=${comparison.values[index]}` : 'plan',
          plan,
        })),
        comparison: comparison ? { option: comparison.option, values: comparison.values } : null,
        detection,
        unit: options.unit,
      });
      const report = measured ? { ...assembled, measured } : assembled;
      if (!options.out) {
        process.stdout.write(renderReport(report, format as Exclude<ReportFormat, 'pdf'>));
        return;
      }
      const written = await saveReport(options.out, report, format, { force: options.force });
      process.stderr.write(`headroom: wrote ${written.path} (${format}, ${written.bytes} bytes)\n`);
    });
}
