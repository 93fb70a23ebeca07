/**
 * The `headroom serve-plan` command that reproduces a serving plan's chosen replica: the
 * workload, the targets and the one setup (device and tensor-parallel size), each as the flag
 * that sets it, so the launch settings of a serving plan name exactly where they come from.
 */
import type { Deployment } from '../serving/deployment';
import { shellQuote } from '../shell';
import type { ServingRequest } from '../serving/serving-plan';

export function servePlanCommandLine(request: ServingRequest, deployment: Deployment): string {
  const { shape, targets } = request;
  const scenario = deployment.plan.scenario;
  const flags = [
    '--model',
    request.model.id,
    '--engine',
    request.engine,
    '--weights',
    scenario.weightsFormat,
    '--kv',
    scenario.kvFormat,
    '--prompt',
    String(shape.promptTokens),
    ...(shape.promptTokensP90 !== undefined ? ['--prompt-p90', String(shape.promptTokensP90)] : []),
    '--output',
    String(shape.outputTokens),
    ...(shape.outputTokensP90 !== undefined ? ['--output-p90', String(shape.outputTokensP90)] : []),
    ...(request.requestsPerSecond !== undefined
      ? ['--rate', String(request.requestsPerSecond)]
      : []),
    '--ttft',
    String(targets.ttftSeconds),
    '--tpot',
    String(targets.tpotSeconds),
    '--context',
    String(deployment.input.maxModelLen),
    '--device',
    deployment.input.devices[0]!.id,
    '--gpus',
    String(deployment.input.devices.length),
  ];
  return ['headroom', 'serve-plan', ...flags].map(shellQuote).join(' ');
}
