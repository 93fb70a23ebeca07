import { Command, Option } from 'commander';
import { HeadroomError } from '../../core/errors';
import {
  LAUNCH_ENGINES,
  LAUNCH_TARGETS,
  launchSettings,
  type LaunchEngine,
} from '../../core/launch';
import { APP_VERSION } from '../services/app-version';
import { writeFileAtomic } from '../services/atomic-write';
import { createLocalDevices } from '../services/local-devices';
import { planDeviceSpecs, plansUseLocalDevices } from '../services/reports';
import { addPlanOptions, type PlanOptions } from './plan-flags';
import { planVariants } from './plan-options';

interface LaunchOptions extends Omit<PlanOptions, 'engine'> {
  engine: LaunchEngine;
  out?: string;
  force?: boolean;
}

/**
 * The plan flags of `headroom plan` except its `--engine` (an inference engine): here
 * `--engine` names the launch target, and the plan's engine follows from it.
 */
function addPlanOptionsButEngine(command: Command): Command {
  for (const option of addPlanOptions(new Command()).options) {
    if (option.long !== '--engine') command.addOption(option);
  }
  return command;
}

/**
 * The plan options for an engine's settings: the mode and inference engine it needs. The
 * launch target given as --engine is consumed here, so the plan sees its engine as implied
 * (source "default"), not as an inference flag typed in training mode.
 */
function planOptionsFor(options: LaunchOptions, command: Command): PlanOptions {
  const launch = options.engine;
  const target = LAUNCH_TARGETS[launch];
  const modeGiven = command.getOptionValueSource('mode') === 'cli';
  let mode = options.mode;
  if (target.mode !== 'either' && target.mode !== mode) {
    if (modeGiven) {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        `--engine ${launch} runs ${target.mode}: leave out --mode ${mode} (or give --mode ${target.mode}).`,
      );
    }
    mode = target.mode;
  }
  const engine = mode === 'inference' ? (target.planEngine ?? 'generic') : 'generic';
  command.setOptionValueWithSource('engine', engine, 'default');
  command.setOptionValueWithSource('mode', mode, modeGiven ? 'cli' : 'default');
  return { ...options, mode, engine };
}

/**
 * `headroom launch --engine vllm|sglang|llama.cpp|ollama|deepspeed|fsdp|bnb|torchrun [plan flags]`:
 * the configuration that runs the plan on that engine (only what the plan determines), on
 * stdout or atomically into --out. Notes on what the file cannot say go to stderr.
 */
export function launchCommand(): Command {
  const command = new Command('launch').description(
    'Print the engine settings that run a plan: vllm serve, sglang.launch_server or llama-server arguments, an Ollama Modelfile, a DeepSpeed or accelerate FSDP config, a BitsAndBytesConfig, a torchrun command.',
  );
  return addPlanOptionsButEngine(command)
    .addOption(
      new Option('--engine <engine>', 'the engine to write settings for')
        .choices(LAUNCH_ENGINES)
        .makeOptionMandatory(),
    )
    .option('--out <file>', 'write the settings to this file (atomically) instead of stdout')
    .option('--force', 'replace --out if it exists')
    .action(async (options: LaunchOptions, self: Command) => {
      // Read before planOptionsFor rewrites the stored `engine` (commander hands out its store).
      const engine = options.engine;
      const planOptions = planOptionsFor(options, self);
      const local = createLocalDevices();
      const {
        plans: [plan],
      } = await planVariants(planOptions, self, [{}], local);
      const detection = plansUseLocalDevices([plan!]) ? await local.detect() : null;
      const devices = planDeviceSpecs([plan!], detection);
      const settings = launchSettings(engine, {
        plan: plan!,
        devices,
        headroomVersion: APP_VERSION,
      });
      for (const note of settings.notes) process.stderr.write(`note: ${note}\n`);
      if (!options.out) {
        process.stdout.write(settings.text);
        return;
      }
      const written = await writeFileAtomic(options.out, settings.text, { force: options.force });
      process.stderr.write(
        `headroom: wrote ${written.path} (${engine} ${settings.syntax}, ${written.bytes} bytes)\n`,
      );
    });
}
