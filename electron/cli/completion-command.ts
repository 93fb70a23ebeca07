import { Command, Option } from 'commander';
import { HeadroomError } from '../../core/errors';

/** The shells `headroom completion` writes a script for. */
const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** One flag as completion sees it: its long name, whether it takes a value, its choices. */
interface CompletionFlag {
  readonly long: string;
  readonly description: string;
  readonly takesValue: boolean;
  readonly choices: readonly string[];
  readonly repeatable: boolean;
}

/** One subcommand with its flags. */
interface CompletionCommand {
  readonly name: string;
  readonly summary: string;
  readonly flags: readonly CompletionFlag[];
}

function flagOf(option: Option): CompletionFlag | null {
  if (option.long === undefined || option.hidden) return null;
  return {
    long: option.long,
    description: firstLine(option.description),
    takesValue: option.required || option.optional,
    choices: option.argChoices ?? [],
    repeatable: option.variadic || /repeatable/i.test(option.description),
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/** The command tree of a program, as completion scripts need it. */
export function completionTree(program: Command): CompletionCommand[] {
  return program.commands.map((command) => ({
    name: command.name(),
    summary: firstLine(command.summary() || command.description()),
    flags: [
      ...command.options.map(flagOf).filter((flag) => flag !== null),
      {
        long: '--help',
        description: 'show help',
        takesValue: false,
        choices: [],
        repeatable: false,
      },
    ],
  }));
}

const shellWord = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** bash: `source <(headroom completion bash)`, or save it in /etc/bash_completion.d/headroom. */
export function bashCompletion(tree: readonly CompletionCommand[]): string {
  const names = tree.map((command) => command.name).join(' ');
  const valueCases: string[] = [];
  const flagCases: string[] = [];
  for (const command of tree) {
    for (const flag of command.flags.filter((f) => f.takesValue)) {
      const reply =
        flag.choices.length > 0
          ? `COMPREPLY=($(compgen -W ${shellWord(flag.choices.join(' '))} -- "$cur"))`
          : 'COMPREPLY=()';
      valueCases.push(`    "${command.name} ${flag.long}") ${reply}; return ;;`);
    }
    const flags = command.flags.map((flag) => flag.long).join(' ');
    flagCases.push(
      `    ${command.name}) COMPREPLY=($(compgen -W ${shellWord(flags)} -- "$cur")) ;;`,
    );
  }
  return [
    '# headroom completion for bash: source <(headroom completion bash)',
    '_headroom() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=($(compgen -W '${names} help --help --version' -- "$cur")); return`,
    '  fi',
    '  case "${COMP_WORDS[1]} $prev" in',
    ...valueCases,
    '  esac',
    '  [[ "$cur" == -* ]] || return',
    '  case "${COMP_WORDS[1]}" in',
    ...flagCases,
    '  esac',
    '}',
    'complete -o default -F _headroom headroom',
    '',
  ].join('\n');
}

/** zsh: `source <(headroom completion zsh)`, or save it as _headroom on $fpath. */
export function zshCompletion(tree: readonly CompletionCommand[]): string {
  const escape = (text: string): string => text.replace(/[[\]:\\]/g, '\\$&').replace(/'/g, "'\\''");
  const commands = tree.map((command) => `    '${command.name}:${escape(command.summary)}'`);
  const cases = tree.map((command) => {
    const specs = command.flags.map((flag) => {
      const repeat = flag.repeatable ? '*' : '';
      const value = !flag.takesValue
        ? ''
        : flag.choices.length > 0
          ? `:${flag.long.slice(2)}:(${flag.choices.map(escape).join(' ')})`
          : `:${flag.long.slice(2)}:_files`;
      return `'${repeat}${flag.long}[${escape(flag.description)}]${value}'`;
    });
    return `    ${command.name}) _arguments -s ${specs.join(' ')} ;;`;
  });
  return [
    '#compdef headroom',
    '# headroom completion for zsh: source <(headroom completion zsh)',
    '_headroom() {',
    '  local -a commands',
    '  commands=(',
    ...commands,
    '  )',
    '  if (( CURRENT == 2 )); then _describe command commands; return; fi',
    '  words=("${(@)words[2,-1]}"); (( CURRENT-- ))',
    '  case $words[1] in',
    ...cases,
    '  esac',
    '}',
    'if [ "$funcstack[1]" = "_headroom" ]; then _headroom "$@"; else compdef _headroom headroom; fi',
    '',
  ].join('\n');
}

/** fish: `headroom completion fish > ~/.config/fish/completions/headroom.fish`. */
export function fishCompletion(tree: readonly CompletionCommand[]): string {
  const quote = (text: string): string => `'${text.replace(/[\\']/g, '\\$&')}'`;
  const lines = [
    '# headroom completion for fish: headroom completion fish > ~/.config/fish/completions/headroom.fish',
    'complete -c headroom -f',
    `complete -c headroom -n __fish_use_subcommand -l version -d 'print the Headroom version'`,
  ];
  for (const command of tree) {
    lines.push(
      `complete -c headroom -n __fish_use_subcommand -a ${command.name} -d ${quote(command.summary)}`,
    );
    const when = `-n '__fish_seen_subcommand_from ${command.name}'`;
    for (const flag of command.flags) {
      const value = !flag.takesValue
        ? ''
        : flag.choices.length > 0
          ? ` -x -a ${quote(flag.choices.join(' '))}`
          : ' -r -F';
      lines.push(
        `complete -c headroom ${when} -l ${flag.long.slice(2)}${value} -d ${quote(flag.description)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The completion script for a shell. */
function completionScript(shell: CompletionShell, tree: readonly CompletionCommand[]): string {
  if (shell === 'bash') return bashCompletion(tree);
  if (shell === 'zsh') return zshCompletion(tree);
  return fishCompletion(tree);
}

/** `headroom completion bash|zsh|fish`: prints the script that completes commands, flags and choices. */
export function completionCommand(): Command {
  return new Command('completion')
    .summary('Print a shell completion script: headroom completion bash|zsh|fish.')
    .description(
      'Print a shell completion script for commands, flags and their choices.\n' +
        '  bash: source <(headroom completion bash)\n' +
        '  zsh:  source <(headroom completion zsh)\n' +
        '  fish: headroom completion fish > ~/.config/fish/completions/headroom.fish',
    )
    .argument('<shell>', `the shell: ${COMPLETION_SHELLS.join(', ')}`)
    .action(async (shell: string) => {
      if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
        throw new HeadroomError(
          'BAD_ARGUMENT',
          `headroom completion writes scripts for ${COMPLETION_SHELLS.join(', ')}, not "${shell}".`,
        );
      }
      const { buildProgram } = await import('./program');
      const tree = completionTree(await buildProgram());
      process.stdout.write(completionScript(shell as CompletionShell, tree));
    });
}
