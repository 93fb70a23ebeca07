import type { PlanRequest } from '../bridge';
import { cpuDevice } from '../devices/cpu';
import type { DeviceSpec } from '../devices/types';
import type { ModelSpec } from '../models/types';
import { defaultKvFormat } from '../memory/kv-cache';
import type { MmprojFile } from './inference-input';
import { planInference, type InferencePlanInput } from './inference-plan';
import { requireCatalogModel, resolvePlanTargets, type DeviceResolver } from './lookups';
import { MTP_DRAFT } from './draft-choice';
import { fitAnswer } from './fit-answer';
import { solve } from './search';
import type { InferencePlan } from './types';

/**
 * A request as the faces hold it; the CLI may carry a model (and a draft model) it imported from
 * a file, and the mmproj file it read (`--mmproj`).
 */
export type ResolvedPlanRequest = PlanRequest & {
  readonly model?: ModelSpec;
  readonly draftModel?: ModelSpec;
  readonly mmproj?: MmprojFile;
};

/** The draft model a request names: imported by the CLI, else a catalog id; none for `mtp`. */
function draftModelOf(request: ResolvedPlanRequest): ModelSpec | undefined {
  if (request.draftModel) return request.draftModel;
  if (request.draft === undefined || request.draft === MTP_DRAFT) return undefined;
  return requireCatalogModel(request.draft);
}

/** Resolves a request's ids into a plan input, with the same errors the CLI gives. */
export function planInputFromRequest(
  request: ResolvedPlanRequest,
  resolveDevice?: DeviceResolver,
): InferencePlanInput {
  const { model, devices } = resolvePlanTargets(request, resolveDevice);
  const weightsFormat = request.weightsFormat ?? model.publishedFormat;
  const moeOffloadLayers =
    request.moeOffload === 'all' ? (model.architecture?.layers ?? 0) : request.moeOffload;
  const draft = draftModelOf(request);
  const draftName = draft?.id ?? request.draft;
  return {
    model,
    devices,
    ...(draft ? { draft } : {}),
    ...(request.mmproj ? { mmproj: request.mmproj } : {}),
    ...(request.host ? { host: hostDevice(request.host) } : {}),
    unit: request.unit,
    scenario: {
      mode: 'inference',
      weightsFormat,
      kvFormat: request.kvFormat ?? defaultKvFormat(request.engine, weightsFormat),
      contextTokens: request.contextTokens,
      batch: request.batch,
      engine: request.engine,
      marginFraction: request.marginFraction,
      ...(moeOffloadLayers ? { moeOffloadLayers } : {}),
      ...(request.swaFull ? { swaFull: true } : {}),
      ...(request.dataParallel !== undefined && request.dataParallel !== 1
        ? { dataParallel: request.dataParallel }
        : {}),
      ...(request.expertParallel ? { expertParallel: true } : {}),
      ...(request.images ? { images: request.images } : {}),
      ...(request.mmproj ? { mmprojFile: request.mmproj.fileName } : {}),
      ...(draftName !== undefined ? { draft: draftName } : {}),
      ...(request.draftTokens !== undefined ? { draftTokens: request.draftTokens } : {}),
    },
  };
}

/** Cores assumed for a host given only by its RAM: a current 32-core server socket. */
const DEFAULT_HOST_CORES = 32;

/** The host (system RAM as a CPU device) a request describes. */
function hostDevice(host: NonNullable<ResolvedPlanRequest['host']>): DeviceSpec {
  return cpuDevice({
    id: 'host',
    name: 'System RAM',
    memoryBytes: host.memoryBytes,
    cores: host.cores ?? DEFAULT_HOST_CORES,
    flags: ['avx2', 'fma'],
    ...(host.bandwidthBytesPerSecond !== undefined
      ? { bandwidthBytesPerSecond: host.bandwidthBytesPerSecond }
      : {}),
  });
}

/** A plan for a bridge request, with any searches it asks for folded into `solution`. */
export function planFromRequest(
  request: ResolvedPlanRequest,
  resolveDevice?: DeviceResolver,
): InferencePlan {
  const input = planInputFromRequest(request, resolveDevice);
  const plan = planInference(input);
  const targets = request.solve ?? [];
  if (targets.length === 0 && !request.answer) return plan;
  const solution = Object.assign(
    {},
    ...targets.map((target) => solve(target, input, plan)),
    request.answer ? { fitAnswer: fitAnswer(input, request.answer.engine) } : {},
  );
  return { ...plan, solution };
}
