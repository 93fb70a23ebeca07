/**
 * The Measurements view's bridge calls (issue 18): the same parsing, storing, re-planning and
 * corrections as `headroom measure import|compare|corrections`, on files the page read.
 */
import type {
  MeasuredComparison,
  MeasuredImportRequest,
  MeasuredImportResult,
} from '../../core/bridge';
import { parseMeasuredFile } from '../../core/measure/import';
import type { MemoryCorrection } from '../../core/measure/corrections';
import { compareRuns } from './replan';
import { correctionsOf, runComparisonRow, storedRunOf } from './runs';
import { readCorrections, readRuns, storeCorrections, storeRuns, type StoredRun } from './store';

/**
 * Parses every file first and stores the runs only when all were understood (one bad file
 * imports nothing), as the CLI does.
 */
export async function importUploads(
  request: MeasuredImportRequest,
  dir: string,
  importedAt: string,
): Promise<MeasuredImportResult> {
  const runs: StoredRun[] = [];
  for (const file of request.files) {
    for (const run of parseMeasuredFile(file.text, file.name)) {
      runs.push(
        storedRunOf(run, file.name, {
          importedAt,
          ...(request.deviceId ? { deviceId: request.deviceId } : {}),
          ...(request.modelRef ? { modelRef: request.modelRef } : {}),
        }),
      );
    }
  }
  const stored = await storeRuns(runs, dir);
  return { imported: runs.length, stored: stored.length };
}

/** The stored runs re-planned (corrected when asked) and compared. */
export async function compareStored(dir: string, corrected: boolean): Promise<MeasuredComparison> {
  const corrections = await readCorrections(dir);
  const results = await compareRuns(await readRuns(dir), corrected ? { corrections } : {});
  return { corrected, corrections, runs: results.map(runComparisonRow) };
}

/** Derives the corrections from the stored runs (uncorrected plans) and stores them. */
export async function deriveStored(dir: string): Promise<MemoryCorrection[]> {
  const corrections = correctionsOf(await compareRuns(await readRuns(dir)));
  await storeCorrections(corrections, dir);
  return corrections;
}
