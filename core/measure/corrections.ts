import { buildVerdict } from '../plan/verdict';
import type { DevicePlan, MemoryBreakdown, Plan } from '../plan/types';
import { formatBytes } from '../units/bytes';
import type { CategoryComparison, ComparedCategory } from './compare';

/**
 * Corrections for this machine: from the user's own runs on one device and engine, a factor per
 * memory category (measured / planned, averaged over the runs) that plans for that device and
 * engine may apply when the user turns it on. Off, a plan is exactly what the model computes.
 */

export const CORRECTIONS_SCHEMA = 'headroom.corrections/v1';

/** The breakdown categories a correction scales (the total is corrected last, on what is left). */
const BREAKDOWN_CATEGORIES = ['weights', 'kvCache', 'activations', 'overhead'] as const;
type CorrectedBreakdown = (typeof BREAKDOWN_CATEGORIES)[number];

interface CategoryCorrection {
  /** measured / planned, the mean over the runs. */
  readonly factor: number;
  readonly runs: number;
}

export interface MemoryCorrection {
  /** Catalog device id the runs were measured on. */
  readonly deviceId: string;
  /** The plan's engine (inference) or `pytorch-training` (training plans). */
  readonly engine: string;
  /** Runs behind the correction. */
  readonly runs: number;
  readonly categories: Partial<Record<ComparedCategory, CategoryCorrection>>;
}

export interface CorrectionsFile {
  readonly schema: typeof CORRECTIONS_SCHEMA;
  readonly corrections: readonly MemoryCorrection[];
}

/** One run's comparison, with where it ran. */
interface ComparedRun {
  readonly deviceId: string;
  readonly engine: string;
  readonly comparisons: readonly CategoryComparison[];
}

/** The key a plan's correction is looked up by. */
export function correctionEngineOf(plan: Plan): string {
  return plan.scenario.mode === 'training' ? 'pytorch-training' : plan.scenario.engine;
}

const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Engines whose KV cache is a pool sized by what memory is left, not by the context: vLLM gives
 * it all memory left under --gpu-memory-utilization, SGLang what --mem-fraction-static leaves
 * after the weights.
 */
const POOLED_KV_ENGINES: ReadonlySet<string> = new Set(['vllm', 'sglang']);

/**
 * The corrections a set of compared runs supports, one per device and engine. The KV cache of
 * vLLM and SGLang is left uncorrected: what they report is a pool size, not what the context
 * needs (POOLED_KV_ENGINES).
 *
 * @example deriveCorrections(runs)[0].categories.total?.factor // 1.004
 */
