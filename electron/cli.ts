/**
 * The terminal face: `npx headroom <command>` in a checkout (after `npm install`), `headroom` when installed.
 * Exit codes (README "Exit codes"): 0 success, 1 no fit with --fail-if-no-fit, 2 bad input,
 * 3 an unexpected error (electron/cli/run-cli.ts).
 */
import { APP_VERSION } from './services/app-version';
import { reportThrown } from './services/unexpected-error';

/** `headroom --version` answers before the command tree loads (it is in every bug report). */
const VERSION_ONLY = /^(-V|--version)$/;

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

const argv = process.argv.slice(2);
if (argv.length === 1 && VERSION_ONLY.test(argv[0]!)) {
  process.stdout.write(`${APP_VERSION}\n`);
} else {
  const { runCli } = await import('./cli/run-cli');
  process.exitCode = await runCli(argv);
}
