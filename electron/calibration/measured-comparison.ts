import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseMeasuredRuns,
  processPeakBytes,
  type InferenceRecord,
  type MeasuredRecord,
  type RuntimeRecord,
  type TrainingRecord,
} from '../../core/calibration/measured-run';
import { catalogDeviceForName } from '../../core/devices/name-match';
import { HeadroomError } from '../../core/errors';
import type { Plan, Throughput } from '../../core/plan/types';
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
interface MemoryCase {
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

/** plan / measured − 1: negative when the plan is low (the dangerous side). */
export const planError = (plannedBytes: number, measuredBytes: number): number =>
  plannedBytes / measuredBytes - 1;

/** A measured speed and the plan figure it is compared with. */
interface SpeedCase {
  readonly set: string;
  readonly id: string;
  /** What was measured, in words. */
  readonly what: string;
  readonly args: readonly string[];
  readonly measured: number;
  /** The plan's figure for it (tokens/s). */
  readonly planned: (plan: Plan) => number | null;
}

const inferenceSpeed = (plan: Plan): Throughput | null =>
  plan.throughput && 'decodeTokensPerSecond' in plan.throughput ? plan.throughput : null;

/**
 * The speed cases of some run sets: prefill (one forward of the prompt, batch 1) and eager
 * decode through transformers, the CUDA-graph GEMV bound through vLLM (the engine that runs its
 * decode as CUDA graphs), and every training run's tokens/s.
 */
export function speedCases(sets: readonly MeasuredRunSet[], configDir: string): SpeedCase[] {
  const cases: SpeedCase[] = [];
  for (const set of sets) {
    for (const record of set.records) {
      const config = configPathFor(configDir, record.kind === 'runtime' ? '' : record.modelId);
      const plan = (engine: string, context: number): string[] => [
        'plan',
        '--model',
        config,
        '--device',
        set.deviceId,
        '--engine',
        engine,
        '--weights',
        'bf16',
        '--context',
        String(context),
        '--json',
      ];
      if (record.kind === 'speed') {
        if (record.prefillTokensPerSecond !== undefined && record.prefillTokens !== undefined) {
          cases.push({
            set: set.name,
            id: `${record.id} prefill`,
            what: `prefill, ${record.prefillTokens} tokens, transformers`,
            args: plan('transformers', record.prefillTokens),
            measured: record.prefillTokensPerSecond,
            planned: (p) => inferenceSpeed(p)?.prefillTokensPerSecond ?? null,
          });
        }
        if (record.decodeTokensPerSecondEager !== undefined) {
          cases.push({
            set: set.name,
            id: `${record.id} decode`,
            what: 'decode, batch 1, transformers generate() (eager)',
            args: plan('transformers', 256),
            measured: record.decodeTokensPerSecondEager,
            planned: (p) => inferenceSpeed(p)?.decodeTokensPerSecond ?? null,
          });
        }
        if (record.gemvBytesPerSecond !== undefined && record.gemvWeightBytes !== undefined) {
          cases.push({
            set: set.name,
            id: record.id,
            what: 'decode bound: bf16 GEMVs over the weights as a CUDA graph, vs vLLM batch-1 decode',
            args: plan('vllm', 128),
            measured: record.gemvBytesPerSecond / record.gemvWeightBytes,
            planned: (p) => inferenceSpeed(p)?.decodeTokensPerSecond ?? null,
          });
        }
      }
      if (record.kind === 'training') {
        const memory = memoryCases([{ ...set, records: [record] }], configDir)[0]!;
        cases.push({
          set: set.name,
          id: record.id,
          what: 'training tokens/s',
          args: memory.args,
          measured: record.tokensPerSecond,
          planned: (p) =>
            p.throughput && 'trainingTokensPerSecond' in p.throughput
              ? p.throughput.trainingTokensPerSecond
              : null,
        });
      }
    }
  }
  return cases;
}
