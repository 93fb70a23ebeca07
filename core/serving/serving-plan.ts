import { FORMULA_ONLY, type PlanAccuracy } from '../calibration/accuracy';
import type { DeviceSpec } from '../devices/types';
import { HeadroomError } from '../errors';
import type { LaunchSettings } from '../launch';
import type { ModelSpec } from '../models/types';
import type { Assumption } from '../plan/types';
import { searchSetups, type RejectedSetup, type ServingSetup } from './cost-search';
import { servingAssumptions } from './serving-assumptions';
import { launchFor, startedDeployment } from './serving-launch';
import {
  planDeployment,
  type Deployment,
  type DeploymentCapacity,
  type ServingEngine,
} from './deployment';
import {
  kvConcurrencyLimit,
  loadAtRate,
  loadCurve,
  maxRateWithinTargets,
  targetBreaks,
  type LatencyTargets,
  type LoadPoint,
  type RequestShape,
  type TargetBreaks,
} from './load';

export const SERVING_SCHEMA = 'headroom.serving/v1';

/** Tokens `--max-model-len` is rounded up to when derived from the lengths. */
const MAX_MODEL_LEN_STEP = 1024;

export interface ServingRequest {
  readonly model: ModelSpec;
  readonly engine: ServingEngine;
  readonly shape: RequestShape;
  readonly targets: LatencyTargets;
  /** The workload's arrival rate; absent: capacity and the curve only. */
  readonly requestsPerSecond?: number;
  /** `--max-model-len`; absent: the p90 prompt + p90 output, rounded up to 1024. */
  readonly maxModelLen?: number;
  readonly weightsFormat?: string;
  readonly kvFormat?: string;
  /** One setup: one replica of `tensorParallel` of this device (replicas follow the rate). */
  readonly setup?: { readonly device: DeviceSpec; readonly tensorParallel: number };
  /** The device types to search (when no setup is given). */
  readonly candidates?: readonly DeviceSpec[];
  readonly maxGpus: number;
  readonly pricesUsdPerHour?: Readonly<Record<string, number>>;
  /** For the provenance line of the launch settings. */
  readonly headroomVersion: string;
}

/** One replica's memory and what its KV cache holds. */
interface ServingDeployment {
  readonly device: string;
  readonly deviceName: string;
  readonly tensorParallel: number;
  readonly fits: boolean;
  readonly reason: string;
  /** Per device of the replica, bytes. */
  readonly weightsBytes: number;
  readonly activationsBytes: number;
  readonly overheadBytes: number;
  readonly availableKvBytes: number;
  readonly kvBytesPerTokenPerDevice: number;
  readonly capacity: DeploymentCapacity;
  /** Requests in flight the KV cache holds at the mean lengths. */
  readonly kvConcurrencyLimit: number;
}

/** headroom.serving/v1. */
export interface ServingPlan {
  readonly schema: typeof SERVING_SCHEMA;
  readonly model: { readonly id: string; readonly name: string; readonly params: number };
  readonly engine: ServingEngine;
  readonly weightsFormat: string;
  readonly kvFormat: string;
  readonly maxModelLen: number;
  readonly workload: RequestShape & {
    readonly requestsPerSecond: number | null;
    readonly targets: LatencyTargets;
  };
  /** The chosen setup (the one given, or the best found); null when none holds. */
  readonly setup: ServingSetup | null;
  /** Its replica (the one given even when it does not hold the workload). */
  readonly deployment: ServingDeployment | null;
  /** Requests/s one replica holds within the targets. */
  readonly maxRequestsPerSecondPerReplica: number | null;
  /** Concurrency vs TTFT/TPOT of one replica, 1 … its KV limit. */
  readonly curve: readonly LoadPoint[];
  readonly breaks: TargetBreaks;
  /** Every setup that holds the workload, best first (a search), or the one given. */
  readonly setups: readonly ServingSetup[];
  readonly rejected: readonly RejectedSetup[];
  readonly launch: LaunchSettings | null;
  /** Of the latency and throughput figures (formula only until serving runs are measured). */
  readonly accuracy: PlanAccuracy;
  /** Of the memory plan under them (core/calibration). */
  readonly memoryAccuracy: PlanAccuracy | null;
  readonly assumptions: readonly Assumption[];
  readonly warnings: readonly string[];
}

function requirePositive(value: number, what: string): void {
  if (!(Number.isFinite(value) && value > 0))
    throw new HeadroomError('BAD_ARGUMENT', `${what} must be a number above 0 (got ${value}).`);
}

function validate(request: ServingRequest): void {
  requirePositive(request.shape.promptTokens, 'The prompt length');
  requirePositive(request.shape.outputTokens, 'The output length');
  requirePositive(request.targets.ttftSeconds, 'The TTFT target');
  requirePositive(request.targets.tpotSeconds, 'The TPOT target');
  if (request.requestsPerSecond !== undefined)
    requirePositive(request.requestsPerSecond, 'The request rate');
  if (!request.setup && (request.candidates ?? []).length === 0)
    throw new HeadroomError('BAD_ARGUMENT', 'Give one setup or the device types to search.');
  const p90 = request.shape.promptTokensP90;
  if (p90 !== undefined && p90 < request.shape.promptTokens)
    throw new HeadroomError('BAD_ARGUMENT', 'The p90 prompt length cannot be below the mean.');
  const o90 = request.shape.outputTokensP90;
  if (o90 !== undefined && o90 < request.shape.outputTokens)
    throw new HeadroomError('BAD_ARGUMENT', 'The p90 output length cannot be below the mean.');
}

