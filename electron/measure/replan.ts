/**
 * Re-plans a measured run with its own settings, through the same flags and functions as
 * `headroom plan` (addPlanOptions → planFromOptions), so that the comparison is the CLI's plan.
 */
import { Command } from 'commander';
import { comparePlan, type CategoryComparison } from '../../core/measure/compare';
import { applyCorrections, type MemoryCorrection } from '../../core/measure/corrections';
import type { MeasureEngine } from '../../core/measure/types';
import type { Plan } from '../../core/plan/types';
import { configPathFor } from '../calibration/measured-comparison';
import { inferenceRunArgs, trainingRunArgs } from '../calibration/measured-run-args';
import { addPlanOptions, type PlanOptions } from '../cli/plan-flags';
import { planFromOptions } from '../cli/plan-options';
import type { StoredRun } from './store';

/** The `headroom plan` engine of a measured run's engine (Ollama runs llama.cpp). */
const PLAN_ENGINE: Readonly<Record<MeasureEngine, string | null>> = {
  vllm: 'vllm',
  sglang: 'sglang',
  'llama.cpp': 'llama.cpp',
  ollama: 'llama.cpp',
  transformers: 'transformers',
  'pytorch-training': null,
  unknown: null,
};

/** Where a run's model config comes from: measure_gpu.py runs name a config folder. */
interface ReplanOptions {
  /** A folder of `org__name.json` / `org__name/config.json` (../shared/data/hf-configs). */
  readonly configDir?: string;
}

/** The plan flags for a run, or why it cannot be planned. */
function runPlanArgs(
  run: StoredRun,
  options: ReplanOptions = {},
): { args: string[] } | { skipped: string } {
  if (!run.deviceId) {
    return { skipped: 'no catalog device: import it again with --device <id>' };
  }
  if (run.calibration) {
    const model = {
      configPath:
        options.configDir !== undefined
          ? configPathFor(options.configDir, run.calibration.modelId)
          : (run.modelRef ?? run.calibration.modelId),
    };
    const args =
      run.calibration.kind === 'inference'
        ? inferenceRunArgs(run.calibration, model, run.deviceId)
        : trainingRunArgs(run.calibration, model, run.deviceId);
    return { args: args.filter((arg) => arg !== 'plan' && arg !== '--json') };
  }
  const model = run.modelRef ?? run.model;
  if (!model) return { skipped: 'the log names no model: import it again with --model <id|path>' };
  const engine = PLAN_ENGINE[run.engine];
  if (!engine) return { skipped: `no plan engine for ${run.engine}: import it with --engine` };
  const settings = run.settings;
  if (settings.contextTokens === undefined) {
    return { skipped: 'the log states no context length' };
  }
  const args = ['--model', model, '--device', run.deviceId, '--engine', engine];
  if (run.deviceCount > 1) args.push('--gpus', String(run.deviceCount));
  args.push('--context', String(settings.contextTokens), '--batch', String(settings.batch ?? 1));
  if (settings.weightsFormat) args.push('--weights', settings.weightsFormat);
  if (settings.kvFormat) args.push('--kv', settings.kvFormat);
  return { args };
}

/** Plans one set of `headroom plan` flags in this process, exactly as the command does. */
export async function planForArgs(args: readonly string[]): Promise<Plan> {
  const command = addPlanOptions(new Command('plan'))
    .option('--json')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  command.parse([...args], { from: 'user' });
  return planFromOptions(command.opts<PlanOptions>(), command);
}

/** One run held against its plan. */
export interface RunComparison {
  readonly run: StoredRun;
  readonly args: readonly string[] | null;
  readonly skipped: string | null;
  readonly plan: Plan | null;
  readonly comparisons: readonly CategoryComparison[];
}

/** Each run re-planned and compared; with `corrections`, the corrected plans. */
export async function compareRuns(
  runs: readonly StoredRun[],
  options: ReplanOptions & { readonly corrections?: readonly MemoryCorrection[] } = {},
): Promise<RunComparison[]> {
  const results: RunComparison[] = [];
  for (const run of runs) {
    const planned = runPlanArgs(run, options);
    if ('skipped' in planned) {
      results.push({ run, args: null, skipped: planned.skipped, plan: null, comparisons: [] });
      continue;
    }
    let plan = await planForArgs(planned.args);
    if (options.corrections) plan = applyCorrections(plan, options.corrections);
    results.push({
      run,
      args: planned.args,
      skipped: null,
      plan,
      comparisons: comparePlan(run, plan),
    });
  }
  return results;
}
