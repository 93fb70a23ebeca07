import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseMeasuredRuns,
  processPeakBytes,
  type InferenceRecord,
  type MeasuredRecord,
  type RuntimeRecord,
  type SpeedRecord,
  type TrainingRecord,
} from '../../core/calibration/measured-run';
import { catalogDeviceForName } from '../../core/devices/name-match';
import { HeadroomError } from '../../core/errors';
import { inferenceRunArgs, trainingRunArgs } from './measured-run-args';

/**
 * Measured runs on disk, matched with the `headroom plan` flags that plan each one. Used by the
 * calibration suite (tests/unit/electron/calibration.test.ts) and `npm run accuracy`.
 */

/** One folder of measured runs (a `cases.jsonl` from measure_gpu.py). */
export interface MeasuredRunSet {
  /** Folder name, e.g. `h200-2026-12-04`. */
  readonly name: string;
  readonly runtime: RuntimeRecord;
  readonly records: readonly MeasuredRecord[];
  /** The catalog device the runs were measured on. */
  readonly deviceId: string;
}

/** A memory run ready to plan: its flags and what was measured. */
export interface MemoryCase {
  readonly set: string;
  readonly run: InferenceRecord | TrainingRecord;
  readonly args: readonly string[];
  /** The process's device memory at its peak (calibration README). */
  readonly measuredBytes: number;
}

/** Every `*\/cases.jsonl` under the given roots, parsed. */
export function loadMeasuredRunSets(roots: readonly string[]): MeasuredRunSet[] {
  const sets: MeasuredRunSet[] = [];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).sort()) {
      const file = join(root, name, 'cases.jsonl');
      if (!existsSync(file)) continue;
      const { records } = parseMeasuredRuns(readFileSync(file, 'utf8'));
      const runtime = records.find((record): record is RuntimeRecord => record.kind === 'runtime');
      if (!runtime) {
        throw new HeadroomError('BAD_FILE', `${file} has no runtime-overhead record`);
      }
      const device = catalogDeviceForName(runtime.device, runtime.totalBytes);
      if (!device) {
        throw new HeadroomError(
          'BAD_FILE',
          `${file}: no catalog device is named "${runtime.device}"`,
        );
      }
      sets.push({ name, runtime, records, deviceId: device.id });
    }
  }
  return sets;
}

/** The config.json a run was built from: `NAME.json` or `NAME/config.json` under `configDir`. */
export function configPathFor(configDir: string, modelId: string): string {
  const folder = modelId.replace('/', '__');
  const flat = join(configDir, `${folder}.json`);
  return existsSync(flat) ? flat : join(configDir, folder, 'config.json');
}

/** The memory cases of some run sets, with their plan flags. */
export function memoryCases(sets: readonly MeasuredRunSet[], configDir: string): MemoryCase[] {
  const cases: MemoryCase[] = [];
  for (const set of sets) {
    for (const run of set.records) {
      if (run.kind !== 'inference' && run.kind !== 'training') continue;
      const model = { configPath: configPathFor(configDir, run.modelId) };
      cases.push({
        set: set.name,
        run,
        args:
          run.kind === 'inference'
            ? inferenceRunArgs(run, model, set.deviceId)
            : trainingRunArgs(run, model, set.deviceId),
        measuredBytes: processPeakBytes(run, set.runtime),
      });
    }
  }
  return cases;
}

/** The speed records of some run sets. */
export function speedRecords(
  sets: readonly MeasuredRunSet[],
): (SpeedRecord & { set: string; deviceId: string })[] {
  return sets.flatMap((set) =>
    set.records
      .filter((record): record is SpeedRecord => record.kind === 'speed')
      .map((record) => ({ ...record, set: set.name, deviceId: set.deviceId })),
  );
}

/** plan / measured − 1: negative when the plan is low (the dangerous side). */
export const planError = (plannedBytes: number, measuredBytes: number): number =>
  plannedBytes / measuredBytes - 1;
