import { trainingAccuracy } from '../calibration/accuracy';
import { planModel } from '../plan/plan-model';
import type { DeviceSpec } from '../devices/types';
import type { ArchitectureSpec, ModelSpec } from '../models/types';
import { capacityKind, deviceCapacity, usableBytes } from '../plan/allocation';
import { ENGINE_PROFILES } from '../memory/engine-profiles';
import { MAX_DEVICES_SEARCHED } from '../plan/inference-input';
import { requireFormat } from '../plan/lookups';
import {
  PLAN_SCHEMA,
  type DevicePlan,
  type MemoryBreakdown,
  type Plan,
  type TrainingScenario,
  type LoraTarget,
  type TrainingThroughput,
  type Verdict,
} from '../plan/types';
import { buildVerdict } from '../plan/verdict';
import { formatBytes, type ByteUnit } from '../units/bytes';
import { blockShape, layerActivationBytes, logitsBytes } from './activations';
import { DEEPSPEED_ADDITIONAL_BUFFER_FACTOR } from './deepspeed-estimate';
import { OPTIMIZERS } from './optimizers';
import { layoutParallelism, stageOfRank, type ParallelLayout } from './parallelism';
import { paramProfile, QLORA_BASE_FORMAT, totalOptimizerBytes } from './param-profile';
import { adapterRecipe, PRECISION_RECIPES, STATE_DTYPE_BYTES, stateDtypeFor } from './precision';
import { validateTrainingScenario } from './scenario';
import { DEFAULT_MFU, trainingFlopsPerToken, trainingThroughput } from './speed';
import { rooflineTrainingThroughput } from './training-speed-roofline';
import {
  breakdownTotal,
  stageActivationBytes,
  stageMemories,
  type StageMemory,
  type StageMemoryContext,
} from './stage-memory';
import { trainingAssumptions } from './training-assumptions';
import { trainingWarnings } from './training-warnings';

export interface TrainingPlanInput {
  readonly model: ModelSpec;
  /** The GPUs of one node (every node is the same); may be empty for a plan without a verdict. */
  readonly devices: readonly DeviceSpec[];
  /** The system RAM of one node (a CPU device), to check what offload needs against. */
  readonly host?: DeviceSpec;
  readonly scenario: TrainingScenario;
  /** Unit for the words of the verdict (numbers stay in bytes). */
  readonly unit?: ByteUnit;
  /** Skip the minimum-devices search (grids and searches). */
  readonly skipMinDevices?: boolean;
}

// Training runs on PyTorch: the generic profile's capacity rules (all of the memory, no margin).
const PYTORCH = ENGINE_PROFILES.generic;

function devicePlan(
  device: DeviceSpec,
  breakdown: MemoryBreakdown,
  layers: number,
  name: string,
): DevicePlan {
  const used = breakdownTotal(breakdown);
  return {
    device: device.id,
    name,
    capacity: deviceCapacity(device),
    capacityKind: capacityKind(device),
    used,
    headroom: usableBytes(device, PYTORCH) - used,
    breakdown,
    layers,
  };
}

/**
 * The GPUs of the first node, each with its stage's memory, then one GPU of every stage (and
 * device kind) that the first node does not hold, so every distinct load is listed.
 */
