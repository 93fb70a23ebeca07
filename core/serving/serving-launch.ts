/**
 * The replica a serving plan launches: the `--max-num-seqs` (SGLang `--max-running-requests`,
 * llama.cpp `-np`) it writes, the replica planned again as the engine starts with that, and the
 * launch settings.
 */
import { HeadroomError } from '../errors';
import { launchSettings, type LaunchSettings } from '../launch';
import { servePlanCommandLine } from '../report/serve-command-line';
import { planDeployment, vllmMaxNumSeqs, type Deployment } from './deployment';
import {
  kvConcurrencyLimit,
  meanHeldTokens,
  targetBreaks,
  type RequestShape,
  type TargetBreaks,
} from './load';
import type { ServingRequest } from './serving-plan';

/**
 * `--max-num-seqs` (vLLM) or `-np` (llama.cpp): the requests in flight the KV cache holds,
 * and below the first concurrency that breaks a target, so that the engine queues past it.
 */
function maxSequencesSetting(
  deployment: Deployment,
  shape: RequestShape,
  breaks: TargetBreaks,
): number {
  let limit = kvConcurrencyLimit(deployment, shape);
  for (const at of [breaks.ttftConcurrency, breaks.tpotConcurrency]) {
    if (at !== null) limit = Math.min(limit, at - 1);
  }
  return Math.max(1, limit);
}

/**
 * The replica as its launch starts it. vLLM's start-up profile samples `--max-num-seqs`
 * requests and what that takes is not KV cache (core/memory/vllm-sampler.ts): the replica was
 * planned at vLLM's default, and the launch writes what the KV and the targets hold, so it is
 * planned again at that. A setting above the default takes more and can hold fewer: it follows
 * them down. One below it leaves more: the setting rises to what that holds where the larger
 * profile still holds it.
 */
export function startedDeployment(
  planned: Deployment,
  shape: RequestShape,
  targets: ServingRequest['targets'],
): { readonly deployment: Deployment; readonly maxSequences: number } {
  const setting = (deployment: Deployment): number =>
    maxSequencesSetting(deployment, shape, targetBreaks(deployment, shape, targets));
  let deployment = planned;
  let maxSequences = setting(planned);
  // Each round plans at the setting; a lower one frees memory, so three rounds settle it.
  for (let round = 0; round < 3; round++) {
    const plannedFor = vllmMaxNumSeqs(deployment.input);
    if (plannedFor === undefined || plannedFor === maxSequences) break;
    const next = planDeployment({ ...deployment.input, maxNumSeqs: maxSequences });
    if (!next.fits) break;
    const held = setting(next);
    deployment = next;
    if (held < maxSequences) {
      maxSequences = held;
      continue;
    }
    if (held > maxSequences) {
      const more = planDeployment({ ...deployment.input, maxNumSeqs: held });
      if (more.fits && setting(more) >= held) {
        deployment = more;
        maxSequences = held;
      }
    }
    break;
  }
  return { deployment, maxSequences };
}

export function launchFor(
  deployment: Deployment,
  maxSequences: number,
  request: ServingRequest,
): LaunchSettings | null {
  const plan = deployment.plan;
  try {
    const settings = launchSettings(request.engine, {
      plan: { ...plan, scenario: { ...plan.scenario, batch: maxSequences } },
      devices: deployment.input.devices,
      headroomVersion: request.headroomVersion,
      sourceCommand: servePlanCommandLine(request, deployment),
    });
    return {
      ...settings,
      notes: [...settings.notes, launchNote(request, deployment, maxSequences)],
    };
  } catch (thrown) {
    if (thrown instanceof HeadroomError) return null;
    throw thrown;
  }
}

/** What the launch settings' request limit means for this engine. */
function launchNote(request: ServingRequest, deployment: Deployment, maxSequences: number): string {
  const held = Math.round(meanHeldTokens(request.shape));
  switch (request.engine) {
    case 'vllm':
      return `--max-num-seqs ${maxSequences} is the serving plan's: paged KV holds that many requests of the mean length (${held} tokens in flight), not that many of --max-model-len.`;
    case 'sglang':
      return `--max-running-requests ${maxSequences} is the serving plan's: the token pool holds that many requests of the mean length (${held} tokens in flight), not that many of --context-length.`;
    case 'llama.cpp':
      return `-np ${maxSequences} slots of ${deployment.input.maxModelLen} tokens each, from the serving plan.`;
  }
}
