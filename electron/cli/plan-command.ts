import { resolve } from 'node:path';
import { Command } from 'commander';
import { addPlanOptions, type PlanOptions } from './plan-flags';
import { planFromOptions } from './plan-options';
import { renderPlan } from './render-plan';
import type { Plan } from '../../core/plan/types';

/** The plan with this machine's corrections (stored, or from a file), loaded only when asked. */
async function correctedPlan(plan: Plan, file: string | undefined): Promise<Plan> {
  const { applyCorrections } = await import('../../core/measure/corrections');
  const store = await import('../measure/store');
  const corrections = file
    ? await store.readCorrectionsFile(resolve(file))
    : await store.readCorrections();
  return applyCorrections(plan, corrections);
}

/** `headroom plan`: memory, verdict and speed for one model, scenario and set of devices. */
export function planCommand(): Command {
  const command = new Command('plan').description(
    'Plan memory and speed for a model on devices (inference or training).',
  );
  return addPlanOptions(command)
    .option('--json', 'print one JSON document (schema headroom.plan/v1)')
    .option('--fail-if-no-fit', 'exit 1 when the plan does not fit entirely on the devices')
    .option(
      '--corrections',
      "apply this machine's corrections from measured runs (headroom measure corrections)",
    )
    .option('--corrections-file <file>', 'apply the corrections in this file')
    .action(
      async (
        options: PlanOptions & {
          json?: boolean;
          failIfNoFit?: boolean;
          corrections?: boolean;
          correctionsFile?: string;
        },
        self: Command,
      ) => {
        let plan = await planFromOptions(options, self);
        if (options.corrections || options.correctionsFile) {
          plan = await correctedPlan(plan, options.correctionsFile);
        }
        process.stdout.write(
          options.json
            ? `${JSON.stringify(plan, null, 2)}\n`
            : `${renderPlan(plan, options.unit)}\n`,
        );
        if (options.failIfNoFit && plan.verdict.fits !== true) process.exitCode = 1;
      },
    );
}
