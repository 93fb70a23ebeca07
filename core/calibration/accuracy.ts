import type { EngineId } from '../formats/types';
import { formatPlanError } from '../units/numbers';
import type { TrainingPrecision } from '../plan/types';
import { MEASURED_ACCURACY } from './measured-accuracy';

/**
 * How far a plan's memory may be from what the device will really show, as measured: each
 * family of plans (an engine and precision family Headroom has measured runs for) carries the
 * error its runs showed, plan / measured − 1. `npm run accuracy` re-plans every measured run
 * and rewrites the table in measured-accuracy.ts and docs/accuracy.md.
 */

/** A family of plans that measured runs back. */
export type AccuracyFamily =
  'inference: PyTorch eager (transformers), 16-bit weights' | 'training: PyTorch eager, one GPU';

export interface AccuracyBand {
  readonly family: AccuracyFamily;
  readonly runs: number;
  /** The most the plans undershot (≤ 0) and overshot (≥ 0) the measured peak. */
  readonly lowestError: number;
  readonly highestError: number;
  /** Where the runs were taken. */
  readonly device: string;
  readonly stack: string;
}

/** The accuracy a plan states (field `accuracy` of headroom.plan/v1). */
export interface PlanAccuracy {
  readonly basis: 'measured' | 'formula';
  readonly family: AccuracyFamily | null;
  readonly runs: number;
  /** plan / measured − 1 over those runs; null without measured runs. */
  readonly lowestError: number | null;
  readonly highestError: number | null;
  /** One line for people: "−1.6 % … +0.2 % over 7 runs on NVIDIA H200 (…)". */
  readonly summary: string;
  /**
   * Set when this machine's correction was applied (core/measure/corrections.ts): the number of
   * the user's own runs behind it. Absent on an uncorrected plan.
   */
  readonly correctedByRuns?: number;
}

export const FORMULA_ONLY: PlanAccuracy = {
  basis: 'formula',
  family: null,
  runs: 0,
  lowestError: null,
  highestError: null,
  summary: 'no measured runs: formula only',
};

const percent = formatPlanError;

function fromBand(family: AccuracyFamily): PlanAccuracy {
  const band = MEASURED_ACCURACY.find((entry) => entry.family === family);
  if (!band) return FORMULA_ONLY;
  return {
    basis: 'measured',
    family,
    runs: band.runs,
    lowestError: band.lowestError,
    highestError: band.highestError,
    summary: `${percent(band.lowestError)} … ${percent(band.highestError)} over ${band.runs} measured runs on ${band.device} (${band.stack})`,
  };
}

/** PyTorch engines whose memory the eager model covers. */
const EAGER_ENGINES: ReadonlySet<EngineId> = new Set(['transformers', 'generic']);
const SIXTEEN_BIT: ReadonlySet<string> = new Set(['bf16', 'fp16']);

/** The accuracy of an inference plan: measured for eager PyTorch with 16-bit weights. */
export function inferenceAccuracy(
  engine: EngineId,
  weightsFormat: string,
  hasArchitecture: boolean,
): PlanAccuracy {
  if (!hasArchitecture || !EAGER_ENGINES.has(engine) || !SIXTEEN_BIT.has(weightsFormat)) {
    return FORMULA_ONLY;
  }
  return fromBand('inference: PyTorch eager (transformers), 16-bit weights');
}

/** The accuracy of a training plan: measured for eager PyTorch on one GPU without sharding. */
export function trainingAccuracy(input: {
  readonly hasArchitecture: boolean;
  readonly gpus: number;
  readonly sharded: boolean;
  readonly precision: TrainingPrecision;
  readonly qlora: boolean;
}): PlanAccuracy {
  if (!input.hasArchitecture || input.gpus !== 1 || input.sharded || input.qlora)
    return FORMULA_ONLY;
  if (input.precision === 'mixed') return FORMULA_ONLY;
  return fromBand('training: PyTorch eager, one GPU');
}

/**
 * The memory a plan may really need at worst, from its accuracy: a plan that undershot by
 * 5 % means the device shows used / 0.95.
 */
export function worstCaseUsedBytes(usedBytes: number, accuracy: PlanAccuracy): number {
  const low = accuracy.lowestError;
  return low !== null && low < 0 ? usedBytes / (1 + low) : usedBytes;
}
