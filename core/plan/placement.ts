import type { DeviceSpec } from '../devices/types';
import type { NumericFormat } from '../formats/types';
import { ENGINE_PROFILES, type EngineProfile } from '../memory/engine-profiles';
import {
  maxDeviceLayers,
  placeLayerSplit,
  placementFits,
  placeTensorParallel,
  type ModelMemory,
  type ParallelLayout,
  type Placement,
} from './allocation';
import { MAX_DEVICES_SEARCHED, type InferencePlanInput } from './inference-input';
import { modelMemory, NO_SIDE_MEMORY, type SideMemory } from './model-memory';
import type { OffloadSplit } from './types';
import type { WeightsLayout } from './weights-layout';

/**
 * How a model's memory goes onto devices for an engine (tensor parallel, layer split, layer
 * offload to system RAM), and the searches over placements: the fewest devices, the fewest
 * layers whose experts stay in RAM.
 */

export interface Placed {
  readonly placement: Placement;
  readonly arrangement: 'parallel' | 'sequential';
  readonly offload: OffloadSplit | null;
}

export function place(
  memory: ModelMemory,
  devices: readonly DeviceSpec[],
  engine: EngineProfile,
  layered: boolean,
  parallel?: ParallelLayout,
): Placed {
  const layers = memory.layerWeightBytes.length;
  if (devices.length === 0) {
    return {
      placement: { perDevice: [], hostLayers: 0, hostWeightBytes: 0, hostKvBytes: 0, hostBytes: 0 },
      arrangement: 'parallel',
      offload: null,
    };
  }
  if (
    !layered ||
    engine.multiDevice === 'tensor-parallel' ||
    (devices.length === 1 && !engine.supportsCpuOffload)
  ) {
    return {
      placement: placeTensorParallel(memory, devices, engine, parallel),
      arrangement: 'parallel',
      offload: null,
    };
  }
  const all = placeLayerSplit(memory, devices, engine, layers);
  if (placementFits(all) || !engine.supportsCpuOffload)
    return { placement: all, arrangement: 'sequential', offload: null };
  const deviceLayers = maxDeviceLayers(memory, devices, engine);
  if (deviceLayers < 0) return { placement: all, arrangement: 'sequential', offload: null };
  const placement = placeLayerSplit(memory, devices, engine, deviceLayers);
  return {
    placement,
    arrangement: 'sequential',
    offload: { deviceLayers, totalLayers: layers, hostBytes: placement.hostBytes },
  };
}

function fitsWith(
  input: InferencePlanInput,
  memory: ModelMemory,
  engine: EngineProfile,
  layered: boolean,
  count: number,
): boolean {
  const devices = Array.from({ length: count }, () => input.devices[0]!);
  const placed = place(memory, devices, { ...engine, supportsCpuOffload: false }, layered);
  return placementFits(placed.placement);
}

/** The fewest devices of the first kind on which the model fits without offload, or null. */
export function minimumDevices(
  input: InferencePlanInput,
  memory: ModelMemory,
  engine: EngineProfile,
  layered: boolean,
): number | null {
  if (input.devices.length === 0) return null;
  for (let count = 1; count <= MAX_DEVICES_SEARCHED; count *= 2) {
    if (fitsWith(input, memory, engine, layered, count)) {
      // The answer lies in (count/2, count]: bisect it.
      let low = Math.floor(count / 2) + 1;
      let high = count;
      while (low < high) {
        const mid = Math.floor((low + high) / 2);
        if (fitsWith(input, memory, engine, layered, mid)) high = mid;
        else low = mid + 1;
      }
      return high;
    }
  }
  return null;
}

/**
 * The fewest layers whose routed experts must stay in system RAM (llama.cpp --n-cpu-moe N) for
 * everything else to fit on the devices, or null when even all of them are not enough.
 */
export function minimumExpertOffload(
  input: InferencePlanInput,
  layout: WeightsLayout,
  kvFormat: NumericFormat,
  format: NumericFormat,
  side: SideMemory = NO_SIDE_MEMORY,
): number | null {
  const architecture = input.model.architecture!;
  const engine = ENGINE_PROFILES[input.scenario.engine];
  const fits = (layers: number): boolean => {
    const memory = modelMemory(
      architecture,
      layout,
      { ...input.scenario, moeOffloadLayers: layers },
      kvFormat,
      engine,
      format,
      side,
    );
    const placed = place(memory, input.devices, { ...engine, supportsCpuOffload: false }, true);
    return placementFits(placed.placement);
  };
  if (!fits(architecture.layers)) return null;
  let low = 1;
  let high = architecture.layers;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) high = mid;
    else low = mid + 1;
  }
  return high;
}