function perDevicePlans(
  devices: readonly DeviceSpec[],
  layout: ParallelLayout,
  stages: readonly StageMemory[],
  bareCount: boolean,
): DevicePlan[] {
  const plans: DevicePlan[] = [];
  const add = (device: DeviceSpec, stage: number): void => {
    const memory = stages[stage]!;
    const name = layout.pipelineParallel > 1 ? `${device.name} (stage ${stage})` : device.name;
    plans.push(devicePlan(device, memory.breakdown, bareCount ? 0 : memory.stage.layers, name));
  };
  if (layout.pipelineParallel === 1) {
    for (const device of devices) add(device, 0);
    return plans;
  }
  // Which device ids each stage already lists.
  const covered: string[][] = Array.from({ length: layout.pipelineParallel }, () => []);
  devices.forEach((device, rank) => {
    const stage = stageOfRank(layout, rank);
    covered[stage]!.push(device.id);
    add(device, stage);
  });
  const ranksPerStage = layout.tensorParallel * layout.dataParallel;
  for (let stage = 0; stage < layout.pipelineParallel; stage++) {
    const first = stage * ranksPerStage;
    const count = Math.min(ranksPerStage, devices.length);
    for (let offset = 0; offset < count; offset++) {
      const device = devices[(first + offset) % devices.length]!;
      if (covered[stage]!.includes(device.id)) continue;
      covered[stage]!.push(device.id);
      add(device, stage);
    }
  }
  return plans;
}

/** System RAM the busiest node needs for offload, DeepSpeed's buffer factor included. */
function hostBytesPerNode(layout: ParallelLayout, stages: readonly StageMemory[]): number {
  if (stages.every((stage) => stage.hostBytes === 0)) return 0;
  const ranksPerStage = layout.tensorParallel * layout.dataParallel;
  let busiest = 0;
  for (let node = 0; node < layout.nodes; node++) {
    const from = node * layout.gpusPerNode;
    const to = from + layout.gpusPerNode;
    let bytes = 0;
    for (let stage = 0; stage < stages.length; stage++) {
      const overlap =
        Math.min(to, (stage + 1) * ranksPerStage) - Math.max(from, stage * ranksPerStage);
      if (overlap > 0) bytes += overlap * stages[stage]!.hostBytes;
    }
    busiest = Math.max(busiest, bytes);
  }
  return busiest * DEEPSPEED_ADDITIONAL_BUFFER_FACTOR;
}

/**
 * The fewest GPUs of the first kind on which it fits: tensor × pipeline × the smallest
 * data-parallel degree whose ZeRO shards are small enough (memory only falls as d grows).
 */
function minimumDevices(
  device: DeviceSpec,
  context: StageMemoryContext,
  activations: readonly number[],
  zeroStage: number,
): number | null {
  const perCopy = context.layout.tensorParallel * context.layout.pipelineParallel;
  const usable = usableBytes(device, PYTORCH);
  const fits = (d: number): boolean =>
    stageMemories(context, d, activations).every(
      (stage) => breakdownTotal(stage.breakdown) <= usable,
    );
  if (fits(1)) return perCopy;
  if (zeroStage === 0) return null;
  const maxD = Math.floor(MAX_DEVICES_SEARCHED / perCopy);
  let high = 1;
  while (high < maxD && !fits(high)) high = Math.min(high * 2, maxD);
  if (!fits(high)) return null;
  let low = Math.floor(high / 2) + 1;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) high = mid;
    else low = mid + 1;
  }
  return high * perCopy;
}

/** Input and output widths of the linears of one decoder layer that carry adapters. */
function adaptedWidths(
  architecture: ArchitectureSpec,
  targets: readonly LoraTarget[],
): { inputs: number; outputs: number } {
  const h = architecture.hiddenSize;
  const q = architecture.attentionHeads * architecture.headDim;
  const kv = architecture.kvHeads * architecture.headDim;
  const f = architecture.intermediateSize;
  const shapes: Readonly<Record<LoraTarget, readonly [number, number]>> = {
    q: [h, q],
    k: [h, kv],
    v: [h, kv],
    o: [q, h],
    gate: [h, f],
    up: [h, f],
    down: [f, h],
  };
  let inputs = 0;
  let outputs = 0;
  for (const target of new Set(targets)) {
    inputs += shapes[target][0];
    outputs += shapes[target][1];
  }
  return { inputs, outputs };
}

