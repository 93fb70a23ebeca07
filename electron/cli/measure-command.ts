import { readFile, stat } from 'node:fs/promises';
import { formatPlanError } from '../../core/units/numbers';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { HeadroomError } from '../../core/errors';
import { COMPARED_CATEGORIES } from '../../core/measure/compare';
import { measuredSection } from '../../core/report/measured-section';
import { tableCsv } from '../../core/report/section';
import type { MemoryCorrection } from '../../core/measure/corrections';
import { parseMeasuredFile } from '../../core/measure/import';
import { MEASURE_ENGINES, type MeasureEngine, type MeasuredRun } from '../../core/measure/types';
import { BYTE_UNITS, formatBytes, type ByteUnit } from '../../core/units/bytes';
import { writeFileAtomic } from '../services/atomic-write';
import { compareRuns, type RunComparison } from '../measure/replan';
import {
  correctionsOf as correctionsFromRuns,
  runComparisonRow,
  runName,
  storedRunOf,
} from '../measure/runs';
import {
  correctionsText,
  readCorrections,
  readCorrectionsFile,
  readRuns,
  storeCorrections,
  storeRuns,
  type StoredRun,
} from '../measure/store';
import { renderTable } from './table';

/** Log files are read whole; an engine's start-up log is far smaller than this. */
const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

const percent = formatPlanError;

interface ImportOptions {
  json?: boolean;
  device?: string;
  model?: string;
  engine?: MeasureEngine;
  dryRun?: boolean;
  unit: ByteUnit;
}

function memoryLine(run: MeasuredRun, unit: ByteUnit): string {
  const parts = Object.entries(run.memoryBytes).map(
    ([category, bytes]) => `${category} ${formatBytes(bytes, unit)}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'no memory figure';
}

function speedLine(run: MeasuredRun): string {
  const speed = run.speed;
  return [
    speed.promptTokensPerSecond !== undefined ? `prompt ${speed.promptTokensPerSecond} tok/s` : '',
    speed.decodeTokensPerSecond !== undefined ? `decode ${speed.decodeTokensPerSecond} tok/s` : '',
    speed.trainingTokensPerSecond !== undefined
      ? `training ${speed.trainingTokensPerSecond.toFixed(0)} tok/s`
      : '',
  ]
    .filter(Boolean)
    .join(', ');
}

async function importFiles(files: readonly string[], options: ImportOptions): Promise<void> {
  const importedAt = new Date().toISOString();
  const runs: StoredRun[] = [];
  // Every file is read and parsed before anything is stored: one bad file imports nothing.
  for (const file of files) {
    const path = resolve(file);
    const info = await stat(path).catch(() => {
      throw new HeadroomError('FILE_NOT_FOUND', `${file} does not exist.`);
    });
    if (!info.isFile()) throw new HeadroomError('BAD_FILE', `${file} is not a file.`);
    if (info.size > MAX_IMPORT_BYTES) {
      throw new HeadroomError(
        'BAD_FILE',
        `${file} is over 64 MiB: give the engine's start-up log only.`,
      );
    }
    for (const run of parseMeasuredFile(await readFile(path, 'utf8'), file)) {
      runs.push(
        storedRunOf(run, path, {
          importedAt,
          ...(options.device ? { deviceId: options.device } : {}),
          ...(options.model ? { modelRef: options.model } : {}),
          ...(options.engine ? { engine: options.engine } : {}),
        }),
      );
    }
  }
  const stored = options.dryRun ? null : await storeRuns(runs);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ imported: runs, stored: stored?.length ?? null }, null, 2)}\n`,
    );
    return;
  }
  const rows = runs.map((run) => [
    `${run.source.file}:${run.source.line}`,
    run.engine,
    run.model ?? '—',
    run.deviceId ?? run.device ?? '—',
    memoryLine(run, options.unit),
    speedLine(run) || '—',
  ]);
  process.stdout.write(
    `${renderTable(['source', 'engine', 'model', 'device', 'memory', 'speed'], rows)}\n`,
  );
  for (const run of runs) {
    if (!run.deviceId) {
      process.stdout.write(
        `note: ${run.source.file}: no catalog device; give --device <id> to compare it\n`,
      );
    }
  }
  process.stdout.write(
    stored
      ? `${runs.length} run(s) imported; ${stored.length} stored (headroom measure compare)\n`
      : `${runs.length} run(s) read; nothing stored (--dry-run)\n`,
  );
}

interface CompareOptions {
  json?: boolean;
  csv?: boolean;
  configs?: string;
  corrections?: boolean;
  correctionsFile?: string;
  unit: ByteUnit;
}

async function correctionsOf(options: {
  corrections?: boolean;
  correctionsFile?: string;
}): Promise<MemoryCorrection[] | undefined> {
  if (options.correctionsFile) return readCorrectionsFile(resolve(options.correctionsFile));
  return options.corrections ? readCorrections() : undefined;
}

function comparisonJson(result: RunComparison) {
  return {
    id: result.run.id,
    source: result.run.source,
    engine: result.run.engine,
    model: result.run.model,
    deviceId: result.run.deviceId,
    args: result.args,
    skipped: result.skipped,
    accuracy: result.plan?.accuracy ?? null,
    categories: result.comparisons,
  };
}

async function compare(options: CompareOptions): Promise<void> {
  const runs = await readRuns();
  if (runs.length === 0) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'No measured runs stored yet: headroom measure import <file>… first.',
    );
  }
  const corrections = await correctionsOf(options);
  const results = await compareRuns(runs, {
    ...(options.configs ? { configDir: resolve(options.configs) } : {}),
    ...(corrections ? { corrections } : {}),
  });
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ corrected: corrections !== undefined, runs: results.map(comparisonJson) }, null, 2)}\n`,
    );
    return;
  }
  if (options.csv) {
    // The report's plan-vs-measured table, one row per run and category (sizes in --unit).
    const section = measuredSection(
      { corrected: corrections !== undefined, runs: results.map(runComparisonRow) },
      options.unit,
    );
    process.stdout.write(tableCsv(section.tables[0]!));
    return;
  }
  const rows: string[][] = [];
  for (const result of results) {
    const name = runName(result.run);
    if (result.skipped) {
      rows.push([name, '—', '—', '—', `skipped: ${result.skipped}`]);
      continue;
    }
    for (const category of COMPARED_CATEGORIES) {
      const row = result.comparisons.find((entry) => entry.category === category);
      if (!row) continue;
      rows.push([
        name,
        category,
        formatBytes(row.plannedBytes, options.unit),
        formatBytes(row.measuredBytes, options.unit),
        percent(row.error),
      ]);
    }
  }
  process.stdout.write(`${renderTable(['run', 'category', 'plan', 'measured', 'error'], rows)}\n`);
  process.stdout.write(
    corrections
      ? 'Plans corrected for this machine (headroom measure corrections).\n'
      : 'Error = plan / measured − 1; negative is the side that runs out of memory.\n',
  );
}

