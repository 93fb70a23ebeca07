import type { MeasuredRunComparison } from '../bridge';
import { formatBytesNumber, type ByteUnit } from '../units/bytes';
import { formatPlanError } from '../units/numbers';
import type { ReportSection } from './section';

/**
 * Plan vs measured (issue 18): the user's own runs, each re-planned with its settings, category
 * by category, as `headroom measure compare` prints them.
 */

/** The runs held against their plans, as a report carries them (JSON: sizes in bytes). */
export interface ReportMeasured {
  /** Whether the plans had this machine's corrections applied. */
  readonly corrected: boolean;
  readonly runs: readonly MeasuredRunComparison[];
}

/**
 * @example measuredSection({ corrected: false, runs }, 'GiB').tables[0].header[1] // 'category'
 */
export function measuredSection(measured: ReportMeasured, unit: ByteUnit): ReportSection {
  const rows = measured.runs.flatMap((run) =>
    run.skipped
      ? [[run.name, '—', '—', '—', `not planned: ${run.skipped}`]]
      : run.categories.map((row) => [
          run.name,
          row.category,
          formatBytesNumber(row.plannedBytes, unit),
          formatBytesNumber(row.measuredBytes, unit),
          formatPlanError(row.error),
        ]),
  );
  return {
    title: 'Plan vs measured',
    lines: [
      `${measured.runs.length} measured run(s), each planned again with its own settings. Error = plan / measured − 1; negative is the side that runs out of memory.`,
      measured.corrected
        ? "Plans corrected with this machine's runs (headroom measure corrections)."
        : 'Plans uncorrected: exactly what the model computes.',
    ],
    tables: [
      {
        caption: 'Per run and category',
        header: ['run', 'category', `plan (${unit})`, `measured (${unit})`, 'error'],
        rows,
        numeric: [2, 3, 4],
      },
    ],
  };
}