/** Bytes per parameter ZeRO-3 gathers for a module: weights and gradients, or a frozen base alone. */
function gatherBytesPerParam(scenario: TrainingScenario): number {
  const recipe = PRECISION_RECIPES[scenario.precision];
  if (scenario.finetune === 'full')
    return recipe.weightBytesPerParam + recipe.gradientBytesPerParam;
  if (scenario.finetune === 'qlora')
    return requireFormat(QLORA_BASE_FORMAT).bitsPerWeight / BITS_PER_BYTE;
  return recipe.frozenBytesPerParam;
}

const BITS_PER_BYTE = 8;

/**
 * The training plan of a model on some GPUs: itemised memory per GPU (model states under
 * ZeRO/TP/PP/offload, activations, overhead), a verdict with the fewest GPUs that would do,
 * training speed, and every assumption it rests on. Throws only for invalid input.
 *
 * @param input model, GPUs of one node, scenario (see core/plan/types.ts TrainingScenario)
 * @returns a headroom.plan/v1 plan whose breakdown is what the most loaded GPU holds
 * @throws HeadroomError BAD_ARGUMENT for a scenario no run could be configured with
 */
export function planTraining(input: TrainingPlanInput): Plan {
  const { model, scenario, devices } = input;
  validateTrainingScenario(scenario);
  const unit = input.unit ?? 'GB';
  const baseRecipe = PRECISION_RECIPES[scenario.precision];
  const recipe =
    scenario.finetune === 'full' || scenario.adapterDtype === 'bf16'
      ? baseRecipe
      : adapterRecipe(baseRecipe);
  const optimizer = OPTIMIZERS[scenario.optimizer];
  const stateBytes = STATE_DTYPE_BYTES[stateDtypeFor(recipe, scenario.optimizerStateDtype)];
  const profile = paramProfile(model, {
    finetune: scenario.finetune,
    loraRank: scenario.loraRank,
    loraTargets: scenario.loraTargets,
    recipe,
    optimizer,
    stateBytes,
  });
  const architecture = model.architecture;
  const layout = layoutParallelism({
    nodes: scenario.nodes,
    gpusPerNode:
      devices.length > 0 ? devices.length : scenario.tensorParallel * scenario.pipelineParallel,
    tensorParallel: scenario.tensorParallel,
    pipelineParallel: scenario.pipelineParallel,
    layers: architecture?.layers ?? null,
    microBatches: scenario.gradAccum,
  });
  const context: StageMemoryContext = {
    model,
    scenario,
    recipe,
    profile,
    layout,
    gatherBytesPerParam: gatherBytesPerParam(scenario),
    optimizerStateTensors: optimizer.fullStates,
  };
  const activations = layout.stages.map((stage) => stageActivationBytes(context, stage));
  const stages = stageMemories(context, layout.dataParallel, activations);
  const perDevice =
    devices.length > 0 ? perDevicePlans(devices, layout, stages, !architecture) : [];
  const peak = stages.reduce((a, b) =>
    breakdownTotal(b.breakdown) > breakdownTotal(a.breakdown) ? b : a,
  );
  const hostBytes = hostBytesPerNode(layout, stages);

  const minDevices =
    input.skipMinDevices || devices.length === 0
      ? null
      : minimumDevices(devices[0]!, context, activations, scenario.zeroStage);
  const accuracy = trainingAccuracy({
    hasArchitecture: architecture !== undefined,
    gpus: devices.length * layout.nodes,
    sharded:
      scenario.zeroStage !== 0 ||
      scenario.offload !== 'none' ||
      layout.tensorParallel !== 1 ||
      layout.pipelineParallel !== 1,
    precision: scenario.precision,
    qlora: scenario.finetune === 'qlora',
  });
  let verdict: Verdict = buildVerdict({
    accuracy,
    perDevice,
    marginFraction: scenario.marginFraction,
    offload: null,
    offloadPossible: false,
    minDevices,
    formatBytes: (bytes) => formatBytes(bytes, unit),
  });
  if (input.host && hostBytes > input.host.memoryBytes && verdict.fits) {
    verdict = {
      status: 'does-not-fit',
      fits: false,
      minDevices,
      reason: `The GPUs hold their share, but CPU offload needs ${formatBytes(hostBytes, unit)} of system RAM per node and ${input.host.name} has ${formatBytes(input.host.memoryBytes, unit)}.`,
    };
  }

  const flopsPerToken = trainingFlopsPerToken({
    activeParams: model.activeParams,
    adapterParams: profile.loraParams ?? 0,
    finetune: scenario.finetune,
    checkpointing: scenario.checkpointing,
    architecture,
    contextTokens: scenario.contextTokens,
  });
  const speedOf = (): TrainingThroughput => {
    if (
      scenario.mfu !== undefined ||
      !architecture ||
      layout.tensorParallel !== 1 ||
      layout.pipelineParallel !== 1
    ) {
      const mfu = scenario.mfu ?? DEFAULT_MFU;
      return {
        ...trainingThroughput(
          devices,
          layout.nodes,
          recipe.computeDtype,
          mfu,
          flopsPerToken,
          scenario.trainTokens,
        ),
        mfu,
      };
    }
    const optimizerBytes = totalOptimizerBytes(profile);
    const optimizerShards = scenario.zeroStage >= 1 ? layout.dataParallel : 1;
    return rooflineTrainingThroughput(
      devices,
      layout.nodes,
      {
        architecture,
        recipe,
        checkpointing: scenario.checkpointing,
        tokensPerStep: scenario.microBatch * scenario.contextTokens * scenario.gradAccum,
        microBatches: scenario.gradAccum,
        sequenceTokens: scenario.contextTokens,
        flashAttention: scenario.flashAttention,
        loraLinearsPerLayer: scenario.finetune === 'full' ? 0 : new Set(scenario.loraTargets).size,
        adapterParams: profile.loraParams ?? 0,
        adaptedWidthsPerLayer:
          scenario.finetune === 'full'
            ? { inputs: 0, outputs: 0 }
            : adaptedWidths(architecture, scenario.loraTargets),
        flopsPerToken,
        trainableParams: profile.trainableParams / optimizerShards,
        stateBytesPerParam:
          profile.trainableParams > 0 ? optimizerBytes / profile.trainableParams : 0,
        heldParams: model.params,
      },
      scenario.trainTokens,
    );
  };
  const settings = {
    sequenceTokens: scenario.contextTokens,
    microBatch: scenario.microBatch,
    tensorParallel: layout.tensorParallel,
    sequenceParallel: scenario.sequenceParallel === true && layout.tensorParallel > 1,
    checkpointing: scenario.checkpointing,
    flashAttention: scenario.flashAttention,
    bytesPerElement: recipe.activationBytesPerElement,
  };
  return {
    schema: PLAN_SCHEMA,
    // Training keeps no KV cache.
    model: planModel(model, null),
    scenario: { ...scenario, devices: devices.map((device) => device.id) },
    memory: { breakdown: peak.breakdown, total: breakdownTotal(peak.breakdown), perDevice },
    verdict,
    throughput: devices.length > 0 ? speedOf() : null,
    accuracy,
    assumptions: trainingAssumptions({
      model,
      devices,
      scenario,
      recipe,
      optimizer,
      stateBytes,
      profile,
      layout,
      layerActivationBytes: architecture
        ? layerActivationBytes(blockShape(architecture, false), settings)
        : null,
      logitsBytes: architecture
        ? logitsBytes(architecture.hiddenSize, architecture.vocabSize, settings)
        : 0,
      hostBytesPerNode: hostBytes,
      flopsPerToken,
    }),
    warnings: trainingWarnings({
      model,
      scenario,
      layout,
      optimizer,
      host: input.host,
      hostBytesPerNode: hostBytes,
      unit,
    }),
  };
}
