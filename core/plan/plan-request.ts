import type { PlanRequest } from '../bridge';
import type { ModelSpec } from '../models/types';
import { defaultKvFormat } from '../memory/kv-cache';
import { planInference, type InferencePlanInput } from './inference-plan';
import { resolvePlanTargets, type DeviceResolver } from './lookups';
import { solve } from './search';
import type { InferencePlan } from './types';

/** A request as the faces hold it; the CLI may carry a model it imported from a file. */
export type ResolvedPlanRequest = PlanRequest & { readonly model?: ModelSpec };

/** Resolves a request's ids into a plan input, with the same errors the CLI gives. */
export function planInputFromRequest(
  request: ResolvedPlanRequest,
  resolveDevice?: DeviceResolver,
): InferencePlanInput {
  const { model, devices } = resolvePlanTargets(request, resolveDevice);
  const weightsFormat = request.weightsFormat ?? model.publishedFormat;
  return {
    model,
    devices,
    unit: request.unit,
    scenario: {
      mode: 'inference',
      weightsFormat,
      kvFormat: request.kvFormat ?? defaultKvFormat(request.engine, weightsFormat),
      contextTokens: request.contextTokens,
      batch: request.batch,
      engine: request.engine,
      marginFraction: request.marginFraction,
    },
  };
}

/** A plan for a bridge request, with any searches it asks for folded into `solution`. */
export function planFromRequest(
  request: ResolvedPlanRequest,
  resolveDevice?: DeviceResolver,
): InferencePlan {
  const input = planInputFromRequest(request, resolveDevice);
  const plan = planInference(input);
  if (!request.solve || request.solve.length === 0) return plan;
  const solution = Object.assign({}, ...request.solve.map((target) => solve(target, input, plan)));
  return { ...plan, solution };
}
