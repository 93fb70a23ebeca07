import type { MemoryBreakdown, Plan } from '../../core/plan/types';

/** One bar of the memory chart: a device of the plan (or the whole need, with no device). */
export interface MemoryRow {
  readonly label: string;
  readonly breakdown: MemoryBreakdown;
  /** Bytes in use: the device's (DevicePlan.used), or the whole need without a device. */
  readonly used: number;
  /** Bytes the device offers (the plan's DevicePlan.capacity); null without a device. */
  readonly capacity: number | null;
  /** Whether that is the free memory detection read or the device's total. */
  readonly capacityKind: 'free' | 'total';
}

/** The memory categories in drawing order, with their legend words. */
export const MEMORY_CATEGORIES: readonly {
  readonly key: keyof MemoryBreakdown;
  readonly label: string;
}[] = [
  { key: 'weights', label: 'Weights' },
  { key: 'kvCache', label: 'KV cache' },
  { key: 'activations', label: 'Activations' },
  { key: 'gradients', label: 'Gradients' },
  { key: 'optimizerStates', label: 'Optimizer states' },
  { key: 'masterWeights', label: 'Master weights' },
  { key: 'overhead', label: 'Overhead' },
];

/**
 * The bars of a plan: one per device (numbered when a name repeats), or one "needed" bar with
 * the model's whole breakdown when the plan has no device.
 */
export function memoryRows(plan: Plan): MemoryRow[] {
  const perDevice = plan.memory.perDevice;
  if (perDevice.length === 0) {
    return [
      {
        label: 'Needed',
        breakdown: plan.memory.breakdown,
        used: plan.memory.total,
        capacity: null,
        capacityKind: 'total',
      },
    ];
  }
  const repeated = new Set(
    perDevice
      .filter((d, i) => perDevice.findIndex((e) => e.name === d.name) !== i)
      .map((d) => d.name),
  );
  return perDevice.map((device, i) => ({
    label: repeated.has(device.name) ? `${device.name} #${i + 1}` : device.name,
    breakdown: device.breakdown,
    used: device.used,
    capacity: device.capacity,
    capacityKind: device.capacityKind ?? 'total',
  }));
}
