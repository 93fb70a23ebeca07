import { FORMATS } from '../formats/catalog';
import type { NumericFormat } from '../formats/types';
import { planInference, type InferencePlanInput } from './inference-plan';
import type { InferencePlan, Solution } from './types';

/**
 * The questions users ask after "does it fit?": how much context, how big a batch, which
 * format, how many GPUs. Memory grows monotonically with context and batch, so bisection over
 * the integers gives the exact boundary.
 */

export const SOLVE_TARGETS = ['max-context', 'max-batch', 'best-format', 'min-gpus'] as const;
export type SolveTarget = (typeof SOLVE_TARGETS)[number];

/** The largest batch searched. */
const MAX_BATCH_SEARCHED = 65_536;
/** The longest context searched for a model with no trained limit known. */
const MAX_CONTEXT_SEARCHED = 16_777_216;

const runsOnDevices = (plan: InferencePlan): boolean =>
  plan.verdict.status === 'fits' || plan.verdict.status === 'tight';

/** Largest n in [1, limit] with fits(n), assuming fits is monotone decreasing; null if fits(1) fails. */
function largestFitting(limit: number, fits: (n: number) => boolean): number | null {
  if (!fits(1)) return null;
  let low = 1;
  let high = 1;
  while (high < limit && fits(Math.min(high * 2, limit))) high = Math.min(high * 2, limit);
  if (high === limit) return limit;
  low = high;
  high = Math.min(high * 2, limit);
  // fits(low) holds, fits(high) does not.
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** The longest context (tokens per sequence) that runs on the devices, up to the model's trained limit. */
export function solveMaxContext(input: InferencePlanInput): number | null {
  if (input.devices.length === 0 || !input.model.architecture) return null;
  const limit = input.model.architecture.maxContextTokens || MAX_CONTEXT_SEARCHED;
  return largestFitting(limit, (contextTokens) =>
    runsOnDevices(
      planInference({
        ...input,
        skipMinDevices: true,
        scenario: { ...input.scenario, contextTokens },
      }),
    ),
  );
}

/** The largest batch of sequences of the scenario's context that runs on the devices. */
export function solveMaxBatch(input: InferencePlanInput): number | null {
  if (input.devices.length === 0) return null;
  return largestFitting(MAX_BATCH_SEARCHED, (batch) =>
    runsOnDevices(
      planInference({ ...input, skipMinDevices: true, scenario: { ...input.scenario, batch } }),
    ),
  );
}

/** Formats the engine can load, best quality first, smaller first among equals. */
export function candidateFormats(
  engine: InferencePlanInput['scenario']['engine'],
): NumericFormat[] {
  // Formats no engine loads weights in (ggml's activation-only q8_1, q8_k) are never candidates.
  return FORMATS.filter(
    (format) =>
      format.engines.length > 0 && (engine === 'generic' || format.engines.includes(engine)),
  ).sort((a, b) => b.qualityRank - a.qualityRank || a.bitsPerWeight - b.bitsPerWeight);
}

/** The highest-quality weights format that fits with the safety margin to spare. */
export function solveBestFormat(input: InferencePlanInput): string | null {
  if (input.devices.length === 0) return null;
  for (const format of candidateFormats(input.scenario.engine)) {
    const plan = planInference({
      ...input,
      skipMinDevices: true,
      scenario: { ...input.scenario, weightsFormat: format.id },
    });
    if (plan.verdict.status === 'fits') return format.id;
  }
  return null;
}

/** Answers one search question for a plan input. */
export function solve(
  target: SolveTarget,
  input: InferencePlanInput,
  plan: InferencePlan,
): Solution {
  switch (target) {
    case 'max-context':
      return { maxContext: solveMaxContext(input) };
    case 'max-batch':
      return { maxBatch: solveMaxBatch(input) };
    case 'best-format':
      return { bestFormat: solveBestFormat(input) };
    case 'min-gpus':
      return { minGpus: plan.verdict.minDevices };
  }
}