interface CorrectionsOptions {
  json?: boolean;
  derive?: boolean;
  configs?: string;
  export?: string;
  import?: string;
  force?: boolean;
}

async function corrections(options: CorrectionsOptions): Promise<void> {
  let list: MemoryCorrection[];
  if (options.import) {
    list = await readCorrectionsFile(resolve(options.import));
    await storeCorrections(list);
  } else if (options.derive) {
    const results = await compareRuns(await readRuns(), {
      ...(options.configs ? { configDir: resolve(options.configs) } : {}),
    });
    list = correctionsFromRuns(results);
    await storeCorrections(list);
  } else {
    list = await readCorrections();
  }
  if (options.export) {
    await writeFileAtomic(resolve(options.export), correctionsText(list), {
      force: options.force === true,
    });
  }
  if (options.json) {
    process.stdout.write(correctionsText(list));
    return;
  }
  const rows = list.flatMap((correction) =>
    Object.entries(correction.categories).map(([category, entry]) => [
      correction.deviceId,
      correction.engine,
      category,
      `×${entry.factor.toFixed(4)}`,
      String(entry.runs),
    ]),
  );
  process.stdout.write(
    list.length === 0
      ? 'No corrections: headroom measure corrections --derive makes them from the stored runs.\n'
      : `${renderTable(['device', 'engine', 'category', 'factor', 'runs'], rows)}\nApplied only when asked: headroom plan … --corrections.\n`,
  );
}

const unitOption = () =>
  new Option('--unit <unit>', 'unit for printed sizes').choices(BYTE_UNITS).default('GB');

/** `headroom measure import|compare|corrections`: your own runs against the plans. */
export function measureCommand(): Command {
  const command = new Command('measure').description(
    'Import what a real engine reported (vLLM, SGLang, llama.cpp, Ollama, llama-bench, nvidia-smi, measure_gpu.py), compare it with the plans, and correct plans for this machine.',
  );
  command
    .command('import')
    .description('Read engine logs or measurements and store the runs in the settings folder.')
    .argument('<files...>', 'log or measurement files')
    .option('--device <id>', 'the catalog device the runs ran on (default: the GPU the log names)')
    .option(
      '--model <id>',
      'the model to plan with (catalog id, config.json path) when the log names none',
    )
    .addOption(
      new Option('--engine <engine>', 'the engine, for a bare nvidia-smi series').choices(
        MEASURE_ENGINES,
      ),
    )
    .option('--dry-run', 'print what was understood, store nothing')
    .option('--json', 'print one JSON document')
    .addOption(unitOption())
    .action((files: string[], options: ImportOptions) => importFiles(files, options));
  command
    .command('compare')
    .description('Re-plan each stored run with its own settings: plan vs measured per category.')
    .option(
      '--configs <dir>',
      'a folder of config.json files for measure_gpu.py runs (org__name.json)',
    )
    .option('--corrections', 'apply the stored corrections for this machine')
    .option('--corrections-file <file>', 'apply the corrections in this file')
    .addOption(new Option('--json', 'print one JSON document').conflicts('csv'))
    .option('--csv', 'print the plan-vs-measured table as CSV (sizes in --unit)')
    .addOption(unitOption())
    .action((options: CompareOptions) => compare(options));
  command
    .command('corrections')
    .description('Show, derive (--derive), export or import the corrections for this machine.')
    .option('--derive', 'derive them from the stored runs (replaces the stored corrections)')
    .option('--configs <dir>', 'a folder of config.json files for measure_gpu.py runs')
    .option('--export <file>', 'write them to a file to share')
    .option('--force', 'replace an existing --export file')
    .option('--import <file>', 'store the corrections of a shared file')
    .option('--json', 'print the corrections file')
    .action((options: CorrectionsOptions) => corrections(options));
  return command;
}
