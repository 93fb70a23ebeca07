import type { Plan } from './types';

/**
 * Per GPU or all GPUs: every face labels a plan's memory the same way (issue 17). A plan's
 * `memory.total` is what the whole run needs (system RAM of offloaded layers included); the
 * question people ask of a multi-GPU plan is "how much on each GPU?", answered by the busiest
 * device, the one whose headroom decides the verdict.
 */

/** The label of the busiest device's memory. */
export const PER_GPU_LABEL = 'Per GPU';
/** The label of the memory of every device of the plan together. */
export const ALL_GPUS_LABEL = 'All GPUs';
/** The label of a plan's need when no device is chosen. */
export const NEEDS_LABEL = 'Needs';

interface MemoryScope {
  /** Memory used on the busiest device (bytes); null without devices. */
  readonly perGpuBytes: number | null;
  /** Memory used on all devices together (bytes); null without devices. */
  readonly allGpusBytes: number | null;
  /** Devices the plan runs on. */
  readonly devices: number;
  /** Whether both figures say something: more than one device. */
  readonly showBoth: boolean;
}

/**
 * A plan's memory per GPU (the busiest device) and on all GPUs together.
 * @example memoryScope(planOn8xA100).perGpuBytes // the most any one A100 holds
 */
export function memoryScope(plan: Plan): MemoryScope {
  const used = plan.memory.perDevice.map((device) => device.used);
  if (used.length === 0)
    return { perGpuBytes: null, allGpusBytes: null, devices: 0, showBoth: false };
  return {
    perGpuBytes: Math.max(...used),
    allGpusBytes: used.reduce((sum, bytes) => sum + bytes, 0),
    devices: used.length,
    showBoth: used.length > 1,
  };
}
