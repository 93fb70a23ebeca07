import { inferenceAccuracy } from '../calibration/accuracy';
import { GENERIC_CPU } from '../devices/cpu';
import type { DeviceSpec } from '../devices/types';
import { HeadroomError } from '../errors';
import { bytesForParams } from '../formats/weight-bytes';
import type { NumericFormat } from '../formats/types';
import { ENGINE_PROFILES, type EngineProfile } from '../memory/engine-profiles';
import { kvElementsPerTokenPerLayer } from '../memory/kv-cache';
import type { ModelSpec } from '../models/types';
import {
  eagerElementwiseBytesPerToken,
  EAGER_DECODE_HOST_SECONDS_PER_LAYER,
  EAGER_DECODE_HOST_SECONDS_PER_LAYER_SLOW,
} from '../perf/eager-overheads';
import { estimateThroughput, flopsPerToken, type DeviceWork } from '../perf/throughput';
import { formatBytes, type ByteUnit } from '../units/bytes';
import {
  activationBytesAt,
  maxDeviceLayers,
  placeLayerSplit,
  placementFits,
  placeTensorParallel,
  type ModelMemory,
  type Placement,
} from './allocation';
import { planAssumptions } from './assumptions';
import { planModel } from './plan-model';
import { requireFormat, requireKvFormat } from './lookups';
import { cachedLayout, computeBytesOf, modelMemory } from './model-memory';
import {
  EMPTY_BREAKDOWN,
  PLAN_SCHEMA,
  type InferenceScenario,
  type MemoryBreakdown,
  type OffloadSplit,
  type InferencePlan,
  type Throughput,
} from './types';
import { buildVerdict } from './verdict';
import type { WeightsLayout } from './weights-layout';

export interface InferencePlanInput {
  readonly model: ModelSpec;
  /** The devices to run on (e.g. four entries for 4 × H100). May be empty. */
  readonly devices: readonly DeviceSpec[];
  /** System RAM for offloaded layers (a CPU device); without it, offload is not checked against RAM. */
  readonly host?: DeviceSpec;
  readonly scenario: InferenceScenario;
  /** Unit for the words of the verdict (numbers stay in bytes). */
  readonly unit?: ByteUnit;
  /** Skip the minimum-devices search (used by the searches themselves). */
  readonly skipMinDevices?: boolean;
}

/** Largest device count the minimum-devices search tries. */
export const MAX_DEVICES_SEARCHED = 512;

function requirePositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${name} must be a whole number of at least 1 (got ${value}).`,
    );
  }
}

function validateScenario(scenario: InferenceScenario): void {
  requirePositiveInteger(scenario.contextTokens, 'Context length');
  requirePositiveInteger(scenario.batch, 'Batch size');
  if (!(scenario.marginFraction >= 0 && scenario.marginFraction < 1)) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `The safety margin is a fraction from 0 to 1 (got ${scenario.marginFraction}).`,
    );
  }
  if (!ENGINE_PROFILES[scenario.engine]) {
    throw new HeadroomError('BAD_ARGUMENT', `Unknown engine "${scenario.engine}".`);
  }
  const experts = scenario.moeOffloadLayers;
  if (experts !== undefined && experts !== 0) {
    requirePositiveInteger(experts, 'The number of layers whose experts stay in system RAM');
    if (scenario.engine !== 'llama.cpp') {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        'Keeping routed experts in system RAM is a llama.cpp setting (--n-cpu-moe, -ot exps=CPU): the engine must be llama.cpp.',
      );
    }
  }
}

/**
 * The fewest layers whose routed experts must stay in system RAM (llama.cpp --n-cpu-moe N) for
 * everything else to fit on the devices, or null when even all of them are not enough.
 */
function minimumExpertOffload(
  input: InferencePlanInput,
  layout: WeightsLayout,
  kvFormat: NumericFormat,
  format: NumericFormat,
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

/** A model known only by its parameter count: weights from the count, nothing per layer. */
function paramsOnlyMemory(model: ModelSpec, format: NumericFormat): ModelMemory {
  return {
    layerWeightBytes: [
      model.storedWeightBytes !== undefined && format.id === model.publishedFormat
        ? model.storedWeightBytes
        : bytesForParams(model.params, format),
    ],
    layerKvBytes: [0],
    embeddingBytes: 0,
    headBytes: 0,
    shardableKvHeads: null,
    activationFixedBytes: 0,
    activationShardedBytes: 0,
    hostExpertBytes: 0,
  };
}

function totalBreakdown(
  placement: Placement,
  memory: ModelMemory,
  engine: EngineProfile,
): MemoryBreakdown {
  if (placement.perDevice.length === 0) {
    const weights =
      memory.layerWeightBytes.reduce((a, b) => a + b, 0) + memory.embeddingBytes + memory.headBytes;
    const kvCache = memory.layerKvBytes.reduce((a, b) => a + b, 0);
    return {
      ...EMPTY_BREAKDOWN,
      weights,
      kvCache,
      activations: activationBytesAt(memory, 1),
      overhead: engine.runtimeOverheadBytes + engine.cudaGraphBytes,
    };
  }
  const total = { ...EMPTY_BREAKDOWN };
  for (const { breakdown } of placement.perDevice) {
    total.weights += breakdown.weights;
    total.kvCache += breakdown.kvCache;
    total.activations += breakdown.activations;
    total.gradients += breakdown.gradients;
    total.optimizerStates += breakdown.optimizerStates;
    total.masterWeights += breakdown.masterWeights;
    total.overhead += breakdown.overhead;
  }
  // Layers offloaded to system RAM still count: the breakdown is the whole model's memory.
  total.weights += placement.hostWeightBytes;
  total.kvCache += placement.hostKvBytes;
  return total;
}

interface Placed {
  readonly placement: Placement;
  readonly arrangement: 'parallel' | 'sequential';
  readonly offload: OffloadSplit | null;
}

function place(
  memory: ModelMemory,
  devices: readonly DeviceSpec[],
  engine: EngineProfile,
  layered: boolean,
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
      placement: placeTensorParallel(memory, devices, engine),
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
function minimumDevices(
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

function throughputFor(
  model: ModelSpec,
  layout: WeightsLayout | null,
  format: NumericFormat,
  placed: Placed,
  input: InferencePlanInput,
  hostExpertBytes: number,
): Throughput | null {
  const { placement } = placed;
  if (placement.perDevice.length === 0) return null;
  const architecture = model.architecture;
  const totalLayers = architecture?.layers ?? 1;
  const activeWeightBytes =
    layout?.activeBytesPerToken ?? bytesForParams(model.activeParams, format);
  const totalWeightBytes = layout?.totalBytes ?? bytesForParams(model.params, format);
  // Routed experts in system RAM: a token reads its active experts' share of them there.
  const moe = architecture?.moe;
  const hostExpertActive = moe ? (hostExpertBytes * moe.activeExperts) / moe.routedExperts : 0;
  const activeShare = (activeWeightBytes - hostExpertActive) / (totalWeightBytes - hostExpertBytes);
  const context = input.scenario.contextTokens;
  const work: DeviceWork[] = placement.perDevice.map((plan, i) => {
    const layerShare =
      placed.arrangement === 'parallel'
        ? 1 / placement.perDevice.length
        : plan.layers / totalLayers;
    return {
      device: input.devices[i]!,
      weightBytesPerStep: plan.breakdown.weights * activeShare,
      kvBytesPerSequence: plan.breakdown.kvCache / input.scenario.batch,
      computeShare: layerShare,
    };
  });
  const hostLayerBytes = placement.hostWeightBytes - hostExpertBytes;
  if (placement.hostLayers > 0 || hostExpertBytes > 0) {
    // Without a host device given, the offloaded layers run on a typical desktop CPU.
    work.push({
      device: input.host ?? GENERIC_CPU,
      weightBytesPerStep: hostLayerBytes * activeShare + hostExpertActive,
      kvBytesPerSequence: placement.hostKvBytes / input.scenario.batch,
      computeShare:
        placement.hostLayers / totalLayers + hostExpertActive / Math.max(1, activeWeightBytes),
    });
  }
  const attentionWidth = architecture ? architecture.attentionHeads * architecture.headDim : 0;
  const engine = ENGINE_PROFILES[input.scenario.engine];
  const eager = engine.activations === 'pytorch-eager' && architecture !== undefined;
  const layers = architecture?.layers ?? 0;
  return estimateThroughput({
    ...(eager && engine.hostPacedDecode
      ? {
          hostSecondsPerStep: {
            typical: EAGER_DECODE_HOST_SECONDS_PER_LAYER * layers,
            slow: EAGER_DECODE_HOST_SECONDS_PER_LAYER_SLOW * layers,
          },
        }
      : {}),
    ...(eager
      ? {
          elementwiseBytesPerToken: eagerElementwiseBytesPerToken(
            architecture,
            computeBytesOf(format),
          ),
        }
      : {}),
    work,
    arrangement: placed.arrangement,
    batch: input.scenario.batch,
    // Decode attends to the whole context; the FLOPs estimate uses the mean position (context/2).
    flopsPerToken: flopsPerToken(
      model.activeParams,
      architecture?.layers ?? 0,
      attentionWidth,
      context / 2,
    ),
    computeDtype: format.computeDtype,
  });
}

/**
 * The inference plan for a model on some devices: itemised memory per device, a verdict, a
 * speed estimate, and every assumption it rests on. Throws only for invalid input.
 */
export function planInference(input: InferencePlanInput): InferencePlan {
  const { model, scenario } = input;
  validateScenario(scenario);
  const format = requireFormat(scenario.weightsFormat);
  const kvFormat = requireKvFormat(scenario.kvFormat);
  const engine = ENGINE_PROFILES[scenario.engine];
  const unit = input.unit ?? 'GB';
  const architecture = model.architecture;

  const layout = architecture ? cachedLayout(model, architecture, format) : null;
  const memory =
    architecture && layout
      ? modelMemory(architecture, layout, scenario, kvFormat, engine, format)
      : paramsOnlyMemory(model, format);
  const kvBytesPerTokenPerLayer = architecture
    ? kvElementsPerTokenPerLayer(architecture, engine.mlaCache) * (kvFormat.bitsPerWeight / 8)
    : 0;

  const layered = architecture !== undefined;
  const placed = place(memory, input.devices, engine, layered);
  const { placement } = placed;
  let offload = placed.offload;
  const warnings: string[] = [];

  if (offload && input.host && offload.hostBytes > input.host.memoryBytes) {
    warnings.push(
      `Offloading needs ${formatBytes(offload.hostBytes, unit)} of system RAM but ${input.host.name} has ${formatBytes(input.host.memoryBytes, unit)}.`,
    );
    offload = null;
  }
  if (offload && !input.host) {
    warnings.push(
      `${offload.totalLayers - offload.deviceLayers} layers would run from system RAM; no host device was given, so their speed assumes ${GENERIC_CPU.name} and the RAM they need (${formatBytes(offload.hostBytes, unit)}) is not checked.`,
    );
  }
  if (memory.hostExpertBytes > 0 && !input.host) {
    warnings.push(
      `The routed experts kept in system RAM (${formatBytes(memory.hostExpertBytes, unit)}) are read from RAM every token; no host device was given, so their speed assumes ${GENERIC_CPU.name} and the RAM is not checked.`,
    );
  }
  if (!architecture) {
    warnings.push(
      'Only a parameter count was given: the plan counts weights and runtime overhead; the KV cache and activations need the architecture (give --model with a catalog id or a config.json).',
    );
  }
  if (
    architecture &&
    engine.multiDevice === 'tensor-parallel' &&
    input.devices.length > 1 &&
    architecture.attentionHeads % input.devices.length !== 0
  ) {
    warnings.push(
      `Tensor parallelism over ${input.devices.length} devices needs the ${architecture.attentionHeads} attention heads to divide evenly; vLLM will refuse this split.`,
    );
  }
  if (architecture && scenario.contextTokens > architecture.maxContextTokens) {
    warnings.push(
      `The context (${scenario.contextTokens} tokens) is longer than the model was trained for (${architecture.maxContextTokens}).`,
    );
  }
  if (scenario.engine === 'vllm' && input.devices.length > 0) {
    warnings.push(
      'vLLM preallocates 90 % of each device at start-up and fills the spare room with KV cache, so nvidia-smi will show it nearly full.',
    );
  }

  const minDevices = input.skipMinDevices ? null : minimumDevices(input, memory, engine, layered);
  const accuracy = inferenceAccuracy(scenario.engine, format.id, architecture !== undefined);
  const baseVerdict = buildVerdict({
    accuracy,
    perDevice: placement.perDevice,
    marginFraction: scenario.marginFraction,
    offload,
    offloadPossible: offload !== null,
    minDevices,
    formatBytes: (bytes) => formatBytes(bytes, unit),
  });
  let verdict = baseVerdict;
  if (memory.hostExpertBytes > 0 && input.host && placement.hostBytes > input.host.memoryBytes) {
    verdict = {
      status: 'does-not-fit',
      fits: false,
      minDevices,
      reason: `The devices hold their share, but the experts kept in system RAM need ${formatBytes(placement.hostBytes, unit)} and ${input.host.name} has ${formatBytes(input.host.memoryBytes, unit)}.`,
    };
  } else if (
    !verdict.fits &&
    architecture?.moe &&
    layout &&
    scenario.engine === 'llama.cpp' &&
    !scenario.moeOffloadLayers &&
    input.devices.length > 0
  ) {
    const layers = minimumExpertOffload(input, layout, kvFormat, format);
    if (layers !== null) {
      verdict = {
        ...verdict,
        moeOffloadLayers: layers,
        reason: `${verdict.reason} Keeping the routed experts of ${layers} of ${architecture.layers} layers in system RAM (llama.cpp --n-cpu-moe ${layers}) fits the rest on the devices.`,
      };
    }
  }
  const breakdown = totalBreakdown(placement, memory, engine);
  const total = Object.values(breakdown).reduce((a, b) => a + b, 0);

  return {
    schema: PLAN_SCHEMA,
    model: planModel(model, architecture ? kvBytesPerTokenPerLayer * architecture.layers : null),
    scenario: { ...scenario, devices: input.devices.map((device) => device.id) },
    memory: { breakdown, total, perDevice: placement.perDevice },
    verdict,
    throughput: throughputFor(
      model,
      layout,
      format,
      { ...placed, offload },
      input,
      memory.hostExpertBytes,
    ),
    accuracy,
    assumptions: planAssumptions({
      model,
      format,
      kvFormat,
      engine,
      devices: input.devices,
      layout,
      contextTokens: scenario.contextTokens,
    }),
    warnings,
  };
}
