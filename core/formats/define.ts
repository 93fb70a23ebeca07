/**
 * The one way catalog entries are built: the rank comes from QUALITY_RANK (quality.ts), so
 * the ordering lives in one reviewable table.
 */
import { BugError } from '../errors';
import type { TensorSpec } from '../models/types';
import { QUALITY_RANK } from './quality';
import type { NumericFormat, TensorContext } from './types';

type FormatDefinition = Omit<NumericFormat, 'qualityRank' | 'tensorFormat'> & {
  /** Overrides QUALITY_RANK (parametric GPTQ/AWQ group sizes). */
  readonly qualityRank?: number;
  readonly tensorFormat: (tensor: TensorSpec, context: TensorContext) => string;
};

/** Builds a NumericFormat; a format without a rank is a defect in the catalog. */
export function defineFormat(definition: FormatDefinition): NumericFormat {
  const qualityRank = definition.qualityRank ?? QUALITY_RANK[definition.id];
  if (qualityRank === undefined) {
    throw new BugError(`format ${definition.id} has no quality rank in core/formats/quality.ts`);
  }
  return { ...definition, qualityRank };
}
