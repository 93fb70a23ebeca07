/**
 * What every engine's settings share: the line naming the plan they come from, and the checks
 * that the plan is one the engine can run.
 */
import type { DeviceSpec } from '../devices/types';
import { HeadroomError } from '../errors';
import type { EngineId, InferencePlan, Plan, TrainingPlan } from '../plan/types';
import { planCommandLine } from '../report/plan-command-line';
import { isInferencePlan, isTrainingPlan } from '../report/plan-kind';
import type { LaunchEngine, LaunchInput } from './types';

/**
 * The provenance line (a comment, or a JSON `comment` value): the Headroom version and the
 * `headroom plan` command that reproduces the plan, with its verdict, or the serving plan's
 * command the settings come from.
 */
export function provenance(input: LaunchInput): string {
  if (input.sourceCommand !== undefined)
    return `Headroom ${input.headroomVersion} launch settings for the serving plan \`${input.sourceCommand}\``;
  return `Headroom ${input.headroomVersion} launch settings for the plan \`${planCommandLine(input.plan)}\` (verdict: ${input.plan.verdict.status})`;
}

/** Notes every engine adds when the plan itself says the run will not go as planned. */
export function verdictNotes(plan: Plan): string[] {
  if (plan.verdict.status === 'does-not-fit' || plan.verdict.status === 'no-device')
    return [`The plan does not fit: ${plan.verdict.reason}`];
  if (plan.verdict.status === 'tight') return [`The plan is tight: ${plan.verdict.reason}`];
  return [];
}

/**
 * The inference plan, made for the engine's memory profile.
 * @throws HeadroomError BAD_ARGUMENT for a training plan or one made for another engine
 */
export function requireInferencePlan(
  plan: Plan,
  launch: LaunchEngine,
  engine: EngineId,
): InferencePlan {
  if (!isInferencePlan(plan)) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${launch} settings come from an inference plan, and this one is --mode training.`,
    );
  }
  if (plan.scenario.engine !== engine) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${launch} settings need a plan made with --engine ${engine} (its memory profile), not ${plan.scenario.engine}.`,
    );
  }
  return plan;
}

/**
 * The training plan.
 * @throws HeadroomError BAD_ARGUMENT for an inference plan
 */
export function requireTrainingPlan(plan: Plan, launch: LaunchEngine): TrainingPlan {
  if (!isTrainingPlan(plan)) {
    throw new HeadroomError(
      'BAD_ARGUMENT',
      `${launch} settings come from a training plan: plan with --mode training.`,
    );
  }
  return plan;
}

/**
 * The spec of each device the plan lists per device, in its order.
 * @throws HeadroomError BAD_ARGUMENT when a device spec is missing from the input
 */
export function planDeviceSpecs(input: LaunchInput): DeviceSpec[] {
  const byId = new Map(input.devices.map((device) => [device.id, device]));
  return input.plan.memory.perDevice.map((entry) => {
    const spec = byId.get(entry.device);
    if (!spec) {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        `No device spec for "${entry.device}": launch settings need the plan's devices.`,
      );
    }
    return spec;
  });
}

/** Whether every device of the plan is a GPU-like accelerator (not the CPU with system RAM). */
export function onAccelerators(devices: readonly DeviceSpec[]): boolean {
  return devices.length > 0 && devices.every((device) => device.vendor !== 'cpu');
}
