/**
 * What `headroom measure` and the bridge's Measurements calls share: a parsed run made a stored
 * run (its catalog device, the model to plan with), a comparison's name and row, and the
 * corrections the compared runs support.
 */
import { findDevice } from '../../core/devices/catalog';
import { catalogDeviceForName } from '../../core/devices/name-match';
import { HeadroomError } from '../../core/errors';
import type { MeasuredRunComparison } from '../../core/bridge';
import {
  correctionEngineOf,
  deriveCorrections,
  type MemoryCorrection,
} from '../../core/measure/corrections';
import type { MeasureEngine, MeasuredRun } from '../../core/measure/types';
import type { RunComparison } from './replan';
import type { StoredRun } from './store';

/** What the user said about the runs of an import (`--device`, `--model`, `--engine`). */
interface ImportContext {
  readonly importedAt: string;
  readonly deviceId?: string;
  readonly modelRef?: string;
  readonly engine?: MeasureEngine;
}

/** The catalog device a run ran on: the one given, else the GPU the log names. */
function deviceIdOf(run: MeasuredRun, given: string | undefined): string | null {
  if (given) {
    if (!findDevice(given)) {
      throw new HeadroomError(
        'UNKNOWN_DEVICE',
        `No catalog device "${given}" (see headroom devices).`,
      );
    }
    return given;
  }
  return run.device ? (catalogDeviceForName(run.device)?.id ?? null) : null;
}

/** A parsed run as stored; `where` names its file (a path on the CLI, a file name in the app). */
export function storedRunOf(run: MeasuredRun, where: string, context: ImportContext): StoredRun {
  return {
    ...run,
    id: `${where}#${run.source.line}`,
    ...(context.engine ? { engine: context.engine } : {}),
    importedAt: context.importedAt,
    deviceId: deviceIdOf(run, context.deviceId),
    modelRef: context.modelRef ?? null,
  };
}

/** A run's short name: measure_gpu.py's run id, else `file:line`. */
export function runName(run: StoredRun): string {
  return run.calibration?.id ?? `${run.source.file}:${run.source.line}`;
}

/** One compared run as the bridge carries it. */
export function runComparisonRow(result: RunComparison): MeasuredRunComparison {
  const run = result.run;
  return {
    id: run.id,
    name: runName(run),
    format: run.format,
    engine: run.engine,
    model: run.model,
    deviceId: run.deviceId,
    importedAt: run.importedAt,
    skipped: result.skipped,
    accuracy: result.plan?.accuracy.summary ?? null,
    categories: result.comparisons,
  };
}

/** The corrections the planned runs support, one per device and plan engine. */
export function correctionsOf(results: readonly RunComparison[]): MemoryCorrection[] {
  return deriveCorrections(
    results.flatMap((result) =>
      result.plan && result.run.deviceId
        ? [
            {
              deviceId: result.run.deviceId,
              engine: correctionEngineOf(result.plan),
              comparisons: result.comparisons,
            },
          ]
        : [],
    ),
  );
}
