import type { DeviceSpec } from '../devices/types';
import type { ModelSpec } from '../models/types';
import { costPerMillionTokens } from './cost';
import { planDeployment, type Deployment, type ServingEngine } from './deployment';
import {
  kvConcurrencyLimit,
  loadAtRate,
  maxRateWithinTargets,
  type LatencyTargets,
  type LoadPoint,
  type RequestShape,
} from './load';

/** What the server must hold: requests/s of a shape, within latency targets. */
export interface Workload extends RequestShape {
  readonly requestsPerSecond: number;
  readonly targets: LatencyTargets;
}

/** Tensor-parallel degrees vLLM is run with (a power of two dividing the attention heads). */
const TENSOR_PARALLEL_DEGREES = [1, 2, 4, 8] as const;

/** One way to hold the workload: replicas of a tensor-parallel group of one device type. */
export interface ServingSetup {
  readonly device: string;
  readonly deviceName: string;
  /** GPUs in all: replicas × tensorParallel. */
  readonly gpus: number;
  readonly tensorParallel: number;
  readonly replicas: number;
  /** Requests/s one replica holds within the targets. */
  readonly maxRequestsPerSecondPerReplica: number;
  /** One replica at its share of the workload. */
  readonly perReplica: LoadPoint;
  /** Requests in flight per replica the KV cache holds (at the mean lengths). */
  readonly kvConcurrencyLimit: number;
  /** USD per hour of all its GPUs; null without a price for the device. */
  readonly costPerHourUsd: number | null;
  /** USD per million generated tokens at the workload's rate; null without a price. */
  readonly costPerMillionOutputTokensUsd: number | null;
  /** USD per million generated tokens with every replica at its most within the targets. */
  readonly costPerMillionOutputTokensAtCapacityUsd: number | null;
}

interface SetupSearchInput {
  readonly model: ModelSpec;
  readonly devices: readonly DeviceSpec[];
  readonly engine: ServingEngine;
  readonly workload: Workload;
  readonly maxModelLen: number;
  /** Most GPUs a setup may use in all. */
  readonly maxGpus: number;
  /** Tensor-parallel degrees to try; absent: 1, 2, 4, 8 up to maxGpus. */
  readonly tensorParallel?: readonly number[];
  readonly weightsFormat?: string;
  readonly kvFormat?: string;
  /** USD per hour per GPU, by device id (the user's prices). */
  readonly pricesUsdPerHour?: Readonly<Record<string, number>>;
}

/** A candidate that cannot hold the workload, and why (for the faces to list). */
export interface RejectedSetup {
  readonly device: string;
  readonly tensorParallel: number;
  readonly reason: string;
}

interface SetupSearchResult {
  /** Setups that hold the workload, best first. */
  readonly setups: readonly ServingSetup[];
  readonly rejected: readonly RejectedSetup[];
  /** The replica deployment of the best setup (for its curve and launch settings). */
  readonly bestDeployment: Deployment | null;
}

/** Why a tensor-parallel degree cannot split this model (vLLM asserts heads % tp == 0). */
function splitProblem(model: ModelSpec, tensorParallel: number): string | null {
  const heads = model.architecture?.attentionHeads;
  if (heads !== undefined && heads % tensorParallel !== 0)
    return `${heads} attention heads do not divide over ${tensorParallel} GPUs`;
  return null;
}

/** Cheaper first when priced (priced before unpriced), then fewer GPUs, then more spare rate. */
function compareSetups(a: ServingSetup, b: ServingSetup): number {
  const ca = a.costPerHourUsd ?? Infinity;
  const cb = b.costPerHourUsd ?? Infinity;
  if (ca !== cb) return ca - cb;
  if (a.gpus !== b.gpus) return a.gpus - b.gpus;
  const spareA = a.maxRequestsPerSecondPerReplica * a.replicas;
  const spareB = b.maxRequestsPerSecondPerReplica * b.replicas;
  if (spareA !== spareB) return spareB - spareA;
  return a.device < b.device ? -1 : a.device > b.device ? 1 : a.tensorParallel - b.tensorParallel;
}

/**
 * Every device type × tensor-parallel degree × replica count that holds the workload within
 * the targets on at most `maxGpus` GPUs, ranked by cost per hour (then GPUs).
 */
export function searchSetups(input: SetupSearchInput): SetupSearchResult {
  const { workload } = input;
  const degrees = (input.tensorParallel ?? TENSOR_PARALLEL_DEGREES).filter(
    (tp) => tp <= input.maxGpus,
  );
  const setups: { setup: ServingSetup; deployment: Deployment }[] = [];
  const rejected: RejectedSetup[] = [];
  for (const device of input.devices) {
    for (const tensorParallel of degrees) {
      const problem = splitProblem(input.model, tensorParallel);
      if (problem) {
        rejected.push({ device: device.id, tensorParallel, reason: problem });
        continue;
      }
      const deployment = planDeployment({
        model: input.model,
        devices: Array.from({ length: tensorParallel }, () => device),
        engine: input.engine,
        maxModelLen: input.maxModelLen,
        ...(input.weightsFormat ? { weightsFormat: input.weightsFormat } : {}),
        ...(input.kvFormat ? { kvFormat: input.kvFormat } : {}),
      });
      if (!deployment.fits) {
        rejected.push({
          device: device.id,
          tensorParallel,
          reason: deployment.plan.verdict.reason,
        });
        continue;
      }
      const best = maxRateWithinTargets(deployment, workload, workload.targets);
      if (!best) {
        rejected.push({
          device: device.id,
          tensorParallel,
          reason: 'not even one request at a time meets the TTFT and TPOT targets',
        });
        continue;
      }
      const replicas = Math.ceil(workload.requestsPerSecond / best.requestsPerSecond - 1e-9);
      const gpus = replicas * tensorParallel;
      if (gpus > input.maxGpus) {
        rejected.push({
          device: device.id,
          tensorParallel,
          reason: `needs ${gpus} GPUs (${replicas} replicas of ${best.requestsPerSecond.toFixed(2)} requests/s), more than ${input.maxGpus}`,
        });
        continue;
      }
      const perReplica = loadAtRate(deployment, workload, workload.requestsPerSecond / replicas);
      if (!perReplica) continue;
      const price = input.pricesUsdPerHour?.[device.id];
      const costPerHourUsd = price === undefined ? null : price * gpus;
      setups.push({
        deployment,
        setup: {
          device: device.id,
          deviceName: device.name,
          gpus,
          tensorParallel,
          replicas,
          maxRequestsPerSecondPerReplica: best.requestsPerSecond,
          perReplica,
          kvConcurrencyLimit: kvConcurrencyLimit(deployment, workload),
          costPerHourUsd,
          costPerMillionOutputTokensUsd:
            costPerHourUsd === null
              ? null
              : costPerMillionTokens(
                  costPerHourUsd,
                  workload.requestsPerSecond * workload.outputTokens,
                ),
          costPerMillionOutputTokensAtCapacityUsd:
            costPerHourUsd === null
              ? null
              : costPerMillionTokens(costPerHourUsd, best.outputTokensPerSecond * replicas),
        },
      });
    }
  }
  setups.sort((a, b) => compareSetups(a.setup, b.setup));
  return {
    setups: setups.map((entry) => entry.setup),
    rejected,
    bestDeployment: setups[0]?.deployment ?? null,
  };
}
