import { Command } from 'commander';
import { APP_VERSION } from '../services/app-version';

/** One subcommand: its one-line summary (for `headroom --help`) and how to load it. */
interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

/**
 * Every `headroom` subcommand. Each lives in its own module under electron/cli/ and is imported
 * only when that command runs (STYLE.md 15: a `plan` never loads the quant lab or detection);
 * `headroom --help` lists them from the summaries here, which a test pins to the commands'.
 */
export const COMMANDS = {
  plan: {
    summary: 'Plan memory and speed for a model on devices (inference or training).',
    load: async () => (await import('./plan-command')).planCommand(),
  },
  models: {
    summary: 'List the catalog models (Hugging Face ids).',
    load: async () => (await import('./catalog-commands')).modelsCommand(),
  },
  devices: {
    summary: 'List the catalog devices (GPUs, Apple Silicon, CPU).',
    load: async () => (await import('./catalog-commands')).devicesCommand(),
  },
  formats: {
    summary: 'List the number formats with their bits per weight (block overhead included).',
    load: async () => (await import('./catalog-commands')).formatsCommand(),
  },
  detect: {
    summary: 'Detect the GPUs (with free memory) and the CPU/RAM of this machine.',
    load: async () => (await import('./detect-command')).detectCommand(),
  },
  inspect: {
    summary:
      'Show the model Headroom reads from a folder, config.json, .safetensors, index, .gguf, catalog id or Hub repo.',
    load: async () => (await import('./inspect-command')).inspectCommand(),
  },
  report: {
    summary:
      'Write a fit report: plans compared side by side with the hardware, the model, every number and its assumption (json, csv, md, html, pdf).',
    load: async () => (await import('./report-command')).reportCommand(),
  },
  launch: {
    summary:
      'Print the engine settings that run a plan: vllm serve, sglang.launch_server or llama-server arguments, an Ollama Modelfile, a DeepSpeed or accelerate FSDP config, a BitsAndBytesConfig, a torchrun command.',
    load: async () => (await import('./launch-command')).launchCommand(),
  },
  'serve-plan': {
    summary:
      'Plan serving: KV capacity and concurrency of a deployment, TTFT/TPOT under load, and the cheapest GPUs that hold a workload.',
    load: async () => (await import('./serve-plan-command')).servePlanCommand(),
  },
  quant: {
    summary:
      'Quantize numbers and measure the error: absmax, zero-point, block-wise, LLM.int8, NF4/FP4, GGUF.',
    load: async () => (await import('./quant-command')).quantCommand(),
  },
  measure: {
    summary:
      'Import what a real engine reported (vLLM, SGLang, llama.cpp, Ollama, llama-bench, nvidia-smi, measure_gpu.py), compare it with the plans, and correct plans for this machine.',
    load: async () => (await import('./measure-command')).measureCommand(),
  },
  completion: {
    summary: 'Print a shell completion script: headroom completion bash|zsh|fish.',
    load: async () => (await import('./completion-command')).completionCommand(),
  },
} as const satisfies Record<string, CommandEntry>;

type CommandName = keyof typeof COMMANDS;

const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/**
 * The commands a command line needs loaded: the one it names (`headroom plan …`, `headroom help
 * plan`), none for `--version` or `--help`, every one when called without a command line.
 */
export function commandsToLoad(argv?: readonly string[]): CommandName[] {
  if (argv === undefined) return COMMAND_NAMES;
  const words = argv.filter((word) => !word.startsWith('-'));
  const named = words[0] === 'help' ? words[1] : words[0];
  return isCommandName(named) ? [named] : [];
}

/**
 * The `headroom` command. Given a command line, only the subcommand it names is loaded and the
 * rest are listed by name and summary; without one (completion, tests), every command is loaded.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('headroom')
    .description('Will this model fit on this hardware, for this job — and how to make it fit.')
    .version(APP_VERSION, '-V, --version', 'print the Headroom version')
    .showHelpAfterError('(run headroom --help for usage)')
    .exitOverride();
  const load = new Set(commandsToLoad(argv));
  const loaded = await Promise.all(
    COMMAND_NAMES.map((name) =>
      load.has(name) ? COMMANDS[name].load() : placeholder(name, COMMANDS[name].summary),
    ),
  );
  for (const command of loaded) program.addCommand(command);
  return program;
}

/** A command listed in help and known to the "did you mean" of a typo, but not loaded. */
function placeholder(name: string, summary: string): Promise<Command> {
  return Promise.resolve(new Command(name).summary(summary).allowUnknownOption());
}
