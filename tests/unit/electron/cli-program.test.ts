import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  bashCompletion,
  completionTree,
  fishCompletion,
  zshCompletion,
} from '../../../electron/cli/completion-command';
import { buildProgram, commandsToLoad, COMMANDS } from '../../../electron/cli/program';
import { runHeadroom } from '../../helpers/run-command';

describe('the headroom command tree, loaded lazily (issue 15)', () => {
  it('loads only the command a command line names, none for --version', () => {
    expect(commandsToLoad(['plan', '--model', 'x'])).toEqual(['plan']);
    expect(commandsToLoad(['report', '--help'])).toEqual(['report']);
    expect(commandsToLoad(['help', 'quant'])).toEqual(['quant']);
    expect(commandsToLoad(['--version'])).toEqual([]);
    expect(commandsToLoad(['plna'])).toEqual([]);
    expect(commandsToLoad(undefined)).toEqual(Object.keys(COMMANDS));
  });

  it('lists every command in --help with the summary the loaded command has', async () => {
    const loaded = await buildProgram();
    const listed = await buildProgram(['--help']);
    const summaries = (program: typeof loaded): [string, string][] =>
      program.commands.map((command) => [
        command.name(),
        command.summary() || command.description(),
      ]);
    expect(summaries(listed)).toEqual(summaries(loaded));
    // Only `plan` carries its flags when `plan` runs; the rest are names and summaries.
    const forPlan = await buildProgram(['plan']);
    const flags = (name: string): number =>
      forPlan.commands.find((command) => command.name() === name)!.options.length;
    expect(flags('plan')).toBeGreaterThan(20);
    expect(flags('quant')).toBe(0);
  });
});

describe('headroom completion bash|zsh|fish', () => {
  it('completes commands, flags and their choices in each shell', async () => {
    const tree = completionTree(await buildProgram());
    const plan = tree.find((command) => command.name === 'plan')!;
    expect(plan.flags.find((flag) => flag.long === '--checkpointing')?.choices).toEqual([
      'none',
      'selective',
      'full',
    ]);

    const bash = bashCompletion(tree);
    expect(bash).toContain('complete -o default -F _headroom headroom');
    expect(bash).toContain(
      `"plan --checkpointing") COMPREPLY=($(compgen -W 'none selective full' -- "$cur")); return ;;`,
    );
    expect(spawnSync('bash', ['-n'], { input: bash }).status).toBe(0);

    const zsh = zshCompletion(tree);
    expect(zsh.startsWith('#compdef headroom\n')).toBe(true);
    expect(zsh).toMatch(/'--checkpointing\[[^\]]*\]:checkpointing:\(none selective full\)'/);
    expect(zsh).toMatch(/'\*--device\[/);

    const fish = fishCompletion(tree);
    expect(fish).toContain(
      "complete -c headroom -n '__fish_seen_subcommand_from plan' -l checkpointing -x -a 'none selective full'",
    );
    expect(fish).toContain('complete -c headroom -n __fish_use_subcommand -a quant');
  });

  it('names the shells it knows when given another', async () => {
    const result = await runHeadroom(['completion', 'tcsh']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'headroom: headroom completion writes scripts for bash, zsh, fish, not "tcsh".',
    );
  });
});

describe('--batch in training mode', () => {
  it('is taken as --micro-batch, with a note on stderr', async () => {
    const args = ['plan', '--mode', 'training', '--params', '1B', '--device', 'nvidia-rtx-4090'];
    const result = await runHeadroom([...args, '--batch', '4', '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('note: --batch 4 in --mode training is read as --micro-batch 4\n');
    expect(JSON.parse(result.stdout).scenario.microBatch).toBe(4);
    const both = await runHeadroom([...args, '--batch', '4', '--micro-batch', '2']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--batch and --micro-batch both given/);
  });
});
