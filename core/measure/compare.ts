import type { MemoryBreakdown, Plan } from '../plan/types';
import type { MeasuredRun } from './types';

/**
 * A plan held against a measured run, category by category: what the plan says, what the engine
 * reported, and the error (plan / measured − 1: negative when the plan is low, the side that
 * runs out of memory), as docs/accuracy.md states it.
 */

/** Categories a plan and a log can both speak of; runtime and CUDA graphs are a plan's overhead. */
export const COMPARED_CATEGORIES = [
  'weights',
  'kvCache',
  'activations',
  'overhead',
  'total',
] as const;
export type ComparedCategory = (typeof COMPARED_CATEGORIES)[number];

export interface CategoryComparison {
  readonly category: ComparedCategory;
  readonly plannedBytes: number;
  readonly measuredBytes: number;
  /** plan / measured − 1. */
  readonly error: number;
}

/** plan / measured − 1. */
export const planError = (plannedBytes: number, measuredBytes: number): number =>
  plannedBytes / measuredBytes - 1;

/** The plan's bytes on its devices (what nvidia-smi would show, summed over the GPUs). */
function plannedDeviceBytes(plan: Plan): number {
  return plan.memory.perDevice.reduce((sum, device) => sum + device.used, 0);
}

/** The plan's bytes of one breakdown category on its devices. */
function plannedCategory(plan: Plan, category: keyof MemoryBreakdown): number {
  return plan.memory.perDevice.reduce((sum, device) => sum + device.breakdown[category], 0);
}

/**
 * What the run measured of a compared category, or undefined where the source is silent. A plan
 * with a static pool (SGLang) holds its CUDA graphs inside the reserve it shows as activations,
 * so its overhead is the runtime alone and the graphs match no single plan row.
 */
function measuredCategory(
  run: MeasuredRun,
  category: ComparedCategory,
  plan: Plan,
): number | undefined {
  const memory = run.memoryBytes;
  if (category === 'overhead') {
    const graphs = plan.memory.staticPoolFraction === undefined ? memory.cudaGraphs : undefined;
    if (memory.runtime === undefined && graphs === undefined) return undefined;
    return (memory.runtime ?? 0) + (graphs ?? 0);
  }
  return memory[category];
}

/**
 * Plan against measurement for every category the run measured.
 *
 * @example comparePlan(run, plan).find((row) => row.category === 'total')?.error // −0.001
 */
export function comparePlan(run: MeasuredRun, plan: Plan): CategoryComparison[] {
  const rows: CategoryComparison[] = [];
  for (const category of COMPARED_CATEGORIES) {
    const measuredBytes = measuredCategory(run, category, plan);
    if (measuredBytes === undefined || measuredBytes <= 0) continue;
    const plannedBytes =
      category === 'total' ? plannedDeviceBytes(plan) : plannedCategory(plan, category);
    rows.push({
      category,
      plannedBytes,
      measuredBytes,
      error: planError(plannedBytes, measuredBytes),
    });
  }
  return rows;
}
