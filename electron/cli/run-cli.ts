import { CommanderError, type Command } from 'commander';
import { EXIT_BAD_INPUT, reportThrown } from '../services/unexpected-error';
import { buildProgram } from './program';
import { withSettingFlagsOnError } from './setting-flags';

/** Where a run writes its errors (the process's stderr; a buffer in tests). */
interface CliErrorOutput {
  readonly stderr: (text: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

const PROCESS_ERRORS: CliErrorOutput = { stderr: (text) => process.stderr.write(text) };

/**
 * Runs one command line and returns its exit code (README "Exit codes"): 0 success, 1 no fit
 * with --fail-if-no-fit, 2 bad input (a HeadroomError or a usage error, one line), 3 anything
 * else (a Headroom bug: one line with a bug-report hint, the stack only with HEADROOM_DEBUG=1).
 *
 * @param argv the arguments after `headroom`
 * @param program the command tree (default: Headroom's, with only the command argv names loaded)
 */
export async function runCli(
  argv: readonly string[],
  given?: Command,
  output: CliErrorOutput = PROCESS_ERRORS,
): Promise<number> {
  try {
    const program = given ?? (await buildProgram(argv));
    // Subcommands inherit exitOverride only when it is set on them; set it everywhere.
    program.exitOverride();
    for (const command of program.commands) command.exitOverride();
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // --help and --version end through here with exit code 0; usage errors are bad input.
      return thrown.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    // Core names the setting to change; the CLI adds the flag that changes it.
    return reportThrown('headroom', withSettingFlagsOnError(thrown), output.stderr, output.env);
  }
}