export function deriveCorrections(runs: readonly ComparedRun[]): MemoryCorrection[] {
  const groups = new Map<string, ComparedRun[]>();
  for (const run of runs) {
    const key = `${run.deviceId}|${run.engine}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const corrections: MemoryCorrection[] = [];
  for (const group of groups.values()) {
    const { deviceId, engine } = group[0]!;
    const categories: Partial<Record<ComparedCategory, CategoryCorrection>> = {};
    for (const category of BREAKDOWN_CATEGORIES) {
      if (category === 'kvCache' && POOLED_KV_ENGINES.has(engine)) continue;
      const ratios = group.flatMap((run) => {
        const row = run.comparisons.find((entry) => entry.category === category);
        return row && row.plannedBytes > 0 ? [row.measuredBytes / row.plannedBytes] : [];
      });
      if (ratios.length > 0) categories[category] = { factor: mean(ratios), runs: ratios.length };
    }
    // The total, after the categories' corrections: what they leave unexplained.
    const totals = group.flatMap((run) => {
      const total = run.comparisons.find((entry) => entry.category === 'total');
      if (!total || total.plannedBytes <= 0) return [];
      let corrected = total.plannedBytes;
      for (const category of BREAKDOWN_CATEGORIES) {
        const factor = categories[category]?.factor;
        const row = run.comparisons.find((entry) => entry.category === category);
        if (factor !== undefined && row) corrected += (factor - 1) * row.plannedBytes;
      }
      return [total.measuredBytes / corrected];
    });
    if (totals.length > 0) categories.total = { factor: mean(totals), runs: totals.length };
    if (Object.keys(categories).length > 0) {
      corrections.push({ deviceId, engine, runs: group.length, categories });
    }
  }
  return corrections.sort((a, b) =>
    `${a.deviceId}|${a.engine}`.localeCompare(`${b.deviceId}|${b.engine}`),
  );
}

/** The correction that applies to a plan: its one device kind and its engine. */
function correctionFor(
  plan: Plan,
  corrections: readonly MemoryCorrection[],
): MemoryCorrection | undefined {
  const ids = new Set(plan.scenario.devices);
  if (ids.size !== 1) return undefined;
  const [deviceId] = ids;
  const engine = correctionEngineOf(plan);
  return corrections.find(
    (correction) => correction.deviceId === deviceId && correction.engine === engine,
  );
}

function correctDevice(device: DevicePlan, correction: MemoryCorrection): DevicePlan {
  const breakdown: { -readonly [K in keyof MemoryBreakdown]: number } = { ...device.breakdown };
  let used = device.used;
  for (const category of BREAKDOWN_CATEGORIES) {
    const factor = correction.categories[category as CorrectedBreakdown]?.factor;
    if (factor === undefined) continue;
    const delta = (factor - 1) * device.breakdown[category];
    breakdown[category] += delta;
    used += delta;
  }
  const totalFactor = correction.categories.total?.factor;
  if (totalFactor !== undefined) {
    // What the total's correction adds is memory no category explains: the plan's overhead.
    const delta = (totalFactor - 1) * used;
    breakdown.overhead += delta;
    used += delta;
  }
  return { ...device, breakdown, used, headroom: device.headroom - (used - device.used) };
}

const sumBreakdowns = (devices: readonly DevicePlan[], base: MemoryBreakdown): MemoryBreakdown => {
  const sum: { -readonly [K in keyof MemoryBreakdown]: number } = { ...base };
  for (const category of BREAKDOWN_CATEGORIES) {
    sum[category] = devices.reduce((total, device) => total + device.breakdown[category], 0);
  }
  return sum;
};

/**
 * A plan with this machine's correction applied, when one matches its device and engine; the
 * same plan object otherwise. Its accuracy then says how many runs corrected it, and the verdict
 * is formed again from the corrected memory.
 *
 * @example applyCorrections(plan, corrections).accuracy.summary // 'corrected by 16 runs on this machine …'
 */
export function applyCorrections(plan: Plan, corrections: readonly MemoryCorrection[]): Plan {
  const correction = correctionFor(plan, corrections);
  if (!correction) return plan;
  const perDevice = plan.memory.perDevice.map((device) => correctDevice(device, correction));
  const added = perDevice.reduce((sum, device, index) => {
    return sum + device.used - plan.memory.perDevice[index]!.used;
  }, 0);
  const deviceBreakdown = sumBreakdowns(perDevice, plan.memory.breakdown);
  const breakdown = { ...plan.memory.breakdown };
  for (const category of BREAKDOWN_CATEGORIES) {
    breakdown[category] +=
      deviceBreakdown[category] -
      plan.memory.perDevice.reduce((total, device) => total + device.breakdown[category], 0);
  }
  const factors = Object.entries(correction.categories)
    .map(([category, entry]) => `${category} ×${entry.factor.toFixed(3)}`)
    .join(', ');
  const accuracy = {
    ...plan.accuracy,
    correctedByRuns: correction.runs,
    summary: `corrected by ${correction.runs} runs on this machine (${correction.deviceId}, ${correction.engine}: ${factors}); uncorrected: ${plan.accuracy.summary}`,
  };
  const verdict =
    plan.verdict.offload || plan.verdict.status === 'no-device'
      ? plan.verdict
      : buildVerdict({
          perDevice,
          marginFraction: plan.scenario.marginFraction,
          offload: null,
          offloadPossible: false,
          minDevices: plan.verdict.minDevices,
          formatBytes: (bytes) => formatBytes(bytes, 'GB'),
          accuracy,
        });
  return {
    ...plan,
    memory: { breakdown, total: plan.memory.total + added, perDevice },
    verdict,
    accuracy,
    assumptions: [
      ...plan.assumptions,
      {
        name: 'Correction for this machine',
        value: factors,
        source: `${correction.runs} measured runs on ${correction.deviceId} with ${correction.engine} (headroom measure corrections)`,
      },
    ],
  } as Plan;
}
