import type { AnyPlanRequest, ExportReportRequest, ReportPlanRequest } from '../../core/bridge';
import type { ReportFormat } from '../../core/report/types';
import type { ByteUnit } from '../../core/units/bytes';
import type { CompareKey } from './compare-store';

/** A Compare card that can go into a report: its key, its request and a readable name. */
export interface ReportCandidate {
  /** Stable across plannings: the card's key as text. */
  readonly id: string;
  readonly key: CompareKey;
  readonly request: AnyPlanRequest;
  /** e.g. "NVIDIA GeForce RTX 4090 · Q4_K_M", "NVIDIA GeForce RTX 4090 · training". */
  readonly title: string;
}

/** A card key as text (the export panel's checkbox values). */
export function compareKeyId(key: CompareKey): string {
  return key.kind === 'training'
    ? `training|${key.groupKey ?? ''}`
    : `inference|${key.groupKey ?? ''}|${key.formatId}`;
}

/**
 * The labelled plans of a report. Inference plans of one device group differ only in their
 * weights format: they are labelled and compared as `headroom report --compare
 * weights=…` labels them (`weights=q4_k_m`); a mixed set keeps the cards' titles. One plan is
 * `plan`, as the CLI names a single plan.
 */
function reportPlans(
  candidates: readonly ReportCandidate[],
): Pick<ExportReportRequest, 'plans' | 'comparison'> {
  if (candidates.length === 1) {
    return { plans: [{ label: 'plan', request: candidates[0]!.request }], comparison: null };
  }
  const formats = candidates.map((candidate) =>
    candidate.key.kind === 'inference' ? candidate.key.formatId : null,
  );
  const groups = new Set(candidates.map((candidate) => candidate.key.groupKey));
  if (groups.size === 1 && formats.every((format) => format !== null)) {
    const values = formats as string[];
    return {
      plans: candidates.map((candidate, i): ReportPlanRequest => ({
        label: `weights=${values[i]}`,
        request: candidate.request,
      })),
      comparison: { option: 'weights', values },
    };
  }
  return {
    plans: candidates.map((candidate) => ({ label: candidate.title, request: candidate.request })),
    comparison: null,
  };
}

/** The bridge request that exports these cards in a format. */
export function exportRequest(
  candidates: readonly ReportCandidate[],
  format: ReportFormat,
  unit: ByteUnit,
): ExportReportRequest {
  return { ...reportPlans(candidates), format, unit };
}
