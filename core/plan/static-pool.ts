import type { DeviceSpec } from '../devices/types';
import type { EngineProfile } from '../memory/engine-profiles';
import type { ParallelLayout, Placement } from './allocation';

/**
 * SGLang's static pool in a plan: the `--mem-fraction-static` it runs with on these GPUs and what
 * the plan says about it (core/memory/sglang-memory.ts derives SGLang's default).
 */

/**
 * The `--mem-fraction-static` a plan runs with on its GPUs, or undefined without a static pool
 * (or a GPU): SGLang's default, lowered where the planned activations outgrow the share it keeps
 * outside the pool (allocation.ts heldActivationBytes then counts them instead), to three
 * decimals, rounded down.
 */
export function runnableStaticPoolFraction(
  engine: EngineProfile,
  placement: Placement,
  devices: readonly DeviceSpec[],
  parallel: ParallelLayout | null,
): number | undefined {
  const gpus = placement.perDevice.filter((_, i) => devices[i]?.vendor !== 'cpu');
  if (!engine.staticPoolFraction || gpus.length === 0) return undefined;
  const byDefault = engine.staticPoolFraction(
    placement.perDevice.length,
    parallel?.dataParallel ?? 1,
  );
  let fraction = byDefault;
  for (const device of gpus) {
    const freeBeforeWeights = device.capacity - engine.runtimeOverheadBytes;
    const reserve = (1 - byDefault) * freeBeforeWeights;
    if (device.breakdown.activations > reserve + 1) {
      const needed = 1 - device.breakdown.activations / freeBeforeWeights;
      fraction = Math.min(fraction, Math.floor(needed * 1000) / 1000);
    }
  }
  return fraction;
}

/**
 * What a plan with a static pool says about it: the lowered fraction, where it had to be, and
 * that SGLang shows its GPUs nearly full.
 */
export function staticPoolWarnings(
  engine: EngineProfile,
  fraction: number,
  placement: Placement,
  parallel: ParallelLayout | null,
): string[] {
  const warnings: string[] = [];
  const byDefault = engine.staticPoolFraction!(
    placement.perDevice.length,
    parallel?.dataParallel ?? 1,
  );
  if (fraction < byDefault) {
    warnings.push(
      `The activations need more than SGLang keeps outside its static pool by default (--mem-fraction-static ${byDefault}): run it with --mem-fraction-static ${fraction}, as the launch settings do.`,
    );
  }
  warnings.push(
    `SGLang fills ${Math.round(fraction * 1000) / 10} % of each GPU's free memory (--mem-fraction-static ${fraction}) with the weights and a KV pool as large as the rest allows, so nvidia-smi will show it nearly full.`,
  );
  return warnings;
}