/** The p90 request rounded up to a multiple of 1024 tokens. */
export function defaultMaxModelLen(shape: RequestShape): number {
  const longest =
    (shape.promptTokensP90 ?? shape.promptTokens) + (shape.outputTokensP90 ?? shape.outputTokens);
  return Math.ceil(longest / MAX_MODEL_LEN_STEP) * MAX_MODEL_LEN_STEP;
}

function deploymentSummary(deployment: Deployment, shape: RequestShape): ServingDeployment {
  const first = deployment.plan.memory.perDevice[0]!;
  const device = deployment.input.devices[0]!;
  return {
    device: device.id,
    deviceName: device.name,
    tensorParallel: deployment.input.devices.length,
    fits: deployment.fits,
    reason: deployment.plan.verdict.reason,
    weightsBytes: first.breakdown.weights,
    activationsBytes: first.breakdown.activations,
    overheadBytes: first.breakdown.overhead,
    availableKvBytes: Math.min(...deployment.availableKvBytesPerDevice),
    kvBytesPerTokenPerDevice: deployment.kvBytesPerTokenPerDevice[0]!,
    capacity: deployment.capacity,
    kvConcurrencyLimit: kvConcurrencyLimit(deployment, shape),
  };
}

/**
 * The serving plan: one replica's KV capacity (vLLM blocks or llama.cpp slots), its latency
 * curve under load and where the targets break, and — with a rate — the setups that hold the
 * workload ranked by cost, with the launch settings of the chosen one.
 * @throws HeadroomError BAD_ARGUMENT for invalid input
 */
export function planServing(request: ServingRequest): ServingPlan {
  validate(request);
  const shape = request.shape;
  const maxModelLen = request.maxModelLen ?? defaultMaxModelLen(shape);
  const formats = {
    ...(request.weightsFormat ? { weightsFormat: request.weightsFormat } : {}),
    ...(request.kvFormat ? { kvFormat: request.kvFormat } : {}),
  };
  const warnings: string[] = [];
  let deployment: Deployment | null = null;
  let setups: readonly ServingSetup[] = [];
  let rejected: readonly RejectedSetup[] = [];
  const rate = request.requestsPerSecond;
  if (request.setup) {
    const { device, tensorParallel } = request.setup;
    deployment = planDeployment({
      model: request.model,
      devices: Array.from({ length: tensorParallel }, () => device),
      engine: request.engine,
      maxModelLen,
      ...formats,
    });
    if (rate !== undefined) {
      const found = searchSetups({
        model: request.model,
        devices: [device],
        engine: request.engine,
        workload: { ...shape, requestsPerSecond: rate, targets: request.targets },
        maxModelLen,
        maxGpus: Number.MAX_SAFE_INTEGER,
        tensorParallel: [tensorParallel],
        ...formats,
        ...(request.pricesUsdPerHour ? { pricesUsdPerHour: request.pricesUsdPerHour } : {}),
      });
      setups = found.setups;
      rejected = found.rejected;
    }
  } else if (rate !== undefined) {
    const found = searchSetups({
      model: request.model,
      devices: request.candidates!,
      engine: request.engine,
      workload: { ...shape, requestsPerSecond: rate, targets: request.targets },
      maxModelLen,
      maxGpus: request.maxGpus,
      ...formats,
      ...(request.pricesUsdPerHour ? { pricesUsdPerHour: request.pricesUsdPerHour } : {}),
    });
    setups = found.setups;
    rejected = found.rejected;
    deployment = found.bestDeployment;
  } else {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      'Searching device types needs a workload: give the request rate (or one setup).',
    );
  }
  const setup = setups[0] ?? null;
  let maxSequences = 1;
  if (deployment?.fits === true) {
    const started = startedDeployment(deployment, shape, request.targets);
    deployment = started.deployment;
    maxSequences = started.maxSequences;
  }
  const fits = deployment?.fits === true;
  const curve = deployment && fits ? loadCurve(deployment, shape) : [];
  const breaks: TargetBreaks =
    deployment && fits
      ? targetBreaks(deployment, shape, request.targets)
      : { ttftConcurrency: null, tpotConcurrency: null };
  const best = deployment && fits ? maxRateWithinTargets(deployment, shape, request.targets) : null;
  if (deployment && fits && rate !== undefined && setup === null) {
    const alone = loadAtRate(deployment, shape, rate);
    warnings.push(
      alone
        ? 'This setup does not hold the workload within the targets.'
        : 'This setup cannot keep up with the workload: requests would queue without end.',
    );
  }
  if (!deployment) warnings.push('No setup holds the workload within the targets.');
  else if (!fits) warnings.push(`The model does not fit: ${deployment.plan.verdict.reason}`);
  const launch = deployment && fits ? launchFor(deployment, maxSequences, request) : null;
  const scenario = deployment?.plan.scenario;
  return {
    schema: SERVING_SCHEMA,
    model: {
      id: request.model.id,
      name: request.model.displayName,
      params: request.model.params,
    },
    engine: request.engine,
    weightsFormat:
      scenario?.weightsFormat ?? request.weightsFormat ?? request.model.publishedFormat,
    kvFormat: scenario?.kvFormat ?? request.kvFormat ?? '',
    maxModelLen,
    workload: { ...shape, requestsPerSecond: rate ?? null, targets: request.targets },
    setup,
    deployment: deployment ? deploymentSummary(deployment, shape) : null,
    maxRequestsPerSecondPerReplica: best?.requestsPerSecond ?? null,
    curve,
    breaks,
    setups,
    rejected,
    launch,
    accuracy: FORMULA_ONLY,
    memoryAccuracy: deployment?.plan.accuracy ?? null,
    assumptions: servingAssumptions(request, deployment),
    warnings: [...warnings, ...(deployment?.plan.warnings ?? [])],
  };
}
