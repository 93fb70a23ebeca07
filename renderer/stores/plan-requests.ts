import type { PlanRequest, TrainingBridgeRequest } from '../../core/bridge';
import type { CustomDeviceRequest } from '../../core/devices/custom-device';
import { resolveEngine, type EngineChoice } from '../../core/plan/default-engine';
import type { SolveTarget } from '../../core/plan/search';
import type { TrainingScenario } from '../../core/plan/types';
import type { ByteUnit } from '../../core/units/bytes';
import type { DeviceGroup } from './devices-store';
import type { MoeParallel } from './scenario-store';
import type { ModelChoice } from './model-store';

/** The scenario fields a request carries (the scenario store's state). */
interface ScenarioSettings {
  readonly kvFormat: string;
  readonly contextTokens: number;
  readonly batch: number;
  /** A pinned engine, or `auto`: each plan then uses its weights format's engine. */
  readonly engine: EngineChoice;
  readonly marginFraction: number;
  /** Routed experts in system RAM (`--moe-offload`); llama.cpp cards only. */
  readonly moeOffload?: number | 'all' | null;
  /** Images per prompt (`--images`); 0 or absent = text only. */
  readonly images?: number;
  /** A draft model id or `mtp` (`--draft`); '' or absent = none. */
  readonly draft?: string;
  /** llama.cpp's full-size SWA cache (`--swa-full`); llama.cpp cards only. */
  readonly swaFull?: boolean;
  /** vLLM's or SGLang's layout of an MoE model over several GPUs; their cards only. */
  readonly moeParallel?: MoeParallel;
}

/** Everything that decides one plan; `group` null plans the model with no device. */
interface PlanInputs {
  readonly model: ModelChoice;
  readonly group: DeviceGroup | null;
  readonly scenario: ScenarioSettings;
  readonly weightsFormat: string;
  readonly unit: ByteUnit;
  readonly solve?: readonly SolveTarget[];
}

function repeat<T>(value: T, count: number): T[] {
  return Array.from({ length: count }, () => value);
}

/** The devices of a group as a request names them: catalog and detected by id, custom by spec. */
function groupDevices(group: DeviceGroup | null): {
  deviceIds: string[];
  customDevices?: CustomDeviceRequest[];
} {
  if (!group) return { deviceIds: [] };
  const device = group.device;
  switch (device.source) {
    case 'catalog':
      return { deviceIds: repeat(device.id, group.count) };
    case 'detected':
      return { deviceIds: device.ids.slice(0, group.count) };
    case 'custom':
      return { deviceIds: [], customDevices: repeat(device.spec, group.count) };
  }
}

/** The model half of a request: a catalog or opened model by id, or a bare parameter count. */
function modelOf(model: ModelChoice): { modelId: string } | { params: number } {
  switch (model.kind) {
    case 'catalog':
      return { modelId: model.id };
    case 'file':
      return { modelId: model.spec.id };
    case 'params':
      return { params: model.params };
  }
}

/**
 * The bridge request for one plan: the same fields `headroom plan` sends, so the UI and the
 * CLI answer the same question the same way.
 */
export function planRequestFor(inputs: PlanInputs): PlanRequest {
  const { model, scenario } = inputs;
  const engine = resolveEngine(scenario.engine, inputs.weightsFormat);
  const moeOffload = scenario.moeOffload ?? null;
  return {
    ...modelOf(model),
    ...groupDevices(inputs.group),
    weightsFormat: inputs.weightsFormat,
    kvFormat: scenario.kvFormat,
    contextTokens: scenario.contextTokens,
    batch: scenario.batch,
    engine,
    marginFraction: scenario.marginFraction,
    // Experts in RAM is a llama.cpp setting: the cards of other engines plan without it.
    ...(moeOffload !== null && engine === 'llama.cpp' ? { moeOffload } : {}),
    // So is the full-size SWA cache (core refuses --swa-full for any other engine).
    ...(scenario.swaFull && engine === 'llama.cpp' ? { swaFull: true } : {}),
    ...(scenario.images ? { images: scenario.images } : {}),
    ...(scenario.draft ? { draft: scenario.draft } : {}),
    ...moeParallelOf(scenario.moeParallel ?? 'tensor', engine, inputs.group?.count ?? 0),
    ...(inputs.solve && inputs.solve.length > 0 ? { solve: [...inputs.solve] } : {}),
    unit: inputs.unit,
  };
}

/**
 * The request fields of a vLLM or SGLang MoE layout on `gpus` GPUs: expert parallelism, or one
 * data-parallel attention rank per GPU as vLLM's expert-parallel guide deploys DeepSeek (TP 1,
 * DP 8).
 */
function moeParallelOf(
  layout: MoeParallel,
  engine: string,
  gpus: number,
): Pick<PlanRequest, 'dataParallel' | 'expertParallel'> {
  if ((engine !== 'vllm' && engine !== 'sglang') || gpus < 2 || layout === 'tensor') return {};
  return layout === 'data'
    ? { dataParallel: gpus, expertParallel: true }
    : { expertParallel: true };
}

/** Everything that decides one training plan; `group` null plans without a device. */
interface TrainingInputs {
  readonly model: ModelChoice;
  readonly group: DeviceGroup | null;
  /** The training controls; context and margin come from the shared scenario, as in the CLI. */
  readonly training: TrainingScenario;
  readonly contextTokens: number;
  readonly marginFraction: number;
  readonly unit: ByteUnit;
}

/**
 * The bridge request for a training plan: what `headroom plan --mode training` sends for the
 * same flags (--context and --margin are shared with inference there too).
 */
export function trainingRequestFor(inputs: TrainingInputs): TrainingBridgeRequest {
  return {
    mode: 'training',
    ...modelOf(inputs.model),
    ...groupDevices(inputs.group),
    scenario: {
      ...inputs.training,
      contextTokens: inputs.contextTokens,
      marginFraction: inputs.marginFraction,
    },
    unit: inputs.unit,
  };
}
