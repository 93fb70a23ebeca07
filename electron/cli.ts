/**
 * The terminal face: `npm run -s headroom -- <command>` in a checkout, `headroom` when installed.
 * Exit codes (README "Exit codes"): 0 success, 1 no fit with --fail-if-no-fit, 2 bad input,
 * 3 an unexpected error (electron/cli/run-cli.ts).
 */
import { reportThrown } from './services/unexpected-error';
import { runCli } from './cli/run-cli';

export { runCli };

/** Anything that escapes the command (a stray rejection, a throw in a callback) ends the same way. */
function exitUnexpected(thrown: unknown): void {
  process.exitCode = reportThrown('headroom', thrown, (text) => process.stderr.write(text));
  process.exit();
}
process.on('uncaughtException', exitUnexpected);
process.on('unhandledRejection', exitUnexpected);
// `headroom models | head -1` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  else exitUnexpected(error);
});

process.exitCode = await runCli(process.argv.slice(2));
